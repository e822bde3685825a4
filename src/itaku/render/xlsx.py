"""Checklist workbooks (.xlsx): written by ``itaku.render.sheetml``, read back with openpyxl.

Layout of sheet 1 (named after the phase): title, meta rows, instructions, a
header row, one row per item. Column A holds the item id (hidden, locked): an
imported workbook is matched by id, never by row position. Answer columns H-M
are unlocked (H-M); the sheet is protected without a password.

Every string is written as a string cell with ``quotePrefix`` (so ``=``, ``+``,
``-``, ``@`` never turn into formulas), and empty answer cells are formatted as
text (``@``) so what a contractor types stays text too.

openpyxl is imported only to read a workbook back (``read_checklist``):
generating a job's files does not load it.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
import warnings
import zipfile
from datetime import date, datetime, time
from io import BytesIO
from typing import TYPE_CHECKING, Any, Iterable

from itaku.document import STATUSES, ChecklistRow, ChecklistSheet
from itaku.render.sheetml import Alignment, Font, ListValidation, Sheet, Style, Workbook
from itaku.render.xmlutil import clean_text

if TYPE_CHECKING:
    from openpyxl import Workbook as OpenpyxlWorkbook
    from openpyxl.worksheet.worksheet import Worksheet

STAMP_PROPERTY = "itaku-stamp"
SHEET_NAMES = {"before": "契約前", "after": "契約後", "selection": "選定", "record": "記録"}
EXPLANATION_SHEET = "項目解説"
ID_HEADER = "項目ID"
HEADERS = (ID_HEADER, "No.", "条項", "確認事項", "確認する資料", "回答者", "方法",
           "状況", "確認した資料・根拠", "備考（不適合は改善の内容）", "改善期限", "確認日", "確認者")
WIDTHS = (14, 5, 18, 44, 20, 8, 6, 10, 24, 26, 11, 11, 10)
ANSWERS = ("status", "evidence_seen", "note", "due", "checked_on", "checker")  # columns H..M
# Workbooks made before the 改善期限 column existed (columns H..L) are still read.
LEGACY_ANSWER_HEADERS = ("状況", "確認した資料・根拠", "備考（改善内容・期限）", "確認日", "確認者")
LEGACY_ANSWERS = ("status", "evidence_seen", "note", "checked_on", "checker")
FIRST_ANSWER_COL = 8
EXCEL_MAX_CHARS = 32767  # longest text a cell may hold (UTF-16 units)
LINE_HEIGHT = 14.5  # points per line of 10 pt text, with room for wider CJK fallback fonts
MAX_ROW_HEIGHT = 409  # Excel's limit, points
DEFAULT_WIDTH = 13  # a column without a width of its own (as openpyxl reported it)

MAX_BYTES = 10_000_000
MAX_UNCOMPRESSED = 60_000_000  # zip bombs: openpyxl would inflate everything
MAX_ENTRIES = 2000
MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 100

FONT = Font("BIZ UDゴシック", 10, charset=128)
BOLD = Font("BIZ UDゴシック", 10, bold=True, charset=128)
TITLE = Font("BIZ UDゴシック", 14, bold=True, charset=128)
WRAP = Alignment(wrap_text=True, vertical="top")
HEAD_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
TITLE_ALIGN = Alignment(vertical="center")
BOX = "808080"  # thin grey lines all round a cell
HEAD_FILL = "E7E6E6"
ANSWER_FILL = "FFF9E5"  # shows where to write
EXCLUDED_FILL = "EDEDED"  # 対象外 rows: greyed, read-only
# The 契約前 and 契約後 sheets record who checked and when, once for the sheet (unlocked cells beside the labels).
SIGN = ("点検日", "責任者（職・氏名）", "点検者")
SIGN_FIELDS = {"before": SIGN, "after": SIGN}
LOCKED = True
UNLOCKED = False
PAGE_NUMBER = "&P / &N"

_X_CONTROL = re.compile(r"_x(00[01][0-9A-Fa-f])_")


class ChecklistImportError(ValueError):
    """A workbook that cannot be imported; the message (Japanese) is shown to the user."""


# ---------------------------------------------------------------- writing

def excel_text(text: str) -> str:
    """Text as a cell can hold it: XML-illegal characters → U+FFFD, line ends as LF, length capped.

    ``_xHHHH_`` sequences are left alone: inline strings are written without escaping
    them (as openpyxl wrote them), and escaping would not survive openpyxl's own reader.
    """
    # A bare CR would come back as LF (XML parsers normalise line ends): write line ends as LF.
    text = clean_text(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > EXCEL_MAX_CHARS // 2:  # shorter text has fewer UTF-16 units than the limit: not encoded
        units = text.encode("utf-16-le")
        if len(units) > 2 * EXCEL_MAX_CHARS:  # Excel refuses longer cells; "ignore" drops a split surrogate pair
            text = units[: 2 * EXCEL_MAX_CHARS].decode("utf-16-le", "ignore")
    return text


def _xf(ws: Sheet, font: Font = FONT, alignment: Alignment = WRAP, border: str | None = None,
        protection: bool = LOCKED, fill: str | None = None, number_format: str | None = None) -> int:
    """The cell format of these style arguments, looked up once per workbook (by identity: the constants above)."""
    cache = ws.styles.__dict__.setdefault("_by_arguments", {})
    key = (id(font), id(alignment), border, protection, fill, number_format)
    found = cache.get(key)
    if found is None:  # the objects are kept with the index: their ids cannot be reused while cached
        found = cache[key] = (ws.styles.id(Style(font, alignment, border, fill, locked=protection,
                                                 text_format=number_format == "@", quote_prefix=True)), font, alignment)
    return found[0]


def _cells(ws: Sheet, row: int, values: Iterable[tuple[int, str]], xf: int) -> None:
    """Several string cells of one row in one format: ``put`` without its lookups per cell."""
    cells = ws.rows.setdefault(row, {})
    for col, text in values:
        cells[col] = (excel_text(text) or None, xf)


def put(ws: Sheet, row: int, col: int, value: str, font: Font = FONT, alignment: Alignment = WRAP,
        border: str | None = None, protection: bool = LOCKED, fill: str | None = None,
        number_format: str | None = None) -> None:
    """A string cell that can never become a formula (``quotePrefix``); an empty one stays empty, styled."""
    ws.set(row, col, excel_text(value) or None, _xf(ws, font, alignment, border, protection, fill, number_format))


class _Widths(dict):
    """Display width of a character (full-width 2, else 1), looked up once per character and kept."""

    def __missing__(self, char: str) -> int:
        width = self[char] = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        return width


_WIDTHS = _Widths()


_LINE_WIDTHS: dict[str, tuple[int, ...]] = {}  # text → display width of each line (texts recur: kept)


def _line_widths(text: str) -> tuple[int, ...]:
    found = _LINE_WIDTHS.get(text)
    if found is None:
        if len(_LINE_WIDTHS) > 50_000:  # bounded: a long session never grows without end
            _LINE_WIDTHS.clear()
        found = _LINE_WIDTHS[text] = tuple(sum(map(_WIDTHS.__getitem__, line)) for line in text.split("\n"))
    return found


def _text_lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` characters wide (full-width characters count two)."""
    per_line = max(1.0, width - 1)
    return sum(max(1, math.ceil(w / per_line)) for w in _line_widths(text))


