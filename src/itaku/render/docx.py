"""Word (.docx) writer: standard library only, so it runs in Pyodide (no lxml, no python-docx).

The static parts (styles, settings, fonts, footer, relationships) are committed
unpacked under ``itaku/templates/docx/``; only document.xml, core.xml and
custom.xml are generated, using only styles the template defines and only a
few property elements, in ECMA-376 schema order (a test checks the order).

Units: 1 character = 210 twips (10.5 pt body text). ``Paragraph.indent`` is
where the first line starts and ``Paragraph.hanging`` the width of its label,
so continuation lines start at ``indent + hanging`` characters.
"""
from __future__ import annotations

import unicodedata
from datetime import date
from functools import lru_cache
from importlib.resources import files

from itaku.document import Article, Block, Document, Heading, PageBreak, Paragraph, Table
from itaku.render.xmlutil import clean_text, deterministic_zip, escape, xml_escape

CHAR = 210  # twips per full-width character at 10.5 pt
PAGE = (11906, 16838)  # A4 portrait, twips
MARGIN = 1417  # 25 mm
STAMP_PROPERTY = "itaku-stamp"

# (name in the .docx, path under templates/docx): dot-files are renamed on disk
# because setuptools' package-data globs skip names starting with ".".
TEMPLATE_PARTS = (
    ("[Content_Types].xml", "[Content_Types].xml"),
    ("_rels/.rels", "_rels/package.rels"),
    ("docProps/app.xml", "docProps/app.xml"),
    ("word/_rels/document.xml.rels", "word/_rels/document.xml.rels"),
    ("word/styles.xml", "word/styles.xml"),
    ("word/settings.xml", "word/settings.xml"),
    ("word/fontTable.xml", "word/fontTable.xml"),
    ("word/footer1.xml", "word/footer1.xml"),
)
HEADING_STYLES = {0: "Title", 1: "Heading1"}  # deeper levels use Heading2
ALIGN = {"center": "center", "right": "right"}  # "left" keeps the style's 両端揃え

W_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@lru_cache(maxsize=1)
def template_parts() -> tuple[tuple[str, bytes], ...]:
    root = files("itaku").joinpath("templates", "docx")
    return tuple((name, root.joinpath(*path.split("/")).read_bytes()) for name, path in TEMPLATE_PARTS)


# ---------------------------------------------------------------- runs and paragraphs

def _run_content(text: str) -> str:
    """Text as run content: line breaks become <w:br/>, tabs <w:tab/>."""
    text = clean_text(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" not in text and "\t" not in text:  # most runs: one piece of text
        return f'<w:t xml:space="preserve">{escape(text)}</w:t>' if text else ""
    out = []
    for n, line in enumerate(text.split("\n")):
        if n:
            out.append("<w:br/>")
        for m, piece in enumerate(line.split("\t")):
            if m:
                out.append("<w:tab/>")
            if piece:
                out.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return "".join(out)


def _run(text: str, bold: bool = False) -> str:
    rpr = "<w:rPr><w:b/><w:bCs/></w:rPr>" if bold else ""
    content = _run_content(text)
    return f"<w:r>{rpr}{content}</w:r>" if content else ""


def _ind(left: int, hanging: int) -> str:
    return f'<w:ind w:left="{left * CHAR}" w:hanging="{hanging * CHAR}"/>' if left or hanging else ""


def _para(text: str, style: str = "", ind: str = "", jc: str = "", bold: bool = False) -> str:
    # pPr children in schema order: pStyle … ind … jc
    ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + ind + (f'<w:jc w:val="{jc}"/>' if jc else "")
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{_run(text, bold)}</w:p>"


def label_width(label: str) -> int:
    """Width of a label in full-width characters (half-width counts one half, rounded up)."""
    halves = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in label)
    return (halves + 1) // 2


# ---------------------------------------------------------------- blocks

def _article(a: Article) -> str:
    parts = [_para(a.number + a.caption, "ArticleHeading")]
    for clause in a.clauses:
        # 項: the label hangs one character to the left of the text column.
        text = f"{clause.label}\u3000{clause.text}" if clause.label else clause.text
        parts.append(_para(text, "Clause"))
        for label, item in clause.items:
            # 号: label starts at the 項 text column; wrapped lines align after the label.
            w = label_width(label)
            ind = "" if w == 3 else _ind(1 + w, w)  # the Item style already fits 3-character labels
            parts.append(_para(label + item, "Item", ind))
    return "".join(parts)


