"""Sendable as generated (issue 27, items 1, 2, 3, 5, 6): every life-cycle document and form agrees with the
specification over the answer space — one value per act and per subcontracting stage, 許諾 wherever 番号法
applies, no document dated before the event it belongs to, the contracting body and the issuing office as
asked, add-on text only where the facts call for it. Each property is shown to fail on a planted fault."""
from __future__ import annotations

import dataclasses
import re
from datetime import date, timedelta
from typing import Callable, Iterator

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from itaku import articles, checklists, edition as editions
from itaku.answers import validate
from itaku.contents import documents, sheets
from itaku.document import AT_END, Article, Heading, PageBreak, Paragraph, Table, asked_at_end
from itaku.job import Job, build_job, forms_left_out, once
from itaku.model import Corpus

from strategies import answers as answer_space, example_job, with_fault

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=[Phase.explicit, Phase.generate], database=None)
REAL = {"org_name": "△△市", "org_type": "city", "ordinance": "△△市個人情報の保護に関する法律施行条例",
        "rules": "△△市保有個人情報等安全管理規程", "privacy_section": "総務部総務課", "contact": "内線 1234"}
WAREKI = re.compile(r"^(令和|平成)(元|\d+)年(\d+)月(\d+)日$")
ERA = {"令和": 2018, "平成": 1988}
# Letters and forms that go out before the bid or the selection; every other section of an outgoing life-cycle
# file belongs to the contract (sent at or after its start).
BEFORE_BID = ("個人情報の取扱いに関する周知文",)
OUTGOING = ("notices.docx", "forms.docx", "approvals.docx", "reoutsourcing-application.docx",
            "reoutsourcing-approval.docx")
INVITES = ("再委託しようとするときは", "一部を第三者に委託しようとする", "再委託を予定する場合", "再委託の事前承認",
           "（再委託の制限）", "再委託の制限（", "再委託先の者を含む")  # the last: the staff roster's intro


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return editions.apply(Corpus(corpus), REAL)


def _wareki(text: str) -> date | None:
    m = WAREKI.match(text.strip())
    if not m:
        return None
    year = 1 if m.group(2) == "元" else int(m.group(2))
    return date(ERA[m.group(1)] + year, int(m.group(3)), int(m.group(4)))


def sections(job: Job) -> list[tuple[str, str, list]]:
    """(file, section title, blocks) for every Heading 1 section of every file; the file's own header (title and
    particulars) as section ''. Made once per job."""
    return once(job, "_test_sections", lambda: list(_sections(job)))


def _sections(job: Job) -> Iterator[tuple[str, str, list]]:
    """A letter's head (number, date, addressee) stands on its page before its Heading 1: it belongs to that
    section; a page without a Heading 1 (the cover) belongs to the section before it."""
    for doc in documents(job):
        title, blocks, lead = "", [], []
        for b in doc.blocks:
            if isinstance(b, Heading) and b.level == 1:
                yield doc.name, title, blocks
                title, blocks, lead = b.text, lead or [], None
            elif isinstance(b, PageBreak):
                blocks += lead or []
                lead = []
            elif lead is not None:
                lead.append(b)
            else:
                blocks.append(b)
        yield doc.name, title, blocks + (lead or [])


def _text(blocks: list) -> str:
    out = []
    for b in blocks:
        if isinstance(b, (Paragraph, Heading)):
            out.append(b.text)
        elif isinstance(b, Table):
            out += [c for row in (b.header,) + b.rows for c in row]
        elif isinstance(b, Article):
            out.append(b.caption)
            for c in b.clauses:
                out += [c.text] + [t for _, t in c.items]
    return "\n".join(out)


def file_text(job: Job, name: str) -> str:
    return "\n".join(t + "\n" + _text(bl) for f, t, bl in sections(job) if f == name)


# ---------------------------------------------------------------- properties

