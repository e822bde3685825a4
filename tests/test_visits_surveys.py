"""Visits and surveys (issue 26 item 3). A job with visited places (homes, hospitals, care facilities) gives them no
premises duty (locking, entry control, fire-proof storage) and rules what is carried during the day (the day's papers
only, on the person, never left in a car, back the same day or, when allowed, home unopened and back the next working
day). A survey job (collecting from the person, the family or facility staff at visits is the work) has the article
visits-surveys: purpose and items, who is asked, identification, what not to ask, what may be carried, the monthly
reconciliation (form, report row, plan row, item) and, where the contractor has an interest of its own, the ban on using
what was learned for its business; the collection article allows what the survey collects, and no text asks consent
for each visit. Over the worked example and the answer space, each property shown to fail on a planted fault."""
from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings, strategies as st

from itaku.answers import answers_hash, flagged_questions, migrate, validate
from itaku.articles import article
from itaku.checklists import checklist_rows
from itaku.contents import documents
from itaku.deviations import deviations
from itaku.job import Job
from itaku.model import Corpus
from itaku.supervision import plan_rows

from strategies import answers as answer_space, holds_over_answer_space, job_of, spec_texts, text_of, with_fault
from test_coverage import unreached

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=[Phase.explicit, Phase.reuse, Phase.generate])
EXAMPLE = "care-needs-survey"

# Duties only a place the contractor controls can carry (locking, entry control, fire-proof storage, cameras).
PREMISES = ("施錠、入退室の管理", "入退室を記録", "入退室の記録", "耐火性の保管庫", "防災の設備", "監視カメラ")
# What the specification says about the day of a visit (clauses/09-work-place.md, the 訪問先 項).
DAY_RULES = ("その日の訪問に必要な資料等だけを携行", "身体から離さない", "訪問先に置き、又は預けない",
             "車両の中に置いたまま車両を離れない")
BACK_SAME_DAY = "その日のうちに資料等を作業場所等に戻す"
HOME_RULES = ("自宅で鞄等を開けず", "次の業務日の作業の開始時に資料等を作業場所等に戻し")
SOURCES = {"person": "対象者本人", "family": "対象者の家族その他", "facility": "対象者が入院し、又は入所している",
           "others": "対象者を支援している者で"}
SURVEY = ("調査事項", "身分証明書", "相手方が対象者本人であること", "調査事項以外の事項", "携行することができる資料等",
          "訪問調査の件数照合表", "割り当てられた訪問調査の件数")
OWN_INTEREST = "事業（サービスの計画の作成及びサービスの提供並びに営業、宣伝及び勧誘を含む。）のために利用しない"
RECONCILIATION_FORM = "訪問調査の件数照合表（月次）"


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


def example(model: Corpus) -> dict[str, Any]:
    return copy.deepcopy(next(e for e in model.data["examples"] if e["id"] == EXAMPLE)["answers"])



def visit_paragraph(job: Job) -> str:
    """The 訪問先 項 of the article on work places, with its 号 ('' when the job has none)."""
    s = next((s for s in job.selected if s.clause["id"] == "work-place"), None)
    if s is None:
        return ""
    return next(("\n".join([c.text] + [t for _, t in c.items]) for c in article(job, s).clauses
                 if c.text.startswith("訪問先（")), "")


# ---------------------------------------------------------------- properties

def prop_visited_places_have_no_premises_duties(job: Job) -> list[str]:
    """No premises duty names the visited places, in the specification, the checklists or the plan; the
    specification keeps visited places out of 作業場所等."""
    if not job.context.get("place_visited_third_party"):
        return []
    problems = [f"{cid}: 訪問先に施設の義務「{w}」: {t[:60]}" for cid, t in spec_texts(job)
                for w in PREMISES if w in t and "訪問先" in t]
    for phase in ("before", "after"):
        problems += [f"遵守確認表（{phase}）{r.item_id}: 訪問先に施設の義務「{w}」" for r in checklist_rows(job, phase)
                     for w in PREMISES if w in r.question and "訪問先" in r.question]
    problems += [f"監督計画の現場の行に施設の義務「{w}」" for _, what, _, _ in plan_rows(job)
                 if "訪問先" in what for w in PREMISES if w in what]
    paragraph = visit_paragraph(job)
    if paragraph and "作業場所等に含めず" not in paragraph:
        problems.append("訪問先を作業場所等に含めないことが特記事項にない")
    return problems


