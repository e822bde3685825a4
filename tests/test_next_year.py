"""Next year's set and the job's stable identity (issue 30, items 3 and 5)."""
from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings

from itaku import model, register, web
from itaku.answers import AnswersError, answers_hash, load_file, validate
from itaku.checks import CheckError, import_workbook
from itaku.nextyear import NextYearError, next_year, period_years, shift_fiscal_years
from itaku.outputs import job_for, job_record, to_json

from strategies import answers as answer_strategy

CORPUS = model.load()
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def example(example_id: str) -> dict[str, Any]:
    return dict(next(e for e in CORPUS.data["examples"] if e["id"] == example_id)["answers"])


def job_json(raw: dict[str, Any], ids: dict[str, str] | None = None) -> dict[str, Any]:
    made = web.generate(raw, {}, "job.json", ids)
    assert "error" not in made, made
    return json.loads(made["files"]["job.json"])


# ---------------------------------------------------------------- next year's answers

def test_next_year_moves_period_year_and_date_and_clears_the_contractor():
    raw = {**example("printing"), "contractor_name": "株式会社印刷", "created_on": "2026-02-10"}
    out = next_year(CORPUS, raw, {}, None, today="2027-01-20", retender=True)
    a = out["answers"]
    assert (a["contract_start"], a["contract_end"]) == ("2027-04-15", "2027-07-31")
    assert a["work_name"] == "令和9年度 市民税・県民税納税通知書作成及び発送業務"
    assert a["created_on"] == "2027-01-20" and a["contractor_name"] == ""
    assert [c["key"] for c in out["changes"]] == ["contract_start", "contract_end", "created_on", "work_name",
                                                   "contractor_name"]
    assert out["changes"][0]["before"] == "令和8年4月15日" and out["changes"][0]["label"]
    # the previous id is this year's (none given: the answers hash, as a first download would make it)
    assert out["ids"]["previous_job_id"] == answers_hash(validate(CORPUS, raw))
    validate(CORPUS, a)  # next year's answers are usable as they are


def test_next_year_keeps_the_contractor_when_not_retendered_and_moves_multi_year_periods():
    raw = {**example("printing"), "contractor_name": "株式会社印刷"}
    assert next_year(CORPUS, raw, {}, None, retender=False)["answers"]["contractor_name"] == "株式会社印刷"
    designated = next(e["answers"] for e in CORPUS.data["examples"] if "令和11年度まで" in e["answers"]["work_name"])
    out = next_year(CORPUS, dict(designated), {}, None)
    years = period_years(date.fromisoformat(designated["contract_start"]), date.fromisoformat(designated["contract_end"]))
    assert years == 3 and out["answers"]["work_name"].startswith("令和12年度から令和14年度まで")
    assert any("3年" in n for n in out["notes"])


def test_fiscal_years_in_names_and_refusals():
    assert shift_fiscal_years("令和元年度・2026年度・令和１０年度") == "令和2年度・2027年度・令和11年度"
    with pytest.raises(NextYearError, match="契約期間|回答に問題"):
        next_year(CORPUS, {**example("printing"), "contract_end": ""}, {}, None)
    assert "error" in web.next_year({**example("printing"), "work_name": ""}, {}, None)


def test_a_name_without_a_year_still_gives_new_file_names():
    raw = next(dict(e["answers"]) for e in CORPUS.data["examples"] if "年度" not in e["answers"]["work_name"])
    out = next_year(CORPUS, raw, {}, None)
    assert out["answers"]["work_name"] == raw["work_name"] and any("ファイル名" in n for n in out["notes"])
    this, then = web.generate(raw, {}, "specification.docx"), web.generate(out["answers"], {}, "specification.docx")
    assert this["names"] != then["names"]


@SETTINGS
@given(answer_strategy(CORPUS))
def test_prop_next_year_is_a_new_linked_job_with_new_file_names(drawn):
    """Over the answer space: next year's answers are valid, start after this year's end with a period as long,
    carry a new id naming this year's, and no download keeps last year's name."""
    raw, removed = drawn
    try:
        current = validate(CORPUS, raw, removed)
    except AnswersError:
        assume(False)
    ids = {"job_id": answers_hash(current)}
    out = next_year(CORPUS, raw, removed, ids, today="2020-01-01")
    new = validate(CORPUS, out["answers"], removed)
    start, end = (date.fromisoformat(current.values[k]) for k in ("contract_start", "contract_end"))
    new_start, new_end = (date.fromisoformat(new.values[k]) for k in ("contract_start", "contract_end"))
    assert new_start > end and abs((new_end - new_start) - (end - start)).days <= 3
    assert new.values["created_on"] > current.values["created_on"]
    assert out["ids"]["previous_job_id"] == ids["job_id"] != out["ids"]["job_id"]
    before = web.generate(raw, removed, "answers.json")["names"]["answers.json"]
    after = web.generate(out["answers"], removed, "answers.json", out["ids"])["names"]["answers.json"]
    assert before != after, (before, after)  # every download name is 「label_文書名」: one label per year


# ---------------------------------------------------------------- the job id in files

