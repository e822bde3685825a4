"""The openpyxl writer the kit used before ``itaku.render.sheetml`` (kept for tests only).

Tests render the same sheets with both writers and compare what openpyxl reads back
(values, styles, dimensions, validations, page setup, protection): the product's
writer must keep the workbooks' content and appearance. Copied from
src/itaku/render/xlsx.py and register_xlsx.py as they were before the change.
"""
from __future__ import annotations

import hashlib
import json
import math
import unicodedata
import zipfile
from copy import copy
from datetime import date, datetime, time
from io import BytesIO
from typing import Any, Mapping, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from itaku.document import STATUSES, ChecklistRow, ChecklistSheet
from itaku.render.register_xlsx import HEADER_ROW, stamp, views
from itaku.render.xlsx import (ANSWERS, EXCEL_MAX_CHARS, EXPLANATION_SHEET, FIRST_ANSWER_COL, HEADERS, LINE_HEIGHT,
                               MAX_ROW_HEIGHT, SHEET_NAMES, SIGN_FIELDS, STAMP_PROPERTY, WIDTHS, excel_text)
from itaku.render.xmlutil import clean_text, deterministic_zip

FONT = Font(name="BIZ UDゴシック", size=10, charset=128)
BOLD = Font(name="BIZ UDゴシック", size=10, charset=128, bold=True)
TITLE = Font(name="BIZ UDゴシック", size=14, charset=128, bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
HEAD_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E7E6E6")
ANSWER_FILL = PatternFill("solid", fgColor="FFF9E5")  # shows where to write
EXCLUDED_FILL = PatternFill("solid", fgColor="EDEDED")  # 対象外 rows: greyed, read-only
LOCKED = Protection(locked=True)
UNLOCKED = Protection(locked=False)

CENTER = Alignment(horizontal="center", vertical="top")


def put(ws: Worksheet, row: int, col: int, value: str, font: Font = FONT, alignment: Alignment = WRAP,
        border: Border | None = None, protection: Protection = LOCKED, fill: PatternFill | None = None,
        number_format: str | None = None) -> Cell:
    """A string cell that can never become a formula."""
    cell = ws.cell(row=row, column=col)
    text = excel_text(value)
    if text:  # an empty cell stays empty (styled), not an empty inline string
        # Set directly: excel_text already removed every character openpyxl's value setter scans for
        # (a regex per cell, a fifth of the render time), and "s" keeps "=…" text from becoming a formula.
        cell._value = text
        cell.data_type = "s"
    # Setting style attributes one by one re-hashes openpyxl's style tables for every cell
    # (most of the render time); the same combination is prepared once per workbook and copied.
    cache = ws.parent.__dict__.setdefault("_itaku_styles", {})
    key = (id(font), id(alignment), id(border), id(protection), id(fill), number_format)
    prepared = cache.get(key)
    if prepared is None:
        cell.quotePrefix = True
        cell.font, cell.alignment, cell.protection = font, alignment, protection
        if border is not None:
            cell.border = border
        if fill is not None:
            cell.fill = fill
        if number_format is not None:
            cell.number_format = number_format
        cache[key] = copy(cell._style)
    else:
        cell._style = copy(prepared)
    return cell


class _Widths(dict):
    """Display width of a character (full-width 2, else 1), looked up once per character and kept."""

    def __missing__(self, char: str) -> int:
        width = self[char] = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        return width


_WIDTHS = _Widths()


def _text_lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` characters wide (full-width characters count two)."""
    per_line = max(1.0, width - 1)
    return sum(max(1, math.ceil(sum(map(_WIDTHS.__getitem__, line)) / per_line)) for line in text.split("\n"))


def _fit_rows(ws: Worksheet, first: int, last: int, min_lines: int = 1) -> None:
    """Explicit row heights: neither Excel nor LibreOffice grows rows for wrapped text on opening a file."""
    widths: dict[str, float] = {}
    for row, cells in enumerate(ws.iter_rows(min_row=first, max_row=last), start=first):
        lines = min_lines
        for cell in cells:
            if isinstance(cell.value, str) and cell.alignment.wrap_text:
                letter = cell.column_letter
                if letter not in widths:
                    widths[letter] = ws.column_dimensions[letter].width or 8.43
                lines = max(lines, _text_lines(cell.value, widths[letter]))
        ws.row_dimensions[row].height = min(MAX_ROW_HEIGHT, round(lines * LINE_HEIGHT + 4, 1))


def _print_setup(ws: Worksheet, title_row: int, footer: str = "") -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.print_title_rows = f"{title_row}:{title_row}"
    ws.oddFooter.center.text = "&P / &N"
    if footer:  # the version mark: small, beside the page number, never in the sheet's body
        ws.oddFooter.right.text = excel_text(footer).replace("&", "&&")
        ws.oddFooter.right.size = 7


def _protect(ws: Worksheet) -> None:
    ws.protection.sheet = True  # no password: a guard against accidents, not a secret
    ws.protection.formatRows = False  # allowed: answers may need taller rows
    ws.protection.formatColumns = False


def _header_row(ws: Worksheet, row: int, headers: tuple[str, ...]) -> None:
    for col, text in enumerate(headers, start=1):
        put(ws, row, col, text, BOLD, HEAD_ALIGN, BOX, fill=HEAD_FILL)


def _item_row(ws: Worksheet, row: int, item: ChecklistRow) -> None:
    fixed = (item.item_id, item.number, item.group, item.question, item.evidence, item.answered_by, item.method)
    for col, text in enumerate(fixed, start=1):
        put(ws, row, col, text, border=BOX)
    for col, field in enumerate(ANSWERS, start=FIRST_ANSWER_COL):
        put(ws, row, col, getattr(item, field), border=BOX, protection=UNLOCKED, fill=ANSWER_FILL, number_format="@")


def _checklist_sheet(ws: Worksheet, sheet: ChecklistSheet) -> None:
    ws.title = SHEET_NAMES.get(sheet.phase, "確認表")
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[chr(64 + col)].width = width
    ws.column_dimensions["A"].hidden = True
    put(ws, 1, 2, sheet.title, TITLE, Alignment(vertical="center"))
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
        ws.column_dimensions["G"].hidden = True
    for n, item in enumerate(sheet.rows, start=header + 1):
        _item_row(ws, n, item)
    last = header + len(sheet.rows)
    _fit_rows(ws, 2, header)
    _fit_rows(ws, header + 1, last, min_lines=2)  # room to write an answer
    if sheet.excluded:
        _excluded_rows(ws, last + 2, sheet)
    ws.row_dimensions[1].height = 24
    if sheet.rows:
        dv = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="状況の値",
                            error="状況は「" + "」「".join(STATUSES) + "」から選んでください。",
                            showInputMessage=True, promptTitle="状況", prompt="一覧から選んでください。")
        dv.add(f"H{header + 1}:H{last}")
        ws.add_data_validation(dv)
    ws.freeze_panes = f"D{header + 1}"
    _print_setup(ws, header, sheet.footer)
    _protect(ws)


def _excluded_rows(ws: Worksheet, row: int, sheet: ChecklistSheet) -> None:
    """Closing section: items of clauses not adopted (or not applicable), greyed, with the reason.

    Column A (項目ID) stays empty so that an imported workbook never reads them as answers."""
    put(ws, row, 3, "対象外の項目（この業務では確認しません。理由は備考欄）", BOLD)
    for n, item in enumerate(sheet.excluded, start=row + 1):  # only the cells a reader needs: rendering cost
        for col, text in ((2, item.number), (3, item.group), (4, item.question), (8, item.status), (10, item.note)):
            put(ws, n, col, text, border=BOX, fill=EXCLUDED_FILL)
    _fit_rows(ws, row + 1, row + len(sheet.excluded))


def _explanation_sheet(ws: Worksheet, sheet: ChecklistSheet) -> None:
    for col, width in zip("ABC", (6, 50, 70)):
        ws.column_dimensions[col].width = width
    _header_row(ws, 1, ("No.", "確認事項", "解説"))
    for n, item in enumerate(sheet.rows, start=2):
        for col, text in enumerate((item.number, item.question, item.explanation), start=1):
            put(ws, n, col, text, border=BOX)
    _fit_rows(ws, 1, len(sheet.rows) + 1)
    ws.freeze_panes = "A2"
    _print_setup(ws, 1)
    _protect(ws)


def _set_properties(wb: Workbook, sheet: ChecklistSheet) -> None:
    when = datetime.combine(date.fromisoformat(sheet.created), time())  # midnight UTC; never the clock
    props = wb.properties
    props.title = clean_text(sheet.title)
    props.creator = props.lastModifiedBy = clean_text(sheet.author)
    props.created = props.modified = when
    wb.custom_doc_props.append(StringProperty(name=STAMP_PROPERTY, value=clean_text(sheet.stamp)))


def legacy_checklist(sheet: ChecklistSheet) -> bytes:
    """The checklist workbook; identical sheets give identical bytes."""
    wb = Workbook()
    _checklist_sheet(wb.active, sheet)
    _explanation_sheet(wb.create_sheet(EXPLANATION_SHEET), sheet)
    _set_properties(wb, sheet)
    raw = BytesIO()
    # ExcelWriter directly: Workbook.save() would stamp the clock into docProps/core.xml.
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED)).save()  # compressed once, below
    with zipfile.ZipFile(raw) as z:
        names = sorted(z.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        entries = [(name, z.read(name)) for name in names]
    return deterministic_zip(entries)  # openpyxl dates zip entries with the clock


def _number(ws: Worksheet, row: int, col: int, value: int) -> None:
    """A number cell; its style is prepared once per workbook (setting it per cell is slow in openpyxl)."""
    cell = ws.cell(row=row, column=col, value=value)
    cache = ws.parent.__dict__.setdefault("_itaku_number_style", {})
    if "style" not in cache:
        cell.font, cell.border, cell.alignment = FONT, BOX, CENTER
        cache["style"] = copy(cell._style)
    else:
        cell._style = copy(cache["style"])


def _sheet(ws: Worksheet, title: str, subtitle: str, headers: Sequence[str], widths: Sequence[int],
           rows: Sequence[Sequence[Cell]]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    put(ws, 1, 1, title, TITLE, Alignment(vertical="center"))
    put(ws, 2, 1, subtitle)
    _header_row(ws, HEADER_ROW, tuple(headers))
    for n, values in enumerate(rows, start=HEADER_ROW + 1):
        for col, value in enumerate(values, start=1):
            if isinstance(value, int):
                _number(ws, n, col, value)
            else:
                put(ws, n, col, value, border=BOX)
    if not rows:
        put(ws, HEADER_ROW + 1, 1, "該当なし")
    ws.row_dimensions[1].height = 24
    _fit_rows(ws, HEADER_ROW, HEADER_ROW + max(1, len(rows)))
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    _print_setup(ws, HEADER_ROW)


def legacy_register(tab: Mapping[str, Any]) -> bytes:
    """The register workbook; the same records and 基準日 give the same bytes."""
    wb = Workbook()
    subtitle = f"基準日 {tab['as_of']}　業務 {len(tab['rows'])} 件　コーパス {tab['corpus_version']}"
    for n, (name, title, headers, widths, rows) in enumerate(views(tab)):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = name
        _sheet(ws, title, subtitle, headers, widths, rows)
    props = wb.properties
    props.title = "委託台帳"
    props.creator = props.lastModifiedBy = ""
    props.created = props.modified = datetime.combine(date.fromisoformat(tab["as_of"]), time())
    wb.custom_doc_props.append(StringProperty(name=STAMP_PROPERTY, value=clean_text(stamp(tab))))
    raw = BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED)).save()  # Workbook.save() stamps the clock
    with zipfile.ZipFile(raw) as z:
        names = sorted(z.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        entries = [(name, z.read(name)) for name in names]
    return deterministic_zip(entries)