def prop_visits_rule_the_day(job: Job) -> list[str]:
    """What is carried during the day is ruled: the day's papers only, on the person, never left at the visited place
    or in a car; back the same day, or (when allowed) home unopened and back at the next working day's start."""
    if not job.context.get("place_visited_third_party"):
        return []
    spec = "\n".join(t for _, t in spec_texts(job))
    problems = [f"車内に置くことを認める文言: {t[:60]}" for _, t in spec_texts(job) if "車両の荷室" in t]
    paragraph = visit_paragraph(job)
    if not paragraph:  # the article on work places was removed with a recorded reason
        return problems
    problems += [f"訪問先の項に「{w}」がない" for w in DAY_RULES if w not in paragraph]
    home = bool(job.context.get("visits_direct_home"))
    if home:
        problems += [f"直行・直帰を認めたのに「{w}」がない" for w in HOME_RULES if w not in paragraph]
    elif BACK_SAME_DAY not in paragraph or "自宅に持ち帰ることができる" in spec:
        problems.append("直行・直帰を認めていないのに、その日のうちに戻す定めがないか、自宅への持ち帰りを認めている")
    if job.context.get("act_carry_out") == "routine" and "carry-out" in {s.clause["id"] for s in job.selected}:
        if ("直行・直帰の日を除き自宅に持ち帰らず" in spec) != home:
            problems.append("持出しの条の自宅への持ち帰りの定めが直行・直帰の回答と合わない")
    if not any(m == "実地" and "訪問先" in what for _, what, m, _ in plan_rows(job)):
        problems.append("監督計画に訪問先の現場への同行又は帰着時の立会いの行がない")
    listed = text_of(deviations(job))
    if "訪問先での取扱い" not in listed or ("次の業務日の始めに作業場所に戻して" in listed) != home:
        problems.append("条文の採否一覧に訪問先での取扱い（施設の義務を置かない理由、直行・直帰の扱い）がない")
    return problems


def prop_survey_content(job: Job) -> list[str]:
    """A survey job has the article with the sources chosen, the collection article's 項, the own-interest ban when
    answered, the form, the report row, the plan row per contract year and the reconciliation item; no text asks for
    approval at each visit. A job that is not a survey has none of them."""
    v = job.context
    ids = {s.clause["id"] for s in job.selected}
    forms = text_of(next(d for d in documents(job) if d.name == "forms.docx"))
    survey_rows = [e for e in job.plan if e.key[0] == "survey"]
    if not v.get("survey_job"):
        problems = ["訪問調査でないのに訪問調査の条がある"] if "visits-surveys" in ids else []
        return problems + (["訪問調査でないのに件数照合表がある"] if RECONCILIATION_FORM in forms or survey_rows else [])
    if "visits-surveys" not in ids:
        return ["訪問調査の業務に訪問調査の条がない"]
    texts = spec_texts(job)
    own = "\n".join(t for cid, t in texts if cid == "visits-surveys")
    problems = [f"訪問調査の条に「{w}」がない" for w in SURVEY if w not in own]
    first = article(job, next(s for s in job.selected if s.clause["id"] == "visits-surveys")).clauses[0]
    asked = "\n".join(t for _, t in first.items)  # the 号 of 第1項: who is asked
    problems += [f"聞き取る相手 {k} の号が回答と合わない" for k, w in SOURCES.items()
                 if (w in asked) != (k in v["survey_sources"])]
    if (OWN_INTEREST in own) != bool(v.get("survey_own_interest")):
        problems.append("自社の事業への利用の禁止が回答と合わない")
    if "collection" in ids and not any(cid == "collection" and "訪問調査において" in t for cid, t in texts):
        problems.append("収集の制限の条に訪問調査の収集を認める項がない")
    for cid, t in texts:  # never per visit: only what lies outside the routine needs approval each time
        for sentence in t.split("。"):
            about_visits = any(w in sentence for w in ("訪問", "聞き取")) or (
                "要配慮" in sentence and v.get("act_carry_out") == "routine")  # the papers of each visit
            if "都度" in sentence and about_visits and "通常の手順に当たらない" not in sentence:
                problems.append(f"{cid}: 訪問ごとの承諾を求める文: {sentence[:60]}")
    if RECONCILIATION_FORM not in forms or "訪問調査の件数（割当て" not in forms:
        problems.append("様式集に件数照合表又は定期報告の件数の行がない")
    years = {e.key[1] for e in job.plan if e.key[0] == "annual"}
    if {e.key[1] for e in survey_rows} != years or any(e.method != "書面" for e in survey_rows):
        problems.append(f"監督計画の件数照合の行が契約の年ごとにない: {[e.key for e in survey_rows]}")
    for phase in ("before", "after"):
        items = {r.item_id for r in checklist_rows(job, phase)}
        problems += [f"遵守確認表（{phase}）に {i} がない" for i in ("visits-surveys-01", "visits-surveys-05") if i not in items]
        if ("visits-surveys-06" in items) != bool(v.get("survey_own_interest")):
            problems.append(f"遵守確認表（{phase}）の自社の事業への利用の項目が回答と合わない")
    return problems


