"""The built site over http and from file://: home page, navigation, Japanese search."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

TITLE = "委託先個人情報管理キット"


def heading(text: str) -> re.Pattern[str]:
    """The heading text, allowing the permalink sign that follows it."""
    return re.compile(rf"^\s*{re.escape(text)}\s*¶?\s*$")


def test_home_page_is_japanese(page: Page, site_url: str) -> None:
    page.goto(site_url + "index.html")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page).to_have_title(TITLE)
    expect(page.locator("article h1")).to_have_text(heading(TITLE))
    for way in ("仕様書を作る", "委託先を確認する", "条文を調べる"):
        expect(page.locator("article").get_by_role("link", name=way, exact=True)).to_be_visible()


def test_navigation_to_manual(page: Page, site_url: str) -> None:
    page.goto(site_url + "index.html")
    page.locator("nav.md-nav--primary").get_by_role("link", name="利用説明書").click()
    page.wait_for_url(site_url + "manual/index.html")
    expect(page.locator("article h1")).to_have_text(heading("利用説明書"))
    expect(page.locator("article h2").first).to_contain_text("要件の明確化と伝達")


def test_home_link_to_manual_section(page: Page, site_url: str) -> None:
    page.goto(site_url + "index.html")
    page.locator("article").get_by_role("link", name="利用説明書の「実施状況の確認」").click()
    page.wait_for_url(site_url + "manual/index.html#phase-4")
    expect(page.locator("#phase-4")).to_be_in_viewport()


def search(page: Page, word: str) -> None:
    """Type into the header search box once the search worker is ready."""
    box = page.locator("input.md-search__input")
    box.click()
    # Material replaces "検索を初期化" by this prompt once the index is loaded.
    # Building the index is the search worker's start-up, not what is tested: on a busy machine it can
    # take longer than an assertion's 15 s.
    expect(page.locator(".md-search-result__meta")).to_have_text("検索キーワードを入力してください", timeout=60_000)
    # Playwright enters kana/kanji as composed text without key events, but
    # Material searches on keyup (a real IME commit sends one): release a key.
    box.press_sequentially(word)
    box.press("End")


def test_search_index_is_built_when_search_opens(page: Page, site_url: str) -> None:
    """A page view does not build the search index (~2 s of CPU); opening search does
    (overrides/hooks/lazy_search.py: over http as from file://). The worker loads its Japanese
    segmenter (lunr/tinyseg.js) only when it is sent the index to build."""
    page.goto(site_url + "clauses/carry-out.html")
    page.wait_for_load_state("networkidle")  # nothing requested for 500 ms after the load
    requested = page.requests  # type: ignore[attr-defined]
    assert not [url for url in requested if "lunr/" in url], requested
    expect(page.locator(".md-search-result__meta")).to_have_text("検索を初期化")
    page.keyboard.press("/")  # Material's shortcut: opens search and focuses the box
    expect(page.locator("input.md-search__input")).to_be_focused()
    expect(page.locator(".md-search-result__meta")).to_have_text("検索キーワードを入力してください", timeout=60_000)
    assert [url for url in requested if "lunr/tinyseg.js" in url], requested


# ASCII ids: pytest escapes non-ASCII in test ids.
@pytest.mark.parametrize(
    "word",
    [
        pytest.param("再委託", id="saiitaku"),
        pytest.param("持出し", id="mochidashi"),
        pytest.param("廃棄証明", id="haiki-shomei"),
    ],
)
def test_search_japanese(page: Page, site_url: str, word: str) -> None:
    page.goto(site_url + "index.html")
    search(page, word)
    results = page.locator("ol.md-search-result__list > li.md-search-result__item")
    expect(results.first).to_be_visible()
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile(r"\d+件見つかりました"))
    expect(results.first.locator("mark").first).to_be_visible()
    # The search ran in the (shimmed) worker against the local index.
    assert any("search_index" in url for url in page.requests), page.requests  # type: ignore[attr-defined]


def test_search_result_opens_page(page: Page, site_url: str) -> None:
    page.goto(site_url + "index.html")
    search(page, "廃棄証明")
    result = page.locator("ol.md-search-result__list > li.md-search-result__item a").first
    expect(result).to_be_visible()
    result.click()
    page.wait_for_url(re.compile(re.escape(site_url) + r"(?!index\.html).+\.html.*"))
    # The query is split into words (廃棄 / 証明); the page found holds them.
    expect(page.locator("article")).to_contain_text("廃棄")
    expect(page.locator("article")).to_contain_text("証明")
