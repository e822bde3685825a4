"""job.json's own version (job_schema) and its written schema (itaku.schema.JOB_RECORD)."""
from __future__ import annotations

import json
from typing import Any

import pytest

from itaku import register, schema, web
from itaku.model import load
from itaku.outputs import job_for, job_record, to_json

CORPUS = load()


def record(eid: str = "printing") -> dict[str, Any]:
    answers = next(e for e in CORPUS.data["examples"] if e["id"] == eid)["answers"]
    return json.loads(to_json(job_record(job_for(CORPUS, answers))))


def add(doc: dict[str, Any], name: str = "job.json") -> dict[str, Any]:
    return register.Register().add(name, json.dumps(doc, ensure_ascii=False).encode("utf-8"), CORPUS.schema_version)


def test_job_json_carries_its_own_version_apart_from_the_answers_schema():
    rec = record()
    assert rec["job_schema"] == schema.JOB_SCHEMA == 2
    assert rec["schema_version"] == CORPUS.schema_version  # the answers' schema, unchanged
    assert schema.shape_problem(rec, schema.JOB_RECORD) == "" and schema.job_problems(rec) == ""


def test_every_worked_example_fits_the_written_schema():
    for e in CORPUS.data["examples"]:
        assert schema.shape_problem(record(e["id"]), schema.JOB_RECORD) == "", e["id"]


def test_a_record_without_a_version_is_migrated():
    old = {k: v for k, v in record().items() if k not in ("job_schema", "checks", "removed_clauses")}
    assert schema.record_version(old) == 1 and schema.job_problems(old) == ""
    reg = register.Register()
    assert reg.add("old.json", json.dumps(old).encode("utf-8"), CORPUS.schema_version)["kind"] == "added"
    (migrated,) = reg.records.values()
    assert migrated["job_schema"] == 2 and migrated["checks"] == [] and migrated["removed_clauses"] == {}
    assert migrated["answers_hash"] == old["answers_hash"] and schema.hash_matches(migrated)


def test_the_checklist_pages_save_checks_into_the_current_version():
    old = {k: v for k, v in record().items() if k != "job_schema"}
    scope = web.job_scope(json.dumps(old).encode("utf-8"), "after")
    assert "error" not in scope, scope
    assert scope["record"]["job_schema"] == schema.JOB_SCHEMA


@pytest.mark.parametrize("change, words", [
    (lambda r: r.__setitem__("job_schema", 3), ["job_schema 3", "新しい版", "サイトを更新"]),
    (lambda r: r.__setitem__("job_schema", "2"), ["版（job_schema）が読めません"]),
    (lambda r: r.__setitem__("job_schema", True), ["版（job_schema）が読めません"]),
    (lambda r: r["plan"][0].__setitem__("due", "2027-13-01"), ["「plan[1].due」（期限）", "正しい日付ではありません"]),
    (lambda r: r.__setitem__("checks", [{"phase": "after", "date": "2026-10-01", "answers": {"x-01": "適合"}}]),
     ["「checks[1].answers.x-01」（項目の回答）", "対応表"]),
    (lambda r: r.__setitem__("checks", [{"phase": "later", "date": "2026-10-01"}]), ["「checks[1].phase」（確認の段階）", "later"]),
    (lambda r: r.__setitem__("checks", [{"phase": "after"}]), ["「checks[1].date」（確認日）がありません"]),
    (lambda r: r.pop("stamp"), ["「stamp」（刻印）がありません"]),
    (lambda r: r["applicable_items"].__setitem__("after", [1]), ["「applicable_items.after[1]」（項目id）が文字列ではありません"]),
    (lambda r: r.__setitem__("answers_hash", "xyz"), ["「answers_hash」（回答のハッシュ）の形が正しくありません"]),
    (lambda r: r.__setitem__("articles", [{"number": "一"}]), ["「articles[1].number」（条の番号）が整数ではありません"]),
    (lambda r: r.__setitem__("removed_clauses", {"audit": 1}), ["「removed_clauses.audit」（外した理由）が文字列ではありません"]),
])
def test_a_record_that_does_not_fit_is_refused_naming_the_file_and_the_field(change, words):
    rec = record()
    change(rec)
    outcome = add(rec, "令和8年度_job.json")
    assert outcome["kind"] == "refused"
    assert outcome["message"].startswith("令和8年度_job.json：業務記録ファイルの"), outcome["message"]
    for w in words:
        assert w in outcome["message"], (w, outcome["message"])


def test_unknown_keys_are_kept():
    rec = {**record(), "added_by_a_newer_kit": {"x": 1}}
    assert schema.shape_problem(rec, schema.JOB_RECORD) == ""


def test_the_validator_covers_its_grammar():
    spec = {"type": "object", "label": "L", "required": ["a"],
            "properties": {"a": {"type": ["integer", "null"], "minimum": 2, "label": "エー"},
                           "b": {"enum": ["x", "y"], "label": "ビー"}}}
    assert schema.shape_problem({"a": 2, "b": "x"}, spec) == ""
    assert "がありません" in schema.shape_problem({}, spec)
    assert "「a」（エー）が2より小さい値です" in schema.shape_problem({"a": 1}, spec)
    assert "整数又はnull" in schema.shape_problem({"a": True}, spec)
    assert "x、y のいずれか" in schema.shape_problem({"a": 3, "b": "z"}, spec)
