"""Checks during the contract: import a filled checklist, flags, the record of the check."""
from __future__ import annotations

import io
import json

import openpyxl
import pytest

from itaku.answers import validate
from itaku.checks import CheckError, add_check, import_workbook, record_workbook, summarize
from itaku.job import build_job
from itaku.model import Corpus
from itaku.outputs import build_outputs
from itaku.render.xlsx import read_checklist


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


@pytest.fixture(scope="module")
def job_files(model) -> dict[str, bytes]:
    example = next(e for e in model.data["examples"] if e["id"] == "call-centre")
    return build_outputs(build_job(model, validate(model, example["answers"])))


def fill(workbook: bytes, answers: dict[str, tuple[str, str, str]]) -> bytes:
    """Fill a generated checklist like a contractor would: by the hidden id in column A."""
    wb = openpyxl.load_workbook(io.BytesIO(workbook))
    ws = wb.worksheets[0]
    for row in ws.iter_rows():
        item_id = row[0].value
        if item_id in answers:
            status, evidence, note = answers[item_id]
            for cell, value in zip(row[7:10], (status, evidence, note)):
                cell.value = value or None
                if value:
                    cell.data_type = "s"  # the answer cells are text-formatted: Excel stores "=1+1" as text
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_flags_every_case(job_files):
    record = json.loads(job_files["job.json"])
    after = record["applicable_items"]["after"]
    before_check = {"phase": "before", "date": "2026-04-10", "method": "書面", "checker": "市民 太郎",
                    "answers": {after[0]: {"status": "適合", "evidence_seen": "規程"},
                                after[3]: {"status": "該当なし"}}}
    record = add_check(record, before_check)
    filled = fill(job_files["checklist-after.xlsx"], {
        after[0]: ("不適合", "規程", "=1+1 改善は10月末まで"),  # contradiction with 契約前 (適合 → 不適合)
        after[1]: ("適合", "", ""),  # 適合 claimed without evidence
        after[2]: ("不適合", "名簿", ""),  # 不適合 without an improvement plan
        after[3]: ("適合", "記録簿", ""),  # 該当なし before, 適合 after
    })
    result = import_workbook(record, "after", filled)
    kinds = {(f["item_id"], f["kind"]) for f in result["flags"]}
    assert (after[0], "contradiction") in kinds
    assert (after[1], "no_evidence") in kinds
    assert (after[2], "nonconforming") in kinds
    assert (after[3], "contradiction") in kinds
    assert (after[5], "unanswered") in kinds
    assert result["answers"][after[0]]["note"] == "=1+1 改善は10月末まで"  # text, never a formula
    assert result["summary"]["counts"]["不適合"] == 2


def test_import_refuses_other_jobs_and_phases(model, job_files):
    record = json.loads(job_files["job.json"])
    with pytest.raises(CheckError, match="契約前"):
        import_workbook(record, "after", job_files["checklist-before.xlsx"])
    other = next(e for e in model.data["examples"] if e["id"] == "printing")
    other_files = build_outputs(build_job(model, validate(model, other["answers"])))
    with pytest.raises(CheckError, match="別の業務"):
        import_workbook(record, "after", other_files["checklist-after.xlsx"])
    with pytest.raises(CheckError):
        import_workbook(record, "after", b"not a workbook")


def test_check_record_round_trips_through_xlsx(model, job_files):
    record = json.loads(job_files["job.json"])
    items = record["applicable_items"]["after"]
    check = {"phase": "after", "date": "2026-10-15", "method": "実地", "checker": "<b>検査</b> 花子",
             "findings": "持出記録に記入漏れ", "follow_up": "11月末までに是正",
             "answers": {items[0]: {"status": "不適合", "evidence_seen": "持出記録", "note": "@記入漏れ 11/30まで"},
                         items[1]: {"status": "適合", "evidence_seen": "名簿"}}}
    new = add_check(record, check)
    assert record.get("checks") == []  # the input record is not changed
    saved = new["checks"][-1]
    data = record_workbook(model, new, saved)
    back = read_checklist(data)
    assert back["phase"] == "record"
    assert back["rows"][items[0]]["note"] == "@記入漏れ 11/30まで"
    assert back["rows"][items[1]]["status"] == "適合"
    assert saved["summary"]["improvements"][0]["item"] == items[0]


def test_add_check_validates_in_japanese(job_files):
    record = json.loads(job_files["job.json"])
    item = record["applicable_items"]["after"][0]
    base = {"phase": "after", "date": "2026-10-15", "method": "実地", "checker": "担当"}
    with pytest.raises(CheckError, match="方法"):
        add_check(record, {**base, "method": "電話"})
    with pytest.raises(CheckError, match="確認日"):
        add_check(record, {**base, "date": "十月"})
    with pytest.raises(CheckError, match="改善計画"):
        add_check(record, {**base, "answers": {item: {"status": "不適合"}}})


def test_summary_counts_unanswered_as_open():
    s = summarize({"a": {"status": "適合"}, "b": {"status": ""}}, ["a", "b", "c"])
    assert s["counts"]["未確認"] == 2 and s["open"] == ["b", "c"]