_LINES: dict[tuple[str, float], int] = {}  # (text, column width) → lines: the same item texts recur


def _cached_lines(text: str, width: float) -> int:
    key = (text, width)
    found = _LINES.get(key)
    if found is None:
        if len(_LINES) > 50_000:
            _LINES.clear()
        found = _LINES[key] = _text_lines(text, width)
    return found


def _fit_rows(ws: Sheet, first: int, last: int, min_lines: int = 1) -> None:
    """Explicit row heights: neither Excel nor LibreOffice grows rows for wrapped text on opening a file."""
    wraps, widths = ws.styles.wraps, ws.widths
    for row in range(first, last + 1):
        lines = min_lines
        for col, (value, xf) in ws.rows.get(row, {}).items():
            if isinstance(value, str) and wraps[xf]:
                width = widths.get(col) or DEFAULT_WIDTH
                if 2 * len(value) <= max(1.0, width - 1) and "\n" not in value:
                    continue  # one line even if every character is full-width: cannot raise ``lines``
                found = _cached_lines(value, width)
                if found > lines:
                    lines = found
        ws.heights[row] = min(MAX_ROW_HEIGHT, round(lines * LINE_HEIGHT + 4, 1))


def _print_setup(ws: Sheet, title_row: int, footer: str = "") -> None:
    """A4 landscape, fitted to the width, the header row on every page (the page itself: ``sheetml``)."""
    ws.print_title_row = title_row
    ws.footer_center = PAGE_NUMBER
    if footer:  # the version mark: small, beside the page number, never in the sheet's body
        ws.footer_right = excel_text(footer)
        ws.footer_right_size = 7


def _protect(ws: Sheet) -> None:
    ws.protected = True  # no password: a guard against accidents, not a secret; row and column formats allowed


def _header_row(ws: Sheet, row: int, headers: tuple[str, ...]) -> None:
    for col, text in enumerate(headers, start=1):
        put(ws, row, col, text, BOLD, HEAD_ALIGN, BOX, fill=HEAD_FILL)


