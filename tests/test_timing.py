"""Issue 25 item 5 and issue 29 item 5: the plan follows when the work happens.

Properties over the answer space (each ``prop_*`` returns the problems it finds), each also run against a
planted fault below so that it is known to be able to fail:
- every attendance an adopted paragraph of the specification promises has a plan row;
- every plan row lies within [作成日, contract end], except the after-care, whose row says 「契約終了後」;
- on-site checks fall in the busy months (peak_months) when the period has some;
- every dated piece of work (work_events) has a one-day 実地 row on its date;
- work whose errors a final inspection cannot find gets attendance during the work.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from itaku import plan, timing
from itaku.checklists import checklist_rows
from itaku.answers import AnswersError, validate
from itaku.articles import kept_paragraphs
from itaku.job import Job, build_job
from itaku.model import Corpus
from itaku.onsite import record_rows
from itaku.supervision import plan_rows, supervision_plan
from itaku.wareki import parse_date

from strategies import answers as answer_space

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=[Phase.explicit, Phase.reuse, Phase.generate])
ATTENDANCE = re.compile("立会|立ち会")
# (clause, variant) whose adopted paragraphs promise attendance → a phrase of the 実地 plan row that keeps the
# promise; None: the paragraph's attendant is the contractor (security: outsiders' maintenance work).
# A new paragraph promising attendance fails the property until it is listed here with its plan row.
PROMISES: dict[tuple[str, str], str | None] = {
    ("return-disposal", ""): "廃棄・消去の立会い",
    ("media-destruction", ""): "廃棄対象物の処理",
    ("transport", ""): "臨時の一括抽出・大量の移送",
    ("transport", "courier"): "運搬の初回の立会い",
    ("privileged-access", ""): "情報システムの外への出力への立会い",
    ("misdelivery", "with-mailing"): "試し刷り",
    ("designated-manager", ""): "引継ぎ",
    ("security", ""): None,
}
FINAL_INSPECTION_IS_NOT_ENOUGH = "作業中の立会いと工程の確認"


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


@st.composite
def timed_answers(draw: st.DrawFn, corpus: Corpus) -> tuple[dict[str, Any], dict[str, str]]:
    """The answer space, with busy months and dated work always drawn and 作成日 sometimes inside the contract
    (documents made for a running contract), which the shared strategy never draws."""
    raw, removed = draw(answer_space(corpus))
    start, end = date.fromisoformat(raw["contract_start"]), date.fromisoformat(raw["contract_end"])
    if draw(st.booleans()):
        raw["created_on"] = draw(st.dates(start, end)).isoformat()
    created = max(start, date.fromisoformat(raw["created_on"]))
    raw["peak_months"] = draw(st.lists(st.sampled_from([str(m) for m in range(1, 13)]), max_size=4, unique=True))
    column = next(c for q in corpus.questions() if q["key"] == "work_events" for c in q["columns"] if c["key"] == "what")
    whats = [choice["value"] for choice in column["choices"]]
    raw["work_events"] = draw(st.lists(st.fixed_dictionaries({
        "date": st.dates(created, end).map(date.isoformat), "what": st.sampled_from(whats),
        "note": st.sampled_from(["", "初回の入力", "「本番」移行"])}), max_size=5))
    return raw, removed


def job_of(model: Corpus, raw: dict[str, Any], removed: dict[str, str] | None = None) -> Job:
    return build_job(model, validate(model, raw, removed or {}))


def _dates(v: Any) -> tuple[date, date, date]:
    return (date.fromisoformat(v["created_on"]), date.fromisoformat(v["contract_start"]),
            date.fromisoformat(v["contract_end"]))


# ---------------------------------------------------------------- properties

def prop_promised_attendance_has_a_row(job: Job) -> list[str]:
    problems = []
    onsite = [e.what for e in job.plan if e.method == "実地"]
    for s in job.selected:
        kept = kept_paragraphs(s.clause["texts"][s.variant], job.context)
        if not any(ATTENDANCE.search(t) for text, items in kept for t in [text, *items]):
            continue
        if (s.clause["id"], s.variant) not in PROMISES:
            problems.append(f"{s.clause['id']}（{s.variant or '標準'}）が立会いを定めるが、計画の行が決まっていない")
            continue
        phrase = PROMISES[(s.clause["id"], s.variant)]
        if phrase and not any(phrase in what for what in onsite):
            problems.append(f"{s.clause['id']} が約束する立会い（{phrase}）の実地の行が計画にない")
    return problems


def prop_rows_within_created_and_end(job: Job) -> list[str]:
    problems = []
    created, _, end = _dates(job.context)
    for e in job.plan:
        if e.earliest < created:
            problems.append(f"{e.key}: {e.earliest} は作成日 {created} より前")
        if e.due > end and e.key[0] not in plan.AFTER_CARE:
            problems.append(f"{e.key}: 期限 {e.due} が契約の終了日 {end} より後")
        if e.due < e.earliest:
            problems.append(f"{e.key}: 期限 {e.due} が開始 {e.earliest} より前")
    for when, what, _, _ in plan_rows(job):
        days = [parse_date(part) for part in when.split("〜")]
        if min(days) < created:
            problems.append(f"行「{what[:30]}」の時期 {when} が作成日より前")
        if max(days) > end and "契約終了後" not in what:
            problems.append(f"行「{what[:30]}」の時期 {when} が契約の終了後なのに、そう書いていない")
    return problems


def prop_onsite_checks_in_busy_months(job: Job) -> list[str]:
    months = timing.peak_months(job.context)
    if not months:
        return []
    created, start, end = _dates(job.context)
    problems = []
    for i, (a, b) in enumerate(plan.periods(start, end)):
        run = timing.busiest(months, a, b)
        if run is None or run[1] <= max(start, created):  # nothing busy left once the documents exist
            continue
        for e in job.plan:
            if e.key[0] in plan.PEAK_KINDS and e.key[1] == i and not run[0] <= e.earliest <= e.due <= run[1]:
                problems.append(f"{e.key}: {e.earliest}〜{e.due} が繁忙期 {run[0]}〜{run[1]} の外")
    return problems


def prop_dated_work_is_attended(job: Job) -> list[str]:
    problems = []
    for ev in timing.events(job.context):
        words = "廃棄・消去の立会い" if ev.what == "destruction" else timing.EVENT_WHAT[ev.what]
        if not any(e.method == "実地" and e.earliest == e.due == ev.day and words in e.what for e in job.plan):
            problems.append(f"{ev.day} の作業（{ev.what}）に立ち会う実地の行がない")
    return problems


def prop_attendance_where_final_inspection_is_not_enough(job: Job) -> list[str]:
    v = job.context
    needs = {"発送・配付・送信": v.get("act_mailing") == "allowed",
             "入力・読取りの初回": bool(v.get("kind_data_entry") or v.get("kind_scanning")),
             "帳票の初回の出力": bool(v.get("kind_benefits")),
             "作業中の取扱い": v.get("secrecy") in ("high", "very_high")}
    rows = [e.what for e in job.plan if e.method == "実地" and FINAL_INSPECTION_IS_NOT_ENOUGH in e.what]
    steps = {"発送・配付・送信": [plan.FIRST_STEPS[m] for m in v.get("mailing_methods") or plan.FIRST_STEPS]}
    return [f"最終の検査では誤りを見付けられない作業（{work}）なのに、作業中の立会いの行にない"
            for work, needed in needs.items()
            if needed and not any(all(s in what for s in steps.get(work, [work])) for what in rows)]


PROPERTIES = (prop_promised_attendance_has_a_row, prop_rows_within_created_and_end,
              prop_onsite_checks_in_busy_months, prop_dated_work_is_attended,
              prop_attendance_where_final_inspection_is_not_enough)


def problems_of(job: Job) -> list[str]:
    return [f"{p.__name__}: {x}" for p in PROPERTIES for x in p(job)]


@pytest.mark.parametrize("strategy", ["shared", "timed"])
def test_properties_over_the_answer_space(model, strategy):
    @SETTINGS
    @given((answer_space if strategy == "shared" else timed_answers)(model))
    def check(case):
        raw, removed = case
        try:
            job = job_of(model, raw, removed)
        except AnswersError as exc:  # only the dates this module draws may be refused, never silently
            assert strategy == "timed" and set(exc.errors) <= {"created_on", "work_events"}, exc.errors
            return
        assert problems_of(job) == []
    check()


def test_worked_examples_keep_the_properties(model):
    for example in model.data["examples"]:
        assert problems_of(job_of(model, dict(example["answers"]))) == [], example["id"]


# ---------------------------------------------------------------- planted faults: each property can fail

BASE = {"work_name": "課税資料入力業務", "department": "市民税課", "created_on": "2026-03-01",
        "contract_start": "2026-04-01", "contract_end": "2027-03-31", "work_kinds": ["data_entry"],
        "record_count": 5000, "peak_months": ["12", "1"],
        "work_events": [{"date": "2026-04-10", "what": "first_run", "note": "入力の開始"},
                        {"date": "2026-12-15", "what": "destruction", "note": ""},
                        {"date": "2027-02-01", "what": "migration", "note": ""}]}


def test_the_base_case_keeps_every_property(model):
    assert problems_of(job_of(model, BASE)) == []


def test_a_plan_without_the_promised_attendance_fails(model, monkeypatch):
    monkeypatch.setattr(plan, "witness", lambda v, start, end: [])
    assert prop_promised_attendance_has_a_row(job_of(model, BASE))


def test_a_new_attendance_paragraph_without_a_plan_row_fails(model):
    corpus = {**model.data, "clauses": [dict(c) for c in model.data["clauses"]]}
    staff = next(c for c in corpus["clauses"] if c["id"] == "staff")
    staff["texts"] = {"": [*staff["texts"][""], {"text": "{{client}}は、研修に立ち会う。", "items": [],
                                                 "items_when": [], "when": None}]}
    assert any("staff" in p for p in prop_promised_attendance_has_a_row(job_of(Corpus(corpus), BASE)))


def test_rows_before_created_or_after_the_end_fail(model, monkeypatch):
    late = {**BASE, "created_on": "2026-06-01", "work_events": []}
    assert prop_rows_within_created_and_end(job_of(model, late)) == []
    monkeypatch.setattr(plan, "_fit", lambda v, start, end, r: r)
    assert prop_rows_within_created_and_end(job_of(model, late))


def test_the_after_care_must_say_so(model, monkeypatch):
    real = plan.merge  # the end-of-contract row no longer says it runs past the end
    monkeypatch.setattr(plan, "merge", lambda reqs: [plan.replace(e, what=e.what.replace("契約終了後", ""))
                                                     for e in real(reqs)])
    assert any("そう書いていない" in p for p in prop_rows_within_created_and_end(job_of(model, BASE)))


def test_onsite_checks_outside_the_busy_months_fail(model, monkeypatch):
    monkeypatch.setattr(timing, "busiest", lambda months, a, b: None)  # the plan ignores the answer
    job = job_of(model, BASE)
    monkeypatch.undo()
    assert prop_onsite_checks_in_busy_months(job)


def test_dated_work_without_attendance_fails(model, monkeypatch):
    monkeypatch.setattr(plan, "RULE_SETS", plan.BASE_RULES)  # the dated rule left out
    assert prop_dated_work_is_attended(job_of(model, BASE))


def test_keying_without_attendance_during_the_work_fails(model, monkeypatch):
    monkeypatch.setattr(plan, "process_steps", lambda v: [])
    assert prop_attendance_where_final_inspection_is_not_enough(job_of(model, {**BASE, "work_events": []}))


# ---------------------------------------------------------------- examples and messages

def test_the_december_peak_gets_the_visit_in_december(model):
    """The case of issue 25: 70 % of the work in December–January, visits in April and August."""
    job = job_of(model, {**BASE, "work_events": []})
    annual = [e for e in job.plan if e.key[0] == "annual"]
    assert [(e.earliest, e.due) for e in annual] == [(date(2026, 12, 1), date(2027, 1, 31))]
    text = " ".join(str(getattr(b, "text", "")) for b in supervision_plan(job).blocks)
    assert "作業が集中する月（回答）：12月・1月" in text


def test_one_visit_a_day(model):
    """Dated work on the day another on-site check opens joins it, so two visits never open the same day; dated
    work inside the yearly check's window (here the busy months from 12/1) is that check's day."""
    job = job_of(model, BASE)
    first = next(e for e in job.plan if e.key[0] == "onsite-start")
    assert (first.earliest, first.due) == (date(2026, 4, 10), date(2026, 4, 10))
    assert "作業の初回の立会い" in first.what and FINAL_INSPECTION_IS_NOT_ENOUGH in first.what
    annual = next(e for e in job.plan if e.key[0] == "annual")
    assert (annual.earliest, annual.due) == (date(2026, 12, 15), date(2026, 12, 15))
    assert "契約後の遵守確認表による確認" in annual.what and "資料等の廃棄・消去の立会い" in annual.what
    assert [e.earliest for e in job.plan if e.key[0] == "attend"] == [date(2027, 2, 1)]
    # its record sheet: the yearly visit's items and the disposal's (seen at the end, so added for the day)
    section = next(s for s in model.data["documents"]["sections"] if s["id"] == "onsite-record")
    ids = [r.item_id for r in record_rows(job, section["source_table"], annual)]
    assert any(i.startswith("return-disposal-") for i in ids) and any(i.startswith("audit-") for i in ids)
    assert len(ids) == len(set(ids))
    # before the window: a visit of its own, and the yearly check keeps its window
    early = job_of(model, {**BASE, "work_events": [{**BASE["work_events"][1], "date": "2026-10-15"}]})
    assert [e.earliest for e in early.plan if e.key[0] == "attend"] == [date(2026, 10, 15)]
    assert next(e for e in early.plan if e.key[0] == "annual").earliest == date(2026, 12, 1)


def test_a_short_contract_is_not_visited_once_more_for_the_yearly_check(model):
    """Three months, three dated days: the sending inside the yearly window is the yearly check (before, the
    plan had five visits: the yearly check on a day of its own as well)."""
    short = {**BASE, "contract_start": "2026-06-01", "contract_end": "2026-08-31", "peak_months": [],
             "work_kinds": [], "record_count": 300,
             "work_events": [{"date": "2026-06-03", "what": "first_run", "note": ""},
                             {"date": "2026-07-15", "what": "shipment", "note": ""},
                             {"date": "2026-08-20", "what": "destruction", "note": ""}]}
    job = job_of(model, short)
    visits = [e for e in job.plan if e.method == "実地"]
    annual = next(e for e in visits if e.key[0] == "annual")
    assert annual.earliest == annual.due == date(2026, 7, 15)
    dated = [(e.key[0], e.earliest) for e in visits if e.key[0] != "witness"]  # witness: on notice, no date
    assert dated == [("attend", date(2026, 6, 3)), ("attend", date(2026, 8, 20)), ("annual", date(2026, 7, 15)),
                     ("end", date(2026, 8, 31))]  # was five: the yearly check on a day of its own as well
    assert problems_of(job) == []



def test_dated_work_names_its_article(model):
    rows = plan_rows(job_of(model, BASE))
    destruction = next(r for r in rows if r[0] == "令和8年12月15日")
    job = job_of(model, BASE)
    number = next(s.number for s in job.selected if s.clause["id"] == "return-disposal")
    assert f"特記事項第{number}条" in destruction[3]


@pytest.mark.parametrize("change, field", [
    ({"created_on": "2027-04-01"}, "created_on"),
    ({"work_events": [{"date": "2027-04-01", "what": "shipment"}]}, "work_events"),
    ({"created_on": "2026-05-01", "work_events": [{"date": "2026-04-20", "what": "shipment"}]}, "work_events"),
])
def test_dates_the_plan_cannot_keep_are_refused_in_japanese(model, change, field):
    with pytest.raises(AnswersError) as exc:
        validate(model, {**BASE, **change})
    assert set(exc.value.errors) == {field}
    assert re.search("[ぁ-ん]", exc.value.errors[field])


def test_a_row_with_only_a_date_is_kept(model):
    values = validate(model, {**BASE, "work_events": [{"date": "2026-05-01", "what": "shipment", "note": ""}]}).values
    assert values["work_events"] == [{"date": "2026-05-01", "what": "shipment", "note": ""}]


def test_the_record_of_an_attended_disposal_lists_the_disposal_items(model):
    """inspection.docx: the 実地調査記録票 of a dated disposal checks the return-disposal items, not every item."""
    from itaku import lifecycle
    job = job_of(model, {**BASE, "work_events": [{**BASE["work_events"][1], "date": "2026-10-15"}]})
    entry = next(e for e in job.plan if e.key[0] == "attend" and "廃棄・消去" in e.what)
    f = lifecycle.Filler(job, {"check_kind": entry.key[0], "check_clauses": " ".join(entry.clauses)})
    section = next(s for s in model.data["documents"]["sections"] if s["id"] == "onsite-record")
    table = lifecycle._source_table(section["source_table"], job, f)
    number = {r.number: r.item_id for r in checklist_rows(job, "after")}  # the No. of the contractor's sheet
    assert table.rows and all(number[r[1]].startswith("return-disposal-") for r in table.rows)
