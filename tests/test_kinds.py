"""Kinds of work (issue 25): the list, how presets merge, that they never override an answer, the
decisions left to the user per worked example, and the answers schema 4 migration."""
from __future__ import annotations

import json
from pathlib import Path
from statistics import median
from typing import Any, Mapping

import pytest
from hypothesis import HealthCheck, find, given, settings, strategies as st

from itaku import answers as answers_module, web
from itaku.answers import AnswersError, load_file, shown_questions, validate
from itaku.contents import documents
from itaku.deviations import deviations, kind_rows
from itaku.job import build_job, job_context
from itaku.kinds import QUESTION, kinds, merge_presets, page_presets, presets, with_presets
from itaku.kinds import decisions as user_decisions
from itaku.model import Corpus

from strategies import answers as answer_space

FIXTURES = Path(__file__).parent / "fixtures"
MIGRATION_FLAG = "業務の類型（新しい質問）を選んでください"
MAX_MEDIAN, MAX_DECISIONS = 25, 30


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


def example(model: Corpus, eid: str) -> dict[str, Any]:
    return dict(next(e for e in model.data["examples"] if e["id"] == eid)["answers"])


# ---------------------------------------------------------------- the list

def test_at_least_twelve_kinds_with_the_named_ones(model):
    labels = {k["label"] for k in kinds(model)}
    assert len(labels) >= 12
    for wanted in ("データ入力・処理", "情報システムの運用・保守", "事業者のクラウドサービス（SaaS）の利用", "印刷・封入封緘・発送",
                   "運搬・配送", "電話・窓口での受付（コールセンター）", "訪問・調査", "施設の管理運営（指定管理）",
                   "記録・媒体の廃棄（消去・破砕・溶解）", "郵便・申請書の受付・開封", "検針・計測", "健診・検査"):
        assert wanted in labels, wanted
    assert all(k["help"] and k["presets"] for k in kinds(model))


def test_work_kinds_is_asked_first_with_the_kinds_as_choices(model):
    first = model.steps[0]["questions"]
    assert QUESTION in [q["key"] for q in first]  # the first step (after the name, department, dates)
    q = model.question(QUESTION)
    assert q["type"] == "multi" and q["since"] == 4
    assert [c["value"] for c in q["choices"]] == [k["id"] for k in kinds(model)]


# ---------------------------------------------------------------- merging

def test_presets_merge_by_type(model):
    merged = merge_presets(model, ["print_mail", "visits"])
    assert merged["carry_out"] == (True, ["visits"])  # bool: OR
    assert merged["work_places"][0] == ["contractor_premises", "visits"]  # multi: union in choice order
    assert merged["mailing_methods"][0] == ["print", "post"]
    assert merge_presets(model, ["saas", "scanning"])["processing"][0] == "both"  # electronic + both
    assert merge_presets(model, ["delivery", "meter_reading", "visits"])["field_devices"][0] == ["handheld", "paper"]
    assert merge_presets(model, ["meter_reading", "print_mail"])["processing"][0] == "both"  # join
    assert merge_presets(model, ["health_check", "facility"])["contract_type"][0] == "designated_manager"
    # a bool one kind presets false and another true: the need wins
    assert merge_presets(model, ["disposal", "data_entry"])["deliverables"] == (True, ["data_entry", "disposal"])
    assert merge_presets(model, ["disposal"])["deliverables"] == (False, ["disposal"])
    assert merge_presets(model, []) == {}


def test_every_preset_question_has_a_short_name(model):
    """The list of answers the kinds set names each question briefly (issue 30); one without is refused."""
    from copy import deepcopy

    from itaku.build.validate_kinds import SHORT_MAX, validate_kinds

    def problems(data):
        questions = {q["key"]: q for step in data["questions"]["steps"] for q in step["questions"]}
        found: list[str] = []
        validate_kinds(data["kinds"], questions, found)
        return found

    data = deepcopy(model.data)
    assert problems(data) == []
    carry_out = next(q for step in data["questions"]["steps"] for q in step["questions"] if q["key"] == "carry_out")
    assert 0 < len(carry_out["short"]) <= SHORT_MAX
    del carry_out["short"]
    assert any("carry_out" in p and "short" in p for p in problems(data))


