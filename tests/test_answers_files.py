"""Answers files and job records: round trips, migration, hostile files, identify."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st

from itaku.answers import AnswersFileError, answers_document, load_file, validate
from itaku.identify import IdentifyError, changes_since, identify
from itaku.model import Corpus

BASE = {"work_name": "窓口受付業務", "department": "市民課", "created_on": "2026-03-01",
        "contract_start": "2026-04-01", "contract_end": "2027-03-31", "record_count": 300}


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


def test_answers_file_round_trips(model):
    a = validate(model, {**BASE, "work_name": "<b>業務</b> =1+1 🙂\x01"}, {"carry-out": "理由"})
    text = json.dumps(answers_document(model, a), ensure_ascii=False)
    loaded = load_file(model, text.encode("utf-8"))
    again = validate(model, loaded.answers, loaded.removed)
    assert again == a
    assert loaded.flagged == {}


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=200))
def test_any_text_round_trips_through_json_exactly(text):
    from itaku.answers import canonical_json
    assert json.loads(canonical_json({"x": text}))["x"] == __import__("unicodedata").normalize("NFC", text)


def test_older_schema_is_migrated_and_new_questions_flagged(model):
    old = {"format": "itaku-answers", "schema_version": 1, "corpus_version": "0.9.0",
           "answers": {**BASE, "work_place": "contractor_premises", "subcontract": True},
           "removed_clauses": {}}
    loaded = load_file(model, json.dumps(old, ensure_ascii=False))
    assert loaded.answers["work_places"] == ["contractor_premises"]
    assert loaded.answers["reoutsourcing"] == "planned"
    assert loaded.flagged["work_places"] == "変更された質問"
    assert loaded.flagged["system_operation"] == "新しい質問"
    validate(model, {**loaded.answers, "reoutsourcing_scope": "発送"}, loaded.removed)


@pytest.mark.parametrize("data, message", [
    (b"\x00\x01garbage", "読めません"),
    (b"{not json", "読めません"),
    (b"[1, 2, 3]", "ではありません"),
    (json.dumps({"format": "other"}).encode(), "ではありません"),
    (json.dumps({"format": "itaku-answers", "schema_version": 99, "answers": {}}).encode(), "新しい版"),
    (json.dumps({"format": "itaku-answers", "schema_version": "1", "answers": {}}).encode(), "版"),
    (json.dumps({"format": "itaku-answers", "schema_version": 2, "answers": []}).encode(), "answers"),
    (b"[" * 100000, "読めません"),
    (b" " * 6_000_000, "大きすぎ"),
])
def test_hostile_files_give_japanese_messages(model, data, message):
    with pytest.raises(AnswersFileError) as exc:
        load_file(model, data)
    assert message in str(exc.value)


def test_identify_reports_changes_since_an_older_version(model):
    data = dict(model.data)
    data["changelog"] = [{"version": "99.0.0", "date": "2099-04-01", "clauses": ["carry-out"], "summary": "持出しの手続を改めた"},
                         *model.changelog]
    newer = Corpus(data)
    doc = json.dumps({"format": "itaku-job", "stamp": {"corpus_version": model.version, "answers_hash": "x"}})
    result = identify(newer, doc.encode())
    assert not result["up_to_date"]
    assert result["changes"][0]["clauses"][0]["id"] == "carry-out"
    assert changes_since(model, model.version) == []


def test_identify_refuses_foreign_files(model):
    for data in (b"PK\x03\x04 not a zip", b"hello", json.dumps({"a": 1}).encode()):
        with pytest.raises(IdentifyError):
            identify(model, data)