def prop_dates_follow_events(job: Job) -> list[str]:
    """No outgoing document dated before the event it belongs to: the notice to bidders not after the start,
    every letter of the contract not before it (or a blank date line); no 作成日 over post-award letters."""
    start = date.fromisoformat(job.context["contract_start"])
    created = date.fromisoformat(job.context["created_on"])
    out = []
    for name, title, blocks in sections(job):
        if name not in OUTGOING:
            continue
        if title == "":  # the file's particulars: 作成日 only over documents made before the contract
            later = [t for f, t, _ in sections(job) if f == name and t and not t.startswith(BEFORE_BID)]
            dated = [b.text for b in blocks if isinstance(b, Paragraph) and b.text.startswith("作成日：")]
            if dated and created < start and later and name != "forms.docx":
                out.append(f"{name}: 作成日 {dated[0]} が契約後の文書（{later[0]}）の表紙にある")
            continue
        for b in blocks:
            day = _wareki(b.text) if isinstance(b, Paragraph) else None
            if day is None:
                continue
            if title.startswith(BEFORE_BID) and day > start:
                out.append(f"{name}: {title}: {b.text} は入札・選定の後の日付")
            if not title.startswith(BEFORE_BID) and day < start:
                out.append(f"{name}: {title}: {b.text} は契約の開始（{start}）より前の日付")
    return out


def prop_selfcheck_at_start(job: Job) -> list[str]:
    """The self-check request asks for the check 「業務の開始後速やかに」, due on the plan's start-of-work row."""
    first = [e for e in job.plan if e.key[0] == "selfcheck-start"]
    request = next((_text(bl) for f, t, bl in sections(job) if f == "notices.docx" and "自己点検" in t), "")
    out = []
    if not first:
        return ["監督計画に業務の開始後速やかに行う自己点検の行がない"]
    start = date.fromisoformat(job.context["contract_start"])
    if not start <= first[0].due <= start + timedelta(days=366):
        out.append(f"自己点検の行の期限 {first[0].due} が開始の後にない")
    if "業務の開始後速やかに" not in request:
        out.append("自己点検の依頼が「業務の開始後速やかに」を求めていない")
    from itaku.wareki import wareki
    if wareki(first[0].due) not in request:
        out.append(f"自己点検の依頼の期限が監督計画の行（{wareki(first[0].due)}）と違う")
    return out


def prop_reoutsourcing_one_value(job: Job) -> list[str]:
    """act_reoutsourcing and act_subreoutsourcing have one value in every document: banned ⇒ nothing invites an
    application (the contract-body example, the notice, the forms of the stages)."""
    if job.context.get("act_reoutsourcing") == "approval":
        if job.context.get("act_subreoutsourcing") == "approval":
            return []
        stage = [t for f, t, _ in sections(job) if t.startswith("再々委託")]
        text = file_text(job, "reoutsourcing-application.docx") + file_text(job, "reoutsourcing-approval.docx")
        return [f"再々委託を認めない業務なのに {t}" for t in stage] + \
            [f"再々委託を認めない業務なのに「{p}」" for p in ("その段階ごとに", "再々委託）は、その段階") if p in text]
    out = []
    for name in ("notices.docx", "contract-clauses.docx", "forms.docx"):
        text = file_text(job, name)
        out += [f"{name}: 再委託を認めない業務なのに「{p}」" for p in INVITES if p in text]
    # No subcontractor is named where none can exist: the contract-body example, the periodic report form.
    out += [f"{f}「{t}」: 再委託を認めない業務なのに「再委託先」" for f, t, bl in sections(job)
            if (f == "contract-clauses.docx" or t.startswith(("個人情報取扱状況報告書", "返還・廃棄・消去証明書")))
            and "再委託先" in _text(bl)]
    names = {d.name for d in documents(job)}
    out += [f"再委託を認めない業務なのに {n}" for n in ("reoutsourcing-application.docx", "reoutsourcing-approval.docx")
            if n in names]
    return out


