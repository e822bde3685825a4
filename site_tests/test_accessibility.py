"""axe-core (npm, vendored from node_modules) finds no serious or critical violations.

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

AXE = pathlib.Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
# The hand-written pages, plus generated ones that stand for their kind (a clause
# page shows the long navigation with the sidebar scrolled).
PAGES = [
    "index.html",
    "manual/index.html",
    "about.html",
    "clauses/index.html",
    "clauses/return-disposal.html",
]


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} がありません。npm ci を実行してください / missing: run npm ci", pytrace=False)
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_axe_violations(page: Page, site_url: str, axe_source: str, path: str) -> None:
    page.goto(site_url + path)
    page.wait_for_load_state("load")
    page.add_script_tag(content=axe_source)  # inline: no request leaves the site
    result = page.evaluate(
        "() => axe.run(document, {preload: false, runOnly: {type: 'tag', values: "
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