def _column_widths(table: Table, ncols: int, total: int) -> list[int]:
    weights = list(table.widths) if len(table.widths) == ncols and all(w > 0 for w in table.widths) else [1] * ncols
    widths = [total * w // sum(weights) for w in weights]
    widths[-1] += total - sum(widths)
    return widths


def _cell(text: str, width: int, header: bool) -> str:
    shd = '<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>' if header else ""
    tcpr = f'<w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shd}</w:tcPr>'
    return f"<w:tc>{tcpr}{_para(text, jc='center' if header else '', bold=header)}</w:tc>"


def _table(t: Table, text_width: int) -> str:
    ncols = max([len(t.header), *(len(r) for r in t.rows)])
    if ncols == 0:
        return ""
    widths = _column_widths(t, ncols, text_width)
    parts = [_para(t.caption, "Caption")] if t.caption else []
    parts.append(f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{text_width}" w:type="dxa"/>'
                 '<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>'
                 + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>")
    if t.header:
        cells = list(t.header) + [""] * (ncols - len(t.header))
        # The header row repeats on every page.
        parts.append("<w:tr><w:trPr><w:tblHeader/></w:trPr>"
                     + "".join(_cell(c, w, True) for c, w in zip(cells, widths)) + "</w:tr>")
    for row in t.rows:
        cells = list(row) + [""] * (ncols - len(row))
        parts.append("<w:tr>" + "".join(_cell(c, w, False) for c, w in zip(cells, widths)) + "</w:tr>")
    parts.append("</w:tbl>")
    # A paragraph after every table: keeps adjacent tables apart and the body from ending in a table.
    parts.append("<w:p/>")
    return "".join(parts)


def block_xml(block: Block, text_width: int) -> str:
    if isinstance(block, Heading):
        return _para(block.text, HEADING_STYLES.get(block.level, "Heading2"))
    if isinstance(block, Paragraph):
        return _para(block.text, ind=_ind(block.indent + block.hanging, block.hanging),
                     jc=ALIGN.get(block.align, ""), bold=block.bold)
    if isinstance(block, Article):
        return _article(block)
    if isinstance(block, Table):
        return _table(block, text_width)
    if isinstance(block, PageBreak):
        return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    raise TypeError(f"unknown block {type(block).__name__}")


def document_xml(doc: Document) -> str:
    width, height = (PAGE[1], PAGE[0]) if doc.landscape else PAGE
    text_width = width - 2 * MARGIN
    orient = ' w:orient="landscape"' if doc.landscape else ""
    sect = ('<w:sectPr><w:footerReference w:type="default" r:id="rId4"/>'
            f'<w:pgSz w:w="{width}" w:h="{height}"{orient}/>'
            f'<w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}" '
            'w:header="851" w:footer="709" w:gutter="0"/>'
            '<w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="360"/></w:sectPr>')
    body = "".join(block_xml(b, text_width) for b in doc.blocks)
    return f"{XML_DECL}<w:document {W_NS}><w:body>{body}{sect}</w:body></w:document>"


# ---------------------------------------------------------------- properties

def core_xml(doc: Document) -> str:
    when = date.fromisoformat(doc.created).isoformat() + "T00:00:00Z"  # from the answers, never the clock
    author = xml_escape(doc.author)
    return (f'{XML_DECL}<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{xml_escape(doc.title)}</dc:title><dc:subject>{xml_escape(doc.subject)}</dc:subject>"
            f"<dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
            "</cp:coreProperties>")


def custom_xml(doc: Document) -> str:
    props = [(STAMP_PROPERTY, doc.stamp), *doc.extra_properties]
    names = [name for name, _ in props]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate custom property names: {names}")
    body = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name="{xml_escape(name)}">'
        f"<vt:lpwstr>{xml_escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(props, start=2))  # pid 0 and 1 are reserved
    return (f'{XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            f'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{body}</Properties>')


# ---------------------------------------------------------------- package

def footer_xml(template: bytes, text: str) -> bytes:
    """The footer: the template's page number, then ``text`` (the version mark) small and right-aligned."""
    if not text:
        return template
    mark = ('<w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="right"/></w:pPr>'
            f'<w:r><w:rPr><w:sz w:val="14"/></w:rPr>{_run_content(text)}</w:r></w:p>')
    return template.replace(b"</w:ftr>", mark.encode("utf-8") + b"</w:ftr>")


def render_docx(doc: Document) -> bytes:
    """The Word file for ``doc``; identical documents give identical bytes."""
    generated = {
        "docProps/core.xml": core_xml(doc).encode("utf-8"),
        "docProps/custom.xml": custom_xml(doc).encode("utf-8"),
        "word/document.xml": document_xml(doc).encode("utf-8"),
    }
    entries = [(name, footer_xml(data, doc.footer) if name == "word/footer1.xml" else data)
               for name, data in template_parts()]
    entries[3:3] = list(generated.items())  # after app.xml, before the word/ parts
    return deterministic_zip(entries)


__all__ = ["render_docx", "document_xml", "core_xml", "custom_xml", "label_width"]