def prop_mynumber_consent(job: Job) -> list[str]:
    """Where 番号法 applies to a re-outsourcing, the application, the approval and the per-stage forms say 許諾
    (番号法第10条); where it does not, none of them does."""
    v = job.context
    if v.get("act_reoutsourcing") != "approval":
        return []
    mynumber = v.get("specific_personal_info") is True
    out = []
    texts = {n: file_text(job, n) for n in ("reoutsourcing-application.docx", "reoutsourcing-approval.docx")}
    stages = [(t, _text(bl)) for f, t, bl in sections(job) if f == "approvals.docx" and t.startswith("再々委託")]
    texts.update({f"approvals.docx: {t}": body for t, body in stages})
    for name, text in texts.items():
        says = "許諾" in text and "番号法第10条" in text
        if mynumber and not says:
            out.append(f"{name}: 特定個人情報の再委託なのに番号法第10条の許諾がない")
        if not mynumber and "許諾" in text:
            out.append(f"{name}: 特定個人情報がないのに許諾")
    if v.get("act_subreoutsourcing") == "approval" and not stages:
        out.append("再々委託を承認する業務なのに段階ごとの申請書・承認書がない")
    return out


def prop_subcontractor_chain(job: Job) -> list[str]:
    """Every subcontractor named in the forms with its stage; its first checklist due before it starts work."""
    v, out = job.context, []
    if v.get("act_reoutsourcing") != "approval":
        return []
    start = date.fromisoformat(v["contract_start"])
    first = [e for e in job.plan if e.key == ("sub", 0)]
    # before the start; a set made on the first day (作成日 = start) cannot ask for a date before it was made
    created = date.fromisoformat(v["created_on"]) if v.get("created_on") else start
    if first and first[0].due > max(start - timedelta(days=1), created):
        out.append(f"再委託先の最初の遵守確認表の期限 {first[0].due} が作業開始（{start}）の後")
    application = file_text(job, "reoutsourcing-application.docx")
    pledges = [t + "\n" + _text(bl) for f, t, bl in sections(job) if f == "forms.docx" and t.startswith("誓約書")]
    for row in v.get("subcontractors") or []:
        name, parent = str(row.get("name") or ""), str(row.get("parent") or "").strip()
        if not name.strip():
            continue
        if parent and f"再々委託先（「{parent}」から）" not in application:
            out.append(f"再々委託先 {name} の段階（{parent} から）が申請書にない")
        if not any(f"{name}　代表者　様" in p for p in pledges):
            out.append(f"{name} の従事者の誓約書（{name} あて）がない")
    return out


def prop_signatories_and_contact(job: Job) -> list[str]:
    """The approvals are in the contracting body's name; letters give the department's contact, never the edition's."""
    v, out = job.context, []
    org = job.values["org_name"]
    body = {"board_of_education": f"{org}教育委員会",
            "enterprise": str(v.get("enterprise_manager_title") or "")}.get(v.get("contracting_body") or "head",
                                                                                 job.values["head_name"])
    for name, title, blocks in sections(job):  # each approval (not the applications) in the body's name
        if name in ("reoutsourcing-approval.docx", "approvals.docx") and title and "申請書" not in title \
                and body not in _text(blocks):
            out.append(f"{name}: {title}: 契約の当事者「{body}」の名義がない")
    notices = file_text(job, "notices.docx")
    edition_contact = str(job.corpus.edition.get("contact") or "")
    if edition_contact and edition_contact not in str(v.get("department_contact") or "") and edition_contact in notices:
        out.append(f"notices.docx: 版の連絡先「{edition_contact}」がある")
    if v.get("department_contact") and str(v["department_contact"]) not in notices:
        out.append("notices.docx: 担当課の連絡先がない")
    if v.get("issuer_title") and str(v["issuer_title"]) not in notices:
        out.append("notices.docx: 発信者（担当課の長）がない")
    return out


