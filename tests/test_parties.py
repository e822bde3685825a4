"""Issue 26 item 5: one job, several counterparties — one complete, self-consistent set per counterparty.

The property runs over the answer space with a drawn list of counterparties; ``test_planted_fault`` shows it
fails when a set is not named for its counterparty.
"""
from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from itaku import parties, web
from itaku.answers import AnswersError, answers_hash, job_ids, load_file, validate
from itaku.contents import documents, sheets
from itaku.document import Paragraph
from itaku.job import build_job
from itaku.model import Corpus
from itaku.outputs import job_record, output_names
from itaku.register import load as register_load, tabulate
from itaku.sets import generate_all, page_files, party_output, party_sets

from strategies import answers as answer_space, usable_parties

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = "meter-reading-districts"
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


def _example(model: Corpus) -> dict:
    return dict(next(e for e in model.data["examples"] if e["id"] == EXAMPLE)["answers"])


def set_problems(model: Corpus, answers) -> list[str]:
    """What is wrong with the sets of ``answers`` (validated, with counterparties): every set complete (the
    files of an ordinary job), named for its counterparty in every header, stamp and record, counted with its
    own count, and a job of its own (its id from the job's id and its name, distinct from the others)."""
    found: list[str] = []
    listed = parties.rows(answers.values)
    made = party_sets(model, answers)
    if len(made) != len(listed):
        return [f"{len(made)} sets for {len(listed)} counterparties"]
    whole = job_ids(answers)["job_id"]
    ids = set()
    for row, one in zip(listed, made):
        name, own = str(row["name"]), parties.count_of(row, answers.values)
        job = one.job(model)
        where = f"set {one.folder}"
        if job.values["contractor_name"] != name:
            found.append(f"{where}: contractor {job.values['contractor_name']!r}")
        if one.answers.values.get("record_count") != own:
            found.append(f"{where}: record_count {one.answers.values.get('record_count')} != {own}")
        docs = documents(job)
        names = output_names(job, docs)
        for required in ("specification.docx", "supervision-plan.docx", "deviations.docx", "checklist-before.xlsx",
                         "checklist-after.xlsx", "checklist-selection.xlsx", "answers.json", "job.json", "documents.zip"):
            if required not in names:
                found.append(f"{where}: no {required}")
        for doc in docs:
            stamp = json.loads(doc.stamp)
            if stamp["company"] != name or stamp["job_id"] != one.answers.ids["job_id"]:
                found.append(f"{where}: {doc.name} stamped for {stamp['company']!r} / {stamp['job_id'][:8]}")
            heads = [b.text.split("：", 1)[1] for b in doc.blocks if isinstance(b, Paragraph) and isinstance(b.text, str)
                     and b.text.startswith(("受託者：", "指定管理者："))]
            if doc.name in ("specification.docx", "supervision-plan.docx", "deviations.docx") and not heads:
                found.append(f"{where}: {doc.name} has no 受託者 line in its header")
            found += [f"{where}: {doc.name} header names {h!r}" for h in heads if h != name]
        for sheet in sheets(job):
            value = dict(sheet.meta).get("指定管理者" if job.is_designated else "受託者")
            if value != name:
                found.append(f"{where}: {sheet.name} header names {value!r}")
        record = job_record(job)
        if record["answers"].get("contractor_name") != name or record["counterparty"]["name"] != name:
            found.append(f"{where}: job.json is for {record['answers'].get('contractor_name')!r}")
        if record["answers_hash"] != answers_hash(one.answers):
            found.append(f"{where}: job.json hash does not recompute")
        if record["job_id"] != parties.party_id(whole, name) or record["counterparty"]["of_job_id"] != whole:
            found.append(f"{where}: job id not made from the job's id and the name")
        if [p["kind"] for p in record["plan"]] != [e.key[0] for e in job.plan]:
            found.append(f"{where}: job.json's plan is not the set's plan")
        ids.add(record["job_id"])
    if len(ids) != len(made):
        found.append("two counterparties share a job id")
    return found