def test_kind_keys_are_in_the_condition_context(model):
    context, _ = job_context(model, validate(model, example(model, "printing")).values)
    assert context["kind_print_mail"] is True and context["kind_visits"] is False
    assert {k for k in context if k.startswith("kind_")} == {"kind_" + k["id"] for k in kinds(model)}


# ---------------------------------------------------------------- never over an answer

def overridden(model: Corpus, raw: Mapping[str, Any]) -> list[str]:
    """Questions the user answered whose validated value changes when the kinds are chosen (must be none)."""
    given_keys = [k for k, v in raw.items() if v is not None and k != QUESTION]
    try:
        with_kinds = validate(model, raw).values
        without = validate(model, {k: v for k, v in raw.items() if k != QUESTION}).values
    except AnswersError:
        return []
    return [k for k in given_keys if k in with_kinds and k in without and with_kinds[k] != without[k]]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_presets_never_override_an_answer(model, data):
    raw, _ = data.draw(answer_space(model))
    raw[QUESTION] = data.draw(st.lists(st.sampled_from([k["id"] for k in kinds(model)]), min_size=1, unique=True))
    filled = with_presets(model, raw)
    assert all(filled[k] == v for k, v in raw.items() if v is not None)
    assert overridden(model, raw) == []
    user_set = data.draw(st.lists(st.sampled_from(sorted(raw)), unique=True))
    values, marked = page_presets(model, raw, user_set)
    assert not set(values) & set(user_set) and not set(marked) & set(user_set)


def test_the_answer_space_covers_the_kinds(model):
    """tests/strategies.py draws every question from the corpus, so every property test sees work_kinds."""
    raw, _ = find(answer_space(model), lambda drawn: len(drawn[0].get(QUESTION) or []) >= 2)
    assert set(raw[QUESTION]) <= {k["id"] for k in kinds(model)}


def test_a_planted_override_is_caught(model, monkeypatch):
    """The property above fails when a preset replaces an answer (the fault planted in validation)."""
    def faulty(corpus: Corpus, raw: Mapping[str, Any]) -> dict[str, Any]:
        return {**raw, **presets(corpus, raw)}
    raw = {**example(model, "paper-office"), QUESTION: ["visits"], "carry_out": False}
    assert overridden(model, raw) == []
    monkeypatch.setattr(answers_module, "with_presets", faulty)
    assert "carry_out" in overridden(model, raw)


def test_presets_fill_only_unanswered_questions(model):
    raw = {k: v for k, v in example(model, "printing").items() if k not in ("copying", "mailing")}
    values = validate(model, {**raw, "copying": False}).values
    assert values["copying"] is False and values["mailing"] is True  # answered kept, unanswered preset
    assert validate(model, {**raw, QUESTION: []}).values["mailing"] is False  # no kind: the default


def test_the_page_gets_presets_for_untouched_questions_only(model):
    raw = {**example(model, "paper-office"), QUESTION: ["visits"], "carry_out": False}
    state = web.state(raw, None, None, [QUESTION, "carry_out"])
    assert "carry_out" not in state["presets"] and state["answers"]["carry_out"] is False
    assert state["presets"]["work_places"] == ["visits"] and "work_places" in state["preset_keys"]
    state = web.state({**raw, QUESTION: []}, None, None, [QUESTION])
    assert state["presets"]["carry_out"] is False and state["preset_keys"] == []  # unticked: back to the default
    assert web.state(raw)["presets"] == {}  # without the answered keys (older callers): nothing preset


# ---------------------------------------------------------------- decisions per worked example

def decisions(model: Corpus, raw: Mapping[str, Any]) -> list[str]:
    values = validate(model, raw).values
    return user_decisions(model, raw, values, shown_questions(model, values))