def prop_addons_follow_facts(job: Job) -> list[str]:
    """Add-on text only where the facts call for it (issue 27.6)."""
    v, out = job.context, []
    devices = set(v.get("field_devices") or []) & {"handheld", "tablet", "laptop", "media"}
    if not devices and any("端末の暗号化" in e.what for e in job.plan):
        out.append("端末を持ち出さない業務の監督計画に「端末の暗号化」")
    forms = {t for f, t, _ in sections(job) if f == "forms.docx"}
    if v.get("contract_type") != "designated_manager" and v.get("term") == "under_1y" and \
            any(t.startswith("引継書") for t in forms):
        out.append("1年未満の単発の業務に引継書")
    spec = file_text(job, "specification.docx")
    if v.get("transport_is_job") is True and v.get("processing") == "paper" and "閲覧し、出力し、又は印刷した者" in spec:
        out.append("容器を開けない配送の特記事項に閲覧・印刷の記録")
    if spec.count("施錠した荷室") > 1:
        out.append("運搬の条が同じ措置（車両を離れるとき）を二度定めている")
    return out


def prop_named_forms_are_made(job: Job) -> list[str]:
    """No document or checklist row of the job names a form the job does not get (clauses/forms.yml by title):
    the contractor is never told to keep, or shown, a record that is not in its 様式集."""
    texts = [(f"{f}「{t}」", t + "\n" + _text(bl)) for f, t, bl in sections(job)]
    texts += [(f"{s.name} {r.item_id}", "\n".join((r.question, r.evidence, r.explanation)))
              for s in sheets(job) for r in s.rows]
    return [f"{where} names 「{title}」, not in the job's forms"
            for title in sorted(forms_left_out(job)) for where, text in texts if title in text]


def prop_end_items_as_the_letter_says(job: Job) -> list[str]:
    """The self-check request tells the contractor to leave the 【契約終了時】 questions blank: the 契約後 sheet it
    sends has such questions, and only the ones answered at the end."""
    letter = "\n".join(_text(bl) for f, t, bl in sections(job) if t.startswith("個人情報の取扱状況の自己点検について"))
    after = next(s for s in sheets(job) if s.phase == "after")
    marked = {r.item_id for r in after.rows if r.question.startswith(AT_END)}
    ends = {r.item_id for r in after.rows if asked_at_end(job.corpus.item_for(r.item_id, job.context))}
    out = [f"{i}: marked but not answered at the end" for i in sorted(marked - ends)]
    out += [f"{i}: answered at the end but not marked" for i in sorted(ends - marked)]
    if AT_END in letter and not marked:
        out.append("the self-check request names 【契約終了時】 questions the sheet does not have")
    return out


def prop_typed_terms_in_party_names(job: Job) -> list[str]:
    """A typed 遵守事項 reads in the specification's party names (乙 in a 甲/乙 text)."""
    if job.context.get("party_style", "kouotsu") != "kouotsu" or not job.context.get("extra_terms"):
        return []
    article = next((b for d in documents(job) if d.name == "specification.docx" for b in d.blocks
                    if isinstance(b, Article) and b.caption == "（この業務に固有の遵守事項）"), None)
    if article is None:
        return []
    text = "\n".join(t for c in article.clauses for _, t in c.items)
    return [f"甲乙の特記事項に「{w}」: {text[:60]}" for w in ("受託者", "委託者") if w in text]


def prop_due_after_end_survives(job: Job) -> list[str]:
    """A check due after the contract's end asks for something the survival paragraph keeps in force."""
    end = date.fromisoformat(job.context["contract_end"])
    numbers = {sel.clause["id"]: sel.number for sel in job.selected}
    if "termination" not in numbers:
        return []
    kinds = _clause_of_kind(job)
    term = articles.article(job, next(sel for sel in job.selected if sel.clause["id"] == "termination"))
    survival = next((c.text for c in term.clauses if "なおその効力を有する" in c.text), "")
    out = []
    for e in job.plan:
        clause = kinds.get(e.key[0])
        if e.due > end and clause in numbers and f"第{numbers[clause]}条" not in survival:
            out.append(f"{e.key}: 期限 {e.due} が終了日 {end} の後なのに第{numbers[clause]}条が終了後の効力の項にない")
    return out