def _item_row(ws: Sheet, row: int, item: ChecklistRow) -> None:
    """One item: ``put`` spelled out (a job has thousands of these cells)."""
    fixed = (item.item_id, item.number, item.group, item.question, item.evidence, item.answered_by, item.method)
    _cells(ws, row, enumerate(fixed, start=1), _xf(ws, border=BOX))
    _cells(ws, row, ((col, getattr(item, field)) for col, field in enumerate(ANSWERS, start=FIRST_ANSWER_COL)),
           _xf(ws, border=BOX, protection=UNLOCKED, fill=ANSWER_FILL, number_format="@"))


def _checklist_sheet(ws: Sheet, sheet: ChecklistSheet) -> None:
    for col, width in enumerate(WIDTHS, start=1):
        ws.widths[col] = width
    ws.hidden_columns.add(1)
    put(ws, 1, 2, sheet.title, TITLE, TITLE_ALIGN)
    row = 2
    for label, value in sheet.meta:
        put(ws, row, 3, label, BOLD)
        if label in sheet.open_meta:  # written by each bidder (no contractor named yet)
            put(ws, row, 4, value, border=BOX, protection=UNLOCKED, fill=ANSWER_FILL, number_format="@")
        else:
            put(ws, row, 4, value)
        row += 1
    for label in SIGN_FIELDS.get(sheet.phase, ()):
        put(ws, row, 3, label, BOLD)
        put(ws, row, 4, "", border=BOX, protection=UNLOCKED, fill=ANSWER_FILL, number_format="@")
        row += 1
    for n, line in enumerate(sheet.instructions):
        if n == 0:
            put(ws, row, 3, "記入方法", BOLD)
        put(ws, row, 4, line)
        row += 1
    header = row + 1
    _header_row(ws, header, HEADERS)
    if sheet.phase != "after":  # how a 契約後 check is verified (書面/実地); meaningless before the contract
        ws.hidden_columns.add(7)
    for n, item in enumerate(sheet.rows, start=header + 1):
        _item_row(ws, n, item)
    last = header + len(sheet.rows)
    _fit_rows(ws, 2, header)
    _fit_rows(ws, header + 1, last, min_lines=2)  # room to write an answer
    if sheet.excluded:
        _excluded_rows(ws, last + 2, sheet)
    ws.heights[1] = 24
    if sheet.rows:
        ws.validations.append(ListValidation(
            f"H{header + 1}:H{last}", STATUSES, error_title="状況の値",
            error="状況は「" + "」「".join(STATUSES) + "」から選んでください。",
            prompt_title="状況", prompt="一覧から選んでください。"))
    ws.freeze = f"D{header + 1}"
    _print_setup(ws, header, sheet.footer)
    _protect(ws)


def _excluded_rows(ws: Sheet, row: int, sheet: ChecklistSheet) -> None:
    """Closing section: items of clauses not adopted (or not applicable), greyed, with the reason.

    Column A (項目ID) stays empty so that an imported workbook never reads them as answers."""
    put(ws, row, 3, "対象外の項目（この業務では確認しません。理由は備考欄）", BOLD)
    xf = _xf(ws, border=BOX, fill=EXCLUDED_FILL)
    for n, item in enumerate(sheet.excluded, start=row + 1):  # only the cells a reader needs
        _cells(ws, n, ((2, item.number), (3, item.group), (4, item.question), (8, item.status), (10, item.note)), xf)
    _fit_rows(ws, row + 1, row + len(sheet.excluded))


def _explanation_sheet(ws: Sheet, sheet: ChecklistSheet) -> None:
    for col, width in enumerate((6, 50, 70), start=1):
        ws.widths[col] = width
    _header_row(ws, 1, ("No.", "確認事項", "解説"))
    xf = _xf(ws, border=BOX)
    for n, item in enumerate(sheet.rows, start=2):
        _cells(ws, n, enumerate((item.number, item.question, item.explanation), start=1), xf)
    _fit_rows(ws, 1, len(sheet.rows) + 1)
    ws.freeze = "A2"
    _print_setup(ws, 1)
    _protect(ws)


def render_checklist(sheet: ChecklistSheet) -> bytes:
    """The checklist workbook; identical sheets give identical bytes (dates from the sheet, never the clock)."""
    wb = Workbook(title=clean_text(sheet.title), author=clean_text(sheet.author),
                  created=date.fromisoformat(sheet.created).isoformat(),
                  custom=((STAMP_PROPERTY, clean_text(sheet.stamp)),))
    _checklist_sheet(wb.add_sheet(SHEET_NAMES.get(sheet.phase, "確認表")), sheet)
    _explanation_sheet(wb.add_sheet(EXPLANATION_SHEET), sheet)
    return wb.to_bytes()


# ---------------------------------------------------------------- reading

NOT_EXCEL = "Excel ファイルとして読めません。.xlsx 形式で保存したファイルを選んでください。"
NOT_OURS = ("この Excel ファイルは本キットの遵守確認表ではありません（項目ID の列と見出し行が見つかりません）。"
            "本キットで作った確認表に記入したファイルを選んでください。")


