"""Proportionate checklists and per-visit record sheets (issue 29.2, 29.3): the light route over the answer
space, and the 実地調査記録票 of each visit listing only what can be seen at its place and phase."""
from __future__ import annotations

import re
import sys
from datetime import date, timedelta
from typing import Any, Mapping

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from itaku.answers import AnswersError
from itaku.checklists import CONTRACTOR_SHEET, _article_items, checklist_rows
from itaku.deviations import deviations
from itaku.document import Heading, Paragraph, Table
from itaku.job import Job
from itaku.lifecycle import documents as lifecycle_documents
from itaku.onsite import onsite_checks
from itaku.model import Corpus
from itaku.supervision import own_place, visit_control, where
from itaku.wording import reword
from itaku.wareki import add_months

from strategies import answers as answer_space, dated_rows_in_period, usable_parties, example_jobs, holds_over_answer_space, job_of

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=[Phase.explicit, Phase.reuse, Phase.generate])
LIGHT_MAX = 35  # the scale of Fukuoka's checklist (29 items), with room for what the answers trigger
TERM_ROW = re.compile(r"-r\d+$")  # an extra term's own row (not an item of the corpus)

# Which visit each on-site plan entry is, written here independently of documents.yml (phase_of_kind).
VISIT = {"onsite-start": "start", "annual": "mid", "field": "during", "sub-onsite": "sub", "remote": "remote",
         "end": "end", "handover": "end", "attend": "during"}
ATTENDED = {"attend", "witness"}  # attendance on a named work (dated work, a bulk transfer): its articles' items


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


# ---------------------------------------------------------------- the light route

def low_risk(v: Mapping[str, Any]) -> bool:
    """The issue's criteria, written here in Python (the kit keeps them as data in checklists/light.yml)."""
    start, end = date.fromisoformat(v["contract_start"]), date.fromisoformat(v["contract_end"])
    one_year = end <= add_months(start, 12) + timedelta(days=6)  # a year (4/1 → 3/31) and a week's grace
    only_premises = set(v.get("work_places") or []) == {"our_premises"}
    return (not v.get("specific_personal_info") and not v.get("sensitive_info")
            and isinstance(v.get("record_count"), int) and v["record_count"] <= 1000
            and v.get("reoutsourcing") != "planned" and not v.get("carry_out") and not v.get("transport_is_job")
            and not v.get("cloud") and not v.get("foreign_handling") and one_year
            and not v.get("destruction_job")  # destruction keeps every check of the media (found by this property)
            and not v.get("system_operation")  # privileged access keeps every check (found by this property)
            and not v.get("intake_job")  # receiving post keeps every check (the fullest light job had 37 items)
            and (v.get("processing") == "paper" or only_premises))


def route_problems(job: Job) -> list[str]:
    v, out = job.context, []
    if v["light_route"] != (low_risk(v) and not v.get("full_checklists")):
        out.append(f"軽易な業務の確認表の判定が {v['light_route']}（条件からは {low_risk(v)}）")
    if v["light_eligible"] != low_risk(v):  # the questionnaire offers full_checklists exactly then
        out.append(f"full_checklists を問うかが {v['light_eligible']}（条件からは {low_risk(v)}）")
    text = "\n".join(b.text for b in deviations(job).blocks if isinstance(b, Paragraph))
    full = [i["id"] for _, i in _article_items(job) if i["answered_by"] in CONTRACTOR_SHEET]
    for phase in ("before", "after"):
        ids = [r.item_id for r in checklist_rows(job, phase)]
        items = [i for i in ids if not TERM_ROW.search(i)]
        if v["light_route"] and len(items) > LIGHT_MAX:
            out.append(f"{phase}: 軽易な業務で {len(items)} 項目（{LIGHT_MAX} 以下のはず）")
        if not v["light_route"] and sorted(set(TERM_ROW.sub("", i) for i in ids)) != sorted(set(full)):
            out.append(f"{phase}: 通常の業務なのに項目が欠けている：{sorted(set(full) - set(items))[:5]}")
    if v["light_route"] and "軽易な業務の確認表とします" not in text:
        out.append("条文の採否一覧に軽易な業務の確認表の理由がない")
    if not v["light_route"] and "すべての項目を載せた通常の確認表です" not in text:
        out.append("条文の採否一覧に通常の確認表である理由がない")
    if low_risk(v) and v.get("full_checklists") and "と回答したためです" not in text:
        out.append("条文の採否一覧に、軽易な業務の確認表を使わないと回答したことがない")
    return out