def _clause_of_kind(job: Job) -> dict[str, str]:
    """The plan kinds' clauses (clauses/sources.yml, the 特記事項 rule set's ``clause_of_kind``)."""
    for doc in job.corpus.data.get("plan_rules") or []:
        if doc.get("label") == "特記事項":
            return dict(doc.get("clause_of_kind") or {})
    return {}


PROPERTIES: tuple[Callable[[Job], list[str]], ...] = (
    prop_due_after_end_survives, prop_dates_follow_events, prop_selfcheck_at_start, prop_reoutsourcing_one_value, prop_mynumber_consent,
    prop_subcontractor_chain, prop_signatories_and_contact, prop_addons_follow_facts, prop_typed_terms_in_party_names, prop_named_forms_are_made,
    prop_end_items_as_the_letter_says)


def check(job: Job) -> list[str]:
    return [f"{p.__name__}: {m}" for p in PROPERTIES for m in p(job)]


# ---------------------------------------------------------------- over the answer space and the examples

CHAIN = [{"name": "株式会社サンプル印字", "location": "福岡市", "scope": "宛名の印字", "parent": ""},
         {"name": "有限会社サンプル封入", "location": "北九州市", "scope": "機械封入", "parent": "株式会社サンプル印字"}]


@given(data=st.data())
@SETTINGS
def test_life_cycle_documents_agree_over_the_answer_space(model, data):
    raw, removed = data.draw(answer_space(model))
    raw["department"] = "市民部市民課"
    if data.draw(st.booleans()):  # a planned chain of subcontractors, often with 特定個人情報
        raw.update(reoutsourcing="planned", reoutsourcing_scope="宛名の印字", subcontractors=CHAIN,
                   subreoutsourcing=data.draw(st.booleans()), specific_personal_info=data.draw(st.booleans()))
    if data.draw(st.booleans()):
        raw.update(extra_terms=[{"text": "受託者は、作業の前に委託者の指示を確認すること。"}])
    job = build_job(model, validate(model, raw, removed))
    problems = check(job)
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("eid", ["paper-office", "juki-maintenance", "passport-courier", "home-visits", "printing",
                                 "designated-manager", "kenshin-entry", "media-disposal"])
def test_worked_examples_agree(model, eid):
    raw = next(e for e in model.data["examples"] if e["id"] == eid)["answers"]
    for extra in ({}, {"reoutsourcing": "planned", "reoutsourcing_scope": "宛名の印字", "subcontractors": CHAIN,
                       "subreoutsourcing": True, "specific_personal_info": True, "contracting_body": "board_of_education",
                       "issuer_title": "市民部市民課長", "department_contact": "電話 000-000-0000"}):
        job = build_job(model, validate(model, {**raw, **extra}, {}))
        assert check(job) == [], eid


# ---------------------------------------------------------------- planted faults

def _section(data: dict, sid: str) -> dict:
    return next(s for s in data["documents"]["sections"] if s["id"] == sid)


MYNUMBER_CHAIN = {"reoutsourcing": "planned", "reoutsourcing_scope": "宛名の印字", "subcontractors": CHAIN,
                  "subreoutsourcing": True, "specific_personal_info": True}


def test_planted_self_check_request_dated_at_creation(model):
    planted = with_fault(model, lambda d: _section(d, "selfcheck-request").update(dated="created"))
    assert prop_dates_follow_events(example_job(model, "paper-office")) == []
    assert any("契約の開始" in p for p in prop_dates_follow_events(example_job(planted, "paper-office")))