def _cell_text(value: Any) -> str:
    """A cell value as the text the user typed; dates as ISO strings."""
    if value is None:
        return ""
    if isinstance(value, str):
        # Excel writes control characters as _x0001_; decode them so they can be replaced below.
        return clean_text(_X_CONTROL.sub(lambda m: chr(int(m.group(1), 16)), value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return clean_text(str(value))


def _check_archive(data: bytes) -> None:
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise ChecklistImportError("パスワード付きのファイルや古い形式（.xls）のファイルは読めません。"
                                   "パスワードを外し、.xlsx 形式で保存し直してください。")
    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            infos = z.infolist()
    except Exception:
        raise ChecklistImportError(NOT_EXCEL) from None
    if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_UNCOMPRESSED:
        raise ChecklistImportError("ファイルの中身が大きすぎます。本キットの確認表を選んでください。")
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise ChecklistImportError(NOT_EXCEL)


def _find_header(ws: Worksheet) -> tuple[int, tuple[str, ...]] | None:
    """The header row and the answer fields of its columns H.. (current or legacy layout)."""
    for row in range(1, min(ws.max_row, HEADER_SEARCH_ROWS) + 1):
        cells = [_cell_text(ws.cell(row=row, column=col).value).strip() for col in range(1, len(HEADERS) + 1)]
        if cells[0] != ID_HEADER:
            continue
        answer_cells = tuple(cells[FIRST_ANSWER_COL - 1:])
        if answer_cells == HEADERS[FIRST_ANSWER_COL - 1:]:
            return row, ANSWERS
        if answer_cells[:len(LEGACY_ANSWER_HEADERS)] == LEGACY_ANSWER_HEADERS:
            return row, LEGACY_ANSWERS
    return None


def _stamp(wb: OpenpyxlWorkbook) -> str | None:
    for prop in wb.custom_doc_props:
        if prop.name == STAMP_PROPERTY and isinstance(prop.value, str):
            return prop.value
    return None


def _phase(title: str, stamp: str | None) -> str:
    for phase, name in SHEET_NAMES.items():
        if title == name:
            return phase
    try:
        found = json.loads(stamp or "").get("phase")
    except (ValueError, AttributeError):
        return ""
    return found if isinstance(found, str) else ""


def _read(wb: OpenpyxlWorkbook) -> dict[str, Any]:
    for ws in wb.worksheets:
        found = _find_header(ws)
        if found is not None:
            header, fields = found
            break
    else:
        raise ChecklistImportError(NOT_OURS)
    if ws.max_row - header > MAX_ROWS:
        raise ChecklistImportError(f"行が多すぎます（{MAX_ROWS} 行まで）。本キットの確認表を選んでください。")
    rows: dict[str, dict[str, str]] = {}
    for r in range(header + 1, ws.max_row + 1):
        item_id = _cell_text(ws.cell(row=r, column=1).value).strip()
        if not item_id:
            continue
        if item_id in rows:
            raise ChecklistImportError(f"項目ID「{item_id[:40]}」が二つの行にあります。行を複製せずに記入してください。")
        answers = dict.fromkeys(ANSWERS, "")
        answers.update({field: _cell_text(ws.cell(row=r, column=col).value)
                        for col, field in enumerate(fields, start=FIRST_ANSWER_COL)})
        # Kept as typed: itaku.checks reads 「はい」「いいえ」 and refuses other words by name (never 未回答).
        answers["status"] = answers["status"].strip()
        rows[item_id] = answers
    stamp = _stamp(wb)
    return {"stamp": stamp, "phase": _phase(ws.title, stamp), "rows": rows}


def read_checklist(data: bytes | bytearray | memoryview) -> dict[str, Any]:
    """Answers from a filled checklist: ``{"stamp", "phase", "rows": {item_id: answers}}``.

    The file is untrusted: sizes are capped, nothing is evaluated (cached values
    only) and every failure becomes a ``ChecklistImportError`` in Japanese.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):  # Pyodide may hand over a memoryview
        raise ChecklistImportError(NOT_EXCEL)
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise ChecklistImportError(f"ファイルが大きすぎます（{MAX_BYTES // 1_000_000}MB まで）。")
    _check_archive(data)
    from openpyxl import load_workbook  # only here: generating files never loads openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # hostile files make openpyxl warn; the outcome is what matters
            wb = load_workbook(BytesIO(data), read_only=False, data_only=True, keep_vba=False, keep_links=False)
            return _read(wb)
    except ChecklistImportError:
        raise
    except Exception:
        raise ChecklistImportError(NOT_EXCEL) from None


__all__ = ["ChecklistImportError", "read_checklist", "render_checklist", "excel_text"]
