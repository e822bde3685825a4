"""axe-core (npm, vendored from node_modules) finds no serious or critical violations.

Every page of the built site is checked over http; over file:// a
representative subset (home, manual, a clause page, an items page, …), since
the pages are the same files and axe takes about 1-2 s a page.

Stock Material 9.8.1 had three kinds: a search dialog without an accessible
name, low-contrast footer text and links told apart by colour only; with the
long navigation, sidebar links smaller than 24 px (target-size). The fixes are
overrides/partials/search.html and docs/assets/stylesheets/extra.css.
"""
from __future__ import annotations

import json
import pathlib

import pytest
from playwright.sync_api import Page

ROOT = pathlib.Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SITE = ROOT / "site"

# Over file://: the hand-written pages and generated ones that stand for their
# kind (a clause page shows the long navigation with the sidebar scrolled).
FILE_SUBSET = [
    "index.html",
    "manual/index.html",
    "about.html",
    "clauses/index.html",
    "clauses/return-disposal.html",
    "items/before.html",
    "checklists/index.html",
    "checklists/selection/index.html",
    "checklists/before/index.html",
    "checklists/after/index.html",
    "generator/index.html",
    "register/index.html",
]


def _all_pages() -> list[str]:
    """Every HTML page of the built site (read at collection time)."""
    pages = sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html"))
    # Not built yet: keep one case so the site_dir fixture reports it clearly.
    return pages or ["index.html"]


CASES = [pytest.param("http", path, id=f"{path}-http") for path in _all_pages()] + [
    pytest.param("file", path, id=f"{path}-file") for path in FILE_SUBSET
]


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} がありません。npm ci を実行してください / missing: run npm ci", pytrace=False)
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize(("site_url", "path"), CASES, indirect=["site_url"])
def test_no_serious_axe_violations(reading_page: Page, site_url: str, axe_source: str, path: str) -> None:
    page = reading_page  # one context per worker: this test only reads
    page.goto(site_url + path)
    page.wait_for_load_state("load")
    page.add_script_tag(content=axe_source)  # inline: no request leaves the site
    result = page.evaluate(
        "() => axe.run(document, {preload: false, resultTypes: ['violations'], runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    serious = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["target"] for node in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, json.dumps(serious, ensure_ascii=False, indent=1)


def test_file_subset_exists(site_dir: pathlib.Path) -> None:
    """The file:// subset names pages that exist (a renamed page must not drop out silently)."""
    missing = [p for p in FILE_SUBSET if not (site_dir / p).is_file()]
    assert not missing, missing