def test_job_id_is_made_once_and_kept_in_answers_and_job_files():
    raw = example("printing")
    first = web.generate(raw, {}, "answers.json")
    ids = first["job"]
    assert ids == {"job_id": answers_hash(validate(CORPUS, raw))}
    named = {**raw, "contractor_name": "株式会社落札"}
    doc = job_json(named, ids)
    assert doc["job_id"] == ids["job_id"] != doc["answers_hash"]
    again = json.loads(web.generate(named, {}, "answers.json", ids)["files"]["answers.json"])
    assert again["job_id"] == ids["job_id"]
    loaded = web.load(to_json(again))
    assert loaded["job"] == {"job_id": ids["job_id"]}
    # a file from before ids: its own answers hash, the register's key for it
    old = {k: v for k, v in again.items() if k != "job_id"}
    assert load_file(CORPUS, to_json(old)).ids == {"job_id": old["answers_hash"]}
    assert web.generate(raw, {}, "job.json", {"job_id": "not-an-id"})["job"] == ids  # malformed: a new one


# ---------------------------------------------------------------- the register keys jobs by id

def test_adding_the_contractor_after_the_award_leaves_one_job():
    raw = {**example("printing"), "contractor_name": ""}  # specification made before the award
    unnamed = job_json(raw)
    named = job_json({**raw, "contractor_name": "株式会社落札"}, {"job_id": unnamed["job_id"]})
    reg, outcomes = register.load(CORPUS, [("a.json", to_json(unnamed)), ("b.json", to_json(named))])
    assert [o["kind"] for o in outcomes] == ["added", "replaced"] and "受託者名" in outcomes[1]["message"]
    rows = register.tabulate(CORPUS, reg.records.values(), date(2026, 5, 1))["rows"]
    assert len(rows) == 1 and rows[0]["contractor"] == "株式会社落札" and rows[0]["job"] == unnamed["job_id"]
    # the unnamed copy after the named one is the older copy
    _, outcomes = register.load(CORPUS, [("b.json", to_json(named)), ("a.json", to_json(unnamed))])
    assert [o["kind"] for o in outcomes] == ["added", "older"]


def test_next_years_job_is_linked_to_last_years_in_the_register():
    raw = example("printing")
    last = job_json(raw)
    out = next_year(CORPUS, raw, {}, {"job_id": last["job_id"]}, today="2027-02-01")
    new = job_json(out["answers"], out["ids"])
    assert new["previous_job_id"] == last["job_id"] and new["job_id"] != last["job_id"]
    reg, _ = register.load(CORPUS, [("old.json", to_json(last)), ("new.json", to_json(new))])
    rows = {r["job"]: r for r in register.tabulate(CORPUS, reg.records.values(), date(2027, 5, 1))["rows"]}
    assert rows[new["job_id"]]["previous"]["job"] == last["job_id"]
    assert [n["job"] for n in rows[last["job_id"]]["next"]] == [new["job_id"]]


def test_records_without_an_id_fall_back_to_the_answers_hash_and_bad_ids_are_refused():
    rec = job_record(job_for(CORPUS, example("printing")))
    old = {k: v for k, v in rec.items() if k not in ("job_id", "previous_job_id")}
    assert register.job_key(old) == rec["answers_hash"]
    with pytest.raises(register.RegisterError, match="job_id"):
        register.read_record(to_json({**rec, "job_id": "x"}), CORPUS.schema_version)


def test_a_word_document_in_the_register_is_named_as_on_other_pages():
    docx = web.generate(example("printing"), {}, "specification.docx")["files"]["specification.docx"]
    with pytest.raises(register.RegisterError, match="Word 文書"):
        register.read_record(docx, CORPUS.schema_version)


def test_improvements_in_the_register_show_the_number_and_text():
    from itaku.checks import add_check
    rec = job_record(job_for(CORPUS, example("printing")))
    item = rec["applicable_items"]["after"][2]
    rec = add_check(rec, {"phase": "after", "date": "2026-06-01", "method": "書面", "checker": "監督員",
                          "answers": {item: {"status": "不適合", "note": "直す", "due": "2026-07-01"}}})
    imp = register.row(CORPUS, rec, date(2026, 6, 2))["improvements"][0]
    assert imp["number"] == "3" and imp["text"] == CORPUS.item(item)["after"][:200]


# ---------------------------------------------------------------- a contractor's 「はい」「いいえ」

def _filled(rec: dict[str, Any], words: dict[int, str]) -> bytes:
    """The job's 契約前 checklist with ``words`` typed into 状況 (column H) of the n-th item (hidden id in A)."""
    data = web.generate(rec["answers"], rec["removed_clauses"], "checklist-before.xlsx")["files"]["checklist-before.xlsx"]
    wanted = {rec["applicable_items"]["before"][n - 1]: word for n, word in words.items()}
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    for row in ws.iter_rows():
        if row[0].value in wanted:
            row[7].value = wanted[row[0].value]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_contractor_yes_no_are_mapped_with_a_line_and_other_words_refused_by_name():
    rec = job_record(job_for(CORPUS, example("printing")))
    items = rec["applicable_items"]["before"]
    out = import_workbook(rec, "before", _filled(rec, {1: "はい", 2: "いいえ", 3: "適合"}))
    assert out["answers"][items[0]]["status"] == "適合" and out["answers"][items[1]]["status"] == "不適合"
    assert any("「はい」を「適合」" in n and "No. 1" in n for n in out["notes"])
    kinds = [f["kind"] for f in out["flags"]]
    assert kinds[0] == "nonconforming" and kinds == sorted(kinds, key=("nonconforming", "no_evidence",
                                                                       "contradiction", "unanswered").index)
    assert out["flag_counts"]["nonconforming"] == 1
    with pytest.raises(CheckError, match="No. 4「たぶん」"):
        import_workbook(rec, "before", _filled(rec, {4: "たぶん"}))
