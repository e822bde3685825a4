"""What the contractor's sheets look like: 契約後 header fields, no 方法 before the contract, 対象外 rows."""
from __future__ import annotations

import io

import openpyxl

from itaku.answers import validate
from itaku.checklists import checklist
from itaku.document import AT_END, asked_at_end
from itaku.job import build_job
from itaku.model import Corpus
from itaku.onsite import onsite_checks, onsite_rows
from itaku.render.check_items import clause_item_html
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


def test_questions_answered_at_the_end_are_marked_on_the_after_sheet_and_page(corpus):
    """The 契約後 sheet serves the self-check soon after the start as well as the end: a question that only the end
    can answer (seen_at: [end], e.g. the 返還・廃棄・消去証明書) says so, on the sheet and on the checklist page, and
    the sheet's instructions say to leave it blank before; the before sheet and the on-site record sheets are unmarked."""
    model = Corpus(corpus)
    sheet, _, ws = _sheet(corpus, "after")
    by_id = {r.item_id: r for r in sheet.rows}
    ends = {i["id"] for i in model.data["items"] if asked_at_end(i)}
    assert {"return-disposal-04", "confidentiality-03"} <= ends
    for item_id, row in by_id.items():
        assert row.question.startswith(AT_END) == (item_id in ends), item_id
    assert any(t.startswith(AT_END) for t in sheet.instructions)
    assert ws.cell(row=_row_of(ws, by_id["return-disposal-04"].question), column=4).value.startswith(AT_END)
    before, _, _ = _sheet(corpus, "before")
    assert not any(AT_END in r.question for r in before.rows) and not any(AT_END in t for t in before.instructions)
    item = next(i for i in model.data["items"] if i["id"] == "return-disposal-04")
    assert AT_END + item["after"] in clause_item_html(item, "after")
    assert AT_END not in clause_item_html(item, "before")
    raw = next(e for e in model.data["examples"] if e["id"] == "paper-office")["answers"]
    job = build_job(model, validate(model, raw))
    assert not any(AT_END in r.question for e in onsite_checks(job) for r in onsite_rows(job, e))