def test_decisions_per_worked_example(model):
    counts = {e["id"]: len(decisions(model, e["answers"])) for e in model.data["examples"]}
    print("decisions per example:", counts, "median", median(counts.values()), "max", max(counts.values()))
    assert median(counts.values()) <= MAX_MEDIAN
    assert max(counts.values()) <= MAX_DECISIONS, counts


def test_every_worked_example_names_its_kinds(model):
    for e in model.data["examples"]:
        assert e["answers"].get(QUESTION), e["id"]
    covered = {k for e in model.data["examples"] for k in e["answers"][QUESTION]}
    assert {k["id"] for k in kinds(model)} <= covered  # every kind has a worked example (issue 25)


@pytest.mark.parametrize("eid", ["media-disposal", "application-mailroom", "benefit-intake-centre"])
def test_new_examples_generate(model, eid):
    job = build_job(model, validate(model, example(model, eid)))
    assert documents(job)


# ---------------------------------------------------------------- 条文の採否一覧

def test_deviations_list_the_kinds_and_their_presets(model):
    job = build_job(model, validate(model, example(model, "application-mailroom")))
    doc = deviations(job)
    texts = [getattr(b, "text", "") for b in doc.blocks]
    assert "業務の類型" in texts and any("郵便・申請書の受付・開封" in t for t in texts)
    rows = {r[0]: r for r in kind_rows(job)}
    places = rows[model.labels()["work_places"]]  # as documents quote it
    assert places[2].startswith("変更：") and places[3] == "データ入力・処理"
    assert rows[model.labels()["copying"]][2] == "類型のとおり"
    none = build_job(model, validate(model, {**example(model, "paper-office"), QUESTION: []}))
    assert any("選ばれていません" in getattr(b, "text", "") for b in deviations(none).blocks)


# ---------------------------------------------------------------- schema 4

@pytest.mark.parametrize("path", sorted((FIXTURES / "schema3").glob("*.json")) + sorted((FIXTURES / "schema2").glob("*.json")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_older_files_get_no_kinds_and_a_flag(model, path):
    loaded = load_file(model, path.read_bytes())
    assert loaded.schema_version in (2, 3) and model.schema_version >= 4
    assert loaded.answers[QUESTION] == []
    assert loaded.flagged[QUESTION] == MIGRATION_FLAG
    old = json.loads(path.read_text(encoding="utf-8"))["answers"]
    assert {k: loaded.answers[k] for k in old} == old
    answers = validate(model, loaded.answers, loaded.removed)
    assert QUESTION not in answers.values  # nothing preset: the documents are the ones the file made
    assert answers.values == validate(model, old, loaded.removed).values
    assert documents(build_job(model, answers))


def test_current_files_are_not_flagged(model):
    doc = web.answers_file(example(model, "printing"))
    assert doc["schema_version"] == model.schema_version
    loaded = load_file(model, json.dumps(doc, ensure_ascii=False))
    assert loaded.flagged == {} and loaded.answers[QUESTION] == ["print_mail"]


def test_scanning_gets_the_page_count_reconciliation(model):
    """A scanning job (kind 公文書のデジタル化・スキャン) is told to count pages per box, reconcile them with the
    images, keep the originals' binding and order, and return them as received; the item checks it. A job that
    is not scanning has neither, even with deliverables."""
    from itaku.checklists import applicable_items
    from strategies import example_job, spec_texts
    scan = example_job(model, "record-digitisation")
    texts = [t for cid, t in spec_texts(scan) if cid == "deliverable-inspection"]
    assert any("画像の数を単位ごとに原本の枚数と照合し" in t for t in texts)
    assert any("ステープルの取外し" in t for t in texts)
    assert "deliverable-inspection-04" in applicable_items(scan, "after")
    other = example_job(model, "printing")
    assert "deliverable-inspection" in {s.clause["id"] for s in other.selected}  # the article is there, not the 項
    assert not any("原本の枚数と照合" in t for _, t in spec_texts(other))
    assert "deliverable-inspection-04" not in applicable_items(other, "after")
