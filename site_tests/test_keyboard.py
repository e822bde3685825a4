"""Keyboard only (Tab and Enter, no clicks), over http and from file://.

- The first Tab on a page focuses Material's skip link 「コンテンツにスキップ」,
  shown on screen; Enter jumps to the page's first heading, and the next Tab
  lands inside the article, past the header and the navigation.
- From the home page: skip link → 「条文を調べる」 → 条文解説 (clauses/index.html)
  → skip link → the first clause link → that clause's page.
- Every element focused on the way shows a clear focus ring
  (docs/assets/stylesheets/extra.css: a 3 px outline on :focus-visible).
"""
from __future__ import annotations

import json
import pathlib
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "src" / "itaku" / "_data" / "corpus.json"
SKIP_TEXT = "コンテンツにスキップ"
MAX_TABS = 40

FOCUSED = """() => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  return {
    tag: e.tagName,
    text: (e.textContent || '').trim(),
    href: e.getAttribute('href'),
    inArticle: !!e.closest('article'),
    outlineStyle: s.outlineStyle,
    outlineWidth: parseFloat(s.outlineWidth) || 0,
    boxShadow: s.boxShadow,
    inViewport: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
                && r.top < innerHeight && r.left < innerWidth,
  };
}"""


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


def assert_focus_ring(info: dict) -> None:
    visible = (info["outlineStyle"] != "none" and info["outlineWidth"] >= 2) or info["boxShadow"] != "none"
    assert visible, f"フォーカスが見えません / no visible focus indicator: {info}"


def tab_until(page: Page, wanted: Callable[[dict], bool], what: str) -> dict:
    """Press Tab until the focused element matches; every focused link must show a focus ring."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        info = focused(page)
        if info["tag"] == "A":
            assert_focus_ring(info)
        if wanted(info):
            return info
    pytest.fail(f"Tab {MAX_TABS} 回で {what} に届きません / {what} not reached with {MAX_TABS} Tabs")


def skip_to_content(page: Page) -> None:
    """First Tab: the skip link, visible; Enter: to the first heading; next Tab: inside the article."""
    page.keyboard.press("Tab")
    info = focused(page)
    assert info["text"] == SKIP_TEXT, f"最初の Tab がスキップリンクではありません / first Tab: {info}"
    assert info["inViewport"], f"スキップリンクが画面に出ません / skip link not shown: {info}"
    assert_focus_ring(info)
    first_heading = page.locator("article h1, article h2").first.get_attribute("id")
    page.keyboard.press("Enter")
    page.wait_for_function("id => decodeURIComponent(location.hash) === '#' + id", arg=first_heading)


def test_skip_link_moves_focus_to_content(page: Page, site_url: str) -> None:
    for path in ("index.html", "clauses/carry-out.html"):
        page.goto(site_url + path)
        skip_to_content(page)
        page.keyboard.press("Tab")
        info = focused(page)
        assert info["inArticle"], f"{path}: スキップ後の Tab が本文に入りません / Tab after skip: {info}"
        assert_focus_ring(info)


def test_keyboard_walk_from_home_to_a_clause(page: Page, site_url: str) -> None:
    corpus = json.loads(CORPUS.read_text(encoding="utf-8"))
    titles = {c["id"]: c["title"] for c in corpus["clauses"]}

    page.goto(site_url + "index.html")
    skip_to_content(page)
    tab_until(page, lambda f: f["inArticle"] and f["text"] == "条文を調べる", "「条文を調べる」")
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "clauses/index.html")
    expect(page.locator("article h1")).to_contain_text("条文解説")

    skip_to_content(page)
    link = tab_until(
        page,
        lambda f: f["inArticle"] and re.fullmatch(r"[a-z0-9-]+\.html", f["href"] or "") is not None,
        "条文へのリンク / a clause link",
    )
    clause_id = link["href"].removesuffix(".html")
    assert clause_id in titles, link
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + f"clauses/{clause_id}.html")
    expect(page.locator("article h1")).to_contain_text(titles[clause_id])
    assert link["text"] == titles[clause_id], link
