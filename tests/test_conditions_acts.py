"""Paragraph/list-item conditions ([when: …]) and the acts model (act_<id>)."""
from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from itaku.acts import ACT_VALUES, decide
from itaku.answers import validate
from itaku.articles import article
from itaku.build.corpus import CorpusError, compile_corpus, parse_text, split_condition
from itaku.build.mkdocs_hook import clause_page
from itaku.job import build_job, job_context
from itaku.model import Corpus
from itaku.wording import answer_summary

from strategies import answers as answer_space

PAPER = "{eq: [processing, paper]}"


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


def _example(model: Corpus, eid: str) -> dict:
    return dict(next(e for e in model.data["examples"] if e["id"] == eid)["answers"])


# ---------------------------------------------------------------- parsing

def test_condition_marker_is_split_off_with_nested_brackets():
    cond, text = split_condition("[when: {all: [{eq: [processing, paper]}, {eq: [mailing, true]}]}] 本文です。")
    assert cond == {"all": [{"eq": ["processing", "paper"]}, {"eq": ["mailing", True]}]}
    assert text == "本文です。"
    assert split_condition("条件のない項。") == (None, "条件のない項。")


def test_parse_text_keeps_conditions_beside_paragraphs_and_items():
    body = (f"第一の項。\n\n[when: {PAPER}] 紙だけの項。\n\n次の号。\n\n1. いつもの号\n"
            f"2. [when: {{eq: [mailing, true]}}] 発送の号\n3. 最後の号")
    paragraphs = parse_text(body)
    assert [p["when"] for p in paragraphs] == [None, {"eq": ["processing", "paper"]}, None]
    assert paragraphs[1]["text"] == "紙だけの項。"
    assert paragraphs[2]["items"] == ["いつもの号", "発送の号", "最後の号"]
    assert paragraphs[2]["items_when"] == [None, {"eq": ["mailing", True]}, None]


def test_unreadable_or_unclosed_marker_is_a_problem():
    problems: list[str] = []
    parse_text("[when: {eq: [processing, paper] 閉じていない。", problems, "x.md")
    parse_text("[when: ただの文] 読めない。", problems, "x.md")
    assert len(problems) == 2 and all(p.startswith("x.md") for p in problems)


# ---------------------------------------------------------------- validation (scratch copy of the corpus)

@pytest.fixture()
def scratch(tmp_path: Path, root: Path) -> Path:
    for name in ("clauses", "checklists"):
        shutil.copytree(root / name, tmp_path / name)
    shutil.copy(root / "edition.yml", tmp_path / "edition.yml")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(root: Path) -> str:
    with pytest.raises(CorpusError) as exc:
        compile_corpus(root)
    return "\n".join(exc.value.problems)


CARRY_OUT_P2 = "前項の規定は、{{contractor}}の従事者が私有の"


def test_paragraph_condition_with_unknown_key_or_value_is_caught(scratch):
    _edit(scratch / "clauses/12-carry-out.md", CARRY_OUT_P2, "[when: {eq: [medium, paper]}] " + CARRY_OUT_P2)
    assert "medium" in _problems(scratch)


def test_paragraph_condition_with_unknown_choice_is_caught(scratch):
    _edit(scratch / "clauses/12-carry-out.md", CARRY_OUT_P2, "[when: {eq: [processing, vellum]}] " + CARRY_OUT_P2)
    assert "vellum" in _problems(scratch)


def test_item_condition_with_unknown_act_value_is_caught(scratch):
    _edit(scratch / "clauses/12-carry-out.md", "1. 持ち出す資料等を", "1. [when: {eq: [act_carry_out, maybe]}] 持ち出す資料等を")
    assert "maybe" in _problems(scratch)


def test_marker_in_the_middle_of_a_text_is_caught(scratch):
    _edit(scratch / "clauses/12-carry-out.md", CARRY_OUT_P2, "なお、[when: {eq: [carry_out, true]}] " + CARRY_OUT_P2)
    assert "先頭にだけ" in _problems(scratch)


def test_acts_file_errors_are_caught(scratch):
    acts = scratch / "clauses/acts.yml"
    _edit(acts, "      - value: forbidden\n        reason: 作業場所の外へ", "      - value: banned\n        reason: 作業場所の外へ")
    _edit(acts, "when: {eq: [copying, true]}", "when: {eq: [copy_needed, true]}")
    problems = _problems(scratch)
    assert "banned" in problems and "copy_needed" in problems


def test_act_may_not_look_at_a_later_act(scratch):
    _edit(scratch / "clauses/acts.yml", "when: {eq: [carry_out, true]}", "when: {eq: [act_foreign, approval]}")
    assert "act_foreign" in _problems(scratch)


# ---------------------------------------------------------------- generation

def _with_conditions(corpus: dict) -> Corpus:
    """carry-out with a paper-only 項 in the middle and a mailing-only 号 (in memory)."""
    data = copy.deepcopy(corpus)
    clause = next(c for c in data["clauses"] if c["id"] == "carry-out")
    text = clause["texts"]["with-procedure"]
    text.insert(1, {"text": "紙だけの業務の項。", "when": {"eq": ["processing", "paper"]}, "items": [], "items_when": []})
    para = text[2]
    para["items"].insert(0, "発送する業務の号。")
    para["items_when"] = [{"eq": ["mailing", True]}] + [None] * (len(para["items"]) - 1)
    return Corpus(data)