LOW_RISK = st.fixed_dictionaries({
    "specific_personal_info": st.just(False), "sensitive_info": st.just(False), "record_count": st.integers(0, 1000),
    "reoutsourcing": st.just("none"), "carry_out": st.just(False), "cloud": st.just(False),
    "foreign_handling": st.just(False)})


def test_light_route_over_the_answer_space(model):
    @SETTINGS
    @given(answer_space(model), st.booleans(), LOW_RISK, st.sampled_from([30, 180, 364, 365, 366, 400]),
           st.sampled_from(["paper", "premises", "drawn"]))
    def prop(drawn, lighten, low, length, where):
        raw, removed = drawn
        if lighten:  # half the jobs are pushed towards the light criteria, so both sides are searched
            raw = {**raw, **low}
            if raw.get("counterparties"):  # no counterparty counts more than the job (validation refuses it)
                raw["counterparties"] = usable_parties(raw["counterparties"], raw["record_count"])
            start = date.fromisoformat(raw["contract_start"])
            raw["contract_end"] = (start + timedelta(days=length)).isoformat()
            if where == "paper":
                raw["processing"] = "paper"
            elif where == "premises":
                raw["work_places"] = ["our_premises"]
            raw = dated_rows_in_period(model, raw)
        problems = route_problems(job_of(model, raw, removed))
        assert not problems, "\n".join(problems)

    prop()


def test_a_light_destruction_job_is_found(model):
    """Found by the property: a small destruction job met every criterion and got 36 items (the media-destruction
    items the answers trigger). Destruction jobs keep the full set (checklists/light.yml)."""
    raw = {**next(e for e in model.data["examples"] if e["id"] == "media-disposal")["answers"], "record_count": 300,
           "disposal_contents_known": True}
    job = job_of(model, raw)
    assert job.context["destruction_job"] and not job.context["light_route"]
    assert not route_problems(job)


def test_paper_office_example_is_light(model):
    job = job_of(model, next(e for e in model.data["examples"] if e["id"] == "paper-office")["answers"])
    assert job.context["light_route"]
    assert len(checklist_rows(job, "after")) <= 29  # Fukuoka's checklist: 29 items
    assert not route_problems(job)


def test_worked_examples_route(model):
    problems = [f"{job.context['work_name']}: {p}" for job in example_jobs(model) for p in route_problems(job)]
    assert not problems, "\n".join(problems)


def test_a_missing_criterion_is_found(model):
    """Planted fault: the light route without its 1,000-people criterion takes a 5,000-people paper job."""
    data = dict(model.data)
    data["light_route"] = {**model.data["light_route"],
                           "criteria": [c for c in model.data["light_route"]["criteria"] if "1,000" not in c["label"]]}
    raw = {**next(e for e in model.data["examples"] if e["id"] == "paper-office")["answers"], "record_count": 5000}
    assert route_problems(job_of(Corpus(data), raw))


# ---------------------------------------------------------------- record sheets per visit

def sheet_ids(job: Job) -> list[list[str]]:
    """The item ids of each 実地調査記録票 of inspection.docx, in order (read from the document itself)."""
    doc = next(d for d in lifecycle_documents(job) if d.name == "inspection.docx")
    number = {r.number: r.item_id for r in checklist_rows(job, "after")}
    out: list[list[str]] = []
    inside = False
    for b in doc.blocks:
        if isinstance(b, Heading) and b.level == 1:
            inside = b.text.startswith("実地調査記録票")
            if inside:
                out.append([])
        elif inside and isinstance(b, Table) and b.header[1] == "遵守確認表（契約後）のNo.":
            out[-1] += [number[row[1]] for row in b.rows if row[1]]  # by the No. the contractor's sheet prints
    return out