def test_property_one_complete_set_per_counterparty(model):
    """Over the answer space: a multi-contractor answers file yields one complete, self-consistent set per
    counterparty with its name in every header."""
    @SETTINGS
    @given(answer_space(model), st.lists(st.fixed_dictionaries({
        "name": st.text(min_size=1, max_size=12), "address": st.text(max_size=20),
        "record_count": st.one_of(st.just(""), st.integers(0, 20_000))}), min_size=2, max_size=5))
    def check(case, rows):
        raw, removed = case
        raw = {**raw, "counterparties": usable_parties(rows, raw.get("record_count"))}
        try:
            answers = validate(model, raw, removed)
        except AnswersError:
            return
        assert not (found := set_problems(model, answers)), "\n".join(found[:10])
    check()


def test_the_worked_example_is_consistent(model):
    answers = validate(model, _example(model))
    assert len(party_sets(model, answers)) == 3
    assert not set_problems(model, answers)


def test_planted_fault(model, monkeypatch):
    """Every set named after the first counterparty: the property's check finds it."""
    answers = validate(model, _example(model))
    first = parties.rows(answers.values)[0]
    real = parties.party_values
    monkeypatch.setattr(parties, "party_values", lambda values, row: real(values, first))
    found = set_problems(model, answers)
    assert any("header names" in f for f in found) and any("contractor" in f for f in found), found


def test_the_list_is_checked_in_plain_japanese(model):
    base = _example(model)
    one = {**base, "counterparties": base["counterparties"][:1]}
    with pytest.raises(AnswersError, match="1者だけのときは"):
        validate(model, one)
    twice = {**base, "counterparties": [*base["counterparties"], {"name": "株式会社　サンプル検針北部"}]}
    with pytest.raises(AnswersError, match="名称が重なっています"):
        validate(model, twice)
    over = {**base, "record_count": 1000}
    with pytest.raises(AnswersError, match="業務全体の「取扱件数」（1,000人）を超えています"):
        validate(model, over)


def test_counts_and_onsite_decision_are_per_counterparty(model):
    from itaku.derived import derived
    made = party_sets(model, validate(model, _example(model)))
    assert [one.answers.values["record_count"] for one in made] == [2400, 900, 300]
    assert [derived(one.answers.values, model)["onsite_required"] for one in made] == [True, False, False]
    blank = _example(model)
    blank["counterparties"] = [{**blank["counterparties"][0], "record_count": ""}, *blank["counterparties"][1:]]
    assert party_sets(model, validate(model, blank))[0].answers.values["record_count"] == 3600  # the job's total


def test_ids_are_stable_and_adding_a_counterparty_keeps_the_others(model):
    raw = _example(model)
    answers = validate(model, raw)
    ids = {one.name: one.answers.ids["job_id"] for one in party_sets(model, answers)}
    whole = job_ids(answers)
    again = party_sets(model, replace(validate(model, raw), ids=whole))
    assert {one.name: one.answers.ids["job_id"] for one in again} == ids
    more = {**raw, "counterparties": [{"name": "新しい事業者"}, *raw["counterparties"]]}  # added (first, even)
    after = party_sets(model, replace(validate(model, more), ids=whole))  # the page keeps the job's id
    assert {one.name: one.answers.ids["job_id"] for one in after if one.name in ids} == ids
    assert len({one.answers.ids["job_id"] for one in after}) == 4


def test_without_the_list_nothing_changes(model):
    raw = {k: v for k, v in _example(model).items() if k != "counterparties"}
    answers = validate(model, raw)
    assert party_sets(model, answers) == []
    assert "counterparties" not in answers.values and not answers.party