def prop_survey_paragraphs_are_covered(job: Job) -> list[str]:
    """Every adopted 項/号 of a survey job is checked by an item, a plan row or a recorded reason (coverage.yml)."""
    return unreached(job) if job.context.get("survey_job") else []


PROPERTIES = (prop_visited_places_have_no_premises_duties, prop_visits_rule_the_day, prop_survey_content,
              prop_survey_paragraphs_are_covered)


def all_problems(job: Job) -> list[str]:
    return [p for prop in PROPERTIES for p in prop(job)]


@st.composite
def visit_answers(draw: st.DrawFn, corpus: Corpus) -> tuple[dict[str, Any], dict[str, str]]:
    """The answer space with visited places: surveys (the sources named) and visits that are not surveys."""
    raw, removed = draw(answer_space(corpus))
    others = draw(st.lists(st.sampled_from(["our_premises", "contractor_premises"]), unique=True))
    raw["work_places"] = ["visits", *others]
    raw["work_kinds"] = list(draw(st.sampled_from([(), ("visits",), ("lent_tablets",), ("visits", "consultation"),
                                                   ("meter_reading",), ("visits", "print_mail")])))
    if draw(st.integers(0, 3)):  # mostly surveys
        raw["contractor_collects"] = True
        raw["survey_sources"] = draw(st.lists(st.sampled_from(list(SOURCES)), min_size=1, unique=True))
        raw["survey_own_interest"] = draw(st.booleans())
    raw["carry_out"] = draw(st.sampled_from([True, True, True, False]))  # a survey carries its forms
    raw["visits_direct_home"] = draw(st.booleans())
    return raw, removed


# ---------------------------------------------------------------- the worked example

def test_the_worked_example_is_a_survey_job(model):
    job = job_of(model, example(model))
    assert job.context["survey_job"] and job.context["place_visited_third_party"]
    assert all_problems(job) == []
    texts = spec_texts(job)
    sensitive = "\n".join(t for cid, t in texts if cid == "sensitive")
    assert "その都度" not in sensitive.replace("通常の手順に当たらない持出し、複写、複製又は送信は、要配慮個人情報については、その都度", "")
    assert "情報システム" not in sensitive and "電子データとして保存" not in sensitive  # a paper-only job
    assert not any("電子データは暗号化" in t for _, t in texts)
    survey = [r for r in plan_rows(job) if "件数照合表" in r[1]]
    assert len(survey) == 1 and survey[0][2] == "書面" and "特記事項第10条" in survey[0][3]


def test_direct_home_changes_the_day_rules(model):
    job = job_of(model, example(model) | {"visits_direct_home": True})
    paragraph = visit_paragraph(job)
    assert all(w in paragraph for w in HOME_RULES) and BACK_SAME_DAY not in paragraph
    assert all_problems(job) == []
    field = next(w for _, w, m, _ in plan_rows(job) if m == "実地" and "訪問先" in w)
    assert "直行・直帰の日は次の業務日の始め" in field


def test_the_direct_home_question_needs_visits_and_carrying(model):
    raw = next(e for e in model.data["examples"] if e["id"] == "paper-office")["answers"]
    values = validate(model, {**raw, "visits_direct_home": True, "survey_sources": ["person"]}, {}).values
    assert "visits_direct_home" not in values and "survey_sources" not in values  # hidden: the answers are ignored
    job = job_of(model, example(model) | {"carry_out": False})  # a survey carries its forms: asked only then
    assert not job.context["survey_job"] and "survey_sources" not in job.answers.values


