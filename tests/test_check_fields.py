"""Issue 19, point 1: every answer field of a check keeps its own place through every hop.

Hops: a contractor's workbook → import → the check (page) → record.json → record.xlsx →
job.json → reopened (web.job_scope) → the answers the page shows. Every field of every row
gets a distinct value, so a value landing in another field (改善期限 saved as 確認日, the
check's own date missing from the rows) fails the comparison.
"""
from __future__ import annotations

import io
import json
from datetime import date, timedelta

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itaku import web
from itaku.answers import validate
from itaku.checklists import checklist_rows
from itaku.checks import ANSWER_FIELDS, add_check, import_workbook, record_sheet, sheet_numbers
from itaku.job import build_job
from itaku.model import Corpus
from itaku.outputs import build_outputs
from itaku.render.xlsx import ANSWERS, read_checklist


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


@pytest.fixture(scope="module")
def job_files(model) -> dict[str, bytes]:
    example = next(e for e in model.data["examples"] if e["id"] == "printing")
    return build_outputs(build_job(model, validate(model, example["answers"])))


def distinct_rows(ids: list[str], salt: str = "") -> dict[str, dict[str, str]]:
    """Six distinct values per row, distinct between rows too; dates are real dates."""
    out = {}
    for n, item_id in enumerate(ids):
        out[item_id] = {"status": ("適合", "不適合", "該当なし")[n % 3], "evidence_seen": f"根拠{n}{salt}",
                        "note": f"備考{n}{salt}", "due": (date(2027, 1, 1) + timedelta(days=n)).isoformat(),
                        "checked_on": (date(2026, 6, 1) + timedelta(days=n)).isoformat(), "checker": f"確認者{n}{salt}"}
    return out


def fill(workbook: bytes, answers: dict[str, dict[str, str]]) -> bytes:
    """A contractor fills every answer column (H..M) by the hidden id in column A."""
    wb = openpyxl.load_workbook(io.BytesIO(workbook))
    ws = wb.worksheets[0]
    for row in ws.iter_rows():
        if row[0].value in answers:
            for cell, field in zip(row[7:7 + len(ANSWERS)], ANSWERS):
                cell.value = answers[row[0].value][field] or None
                cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_answer_fields_match_the_workbook_columns():
    assert ANSWER_FIELDS == ANSWERS


def test_every_field_keeps_its_place_through_every_hop(model, job_files):
    record = json.loads(job_files["job.json"])
    ids = record["applicable_items"]["after"]
    sent = distinct_rows(ids[:9])

    # contractor's workbook → import
    imported = import_workbook(record, "after", fill(job_files["checklist-after.xlsx"], sent))
    for item_id, row in sent.items():
        assert imported["answers"][item_id] == row

    # the page saves the check (web.save_check), with the check's own fields distinct too
    check = {"phase": "after", "date": "2026-10-01", "method": "実地", "checker": "監督 花子",
             "findings": "所見", "follow_up": "対応", "answers": imported["answers"]}
    saved = web.save_check(record, check)
    entry = json.loads(saved["files"]["record.json"])
    assert (entry["date"], entry["method"], entry["checker"]) == ("2026-10-01", "実地", "監督 花子")
    for item_id, row in sent.items():
        assert entry["answers"][item_id] == row  # record.json

    # record.xlsx: the same six columns, by id
    rows = read_checklist(saved["files"]["record.xlsx"])["rows"]
    for item_id, row in sent.items():
        assert rows[item_id] == row

    # job.json → reopened on the page
    job = json.loads(saved["files"]["job.json"])
    assert job["checks"][-1] == entry
    scope = web.job_scope(saved["files"]["job.json"], "after")
    for item_id, row in sent.items():
        assert scope["answers"][item_id] == row


def test_record_rows_carry_the_checks_own_date_and_checker(model, job_files):
    """An item answered without its own date/checker shows the check's (record.xlsx only)."""
    record = json.loads(job_files["job.json"])
    ids = record["applicable_items"]["after"]
    answers = {ids[0]: {"status": "不適合", "note": "名簿を整備する", "due": "2026-12-01"},
               ids[1]: {"status": "適合", "evidence_seen": "名簿", "checked_on": "2026-09-20", "checker": "別の人"}}
    new = add_check(record, {"phase": "after", "date": "2026-10-01", "method": "書面", "checker": "監督 花子",
                             "answers": answers})
    entry = new["checks"][-1]
    assert entry["answers"][ids[0]]["checked_on"] == "" and entry["answers"][ids[0]]["due"] == "2026-12-01"
    sheet = {r.item_id: r for r in record_sheet(model, new, entry).rows}
    assert (sheet[ids[0]].due, sheet[ids[0]].checked_on, sheet[ids[0]].checker) == ("2026-12-01", "2026-10-01",
                                                                                      "監督 花子")
    assert (sheet[ids[1]].checked_on, sheet[ids[1]].checker) == ("2026-09-20", "別の人")
    assert (sheet[ids[2]].checked_on, sheet[ids[2]].checker) == ("", "")  # not answered: not checked
    assert entry["summary"]["improvements"] == [{"item": ids[0], "plan": "名簿を整備する", "due": "2026-12-01"}]


