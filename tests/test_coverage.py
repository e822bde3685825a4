"""Checklists follow the job (issue 29.1): every adopted 項/号 is checked by an item, a plan row or a recorded
reason (checklists/coverage.yml); every extra term has its own row quoting it; no item checks a step the job
does not have. Over the worked examples and the answer space."""
from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings

from itaku.articles import _with_rows
from itaku.checklists import _article_items, checklist_rows
from itaku.conditions import evaluate
from itaku.job import Job
from itaku.onsite import onsite_checks, onsite_rows
from itaku.model import Corpus

from strategies import answers as answer_space, example_jobs, holds_over_answer_space, job_of

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=[Phase.explicit, Phase.reuse, Phase.generate])

# Steps a job may or may not have (the answer and its value), and phrases that only an item checking that step
# contains. When the job does not have the step, no contractor row and no on-site record sheet may contain them.
STEPS: dict[tuple[str, str], tuple[str, ...]] = {
    ("mailing_methods", "email"): ("メール配信", "試験配信"),
    ("mailing_methods", "web"): ("ウェブサイトへの掲載", "掲載・公表", "掲載前"),
    ("mailing_methods", "print"): ("試し刷り", "損紙", "数量照合表"),
    ("mailing_methods", "hand"): ("配付記録票", "投函"),
    ("mailing_methods", "print+post"): ("封緘前の照合", "重なり封入"),
    ("field_devices", "device"): ("携帯端末等管理台帳",),
}


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


# ---------------------------------------------------------------- every adopted 項/号 is reached

def _cond(c: Any) -> str:
    return json.dumps(c, sort_keys=True, ensure_ascii=False)


def unreached(job: Job) -> list[str]:
    """The adopted 項/号 that no applicable item, plan row or recorded reason checks."""
    applicable = [item for _, item in _article_items(job)]  # every applicable item (contractor or 委託元)
    ids = {i["id"] for i in applicable}
    kinds = {e.key[0] for e in job.plan}
    entries = job.corpus.data.get("coverage") or []
    out = []
    for s in job.selected:
        own = [i for i in applicable if i["clause"] == s.clause["id"]]
        conds = {_cond(i.get("applies_when")) for i in own}
        parts: list[tuple[str, Any]] = []
        for p in _with_rows(s.clause, s.clause["texts"][s.variant], job.context):
            if not evaluate(p.get("when"), job.context):
                continue
            parts.append((p["text"], p.get("when")))
            conds_of_items = p.get("items_when") or [None] * len(p["items"])
            parts += [(t, w) for t, w in zip(p["items"], conds_of_items) if evaluate(w, job.context)]
        for text, when in parts:
            if when is None:
                if not own:
                    out.append(f"{s.clause['id']}: 「{text[:30]}」（条文に確認項目がない）")
                continue
            if _cond(when) in conds:
                continue
            mapped = [e for e in entries if e["clause"] == s.clause["id"] and text.startswith(e["starts"])]
            if not any(set(e.get("items") or []) & ids or set(e.get("plan") or []) & kinds or e.get("reason")
                       for e in mapped):
                out.append(f"{s.clause['id']}{'/' + s.variant if s.variant else ''}: 「{text[:30]}」")
    return out


def test_worked_examples_reach_every_adopted_paragraph(model):
    problems = [f"{job.context['work_name']}: {p}" for job in example_jobs(model) for p in unreached(job)]
    assert not problems, "\n".join(problems)


def test_every_adopted_paragraph_is_reached_over_the_answer_space(model):
    holds_over_answer_space(model, lambda job: unreached(job) + term_problems(job), SETTINGS)


def test_a_paragraph_without_its_item_is_found(model):
    """The check finds a gap: without the device item (carry-out-06) the meter-reading job's 号 on handheld
    terminals is reached by nothing."""
    raw = next(e for e in model.data["examples"] if e["id"] == "meter-reading")["answers"]
    data = dict(model.data)
    data["items"] = [i for i in model.data["items"] if i["id"] != "carry-out-06"]
    gaps = unreached(job_of(Corpus(data), raw))
    assert any("携帯端末等管理台帳" in g for g in gaps), gaps


# ---------------------------------------------------------------- job-specific paragraphs have their items

def test_job_specific_steps_have_their_items(model):
    by_id = {e["id"]: e["answers"] for e in model.data["examples"]}
    after = {eid: {r.item_id for r in checklist_rows(job_of(model, by_id[eid]), "after")}
             for eid in ("meter-reading", "printing", "tax-notice-printing")}
    assert "carry-out-06" in after["meter-reading"]  # handheld terminals
    assert "misdelivery-10" in after["meter-reading"]  # posting by one worker
    for eid in ("printing", "tax-notice-printing"):
        assert {"misdelivery-08", "misdelivery-09"} <= after[eid]  # test print, spoilage, count per process


# ---------------------------------------------------------------- extra terms: one row each, quoting it

TERMS = [{"text": "受託者は、検針データを毎日の作業終了時に委託元のサーバへ送信し、端末から消去すること。"},
         {"text": "受託者は、<b>検針票</b>を「再委託先」に渡さないこと"}]