def test_the_page_offers_the_sets_and_the_zip_holds_one_folder_each(model):
    raw = _example(model)
    state = web.state(raw)
    assert state["valid"] and state["outputs"] == ["documents.zip", "party-1.zip", "party-2.zip", "party-3.zip",
                                                   "answers.json"]
    labels = {d["output"]: d for d in state["downloads"]}
    assert labels["party-2.zip"]["name"] == "令和9年度 水道メーター検針業務（地区別）_有限会社サンプル設備南部_文書一式.zip"
    assert "株式会社サンプル検針北部" in state["preview"] and len(state["parties"]) == 3
    made = web.generate(raw, {}, "documents.zip")
    with zipfile.ZipFile(io.BytesIO(made["files"]["documents.zip"])) as z:
        names = z.namelist()
        folders = sorted({n.split("/")[0] for n in names if "/" in n})
        assert folders == ["01_株式会社サンプル検針北部", "02_有限会社サンプル設備南部", "03_合同会社サンプル山間サービス"]
        assert "01_株式会社サンプル検針北部/令和9年度 水道メーター検針業務（地区別）_株式会社サンプル検針北部_特記仕様書.docx" in names
        records = [json.loads(z.read(n)) for n in names if n.endswith("_業務記録.json")]
        whole = json.loads(z.read("令和9年度 水道メーター検針業務（地区別）_回答.json"))
    assert len(records) == 3 and len({r["job_id"] for r in records}) == 3
    assert whole["answers"]["counterparties"] and whole["job_id"] == made["job"]["job_id"]
    one = web.generate(raw, {}, party_output(3), made["job"])
    assert set(one["files"]) == {"party-3.zip"} and one["names"]["party-3.zip"].endswith("_合同会社サンプル山間サービス_文書一式.zip")


def test_the_register_counts_one_job_per_counterparty_and_the_whole_job_gives_way(model):
    raw = _example(model)
    answers = replace(validate(model, raw), ids={})
    files = page_files(model, answers, party_sets(model, answers))
    records = []
    for n in (1, 2, 3):
        with zipfile.ZipFile(io.BytesIO(files[party_output(n)])) as z:
            records += [(f"{n}.json", z.read(m)) for m in z.namelist() if m.endswith("_業務記録.json")]
    # the job's record from before the list (same job id, no counterparties): replaced by its counterparties
    before = validate(model, {k: v for k, v in raw.items() if k != "counterparties"})
    early = json.dumps(job_record(build_job(model, replace(before, ids=job_ids(answers)))),
                       ensure_ascii=False).encode()
    reg, outcomes = register_load(model, [("early.json", early), *records])
    assert len(reg.records) == 3, outcomes
    assert any("相手方ごとの業務記録" in o["message"] for o in outcomes)
    rows = tabulate(model, list(reg.records.values()), __import__("datetime").date(2027, 6, 1))["rows"]
    assert sorted(r["contractor"] for r in rows) == sorted(p["name"] for p in raw["counterparties"])
    reg2, _ = register_load(model, [*records, ("early.json", early)])  # the other order: the same three
    assert len(reg2.records) == 3


def test_a_counterpartys_record_reloads_as_its_own_job(model):
    answers = validate(model, _example(model))
    one = party_sets(model, answers)[1]
    record = job_record(one.job(model))
    loaded = load_file(model, json.dumps(record, ensure_ascii=False).encode())
    assert loaded.ids["job_id"] == one.answers.ids["job_id"]
    assert loaded.answers["contractor_name"] == "有限会社サンプル設備南部" and "counterparties" not in loaded.answers


def test_cli_writes_one_folder_per_counterparty(model, tmp_path):
    src = tmp_path / "answers.json"
    src.write_text(json.dumps({"format": "itaku-answers", "schema_version": 4, "answers": _example(model)},
                              ensure_ascii=False))
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "itaku.cli", "generate", str(src), "--out", str(out)],
                         capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin"})
    assert run.returncode == 0, run.stderr
    assert (out / "answers.json").exists() and (out / "documents.zip").exists()
    for folder in ("01_株式会社サンプル検針北部", "02_有限会社サンプル設備南部", "03_合同会社サンプル山間サービス"):
        assert (out / folder / "specification.docx").exists() and (out / folder / "job.json").exists()
    assert set(generate_all(model, validate(model, _example(model)))) >= {"answers.json", "documents.zip"}


def test_next_years_sets_name_last_years_counterparties(model):
    from itaku.nextyear import next_year
    raw = _example(model)
    last = {one.name: one.answers.ids["job_id"] for one in party_sets(model, validate(model, raw))}
    made = next_year(model, raw, {}, {}, "2028-02-01", True)
    assert any("相手方" in note for note in made["notes"])
    after = party_sets(model, replace(validate(model, made["answers"]), ids=made["ids"]))
    assert {one.name: one.answers.ids["previous_job_id"] for one in after} == last
    assert not set(last.values()) & {one.answers.ids["job_id"] for one in after}
