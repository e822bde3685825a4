"""SpreadsheetML (.xlsx) writer: standard library only, like the Word writer.

openpyxl stays the reader of workbooks users bring back (``itaku.render.xlsx``);
writing with it cost most of a job's generation time in Pyodide (its cell
writer and XML serialiser run per cell). This module writes only what the
kit's workbooks use: inline string and number cells with a few styles, column
widths, row heights, data validations, frozen panes, print titles, page setup
(A4, fitted to the width), a footer, sheet protection and the document
properties.

The bytes depend only on the workbook: parts in a fixed order, no clock (the
dates are the caller's), zipped by ``deterministic_zip``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from itaku.render.xmlutil import clean_text, deterministic_zip, escape

XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TEXT_FORMAT = 49  # the built-in number format "@"
# Everything but the row and column formats is protected (the attributes openpyxl wrote, spelled out).
SHEET_PROTECTION = ('<sheetProtection sheet="1" objects="0" scenarios="0" formatCells="1" formatColumns="0" '
                    'formatRows="0" insertColumns="1" insertRows="1" insertHyperlinks="1" deleteColumns="1" '
                    'deleteRows="1" selectLockedCells="0" sort="1" autoFilter="1" pivotTables="1" '
                    'selectUnlockedCells="0"/>')
_TEXT = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_ATTR = (*_TEXT, ('"', "&quot;"), ("\n", "&#10;"), ("\t", "&#9;"), ("\r", "&#13;"))


def text_xml(text: str) -> str:
    """Element content (``text`` already XML-legal)."""
    return escape(text, _TEXT)


def attr_xml(text: str) -> str:
    """An attribute value: cleaned, and line ends and tabs kept as character references."""
    return escape(clean_text(text), _ATTR)


# ---------------------------------------------------------------- styles

@dataclass(frozen=True)
class Font:
    name: str
    size: float
    bold: bool = False
    charset: int | None = None


@dataclass(frozen=True)
class Alignment:
    horizontal: str | None = None
    vertical: str | None = None
    wrap_text: bool = False


@dataclass(frozen=True)
class Style:
    """What one cell looks like. ``fill`` and ``border_color`` are RGB hex ("E7E6E6"); a border is thin, all round."""
    font: Font
    alignment: Alignment = Alignment()
    border_color: str | None = None
    fill: str | None = None
    locked: bool = True
    text_format: bool = False  # number format "@"
    quote_prefix: bool = False


DEFAULT_FONT = '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'


def _font_xml(font: Font) -> str:
    size = f"{font.size:g}"
    charset = f'<charset val="{font.charset}"/>' if font.charset is not None else ""
    return f'<font>{"<b/>" if font.bold else ""}<sz val="{size}"/><name val="{attr_xml(font.name)}"/>{charset}</font>'


def _fill_xml(rgb: str) -> str:
    return f'<fill><patternFill patternType="solid"><fgColor rgb="00{rgb}"/></patternFill></fill>'


def _border_xml(rgb: str) -> str:
    side = f' style="thin"><color rgb="00{rgb}"/>'
    return f"<border><left{side}</left><right{side}</right><top{side}</top><bottom{side}</bottom><diagonal/></border>"


class Styles:
    """The workbook's cell formats: each distinct ``Style`` gets one ``xf`` index (0 is the default)."""

    def __init__(self) -> None:
        self.index: dict[Style, int] = {}
        self.wraps: list[bool] = [False]  # by xf index: does the cell wrap its text
        self.fonts: dict[Font, int] = {}
        self.fills: dict[str, int] = {}
        self.borders: dict[str, int] = {}

    def id(self, style: Style) -> int:
        found = self.index.get(style)
        if found is None:
            found = self.index[style] = len(self.index) + 1
            self.wraps.append(style.alignment.wrap_text)
            self.fonts.setdefault(style.font, len(self.fonts) + 1)
            if style.fill is not None:
                self.fills.setdefault(style.fill, len(self.fills) + 2)  # 0 none, 1 gray125 (reserved)
            if style.border_color is not None:
                self.borders.setdefault(style.border_color, len(self.borders) + 1)
        return found

    def _xf(self, style: Style) -> str:
        fill = self.fills[style.fill] if style.fill is not None else 0
        border = self.borders[style.border_color] if style.border_color is not None else 0
        numfmt = TEXT_FORMAT if style.text_format else 0
        attrs = [f'numFmtId="{numfmt}" fontId="{self.fonts[style.font]}" fillId="{fill}" borderId="{border}" xfId="0"',
                 'applyFont="1"']
        if fill:
            attrs.append('applyFill="1"')
        if border:
            attrs.append('applyBorder="1"')
        if numfmt:
            attrs.append('applyNumberFormat="1"')
        a = style.alignment
        align = "".join((f' horizontal="{a.horizontal}"' if a.horizontal else "",
                         f' vertical="{a.vertical}"' if a.vertical else "",
                         ' wrapText="1"' if a.wrap_text else ""))
        if align:
            attrs.append('applyAlignment="1"')
        if not style.locked:
            attrs.append('applyProtection="1"')
        if style.quote_prefix:
            attrs.append('quotePrefix="1"')
        inner = (f"<alignment{align}/>" if align else "") + ("" if style.locked else '<protection locked="0"/>')
        return f'<xf {" ".join(attrs)}>{inner}</xf>' if inner else f'<xf {" ".join(attrs)}/>'

    def xml(self) -> str:
        fonts = [DEFAULT_FONT, *(_font_xml(f) for f in self.fonts)]
        fills = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>',
                 *(_fill_xml(rgb) for rgb in self.fills)]
        borders = ["<border><left/><right/><top/><bottom/><diagonal/></border>", *(_border_xml(c) for c in self.borders)]
        xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>', *(self._xf(s) for s in self.index)]
        return (f'{XML_DECL}<styleSheet xmlns="{MAIN_NS}">'
                f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
                f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
                f'<borders count="{len(borders)}">{"".join(borders)}</borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                "</styleSheet>")


# ---------------------------------------------------------------- sheets

def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_LETTERS = ("", *(column_letter(c) for c in range(1, 703)))  # A … ZZ, by column number


def split_ref(ref: str) -> tuple[int, int]:
    """ "D15" → (row 15, column 4)."""
    letters = ref.rstrip("0123456789")
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(ref[len(letters):]), col


@dataclass
class ListValidation:
    """A drop-down list on ``sqref`` ("H15:H44") with its input prompt and error message."""
    sqref: str
    choices: tuple[str, ...]
    error_title: str = ""
    error: str = ""
    prompt_title: str = ""
    prompt: str = ""

    def xml(self) -> str:
        formula = text_xml(clean_text('"' + ",".join(self.choices) + '"'))
        return (f'<dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1" '
                f'errorTitle="{attr_xml(self.error_title)}" error="{attr_xml(self.error)}" '
                f'promptTitle="{attr_xml(self.prompt_title)}" prompt="{attr_xml(self.prompt)}" '
                f'sqref="{self.sqref}"><formula1>{formula}</formula1></dataValidation>')


@dataclass
class Sheet:
    """One worksheet. ``rows[r][c]`` is (value, xf index): a string (inline), an int, or None (a styled empty cell).

    Strings must already be cell text (``itaku.render.xlsx.excel_text``): XML-legal, line ends as LF."""
    title: str
    styles: Styles = field(default_factory=Styles)
    rows: dict[int, dict[int, tuple[str | int | None, int]]] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    hidden_columns: set[int] = field(default_factory=set)
    heights: dict[int, float] = field(default_factory=dict)
    validations: list[ListValidation] = field(default_factory=list)
    freeze: str | None = None  # the top-left cell of the scrolling pane, "D15"
    print_title_row: int | None = None
    footer_center: str = ""  # header/footer codes, e.g. "&P / &N"
    footer_right: str = ""  # plain text ("&" is doubled here)
    footer_right_size: int | None = None
    protected: bool = False

    def set(self, row: int, col: int, value: str | int | None, xf: int) -> None:
        self.rows.setdefault(row, {})[col] = (value, xf)

    def _dimension(self) -> str:
        if not self.rows:
            return "A1"
        cols = [c for cells in self.rows.values() for c in cells]
        first = f"{column_letter(min(cols))}{min(self.rows)}"
        last = f"{column_letter(max(cols))}{max(self.rows)}"
        return first if first == last else f"{first}:{last}"

    def _view(self) -> str:
        if not self.freeze:
            return '<sheetViews><sheetView workbookViewId="0"><selection activeCell="A1" sqref="A1"/></sheetView></sheetViews>'
        row, col = split_ref(self.freeze)
        split = (f' xSplit="{col - 1}"' if col > 1 else "") + (f' ySplit="{row - 1}"' if row > 1 else "")
        if col > 1 and row > 1:
            pane = "bottomRight"
            selections = '<selection pane="topRight"/><selection pane="bottomLeft"/>'
        else:
            pane = "bottomLeft" if row > 1 else "topRight"
            selections = ""
        return (f'<sheetViews><sheetView workbookViewId="0"><pane{split} topLeftCell="{self.freeze}" '
                f'activePane="{pane}" state="frozen"/>{selections}'
                f'<selection pane="{pane}" activeCell="A1" sqref="A1"/></sheetView></sheetViews>')

    def _cols(self) -> str:
        cols = sorted(set(self.widths) | self.hidden_columns)
        if not cols:
            return ""
        out = []
        for c in cols:
            width = f' width="{self.widths[c]:g}" customWidth="1"' if c in self.widths else ""
            hidden = ' hidden="1"' if c in self.hidden_columns else ""
            out.append(f'<col min="{c}" max="{c}"{width}{hidden}/>')
        return f'<cols>{"".join(out)}</cols>'

    def _data(self) -> str:
        out = ["<sheetData>"]
        append = out.append
        letters = _LETTERS
        for r in sorted(set(self.rows) | set(self.heights)):
            height = self.heights.get(r)
            append(f'<row r="{r}" ht="{height:g}" customHeight="1">' if height is not None else f'<row r="{r}">')
            cells = self.rows.get(r)
            if cells:
                for c in sorted(cells):
                    value, xf = cells[c]
                    ref = f"{letters[c] if c < len(letters) else column_letter(c)}{r}"
                    if value is None or value == "":
                        append(f'<c r="{ref}" s="{xf}"/>')
                    elif value.__class__ is str:
                        space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
                        if "&" in value or "<" in value or ">" in value:
                            value = escape(value, _TEXT)
                        append(f'<c r="{ref}" s="{xf}" t="inlineStr"><is><t{space}>{value}</t></is></c>')
                    else:
                        append(f'<c r="{ref}" s="{xf}"><v>{int(value)}</v></c>')
            append("</row>")
        append("</sheetData>")
        return "".join(out)

    def _footer(self) -> str:
        footer = ""
        if self.footer_center:
            footer += "&C" + self.footer_center
        if self.footer_right:
            size = f"&{self.footer_right_size} " if self.footer_right_size else ""
            footer += "&R" + size + self.footer_right.replace("&", "&&")
        return f"<headerFooter><oddFooter>{attr_xml(footer)}</oddFooter></headerFooter>" if footer else ""

    def xml(self, page: str) -> str:
        validations = (f'<dataValidations count="{len(self.validations)}">'
                       f'{"".join(v.xml() for v in self.validations)}</dataValidations>') if self.validations else ""
        return "".join((
            f'{XML_DECL}<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">',
            '<sheetPr><outlinePr summaryBelow="1" summaryRight="1"/><pageSetUpPr fitToPage="1"/></sheetPr>',
            f'<dimension ref="{self._dimension()}"/>', self._view(),
            '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>', self._cols(), self._data(),
            SHEET_PROTECTION if self.protected else "", validations, page, self._footer(), "</worksheet>"))


# ---------------------------------------------------------------- package

A4_LANDSCAPE_FITTED = ('<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
                       '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>')
CT = "application/vnd.openxmlformats-officedocument."


def quoted_sheet(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


@dataclass
class Workbook:
    styles: Styles = field(default_factory=Styles)
    sheets: list[Sheet] = field(default_factory=list)
    title: str = ""
    author: str = ""
    created: str = "1980-01-01"  # ISO date, from the caller: never the clock
    custom: tuple[tuple[str, str], ...] = ()
    page: str = A4_LANDSCAPE_FITTED

    def add_sheet(self, title: str) -> Sheet:
        sheet = Sheet(title, self.styles)
        self.sheets.append(sheet)
        return sheet

    def _workbook_xml(self) -> str:
        sheets = "".join(f'<sheet name="{attr_xml(s.title)}" sheetId="{n}" r:id="rId{n}"/>'
                         for n, s in enumerate(self.sheets, start=1))
        names = "".join(f'<definedName name="_xlnm.Print_Titles" localSheetId="{n}">'
                        f"{text_xml(quoted_sheet(s.title))}!${s.print_title_row}:${s.print_title_row}</definedName>"
                        for n, s in enumerate(self.sheets) if s.print_title_row)
        return (f'{XML_DECL}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><workbookPr/>'
                '<bookViews><workbookView activeTab="0"/></bookViews>'
                f"<sheets>{sheets}</sheets>{f'<definedNames>{names}</definedNames>' if names else ''}"
                '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')

    def _content_types(self) -> str:
        sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{CT}spreadsheetml.worksheet+xml"/>'
                         for n in range(1, len(self.sheets) + 1))
        return (f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{CT}spreadsheetml.sheet.main+xml"/>'
                f'{sheets}<Override PartName="/xl/styles.xml" ContentType="{CT}spreadsheetml.styles+xml"/>'
                '<Override PartName="/docProps/core.xml" '
                'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                f'<Override PartName="/docProps/app.xml" ContentType="{CT}extended-properties+xml"/>'
                f'<Override PartName="/docProps/custom.xml" ContentType="{CT}custom-properties+xml"/></Types>')

    def _rels(self) -> tuple[str, str]:
        od = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        package = (f'{XML_DECL}<Relationships xmlns="{PKG_REL_NS}">'
                   f'<Relationship Id="rId1" Type="{od}/officeDocument" Target="xl/workbook.xml"/>'
                   '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
                   'metadata/core-properties" Target="docProps/core.xml"/>'
                   f'<Relationship Id="rId3" Type="{od}/extended-properties" Target="docProps/app.xml"/>'
                   f'<Relationship Id="rId4" Type="{od}/custom-properties" Target="docProps/custom.xml"/>'
                   "</Relationships>")
        n = len(self.sheets)
        workbook = (f'{XML_DECL}<Relationships xmlns="{PKG_REL_NS}">'
                    + "".join(f'<Relationship Id="rId{k}" Type="{od}/worksheet" Target="worksheets/sheet{k}.xml"/>'
                              for k in range(1, n + 1))
                    + f'<Relationship Id="rId{n + 1}" Type="{od}/styles" Target="styles.xml"/></Relationships>')
        return package, workbook

    def _core(self) -> str:
        when = date.fromisoformat(self.created).isoformat() + "T00:00:00Z"
        author = attr_xml(self.author)
        return (f'{XML_DECL}<cp:coreProperties '
                'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
                'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                f"<dc:title>{attr_xml(self.title)}</dc:title><dc:creator>{author}</dc:creator>"
                f"<cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
                f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
                f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified></cp:coreProperties>')

    def _custom(self) -> str:
        body = "".join(
            f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name="{attr_xml(name)}">'
            f"<vt:lpwstr>{attr_xml(value)}</vt:lpwstr></property>"
            for pid, (name, value) in enumerate(self.custom, start=2))  # pid 0 and 1 are reserved
        return (f'{XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
                f'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{body}</Properties>')

    def to_bytes(self) -> bytes:
        package_rels, workbook_rels = self._rels()
        app = (f'{XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
               "<Application>itaku</Application><DocSecurity>0</DocSecurity></Properties>")
        parts = [("[Content_Types].xml", self._content_types()), ("_rels/.rels", package_rels),
                 ("docProps/app.xml", app), ("docProps/core.xml", self._core()), ("docProps/custom.xml", self._custom()),
                 ("xl/_rels/workbook.xml.rels", workbook_rels), ("xl/styles.xml", self.styles.xml()),
                 ("xl/workbook.xml", self._workbook_xml())]
        parts += [(f"xl/worksheets/sheet{n}.xml", s.xml(self.page)) for n, s in enumerate(self.sheets, start=1)]
        return deterministic_zip([(name, text.encode("utf-8")) for name, text in parts])


__all__ = ["Alignment", "Font", "ListValidation", "Sheet", "Style", "Styles", "Workbook", "column_letter"]