def test_planted_creation_date_over_post_award_letters(model):
    def change(d: dict) -> None:
        notices = next(f for f in d["documents"]["files"] if f["id"] == "notices")
        notices.pop("created")
        notices["cover"] = True  # the particulars stand on a cover (letters have none: test_letters)
    assert any("作成日" in p for p in prop_dates_follow_events(example_job(with_fault(model, change), "paper-office")))


def test_planted_self_check_due_at_the_annual_check(model):
    def change(d: dict) -> None:
        s = _section(d, "selfcheck-request")
        s["list"] = [t.replace("{{first_check_due}}", "{{after_check_due}}") if isinstance(t, str) else t
                     for t in s["list"]]
        s["intro"] = [t.replace("業務の開始後速やかに、", "") if isinstance(t, str) else t for t in s["intro"]]
    found = prop_selfcheck_at_start(example_job(with_fault(model, change), "paper-office"))
    assert any("速やかに" in p for p in found) and any("期限" in p for p in found)


def test_planted_contract_article_inviting_re_outsourcing(model):
    def change(d: dict) -> None:
        arts = _section(d, "contract-articles")["articles"]
        next(a for a in arts if a["caption"] == "（再委託の制限）").pop("when")
    job = example_job(with_fault(model, change), "paper-office")
    assert job.context["act_reoutsourcing"] != "approval"
    assert any("再委託しようとするときは" in p or "再委託の制限" in p for p in prop_reoutsourcing_one_value(job))


def test_planted_subcontractor_rows_in_a_banned_job(model):
    def change(d: dict) -> None:
        form = next(f for f in d["forms"] if f["id"] == "periodic-report")
        form["table"]["items"] = [e["text"] if isinstance(e, dict) and e.get("text") == "再委託先の状況" else e
                                  for e in form["table"]["items"]]  # the row without its condition
    job = example_job(with_fault(model, change), "paper-office")
    assert job.context["act_reoutsourcing"] != "approval"
    assert any("再委託先" in p for p in prop_reoutsourcing_one_value(job))
    assert prop_reoutsourcing_one_value(example_job(model, "paper-office")) == []


def test_planted_subcontractor_field_in_a_banned_certificate(model):
    def change(d: dict) -> None:
        form = next(f for f in d["forms"] if f["id"] == "disposal-certificate")
        form["fields"] = [e["text"] if isinstance(e, dict) and "再委託先" in e["text"] else e
                          for e in form["fields"]]  # the field without its condition
    job = example_job(with_fault(model, change), "paper-office")
    assert job.context["act_reoutsourcing"] != "approval"
    assert any("返還・廃棄・消去証明書" in p for p in prop_reoutsourcing_one_value(job))


def test_planted_stage_form_without_its_act(model):
    one_stage = {**MYNUMBER_CHAIN, "subreoutsourcing": False}
    assert prop_reoutsourcing_one_value(example_job(model, "paper-office", **one_stage)) == []

    def change(d: dict) -> None:  # the application's per-stage sentence without its condition
        form = next(f for f in d["forms"] if f["id"] == "reoutsourcing-application")
        for e in form["closing"]:
            if isinstance(e, dict) and "その段階ごとに" in e["text"]:
                e.pop("when")
    assert any("その段階ごとに" in p for p in prop_reoutsourcing_one_value(example_job(with_fault(model, change), "paper-office",
                                                                               **one_stage)))


def test_planted_notice_inviting_re_outsourcing(model):
    def change(d: dict) -> None:
        items = _section(d, "tender-notice")["list"]
        for e in items:
            if isinstance(e, dict) and "再委託を予定する場合" in e["text"]:
                e.pop("when")
    assert any("再委託を予定する場合" in p for p in prop_reoutsourcing_one_value(example_job(with_fault(model, change), "paper-office")))


