"""Printing (docs/assets/stylesheets/print.css), over http and from file://.

Under print media the page frame (header, search, sidebars, permalink signs)
is hidden, text is black on white, headings keep with what follows and links
print without their URL; a clause page prints as A4 PDF pages holding the
clause heading and the footer stamp (corpus version and build date).
PDF text is read with pdftotext (poppler-utils, installed by scripts/test);
without it only the page size is checked.
"""
from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess

import pytest
from playwright.sync_api import Page, expect

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "src" / "itaku" / "_data" / "corpus.json"
CLAUSE = "carry-out"
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"
A4_PT = (595.28, 841.89)  # 210 mm x 297 mm in PostScript points
MEDIABOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]")

FRAME = [
    ".md-header",
    ".md-sidebar--primary",
    ".md-sidebar--secondary",
    ".md-search",
    ".md-skip",
    "article .headerlink",
]


def clause_title() -> str:
    corpus = json.loads(CORPUS.read_text(encoding="utf-8"))
    return next(c["title"] for c in corpus["clauses"] if c["id"] == CLAUSE)


def test_print_media_hides_the_frame(page: Page, site_url: str) -> None:
    page.goto(site_url + f"clauses/{CLAUSE}.html")
    expect(page.locator(".md-sidebar--primary")).to_be_visible()  # on screen it is there
    page.emulate_media(media="print")
    for selector in FRAME:
        for locator in page.locator(selector).all():
            expect(locator).to_be_hidden()
    expect(page.locator("article h1")).to_be_visible()
    expect(page.locator("article h1")).to_contain_text(clause_title())
    expect(page.locator(".md-footer .itaku-stamp")).to_be_visible()
    style = page.evaluate(
        """() => {
          const css = (e, p) => getComputedStyle(e, p || null);
          const h2 = document.querySelector('article h2');
          const a = document.querySelector('article p a, article li a, article td a');
          return {
            color: css(document.querySelector('article')).color,
            background: css(document.body).backgroundColor,
            h2BreakAfter: css(h2).breakAfter,
            h2PageBreakAfter: css(h2).pageBreakAfter,
            linkColor: a ? css(a).color : null,
            linkAfter: a ? css(a, '::after').content : null,
            rowBreakInside: (() => { const tr = document.querySelector('article tr');
                                     return tr ? css(tr).breakInside : 'avoid'; })(),
          };
        }"""
    )
    assert style["color"] == "rgb(0, 0, 0)", style
    assert style["background"] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), style
    assert style["h2BreakAfter"] == "avoid" and style["h2PageBreakAfter"] == "avoid", style
    assert style["rowBreakInside"] == "avoid", style
    if style["linkColor"] is not None:
        assert style["linkColor"] == "rgb(0, 0, 0)", style
        assert style["linkAfter"] in ("none", "normal"), style  # no URL printed after links


def test_clause_page_prints_as_a4_pdf(page: Page, site_url: str, tmp_path: pathlib.Path) -> None:
    page.goto(site_url + f"clauses/{CLAUSE}.html")
    page.wait_for_load_state("load")
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    assert pdf.startswith(b"%PDF"), pdf[:16]
    boxes = [tuple(float(v) for v in m.groups()) for m in MEDIABOX.finditer(pdf)]
    assert boxes, "PDF に MediaBox がありません / no MediaBox in the PDF"
    for x0, y0, x1, y1 in boxes:
        size = (x1 - x0, y1 - y0)
        assert abs(size[0] - A4_PT[0]) < 2 and abs(size[1] - A4_PT[1]) < 2, f"A4 ではありません / not A4: {size}"

    if not pathlib.Path(PDFTOTEXT).is_file():
        pytest.skip("pdftotext がないため本文は未確認 / pdftotext (poppler-utils) missing: text not checked")
    path = tmp_path / "clause.pdf"
    path.write_bytes(pdf)
    text = subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", clause_title()) in flat, text[:500]
    assert "コーパス" in flat and "ビルド" in flat, "版表示が印刷されていません / footer stamp not printed"
    # The frame is not printed: no search box, no skip link, no permalink sign.
    for frame_text in ("コンテンツにスキップ", "検索", "¶"):
        assert frame_text not in flat, f"{frame_text!r} が印刷されています / printed: {frame_text!r}"
    assert not re.search(r"https?://|\.html", text), "URL が印刷されています / a URL was printed"
