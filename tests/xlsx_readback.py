"""What openpyxl reads from a workbook, as plain data: two writers are compared through it.

Everything a reader or a printer sees: sheets, cell values and types, the styles
that show (font, fill, border, wrap and alignment, number format, quotePrefix,
protection), merged ranges, column widths and hidden columns, row heights, data
validations, frozen panes, print titles and areas, page setup and margins,
footers, sheet protection, and the document properties.
"""
from __future__ import annotations

import io
from typing import Any

import openpyxl


def _color(c: Any) -> Any:
    return None if c is None else (c.type, c.rgb if c.type == "rgb" else c.value, c.tint)


def _side(s: Any) -> Any:
    return (s.style, _color(s.color)) if s is not None and s.style else None


def _style(cell: Any) -> tuple:
    f, a, b, fill, p = cell.font, cell.alignment, cell.border, cell.fill, cell.protection
    font = (f.name, f.sz, bool(f.b), bool(f.i), f.u, f.charset, _color(f.color) if f.color is not None and
            f.color.type == "rgb" else None)
    align = (a.horizontal, a.vertical, bool(a.wrap_text), bool(a.shrink_to_fit), a.indent or 0, a.textRotation or 0)
    border = tuple(_side(getattr(b, side)) for side in ("left", "right", "top", "bottom", "diagonal"))
    pattern = (fill.fill_type, _color(fill.fgColor) if fill.fill_type else None)
    return (font, align, border, pattern, cell.number_format, bool(cell.quotePrefix), bool(p.locked), bool(p.hidden))


def _dv(dv: Any) -> tuple:
    return (str(dv.sqref), dv.type, dv.formula1, dv.formula2, bool(dv.allow_blank), bool(dv.showErrorMessage),
            bool(dv.showInputMessage), dv.errorTitle, dv.error, dv.promptTitle, dv.prompt, dv.errorStyle, dv.operator,
            bool(dv.showDropDown))


def _footer(hf: Any) -> tuple:
    return tuple((part, getattr(hf, part).text, getattr(hf, part).size, getattr(hf, part).font)
                 for part in ("left", "center", "right"))


def _sheet(ws: Any) -> dict[str, Any]:
    cells = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None and not cell.has_style:
                continue
            cells[cell.coordinate] = (cell.value, cell.data_type, _style(cell))
    widths = {}
    for letter, dim in ws.column_dimensions.items():
        for n in range(dim.min or 0, (dim.max or 0) + 1):
            widths[openpyxl.utils.get_column_letter(n)] = (dim.width if dim.customWidth else None, bool(dim.hidden))
    heights = {r: d.height for r, d in ws.row_dimensions.items() if d.height is not None}
    ps, pm, prot = ws.page_setup, ws.page_margins, ws.protection
    return {
        "title": ws.title, "cells": cells, "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "columns": {k: v for k, v in widths.items() if v != (None, False)}, "heights": heights,
        "validations": [_dv(dv) for dv in ws.data_validations.dataValidation],
        "freeze": ws.freeze_panes, "print_titles": (ws.print_title_rows, ws.print_title_cols),
        "print_area": ws.print_area,
        "page": (ps.orientation, ps.paperSize, ps.fitToWidth, ps.fitToHeight, ps.scale,
                 bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage)),
        "margins": (pm.left, pm.right, pm.top, pm.bottom, pm.header, pm.footer),
        "footer": (_footer(ws.oddFooter), _footer(ws.oddHeader)),
        "protection": (bool(prot.sheet), prot.password, *(bool(getattr(prot, k)) for k in (
            "objects", "scenarios", "formatCells", "formatRows", "formatColumns", "insertColumns", "insertRows",
            "insertHyperlinks", "deleteColumns", "deleteRows", "selectLockedCells", "selectUnlockedCells", "sort",
            "autoFilter", "pivotTables"))),
        "state": ws.sheet_state,
    }


def read_back(data: bytes) -> dict[str, Any]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    p = wb.properties
    return {
        "sheets": [_sheet(ws) for ws in wb.worksheets],
        "active": wb.active.title,
        "properties": (p.title, p.creator or "", p.lastModifiedBy or "", p.created, p.modified),
        "custom": [(c.name, c.value) for c in wb.custom_doc_props],
    }
