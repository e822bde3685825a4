"""The Word writer: readable by python-docx and LibreOffice, schema-ordered, escaped, byte-stable."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import docx
import pytest
from office import HAVE_LIBREOFFICE, to_pdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itaku.document import Article, Clause, Document, Heading, PageBreak, Paragraph, Table
from itaku.render.docx import CHAR, render_docx
from itaku.render.xmlutil import clean_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
STAMP = '{"answers_hash":"ab12","corpus_version":"1.0.0","phase":"specification"}'

# ECMA-376 Part 1 (transitional wml.xsd) child sequences, as python-docx's oxml also lists them.
SEQUENCES = {
    "pPr": ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
            "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
            "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
            "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"),
    "rPr": ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
            "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText "
            "vertAlign rtl cs em lang eastAsianLayout specVanish oMath rPrChange"),
    "sectPr": ("headerReference|footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
               "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid "
               "printerSettings sectPrChange"),
    "tblPr": ("tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
              "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange"),
    "tcPr": ("cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark "
             "headers cellIns cellDel cellMerge tcPrChange"),
    "trPr": ("cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing jc "
             "hidden ins del trPrChange"),
    "tblBorders": "top left|start bottom right|end insideH insideV",
    "tblCellMar": "top left|start bottom right|end",
    "style": ("name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat "
              "locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr"),
    "docDefaults": "rPrDefault pPrDefault",
    "font": "altName panose1 charset family notTrueType pitch sig embedRegular embedBold embedItalic embedBoldItalic",
    "tc": "tcPr p|tbl",
    "tbl": "tblPr tblGrid tr",
    "p": "pPr r",
    "r": "rPr br|t|tab|fldChar|instrText",
}
HOSTILE = ("<script>alert('x')</script> & \"q\" =cmd|' /C calc'!A0 @SUM(A1) \x00\x01\x08\x0b\x0c\x1f\ufffe\uffff"
           "\ud800 tab\there\nnext line 😀👨‍👩‍👧 " + "長" * 10_000)


def _position(seq: list[str], tag: str) -> int:
    for n, names in enumerate(seq):
        if tag in names.split("|"):
            return n
    raise AssertionError(f"<w:{tag}> is not allowed here")


def sample(**changes) -> Document:
    fields = dict(
        name="specification.docx", title="個人情報取扱特記事項",
        blocks=(
            Heading("個人情報取扱特記事項", 0),
            Paragraph("業務名：住民基本台帳システム運用保守業務"),
            Paragraph("（某市版）", align="right"),
            Heading("総則", 1),
            Heading("細則", 2),
            Article("第１条", "（基本的事項）", (
                Clause("", "乙は、個人情報の保護の重要性を認識し、適正に取り扱わなければならない。"),
                Clause("２", "乙は、次に掲げる事項を守らなければならない。",
                       (("（１）", "作業場所の外へ持ち出さないこと。"), ("（１０）", "複写しないこと。"))),
            ), clause_id="basic"),
            Paragraph("１　様式第１号による。", indent=1, hanging=2, bold=True),
            PageBreak(),
            Table(("時期", "確認すること", "方法"), (("令和7年4月", "体制の確認\n従事者名簿", "実地"), ("令和8年3月", "廃棄の確認")),
                  (20, 60, 20), caption="監督計画"),
            Table((), (("a", "b"),)),
        ),
        stamp=STAMP, created="2025-04-01", subject="住民基本台帳システム運用保守業務", author="某市 総務課",
        extra_properties=(("itaku-output", "specification.docx"),),
    )
    fields.update(changes)
    return Document(**fields)


def _part(data: bytes, name: str) -> ET.Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return ET.fromstring(z.read(name))


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return render_docx(sample())


def test_python_docx_reads_text_and_core_properties(rendered):
    d = docx.Document(io.BytesIO(rendered))
    texts = [p.text for p in d.paragraphs]
    styles = {p.text: p.style.name for p in d.paragraphs}
    assert "個人情報取扱特記事項" in texts and styles["個人情報取扱特記事項"] == "Title"
    assert styles["総則"] == "Heading 1" and styles["細則"] == "Heading 2"
    assert "第１条（基本的事項）" in texts and styles["第１条（基本的事項）"] == "条見出し"
    assert "乙は、個人情報の保護の重要性を認識し、適正に取り扱わなければならない。" in texts
    assert "２\u3000乙は、次に掲げる事項を守らなければならない。" in texts
    assert "（１）作業場所の外へ持ち出さないこと。" in texts
    cells = [[c.text for c in row.cells] for row in d.tables[0].rows]
    assert cells == [["時期", "確認すること", "方法"], ["令和7年4月", "体制の確認\n従事者名簿", "実地"],
                     ["令和8年3月", "廃棄の確認", ""]]
    assert [[c.text for c in row.cells] for row in d.tables[1].rows] == [["a", "b"]]
    cp = d.core_properties
    assert (cp.title, cp.subject, cp.author, cp.last_modified_by) == (
        "個人情報取扱特記事項", "住民基本台帳システム運用保守業務", "某市 総務課", "某市 総務課")
    assert cp.created.isoformat() == cp.modified.isoformat() == "2025-04-01T00:00:00+00:00"
    section = d.sections[0]
    assert (section.page_width, section.page_height) == (docx.shared.Twips(11906), docx.shared.Twips(16838))
    assert section.left_margin == section.right_margin == docx.shared.Twips(1417)
    assert "PAGE" in "".join(section.footer.paragraphs[0]._p.itertext())


def test_custom_properties(rendered):
    props = {p.get("name"): (p.get("pid"), p.find(f"{VT}lpwstr").text)
             for p in _part(rendered, "docProps/custom.xml").iter(f"{CUSTOM}property")}
    assert props == {"itaku-stamp": ("2", STAMP), "itaku-output": ("3", "specification.docx")}
    with zipfile.ZipFile(io.BytesIO(rendered)) as z:
        types = z.read("[Content_Types].xml").decode()
        rels = z.read("_rels/.rels").decode()
    assert 'PartName="/docProps/custom.xml"' in types and 'Target="docProps/custom.xml"' in rels
    with pytest.raises(ValueError):
        render_docx(sample(extra_properties=(("itaku-stamp", "x"),)))


def test_every_part_is_declared_and_well_formed(rendered):
    with zipfile.ZipFile(io.BytesIO(rendered)) as z:
        names = z.namelist()
        types = ET.fromstring(z.read("[Content_Types].xml"))
        overrides = {e.get("PartName") for e in types if e.tag.endswith("Override")}
        for name in names:
            ET.fromstring(z.read(name))  # parses
            assert name.endswith(".rels") or "/" + name in overrides or name == "[Content_Types].xml", name
        for rels_name in ("_rels/.rels", "word/_rels/document.xml.rels"):
            base = rels_name.split("_rels/")[0]
            for rel in ET.fromstring(z.read(rels_name)):
                assert base + rel.get("Target") in names
    assert names[0] == "[Content_Types].xml"
    assert {"/" + n for n in names if not n.endswith(".rels")} - {"/[Content_Types].xml"} == overrides


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "word/footer1.xml", "word/fontTable.xml"])
def test_children_follow_schema_order(rendered, part):
    sequences = {tag: seq.split() for tag, seq in SEQUENCES.items()}
    checked = 0
    for element in _part(rendered, part).iter():
        tag = element.tag.removeprefix(W)
        if tag not in sequences:
            continue
        positions = [_position(sequences[tag], child.tag.removeprefix(W)) for child in element]
        assert positions == sorted(positions), f"{part}: <w:{tag}> children {[c.tag for c in element]}"
        checked += 1
    assert checked


def test_sequences_cover_what_is_emitted(rendered):
    """Every element with properties that the writer emits is one whose order the test above checks."""
    root = _part(rendered, "word/document.xml")
    tags = {e.tag.removeprefix(W) for e in root.iter()}
    assert {"pPr", "rPr", "sectPr", "tblPr", "tcPr", "trPr"} <= tags
    assert tags <= {"document", "body", "p", "r", "t", "br", "tab", "tbl", "tblGrid", "gridCol", "tr", "tc",
                    "pStyle", "ind", "jc", "b", "bCs", "tblStyle", "tblW", "tblLayout", "tcW", "shd", "tblHeader",
                    "footerReference", "pgSz", "pgMar", "cols", "docGrid", *SEQUENCES}


def test_hostile_text_is_escaped_and_read_back():
    doc = sample(title=HOSTILE, author=HOSTILE[:50], stamp=HOSTILE, blocks=(
        Heading(HOSTILE, 1), Paragraph(HOSTILE),
        Article("第１条", HOSTILE[:30], (Clause("", HOSTILE, (("（１）", HOSTILE),)),)),
        Table((HOSTILE[:20],), ((HOSTILE,),)),
    ))
    data = render_docx(doc)
    expected = clean_text(HOSTILE)
    assert "\ufffd" in expected and "\x00" not in expected and "😀" in expected
    d = docx.Document(io.BytesIO(data))
    texts = [p.text for p in d.paragraphs]
    assert texts[0] == expected and texts[1] == expected
    assert texts[2] == "第１条" + clean_text(HOSTILE[:30])
    assert texts[3] == expected and texts[4] == "（１）" + expected
    assert d.tables[0].rows[1].cells[0].text == expected
    assert d.core_properties.title == expected
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read("word/document.xml").decode()
    assert "<script>" not in body and "&lt;script&gt;" in body
    stamp = next(_part(data, "docProps/custom.xml").iter(f"{VT}lpwstr")).text
    assert stamp == expected


ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT, ANY_TEXT)
def test_property_any_text_round_trips(text, cell):
    d = docx.Document(io.BytesIO(render_docx(sample(blocks=(Paragraph(text), Table(("h",), ((cell,),)))))))

    def expected(t: str) -> str:
        return clean_text(t).replace("\r\n", "\n").replace("\r", "\n")

    assert d.paragraphs[0].text == expected(text)
    assert d.tables[0].rows[1].cells[0].text == expected(cell)


def test_carriage_returns_become_line_breaks():
    d = docx.Document(io.BytesIO(render_docx(sample(blocks=(Paragraph("a\r\nb\rc"),)))))
    assert d.paragraphs[0].text == "a\nb\nc"


def test_indents_are_in_characters_of_210_twips():
    root = _part(render_docx(sample()), "word/document.xml")
    paras = {"".join(p.itertext()): p for p in root.iter(f"{W}p")}

    def ind(text: str) -> tuple[str | None, str | None]:
        e = paras[text].find(f"{W}pPr/{W}ind")
        return (None, None) if e is None else (e.get(f"{W}left"), e.get(f"{W}hanging"))

    assert ind("（１）作業場所の外へ持ち出さないこと。") == (None, None)  # the 号 style fits 3-character labels
    assert ind("（１０）複写しないこと。") == (str(5 * CHAR), str(4 * CHAR))
    assert ind("１　様式第１号による。") == (str(3 * CHAR), str(2 * CHAR))  # first line at 1, the rest at 3


def test_landscape_swaps_the_page():
    d = docx.Document(io.BytesIO(render_docx(sample(landscape=True))))
    s = d.sections[0]
    assert (s.page_width, s.page_height) == (docx.shared.Twips(16838), docx.shared.Twips(11906))
    assert s.orientation == docx.enum.section.WD_ORIENT.LANDSCAPE


def test_identical_documents_give_identical_bytes(rendered):
    assert render_docx(sample()) == rendered
    assert render_docx(sample(created="2025-04-02")) != rendered
    with zipfile.ZipFile(io.BytesIO(rendered)) as z:
        for info in z.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert info.external_attr == 0o100644 << 16


@pytest.mark.skipif(not HAVE_LIBREOFFICE, reason="LibreOffice is not installed")
def test_libreoffice_converts_to_pdf(tmp_path: Path, rendered):
    source = tmp_path / "specification.docx"
    source.write_bytes(rendered)
    text = to_pdf([source], tmp_path)[source]
    if text is not None:
        assert "個人情報取扱特記事項" in text and "基本的事項" in text and "作業場所の外へ" in text
