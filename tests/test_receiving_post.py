"""Receiving post and applications as the work itself (issue 26 item 4): the kind mail_opening with the ways
applications arrive named (intake_channels) gets the article 郵便物及び申請書の受付 (a receipt log from the moment
post reaches the contractor, opening by two people or under a camera with the contents counted, mis-sorted mail
handed back the same day unread, online applications downloaded and handed over by count, identity-document copies
as their own category, originals handed over or destroyed as answered, other clients' post kept apart), its items,
the forms 受付簿 and 開封記録, the first intake attended in the plan. The daily receipt and hand-over are routine,
never approved 「その都度」. Over the worked examples and the answer space, each property shown to fail on a
planted fault."""
from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings, strategies as st

from itaku.answers import answers_hash, flagged_questions, migrate, validate
from itaku.articles import article
from itaku.checklists import checklist_rows
from itaku.contents import documents
from itaku.job import Job
from itaku.model import Corpus

from strategies import answers as answer_space, holds_over_answer_space, job_of, text_of, with_fault

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=[Phase.explicit, Phase.reuse, Phase.generate])

CLAUSE = "receiving-post"
# What every intake job's article says: the receipt log and its fields, the daily close, the routine.
RECEIPT = ("受付簿に、受け付けた日、受付物の件数", "差出人の区分", "受付番号を記録し", "受付簿を日ごとに締め",
           "通常の手順であるため", "受付の手順（受付と開封の場所")
# Per answer: the phrase that must be there exactly when the answer says so.
OPENING = ("二人以上の従事者が同席して", "同封物の種類と数を確かめて開封記録に記録", "別の者が確かめた後でなければ廃棄しない",
           "誤配物", "受付簿に誤配物として記録して、その日のうちに")
ONLINE = ("取得（ダウンロード）", "引き渡す件数を受付簿の件数と照合")
ID_COPIES = "本人確認書類の写しを取り扱う従事者を、作業責任者が指名した者に限る"
OTHERS = "他の者のものと区分して取り扱わなければならない"
DESTROY = "書面により廃棄を指示した原本に限り"
KEEP_NONE = "指示なく原本を廃棄し、又は"


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


def example(model: Corpus, eid: str = "benefit-intake-centre") -> dict[str, Any]:
    return copy.deepcopy(next(e for e in model.data["examples"] if e["id"] == eid)["answers"])


def article_text(job: Job) -> str:
    """The adopted 項 and 号 of the article on receiving post, one a line ('' when it is not adopted)."""
    s = next((s for s in job.selected if s.clause["id"] == CLAUSE), None)
    if s is None:
        return ""
    return "\n".join(t for c in article(job, s).clauses for t in [c.text] + [t for _, t in c.items])


# ---------------------------------------------------------------- the property

def prop_intake_rules_receipt_and_opening(job: Job) -> list[str]:
    """An intake job rules the receipt record (受付簿 from arrival, its fields, the daily close) and, for post, the
    opening (two people or a camera, contents counted, empty envelopes checked by another, mis-sorted mail handed
    back the same day unread); online applications are downloaded and handed over by count; the answers decide
    identity-document copies, originals and other clients; the forms, items and the plan's first visit follow; the
    daily receipt and hand-over are routine. A job that is not an intake job has none of it."""
    v = job.context
    text = article_text(job)
    forms = text_of(next(d for d in documents(job) if d.name == "forms.docx"))
    if not v.get("intake_job"):
        problems = ["受付の業務でないのに郵便物及び申請書の受付の条がある"] if text else []
        return problems + (["受付の業務でないのに受付簿の様式がある"] if "受付簿（郵便物・申請書）" in forms else [])
    channels = set(v.get("intake_channels") or [])
    options = set(v.get("intake_options") or [])
    problems = [f"受付の条に「{w}」がない" for w in RECEIPT if w not in text]
    for phrase in OPENING:
        if (phrase in text) != ("post" in channels):
            problems.append(f"郵便の受付（{'post' in channels}）なのに開封の定め「{phrase}」が{'ない' if 'post' in channels else 'ある'}")
    for phrase in ONLINE:
        if (phrase in text) != ("online" in channels):
            problems.append(f"電子申請（{'online' in channels}）と申請データの定め「{phrase}」が合わない")
    for phrase, key in ((ID_COPIES, "id_copies"), (OTHERS, "other_clients"), (DESTROY, "destroy_originals")):
        if (phrase in text) != (key in options):
            problems.append(f"{key} の回答（{key in options}）と「{phrase[:20]}」が合わない")
    if (KEEP_NONE in text) == ("destroy_originals" in options):
        problems.append("原本の引渡しの定めが回答と合わない")
    if "その都度" in text:
        problems.append("日々の受付・引渡しに「その都度」の手続がある")
    for phase in ("before", "after"):
        ids = {r.item_id for r in checklist_rows(job, phase)}
        wanted = ["receiving-post-01", "receiving-post-08"] + (["receiving-post-02", "receiving-post-04"] if "post" in channels else [])
        problems += [f"遵守確認表（{phase}）に {i} がない" for i in wanted if i not in ids]
    if "受付簿（郵便物・申請書）" not in forms:
        problems.append("様式集に受付簿がない")
    if ("開封記録" in forms.split("\n")) != ("post" in channels):
        problems.append("開封記録の様式が郵便の受付の有無と合わない")
    first = [e for e in job.plan if CLAUSE in e.clauses and e.method == "実地"]
    if not first or not any("受付の初回" in e.what for e in first):
        problems.append(f"監督計画に受付の初回の立会いの行がない: {[e.what[:30] for e in job.plan]}")
    return problems