def visit_problems(job: Job) -> list[str]:
    entries, sheets, out = onsite_checks(job), sheet_ids(job), []
    if len(entries) != len(sheets):
        return [f"実地調査 {len(entries)} 回に記録票 {len(sheets)} 枚"]
    for e, ids in zip(entries, sheets):
        named = [c for c in e.clauses if c != "audit"]
        if e.key[0] in ATTENDED and named:  # an attendance checks the articles of the work attended, at any time
            out += [f"{e.key}: {i} は立ち会う作業の条（{named}）の項目ではない" for i in ids
                    if job.corpus.item(TERM_ROW.sub("", i))["clause"] not in named]
            continue
        control = visit_control(job, e)
        own = own_place(job, e)
        if e.place and (own is None or control != own.control or not where(job, e).startswith(reword(job.corpus, job.context, own.label))):
            out.append(f"{e.key}: 場所「{e.place}」の作業の記録票が「{where(job, e)}」（{control}）を調べる")
        if e.key[0] in ATTENDED and "misdelivery" not in e.clauses:
            out += [f"{e.key}: 送付を立ち会わない日に送付の項目 {i}" for i in ids
                    if job.corpus.item(TERM_ROW.sub("", i))["clause"] == "misdelivery"]
        phases = {VISIT[e.key[0]]} | ({"during"} if e.key[0] == "onsite-start" and job.context.get("act_mailing") == "allowed"
                                      else set())  # the start visit attends the first sending (plan.FIRST_STEPS)
        hosted = named if e.key[0] == "annual" else []  # a yearly check held on a day of dated work (plan.dated)
        for item_id in ids:
            item = job.corpus.item(TERM_ROW.sub("", item_id))
            if not phases & set(item.get("seen_at", [])) and item["clause"] not in hosted:
                out.append(f"{e.key}: {item_id} はこの時期（{phases}）に見るものではない")
            if control not in item.get("seen_in", [control]):
                out.append(f"{e.key}: {item_id} はこの場所（{control}）で見るものではない")
            if e.key[0] == "onsite-start" and item["clause"] == "return-disposal":
                out.append(f"{e.key}: 開始時の調査に終了時の項目 {item_id}")
    return out


def test_worked_examples_record_sheets_follow_the_visit(model):
    problems, empty = [], []
    for job in example_jobs(model):
        problems += [f"{job.context['work_name']}: {p}" for p in visit_problems(job)]
        empty += [f"{job.context['work_name']}: 第{n + 1}回" for n, ids in enumerate(sheet_ids(job)) if not ids]
        starts = [ids for e, ids in zip(onsite_checks(job), sheet_ids(job)) if e.key[0] == "onsite-start"]
        assert all(len(ids) < len(checklist_rows(job, "after")) for ids in starts)  # never the whole list
    assert not problems, "\n".join(problems)
    assert not empty, "記録票に確認項目がない: " + "、".join(empty)


def test_record_sheets_follow_the_visit_over_the_answer_space(model):
    holds_over_answer_space(model, visit_problems, SETTINGS)


def test_a_visit_listing_another_phase_is_found(model):
    """Planted fault: the start-of-work visit taken for the end-of-contract one (phase_of_kind)."""
    data = dict(model.data)
    documents = dict(data["documents"])
    sections = []
    for s in documents["sections"]:
        if (s.get("source_table") or {}).get("phase_of_kind"):
            table = dict(s["source_table"], phase_of_kind={**s["source_table"]["phase_of_kind"], "onsite-start": "end"})
            s = dict(s, source_table=table)
        sections.append(s)
    data["documents"] = dict(documents, sections=sections)
    raw = next(e for e in model.data["examples"] if e["id"] == "kenshin-entry")["answers"]
    assert any("開始時の調査に終了時の項目" in p for p in visit_problems(job_of(Corpus(data), raw)))