def test_dates_are_normalised_and_other_text_is_kept(job_files):
    record = json.loads(job_files["job.json"])
    ids = record["applicable_items"]["after"]
    new = add_check(record, {"phase": "after", "date": "令和8年10月1日", "method": "書面", "checker": "監督",
                             "answers": {ids[0]: {"status": "不適合", "note": "計画", "due": "11月末",
                                                  "checked_on": "2026/9/3"}}})
    entry = new["checks"][-1]
    assert entry["date"] == "2026-10-01"
    assert (entry["answers"][ids[0]]["due"], entry["answers"][ids[0]]["checked_on"]) == ("11月末", "2026-09-03")


def test_sheet_numbers_are_the_workbooks_no_column(model, job_files):
    """Point 2: the page's No. is the job's Excel No. of the same row."""
    record = json.loads(job_files["job.json"])
    example = next(e for e in model.data["examples"] if e["id"] == "printing")
    job = build_job(model, validate(model, example["answers"]))
    for phase in ("before", "after", "selection"):
        assert sheet_numbers(record, phase) == {r.item_id: r.number for r in checklist_rows(job, phase)}
        assert web.job_scope(job_files["job.json"], phase)["numbers"] == sheet_numbers(record, phase)
    wb = openpyxl.load_workbook(io.BytesIO(job_files["checklist-after.xlsx"]))
    by_id = {row[0].value: str(row[1].value) for row in wb.worksheets[0].iter_rows() if row[0].value in
             sheet_numbers(record, "after")}
    assert by_id == sheet_numbers(record, "after")


def test_empty_check_date_says_enter_it(job_files):
    record = json.loads(job_files["job.json"])
    result = web.save_check(record, {"phase": "after", "date": "", "method": "書面", "checker": "監督", "answers": {}})
    assert result == {"error": "確認日を入力してください。", "field": "date"}
    result = web.save_check(record, {"phase": "after", "date": "10/1", "method": "書面", "checker": "監督"})
    assert result["field"] == "date" and "2026-10-01 の形" in result["error"]
    ids = record["applicable_items"]["after"]
    result = web.save_check(record, {"phase": "after", "date": "2026-10-01", "method": "書面", "checker": "監督",
                                     "answers": {ids[4]: {"status": "不適合"}}})
    assert result["field"] == ids[4] and "改善計画" in result["error"]


def test_download_names_carry_the_job_phase_and_date(job_files):
    record = json.loads(job_files["job.json"])
    result = web.save_check(record, {"phase": "after", "date": "2026-10-01", "method": "書面", "checker": "監督"})
    work = record["work_name"]
    assert result["names"] == {"record.xlsx": f"{work}_実施状況確認記録_契約後_2026-10-01.xlsx",
                               "record.json": f"{work}_確認記録_契約後_2026-10-01.json",
                               "job.json": f"{work}_業務記録_契約後_2026-10-01.json"}
    sub = web.save_check(record, {"phase": "after", "date": "2026-10-01", "method": "書面", "checker": "監督",
                                  "role": "再委託先", "company": "株式会社/下請"})
    assert sub["names"]["record.xlsx"] == f"{work}_実施状況確認記録_契約後_2026-10-01_株式会社_下請.xlsx"


# "_" left out: "_x0001_" is how Excel writes a control character (tests/test_render_xlsx.py covers it).
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn", "Co"), exclude_characters="_"),
               min_size=1, max_size=30)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(TEXT, min_size=4, max_size=4, unique=True), st.sampled_from(("適合", "不適合", "該当なし")))
def test_property_text_fields_never_change_places(job_files, texts, status):
    """Any text in evidence, note, checker (and a non-date due) comes back in the same field."""
    record = json.loads(job_files["job.json"])
    item_id = record["applicable_items"]["before"][0]
    evidence, note, checker, due = (t.strip() or f"x{n}" for n, t in enumerate(texts))
    row = {"status": status, "evidence_seen": evidence, "note": note, "due": "期限:" + due,
           "checked_on": "2026-05-06", "checker": checker}
    saved = web.save_check(record, {"phase": "before", "date": "2026-05-07", "method": "書面", "checker": "監督",
                                    "answers": {item_id: row}})
    assert "error" not in saved, saved
    assert json.loads(saved["files"]["record.json"])["answers"][item_id] == row
    assert read_checklist(saved["files"]["record.xlsx"])["rows"][item_id] == row
    assert web.job_scope(saved["files"]["job.json"], "before")["answers"][item_id] == row


def test_register_reads_the_due_field_and_legacy_records(job_files):
    """The 委託台帳 lists 改善指示 with their 改善期限 from "due" (and from "checked_on" in older records)."""
    from datetime import date as day

    from itaku.register import improvements
    record = json.loads(job_files["job.json"])
    ids = record["applicable_items"]["after"]
    new = add_check(record, {"phase": "after", "date": "2026-10-01", "method": "書面", "checker": "監督",
                             "answers": {ids[0]: {"status": "不適合", "note": "計画", "due": "2026-11-30",
                                                  "checked_on": "2026-09-30"}}})
    assert [(i["item"], i["due"]) for i in improvements(new, day(2026, 12, 1))] == [(ids[0], "2026-11-30")]
    legacy = json.loads(json.dumps(new))
    legacy["checks"][-1]["answers"][ids[0]] = {"status": "不適合", "note": "計画", "checked_on": "2026-11-30"}
    assert [(i["item"], i["due"]) for i in improvements(legacy, day(2026, 12, 1))] == [(ids[0], "2026-11-30")]