def term_problems(job: Job) -> list[str]:
    terms = [" ".join(str(r.get("text", "")).split()).rstrip("。") for r in job.context.get("extra_terms") or []]
    terms = [t for t in terms if t]
    if not terms or "job-specific-terms" not in {s.clause["id"] for s in job.selected}:
        return []
    out = []
    for phase in ("before", "after"):
        rows = [r for r in checklist_rows(job, phase) if r.item_id.startswith("job-specific-terms-01")]
        quoted = [r.question for r in rows]
        if len(rows) != len(terms):
            out.append(f"{phase}: 固有の遵守事項 {len(terms)} 件に行が {len(rows)} 行")
        out += [f"{phase}: 「{t}」を引用する行がない" for t in terms if not any(f"「{t}」" in q for q in quoted)]
    return out


def test_each_extra_term_has_its_own_row(model):
    raw = {**next(e for e in model.data["examples"] if e["id"] == "meter-reading")["answers"], "extra_terms": TERMS}
    job = job_of(model, raw)
    assert not term_problems(job)
    rows = [r for r in checklist_rows(job, "after") if r.item_id.startswith("job-specific-terms-01")]
    assert [r.item_id for r in rows] == ["job-specific-terms-01-r1", "job-specific-terms-01-r2"]
    assert "「受託者は、<b>検針票</b>を「再委託先」に渡さないこと」" in rows[1].question  # as typed, never reworded


def test_a_generic_row_for_the_terms_is_found(model, monkeypatch):
    """Planted fault: one generic row for all the terms (``row_items`` returning the item itself)."""
    raw = {**next(e for e in model.data["examples"] if e["id"] == "meter-reading")["answers"], "extra_terms": TERMS}
    monkeypatch.setattr(Corpus, "row_items", lambda self, item, values: [item])
    assert term_problems(job_of(Corpus(model.data), raw))


# ---------------------------------------------------------------- no item checks a step the job does not have

def absent_steps(job: Job) -> list[tuple[str, str]]:
    v = job.context
    methods = set(v.get("mailing_methods") or []) if v.get("mailing") else set()
    out = []
    if v.get("mailing"):  # the general e-mail and web 号 stay in electronic jobs that send nothing
        out += [("mailing_methods", m) for m in ("email", "web") if m not in methods]
    out += [("mailing_methods", m) for m in ("print", "hand") if m not in methods]
    if not methods & {"print", "post"}:
        out.append(("mailing_methods", "print+post"))
    if not set(v.get("field_devices") or []) & {"handheld", "tablet", "laptop", "media"} or not v.get("carry_out"):
        out.append(("field_devices", "device"))
    return out


def step_problems(job: Job) -> list[str]:
    texts = [(f"{phase} {r.item_id}", r.question) for phase in ("before", "after") for r in checklist_rows(job, phase)]
    texts += [(f"実地調査 {e.key[0]} {r.item_id}", r.question) for e in onsite_checks(job) for r in onsite_rows(job, e)]
    return [f"{where}: 「{phrase}」（{key}={value} はこの業務にない）"
            for key, value in absent_steps(job) for phrase in STEPS[(key, value)]
            for where, text in texts if phrase in text]


def test_worked_examples_check_no_step_they_do_not_have(model):
    problems = [f"{job.context['work_name']}: {p}" for job in example_jobs(model) for p in step_problems(job)]
    assert not problems, "\n".join(problems)


def test_no_item_checks_a_step_the_job_does_not_have(model):
    holds_over_answer_space(model, step_problems, SETTINGS)


def test_a_step_item_left_on_is_found(model):
    """Planted fault: the print-only items applying to every mailing job (a hand-delivery job gets 試し刷り)."""
    data = dict(model.data)
    data["items"] = [dict(i, applies_when={"eq": ["mailing", True]}) if i["id"] == "misdelivery-08" else i
                     for i in model.data["items"]]
    raw = next(e for e in model.data["examples"] if e["id"] == "meter-reading")["answers"]
    assert any("試し刷り" in p for p in step_problems(job_of(Corpus(data), raw)))


def test_checklist_page_and_record_draw_the_term_rows(model):
    """The checklist page draws each term's row (``job_scope`` → ``added_groups``) and record.xlsx names it."""
    import json as _json

    from itaku import web
    from itaku.checks import record_sheet
    from itaku.outputs import job_record

    raw = {**next(e for e in model.data["examples"] if e["id"] == "meter-reading")["answers"], "extra_terms": TERMS}
    record = job_record(job_of(model, raw))
    scope = web.job_scope(_json.dumps(record).encode(), "after")
    assert not scope.get("error") and not scope["unknown_items"]
    html = "".join(g["items"] for g in scope["added_groups"])
    assert 'data-item="job-specific-terms-01-r2"' in html and "&lt;b&gt;検針票&lt;/b&gt;" in html  # escaped
    check = {"phase": "after", "date": "2027-06-01", "method": "実地", "checker": "監督員", "answers": {}}
    rows = {r.item_id: r.question for r in record_sheet(model, record, check).rows}
    assert "検針データを毎日の作業終了時に" in rows["job-specific-terms-01-r1"]
