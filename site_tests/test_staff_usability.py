"""Issue 19 (staff usability), over http and file://: where to start, and the tools linked from the manual.

The checklist-page points (one number per item, reset with undo, messages, file names, the round
trip of every field) are in test_checklists.py; the generator-page walk-through is below.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

STARTS = {"generator": ("新しい委託の文書を作る", "generator/index.html"),
          "checklists": ("委託先を確認する", "checklists/index.html"),
          "register": ("委託台帳", "register/index.html")}
# Each phase page of the manual links to the tool wherever it names it.
MANUAL_TOOLS = {
    "1-requirements": ["generator/index.html"],
    "2-selection": ["checklists/selection/index.html"],
    "3-contract": ["generator/index.html", "checklists/before/index.html"],
    "4-monitoring": ["generator/index.html", "checklists/after/index.html"],
    "5-termination": ["generator/index.html", "checklists/after/index.html"],
    "6-incidents": ["generator/index.html"],
    "index": ["generator/index.html", "checklists/selection/index.html", "checklists/before/index.html",
              "checklists/after/index.html"],
}


def test_home_first_screen_offers_the_starts(page: Page, site_url: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(site_url + "index.html")
    for key, (name, target) in STARTS.items():
        link = page.locator(f'article a[data-start="{key}"]')
        expect(link).to_be_visible()
        expect(link).to_contain_text(name)
        assert link.get_attribute("href") == target
        box = link.bounding_box()
        assert box and box["y"] + box["height"] <= 768, f"{name} is below the first screen: {box}"
        assert box["height"] >= 44 and box["width"] >= 200, f"{name} is not a prominent target: {box}"
    # Keyboard: skip link, then the first link of the article after the heading's permalink (¶) is the first start.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    if page.evaluate("document.activeElement.classList.contains('headerlink')"):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.start") == "generator"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/generator/index\.html$"))


@pytest.mark.parametrize("name", list(MANUAL_TOOLS))
def test_manual_pages_link_to_the_tools(reading_page: Page, site_url: str, name: str) -> None:
    page = reading_page  # one context per worker: this test only reads
    page.goto(f"{site_url}manual/{name}.html")
    hrefs = page.evaluate("() => [...document.querySelectorAll('article a')].map(a => a.getAttribute('href'))")
    for target in MANUAL_TOOLS[name]:
        assert f"../{target}" in hrefs, (name, target)
    page.locator(f'article a[href="../{MANUAL_TOOLS[name][0]}"]').first.click()
    page.wait_for_url(re.compile(re.escape(MANUAL_TOOLS[name][0]) + "$"))


# ---------------------------------------------------------------- walk-through (keyboard only)

READY_MS = 90_000


def active(page: Page, expr: str) -> str:
    return page.evaluate(f"(() => {{ const a = document.activeElement; return a ? String({expr} ?? '') : '' }})()")


def tab_until(page: Page, expr: str, wanted: str, limit: int = 600) -> None:
    for _ in range(limit):
        if active(page, expr) == wanted:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {expr} == {wanted!r}")


def test_keyboard_walk_from_home_to_every_download(page: Page, site_url: str) -> None:
    """From the home page to every download of a worked example with Tab, arrows and Enter only."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(site_url + "index.html")
    tab_until(page, "a.dataset.start", "generator")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/generator/index\.html$"))
    page.wait_for_function("document.getElementById('generator').dataset.state !== 'loading'", timeout=READY_MS)
    assert page.get_attribute("#generator", "data-state") == "ready"
    def load_printing() -> None:
        tab_until(page, "a.id", "itaku-example")
        for _ in range(20):
            if page.input_value("#itaku-example") == "printing":
                break
            page.keyboard.press("ArrowDown")
        assert page.input_value("#itaku-example") == "printing"
        tab_until(page, "a.id", "itaku-example-load")
        page.keyboard.press("Enter")
        page.wait_for_function("!('pending' in document.getElementById('generator').dataset)", timeout=30_000)

    load_printing()
    outputs = page.evaluate("() => [...document.querySelectorAll('#itaku-download-list [data-output]')]"
                            ".filter(n => n.offsetParent !== null).map(n => n.dataset.output)")
    assert {"specification.docx", "checklist-before.xlsx", "forms.docx", "job.json"} <= set(outputs), outputs
    saved = {}
    for name in outputs:  # one after another, no reload (issue 23: every file comes)
        tab_until(page, "a.dataset.output", name)
        with page.expect_download(timeout=30_000) as info:
            page.keyboard.press("Enter")
        saved[name] = info.value.suggested_filename
        assert saved[name].endswith(name.rsplit(".", 1)[1]), saved
    assert len(saved) == len(outputs)