def test_planted_consent_without_mynumber_act(model):
    assert prop_mynumber_consent(example_job(model, "paper-office", **MYNUMBER_CHAIN)) == []
    planted = with_fault(model, lambda d: d["documents"]["approvals"]["subreoutsourcing"].pop("mynumber"))
    found = prop_mynumber_consent(example_job(planted, "paper-office", **MYNUMBER_CHAIN))
    assert any("再々委託" in p and "許諾がない" in p for p in found)

    def change(d: dict) -> None:  # the application's 番号法 wording dropped
        form = next(f for f in d["forms"] if f["id"] == "reoutsourcing-application")
        form["intro"] = [e for e in form["intro"] if not (isinstance(e, dict) and "番号法" in e["text"])]
        form["title"] = "再委託承認申請書"
        next(f for f in d["documents"]["files"] if f["id"] == "reoutsourcing-application").pop("alt_titles")
    found = prop_mynumber_consent(example_job(with_fault(model, change), "paper-office", **MYNUMBER_CHAIN))
    assert any(p.startswith("reoutsourcing-application.docx") for p in found)


def test_planted_subcontractor_chain_faults(model):
    job = example_job(model, "paper-office", **MYNUMBER_CHAIN)
    assert prop_subcontractor_chain(job) == []
    late = [dataclasses.replace(e, due=date.fromisoformat(job.context["contract_start"])) if e.key == ("sub", 0) else e
            for e in job.plan]
    assert any("遵守確認表" in p for p in prop_subcontractor_chain(dataclasses.replace(job, plan=late)))

    def change(d: dict) -> None:  # the stage column and the per-employer pledge removed
        form = next(f for f in d["forms"] if f["id"] == "reoutsourcing-application")
        form["table"]["from"]["columns"] = ["name", "location", "scope"]
        pledge = next(f for f in d["forms"] if f["id"] == "pledge")
        pledge.pop("per")
        pledge["title"] = "誓約書"
        pledge["intro"] = [t.replace("{{employer}}", "{{contractor_name}}") for t in pledge["intro"]]
    found = prop_subcontractor_chain(example_job(with_fault(model, change), "paper-office", **MYNUMBER_CHAIN))
    assert any("段階" in p for p in found) and any("誓約書" in p for p in found)


def test_planted_edition_contact_and_joined_signatory(model):
    job = example_job(model, "paper-office", contracting_body="board_of_education", issuer_title="市民部市民課長")
    assert prop_signatories_and_contact(job) == []
    planted = with_fault(model, lambda d: d["documents"]["wording"].update(contact_blank=REAL["contact"]))
    assert any("版の連絡先" in p for p in prop_signatories_and_contact(example_job(planted, "paper-office")))

    def change(d: dict) -> None:  # the approval signed by the head whatever the contracting body
        for s in d["documents"]["sections"]:
            if s["id"] == "act-approval":
                s["letter"]["from"] = s["letter"]["from"].replace("{{signatory}}", "{{head_name}}")
    found = prop_signatories_and_contact(example_job(with_fault(model, change), "juki-maintenance",
                                              contracting_body="board_of_education"))
    assert any("教育委員会" in p for p in found)


def test_planted_add_ons_without_their_facts(model):
    job = example_job(model, "passport-courier")
    assert prop_addons_follow_facts(job) == []

    def change(d: dict) -> None:  # the courier's sealed containers forgotten: the 号 without its condition
        clause = next(c for c in d["clauses"] if c["id"] == "handling-record")
        for texts in clause["texts"].values():
            for p in texts:
                if "items_when" in p:
                    p["items_when"] = [None] * len(p["items_when"])
    assert any("配送" in p for p in prop_addons_follow_facts(example_job(with_fault(model, change), "passport-courier")))

    def handover(d: dict) -> None:
        _section(d, "handover")["applies_when"] = {"eq": ["same_contractor_every_year", False]}
    short = {"contract_start": "2027-04-01", "contract_end": "2027-05-31", "same_contractor_every_year": False}
    assert prop_addons_follow_facts(example_job(model, "paper-office", **short)) == []
    assert any("引継書" in p for p in prop_addons_follow_facts(example_job(with_fault(model, handover), "paper-office", **short)))

    visits = example_job(model, "home-visits", field_devices=[])
    old = [dataclasses.replace(e, what=e.what.replace("持ち出した資料等", "端末の暗号化と画面ロック、資料等"))
           if e.key[0] == "field" else e for e in visits.plan]
    assert prop_addons_follow_facts(visits) == []
    assert any("端末の暗号化" in p for p in prop_addons_follow_facts(dataclasses.replace(visits, plan=old)))