@st.composite
def intake_answers(draw: st.DrawFn, corpus: Corpus) -> tuple[dict[str, Any], dict[str, str]]:
    """The answer space with the kind mail_opening chosen (alone or with another kind), the ways applications arrive
    named or not, and any intake options: every job the questionnaire can describe around receiving post."""
    raw, removed = draw(answer_space(corpus))
    raw["work_kinds"] = list(draw(st.sampled_from([("mail_opening",), ("mail_opening", "data_entry"),
                                                   ("mail_opening", "benefits"), ("mail_opening", "scanning"),
                                                   ("reception", "mail_opening")])))
    raw["intake_channels"] = draw(st.lists(st.sampled_from(["post", "online"]), min_size=0, max_size=2, unique=True))
    raw["intake_options"] = draw(st.lists(st.sampled_from(["id_copies", "destroy_originals", "other_clients"]),
                                          unique=True))
    return raw, removed


# ---------------------------------------------------------------- the worked examples

def test_the_worked_example_rules_receipt_and_opening(model):
    job = job_of(model, example(model))
    assert job.context["intake_job"]
    assert prop_intake_rules_receipt_and_opening(job) == []
    assert job.acts["copying"].value == "routine" and job.acts["transport"].value == "routine"
    text = article_text(job)
    assert ID_COPIES in text and OTHERS in text and "取得（ダウンロード）" in text and KEEP_NONE in text
    before = {r.item_id for r in checklist_rows(job, "before")}
    assert {f"receiving-post-{n:02d}" for n in (1, 2, 3, 4, 5, 6, 8, 9, 10, 11)} <= before
    assert "receiving-post-07" not in before  # originals are handed over, not destroyed


def test_the_mailroom_example_is_an_intake_job_too(model):
    job = job_of(model, example(model, "application-mailroom"))
    assert job.context["intake_job"] and prop_intake_rules_receipt_and_opening(job) == []
    assert "取得（ダウンロード）" not in article_text(job)  # post only


def test_answers_change_the_article(model):
    job = job_of(model, example(model) | {"intake_channels": ["online"], "intake_options": ["destroy_originals"]})
    text = article_text(job)
    assert "二人以上" not in text and DESTROY in text and ID_COPIES not in text and OTHERS not in text
    assert prop_intake_rules_receipt_and_opening(job) == []


# ---------------------------------------------------------------- files saved before the questions

def test_files_without_the_intake_questions_keep_their_documents(model):
    old = example(model, "application-mailroom")
    for key in ("intake_channels", "intake_options"):
        old.pop(key)
    assert migrate(model, old, 4) == old  # nothing converted: no kind presets the ways of arrival
    job = job_of(model, old)
    assert not job.context["intake_job"] and CLAUSE not in {s.clause["id"] for s in job.selected}
    assert "intake_options" not in job.answers.values  # hidden, so not in the answers or their hash
    assert answers_hash(job.answers) == answers_hash(validate(model, old, {}))
    assert "intake_channels" not in flagged_questions(model, 4)  # an optional question of the same version
    assert flagged_questions(model, 3)["intake_channels"].startswith("申請書・郵便物の届き方（新しい質問）")


# ---------------------------------------------------------------- over the answer space

def test_intake_jobs_over_the_answer_space(model):
    holds_over_answer_space(model, prop_intake_rules_receipt_and_opening, SETTINGS, intake_answers(model))


def test_intake_paragraphs_are_covered_over_the_answer_space(model):
    """Every adopted 項/号 of an intake job is checked by an item, a plan row or a recorded reason (coverage)."""
    from test_coverage import unreached

    holds_over_answer_space(model, unreached, SETTINGS, intake_answers(model))


# ---------------------------------------------------------------- planted faults

def _paragraphs(data: dict[str, Any]) -> list[dict[str, Any]]:
    return next(c for c in data["clauses"] if c["id"] == CLAUSE)["texts"][""]


def test_a_planted_fault_without_the_receipt_log_is_found(model):
    """The receipt-log 項 left out of the article: the property misses its fields."""
    faulty = with_fault(model, lambda d: _paragraphs(d).__delitem__(1))
    found = prop_intake_rules_receipt_and_opening(job_of(faulty, example(model)))
    assert any("差出人の区分" in p for p in found), found


def test_a_planted_fault_opening_alone_is_found(model):
    """The opening 項 kept only for online applications: a post job would open mail with nobody watching."""
    def change(d: dict[str, Any]) -> None:
        for p in _paragraphs(d):
            if p["text"].startswith("{{contractor}}は、郵便物を開封するときは"):
                p["when"] = {"in": ["intake_channels", ["online"]]}
    found = prop_intake_rules_receipt_and_opening(job_of(with_fault(model, change), example(model, "application-mailroom")))
    assert any("二人以上の従事者が同席して" in p for p in found), found


def test_a_planted_fault_without_the_attended_first_intake_is_found(model, monkeypatch):
    from itaku import plan

    real = plan.process_steps
    monkeypatch.setattr(plan, "process_steps", lambda v: [s for s in real(v) if "receiving-post" not in s[2]])
    found = prop_intake_rules_receipt_and_opening(job_of(model, example(model)))
    assert any("受付の初回の立会い" in p for p in found), found
