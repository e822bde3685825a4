"""What the contractor's sheets look like: 契約後 header fields, no 方法 before the contract, 対象外 rows."""
from __future__ import annotations

import io

import openpyxl

from itaku.answers import validate
from itaku.checklists import checklist
from itaku.job import build_job
from itaku.model import Corpus
from itaku.render.xlsx import read_checklist, render_checklist


def _sheet(corpus, phase: str, example: str = "paper-office"):
    model = Corpus(corpus)
    raw = next(e for e in model.data["examples"] if e["id"] == example)["answers"]
    sheet = checklist(build_job(model, validate(model, raw)), phase)
    data = render_checklist(sheet)
    return sheet, data, openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]


def _row_of(ws, text: str) -> int:
    return next(c.row for row in ws.iter_rows() for c in row if c.value == text)


def test_after_sheet_has_unlocked_sign_fields(corpus):
    _, _, ws = _sheet(corpus, "after")
    for label in ("点検日", "責任者（職・氏名）", "点検者"):
        cell = ws.cell(row=_row_of(ws, label), column=4)
        assert cell.protection.locked is False, label
    assert ws.protection.sheet


def test_before_sheet_hides_the_method_column(corpus):
    sheet, _, ws = _sheet(corpus, "before")
    assert ws.column_dimensions["G"].hidden
    assert all(r.method == "" for r in sheet.rows)
    _, _, after = _sheet(corpus, "after")
    assert not after.column_dimensions["G"].hidden


def test_items_that_do_not_apply_are_listed_as_excluded_and_never_imported(corpus):
    sheet, data, ws = _sheet(corpus, "before")
    assert sheet.excluded, "a paper job leaves out system clauses"
    title = _row_of(ws, "対象外の項目（この業務では確認しません。理由は備考欄）")
    first = sheet.excluded[0]
    assert ws.cell(row=title + 1, column=4).value == first.question
    assert ws.cell(row=title + 1, column=10).value.startswith("対象外：")
    assert ws.cell(row=title + 1, column=1).value is None
    imported = read_checklist(data)["rows"]
    assert set(imported) == {r.item_id for r in sheet.rows}