def test_no_own_interest_no_ban(model):
    job = job_of(model, example(model) | {"survey_own_interest": False, "survey_sources": ["family"]})
    assert OWN_INTEREST not in "\n".join(t for _, t in spec_texts(job))
    assert all_problems(job) == []


# ---------------------------------------------------------------- files saved before the survey questions

def test_schema_4_files_without_the_survey_questions_keep_their_documents(model):
    old = next(e for e in model.data["examples"] if e["id"] == "home-visits")["answers"]
    assert "survey_sources" not in old
    migrated = migrate(model, copy.deepcopy(old), 4)
    assert migrated == old  # nothing converted: absent sources mean no survey (no kind presets them)
    job = job_of(model, migrated)
    assert not job.context["survey_job"] and "visits-surveys" not in {s.clause["id"] for s in job.selected}
    assert answers_hash(job.answers) == answers_hash(validate(model, old, {}))
    assert "survey_sources" not in flagged_questions(model, 4)
    assert flagged_questions(model, 3)["survey_sources"].startswith("訪問して聞き取る相手（新しい質問）")
    assert all_problems(job) == []


# ---------------------------------------------------------------- over the answer space

def test_visits_and_surveys_over_the_answer_space(model):
    holds_over_answer_space(model, all_problems, SETTINGS, visit_answers(model))


# ---------------------------------------------------------------- planted faults

def _paragraph(data: dict[str, Any], clause: str, starts: str) -> dict[str, Any]:
    c = next(c for c in data["clauses"] if c["id"] == clause)
    return next(p for p in c["texts"][""] if p["text"].startswith(starts))


def test_a_planted_fault_putting_premises_duties_on_visited_places_is_found(model):
    def fault(data):  # the locking 項 written for every place of the job, the visited ones too
        p = _paragraph(data, "work-place", "{{contractor}}は、{{contractor}}が管理する作業場所等について")
        p["when"] = None
        p["text"] = p["text"].replace("{{contractor}}が管理する作業場所等について", "作業場所等及び訪問先について")
    found = prop_visited_places_have_no_premises_duties(job_of(with_fault(model, fault), example(model)))
    assert any("訪問先に施設の義務" in p for p in found), found


def test_a_planted_fault_leaving_papers_in_the_car_is_found(model):
    def fault(data):  # the earlier wording: a locked boot between visits
        p = _paragraph(data, "work-place", "訪問先（")
        p["items"][2] = "資料等を訪問先に置き、又は預けないこと。訪問の合間に一時的に置く必要があるときは、施錠した鞄等又は施錠した車両の荷室に収めること。"
    found = prop_visits_rule_the_day(job_of(with_fault(model, fault), example(model)))
    assert "訪問先の項に「車両の中に置いたまま車両を離れない」がない" in found and any("車両の荷室" in p for p in found)


def test_a_planted_fault_asking_consent_at_each_visit_is_found(model):
    def fault(data):  # the 要配慮 article's per-occasion 号 kept for routine visits too (issue 25's finding)
        c = next(c for c in data["clauses"] if c["id"] == "sensitive")
        c["texts"][""][0]["items_when"][4] = None
    found = prop_survey_content(job_of(with_fault(model, fault), example(model)))
    assert any("訪問ごとの承諾を求める文" in p for p in found), found


def test_a_planted_fault_dropping_the_reconciliation_is_found(model):
    def fault(data):
        data["forms"] = [f for f in data["forms"] if f["id"] != "survey-reconciliation"]
    found = prop_survey_content(job_of(with_fault(model, fault), example(model)))
    assert "様式集に件数照合表又は定期報告の件数の行がない" in found


def test_a_planted_fault_leaving_a_paragraph_unchecked_is_found(model):
    def fault(data):  # the coverage entries of the sources' 号 lost
        data["coverage"] = [e for e in data["coverage"] if e["clause"] != "visits-surveys"]
    found = prop_survey_paragraphs_are_covered(job_of(with_fault(model, fault), example(model)))
    assert any("visits-surveys" in p for p in found), found


def test_a_designation_keeps_its_terms_in_the_visits_section(model):
    """The 採否一覧's 訪問先での取扱い speaks of the 指定管理者 in a designated job (found by the consistency property)."""
    job = job_of(model, example(model) | {"contract_type": "designated_manager"})
    listed = text_of(deviations(job))
    section = listed[listed.index("訪問先での取扱い"):listed.index("遵守確認表の範囲")]
    assert "受託者" not in section and "指定管理者が管理する場所ではないため" in section