def test_planted_form_named_but_not_made(model, monkeypatch):
    """The rows of a job without carrying out once listed the 持出・搬送記録簿 (reporting-02), and the carry-out
    article of a job without devices named the 携帯端末等管理台帳; both faults are caught."""
    job = example_job(model, "nursery-saas")
    assert "持出・搬送記録簿" in forms_left_out(job) and prop_named_forms_are_made(job) == []
    monkeypatch.setattr(checklists, "forms_left_out", lambda job: frozenset())
    assert any("reporting-02" in p and "持出・搬送記録簿" in p for p in prop_named_forms_are_made(example_job(model, "nursery-saas")))
    monkeypatch.undo()

    def change(d: dict) -> None:  # the return check against both records, as before 1.3.3
        clause = next(c for c in d["clauses"] if c["id"] == "carry-out")
        for texts in clause["texts"].values():
            for p in texts:
                p["items"] = [i.replace("持出・搬送記録簿と照合", "携帯端末等管理台帳又は持出・搬送記録簿と照合")
                              for i in p.get("items") or []]
    visits = example_job(model, "home-visits")
    assert prop_named_forms_are_made(visits) == []
    assert any("携帯端末等管理台帳" in p for p in prop_named_forms_are_made(example_job(with_fault(model, change), "home-visits")))


def test_planted_end_questions_unmarked(model, monkeypatch):
    job = example_job(model, "paper-office")
    assert AT_END in file_text(job, "notices.docx") and prop_end_items_as_the_letter_says(job) == []
    monkeypatch.setattr(checklists, "end_mark", lambda item, phase: "")
    problems = prop_end_items_as_the_letter_says(example_job(model, "paper-office"))
    assert any("return-disposal-04" in p for p in problems) and any("self-check request" in p for p in problems)


def test_planted_typed_terms_left_as_typed(model, monkeypatch):
    terms = {"extra_terms": [{"text": "受託者は、作業の前に委託者の指示を確認すること。"}], "party_style": "kouotsu"}
    assert prop_typed_terms_in_party_names(example_job(model, "paper-office", **terms)) == []
    monkeypatch.setattr(articles, "parties", lambda text, values: text)
    assert prop_typed_terms_in_party_names(example_job(model, "paper-office", **terms))


def test_planted_report_after_the_end_without_survival(model):
    job = example_job(model, "paper-office")
    assert any(e.key[0] == "report" and e.due > date.fromisoformat(job.context["contract_end"]) for e in job.plan)
    assert prop_due_after_end_survives(job) == []

    def change(d: dict) -> None:  # the survival paragraph without the reporting article
        clause = next(c for c in d["clauses"] if c["id"] == "termination")
        for texts in clause["texts"].values():
            for p in texts:
                p["text"] = re.sub(r"\{\{ref:reporting\}\}の規定も、[^。]*。", "", p["text"])
    assert any("report" in p for p in prop_due_after_end_survives(example_job(with_fault(model, change), "paper-office")))


def test_planted_courier_measures_twice(model):
    def change(d: dict) -> None:  # the old add-on paragraph repeating the courier's own measures
        clause = next(c for c in d["clauses"] if c["id"] == "transport")
        twice = dict(clause["texts"]["courier"][1])
        twice["when"] = {"eq": ["transport_is_job", True]}
        clause["texts"]["courier"].append(twice)
    assert any("二度" in p for p in prop_addons_follow_facts(example_job(with_fault(model, change), "passport-courier")))