@pytest.mark.parametrize("processing,mailing", [("paper", True), ("paper", False), ("electronic", True), ("both", False)])
def test_kept_paragraphs_are_numbered_after_filtering(corpus, processing, mailing):
    model = _with_conditions(corpus)
    raw = {**_example(model, "paper-office"), "carry_out": True, "processing": processing, "mailing": mailing}
    job = build_job(model, validate(model, raw))
    art = article(job, next(s for s in job.selected if s.clause["id"] == "carry-out"))
    texts = [c.text for c in art.clauses]
    assert ("紙だけの業務の項。" in texts) == (processing == "paper")
    assert [c.label for c in art.clauses] == [""] + [str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
                                                        for n in range(2, len(texts) + 1)]
    items = [i for c in art.clauses for i in c.items]
    procedure = next(c for c in art.clauses if c.items)
    assert [label for label, _ in procedure.items] == [f"（{chr(0xFF11 + n)}）" for n in range(len(procedure.items))]
    assert any(t == "発送する業務の号。" for _, t in items) == mailing


def test_clause_page_shows_the_condition_beside_the_paragraph(corpus):
    model = _with_conditions(corpus)
    page = clause_page(model.data, model.clause("carry-out"))
    assert "〔「取扱いの形態」が「紙の資料のみ」の場合に入ります〕" in page
    assert "の場合に入ります〕</span>発送する業務の号。" in page
    assert "[when:" not in page


# ---------------------------------------------------------------- acts

def test_every_act_of_the_team_conventions_is_modelled(model):
    ids = [a["id"] for a in model.acts["acts"]]
    assert ids == ["carry_out", "copying", "extraction", "provision", "transport", "mailing", "reoutsourcing",
                   "subreoutsourcing", "cloud", "foreign"]


def test_property_every_act_has_exactly_one_value(model):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(answer_space(model))
    def prop(generated):
        raw, removed = generated
        answers = validate(model, raw, removed)
        context, acts = job_context(model, answers.values)
        assert set(acts) == {a["id"] for a in model.acts["acts"]}
        for act_id, d in acts.items():
            assert d.value in ACT_VALUES and context[f"act_{act_id}"] == d.value and d.reason
        v = answers.values
        if not v.get("transport_is_job"):
            assert (context["act_carry_out"] in ("approval", "routine")) == bool(v.get("carry_out"))
            regular = "visits" in v["work_places"] or bool({"handheld", "tablet"} & set(v.get("field_devices") or []))
            assert (context["act_carry_out"] == "routine") == (bool(v.get("carry_out")) and regular)
        else:
            assert context["act_carry_out"] == "allowed"
            # 配送そのものが業務 changes what 持出しが必要 means: the reason says so (shown in the 採否一覧)
            assert ("持出しが必要" in acts["carry_out"].reason) == bool(v.get("carry_out"))
        assert (context["act_copying"] in ("approval", "routine")) == bool(v.get("copying"))
        assert context["act_transport"] == ("allowed" if v.get("transport_is_job") else
                                            "routine" if v.get("transport") else "none")
        assert (context["act_reoutsourcing"] == "approval") == (v["reoutsourcing"] == "planned")
        assert context["act_subreoutsourcing"] in ("forbidden", "approval")
        if context["act_subreoutsourcing"] == "approval":  # never without an approved re-outsourcing
            assert context["act_reoutsourcing"] == "approval"
        assert context["act_provision"] == "forbidden"
        job = build_job(model, answers)
        assert {k: job.context[k] for k in context if k.startswith("act_")} == \
            {k: v for k, v in context.items() if k.startswith("act_")}
    prop()


def test_preview_reason_names_the_act_decision_and_the_answer(model):
    raw = {**_example(model, "paper-office"), "carry_out": True}
    context, acts = job_context(model, validate(model, raw).values)
    summary = answer_summary(model, {"eq": ["act_carry_out", "approval"]}, context)
    assert "持出しの扱い = 事前の書面による承諾を受けた場合に限り可" in summary
    assert acts["carry_out"].reason in summary


def test_decide_respects_order_and_default():
    acts = {"values": {v: v for v in ACT_VALUES},
            "acts": [{"id": "a", "label": "A", "decisions": [{"value": "allowed", "when": {"eq": ["x", 1]}, "reason": "r1"},
                                                             {"value": "none", "reason": "r2"}]},
                     {"id": "b", "label": "B", "decisions": [{"value": "approval", "when": {"eq": ["act_a", "allowed"]},
                                                              "reason": "r3"}, {"value": "forbidden", "reason": "r4"}]}]}
    assert {k: d.value for k, d in decide(acts, {"x": 1}).items()} == {"a": "allowed", "b": "approval"}
    assert {k: d.value for k, d in decide(acts, {"x": 2}).items()} == {"a": "none", "b": "forbidden"}