def test_the_fullest_light_job_stays_within_the_limit(model):
    """Every kind, device, sending method and act a light job may have at once: still ≤ LIGHT_MAX items (an
    intake job with all of them had 37 before intake jobs left the light route)."""
    base = next(e for e in model.data["examples"] if e["id"] == "paper-office")["answers"]
    for processing in ("electronic", "both", "paper"):
        raw = {**base, "work_kinds": ["data_entry", "print_mail", "reception", "lent_tablets", "benefits", "scanning",
                                      "health_check", "meter_reading", "visits"],
               "processing": processing, "work_places": ["our_premises"],
               "devices": ["contractor_devices", "authority_devices", "authority_system"],
               "mailing": True, "mailing_methods": ["print", "post", "hand", "email", "web"], "copying": True,
               "transport": True, "carry_out": False, "cloud": False, "sensitive_info": False,
               "specific_personal_info": False, "record_count": 1000, "contractor_collects": True, "deliverables": True,
               "reoutsourcing": "none", "system_operation": False, "secrecy": "very_high",
               "handover_media": "encrypted_media"}
        job = job_of(model, raw, {})
        assert job.context["light_route"], processing
        for phase in ("before", "after"):
            items = [r.item_id for r in checklist_rows(job, phase) if not TERM_ROW.search(r.item_id)]
            assert len(items) <= LIGHT_MAX, (processing, phase, len(items))
        intake = job_of(model, {**raw, "work_kinds": [*raw["work_kinds"], "mail_opening"], "intake_channels": ["post"]}, {})
        assert not intake.context["light_route"]



def test_dated_work_away_from_the_main_place_is_its_own_visit(model, monkeypatch):
    """cancer-screening's first screening day is at a 市民センター (work_events.place): its record sheet goes there,
    lists no sending item (issue 29.2); without the place the day goes to the contractor's premises."""
    from dataclasses import replace
    job = example_jobs(model)[[e["id"] for e in model.data["examples"]].index("cancer-screening")]
    venue = [e for e in onsite_checks(job) if e.place == "our_premises"]
    assert len(venue) == 1 and venue[0].key[0] == "attend" and venue[0].earliest.isoformat() == "2027-06-05"
    # the place and, quoted, what was noted on that day: the hall to go to
    assert (where(job, venue[0]), visit_control(job, venue[0])) == ("委託元の庁舎・施設内「最初の検診会場（市民センター）」",
                                                                  "authority")
    assert not visit_problems(job)
    # without the place, the day joins the start-of-work visit to the contractor, as before the column
    raw = next(e for e in model.data["examples"] if e["id"] == "cancer-screening")["answers"]
    events = [{k: v for k, v in row.items() if k != "place"} for row in raw["work_events"]]
    before = job_of(model, {**raw, "work_events": events})
    assert not any(e.place for e in before.plan)
    assert [where(before, e) for e in before.plan if e.earliest.isoformat() == "2027-06-05"] == ["受託者の事業所・施設"]
    # planted fault: a sheet that ignores the place (the first inspectable place, as before) is found
    placed = where
    monkeypatch.setattr(sys.modules[__name__], "where", lambda j, e: placed(j, replace(e, place="")))
    assert any("記録票が「受託者の事業所・施設」" in p for p in visit_problems(job))


def test_a_dated_place_outside_the_work_places_is_refused(model):
    raw = next(e for e in model.data["examples"] if e["id"] == "cancer-screening")["answers"]
    events = [{**row, "place": "visits"} for row in raw["work_events"]]
    with pytest.raises(AnswersError) as err:
        job_of(model, {**raw, "work_events": events})
    assert "場所は「作業場所」で選ばれていません" in err.value.errors["work_events"]
