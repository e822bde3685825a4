"""Answers → job: properties over the whole answer space, and realistic jobs."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings

from itaku.answers import AnswersError, answers_hash, validate
from itaku.checklists import checklist_rows
from itaku.contents import documents, sheets
from itaku.job import Job, build_job
from itaku.model import Corpus
from itaku.plan import METHOD_RANK, RULE_SETS, build_plan
from itaku.render.html import preview_html
from itaku.text import fill

from strategies import answers as answer_space

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


def _job(model: Corpus, raw, removed=None) -> Job:
    return build_job(model, validate(model, raw, removed))


def _all_text(job: Job) -> str:
    parts = []
    for doc in documents(job):
        parts.append(repr(doc.blocks))
    for sheet in sheets(job):
        parts.append(repr(sheet.rows) + repr(sheet.meta))
    return "".join(parts)


def test_property_job_invariants(model):
    @SETTINGS
    @given(answer_space(model))
    def check(case):
        raw, removed = case
        job = _job(model, raw, removed)
        included = {s.clause["id"] for s in job.selected}
        # required always present; default_on present unless removed with a reason
        for clause in model.clauses:
            if clause["inclusion"] == "required":
                assert clause["id"] in included
            if clause["inclusion"] == "default_on":
                assert (clause["id"] in included) == (clause["id"] not in removed)
        # every included clause has its items in both lists (on the light route only the minimum: see
        # test_light_visits and test_coverage); every item's clause is included
        for phase in ("before", "after"):
            rows = checklist_rows(job, phase)
            checked = {model.item_for(r.item_id, job.context)["clause"] for r in rows}
            assert checked <= included if job.context["light_route"] else checked == included, phase
        # numbering is 1..n after selection
        assert [s.number for s in job.selected] == list(range(1, len(job.selected) + 1))
        # no unfilled placeholder anywhere
        assert "{{" not in _all_text(job)
        # preview escapes user text
        html = preview_html(documents(job), sheets(job))
        assert "<script>" not in html
    check()


def test_property_plan_is_never_weaker_than_any_rule_set(model):
    @SETTINGS
    @given(answer_space(model))
    def check(case):
        raw, removed = case
        job = _job(model, raw, removed)
        from datetime import date
        start = date.fromisoformat(job.context["contract_start"])
        end = date.fromisoformat(job.context["contract_end"])
        plan = {e.key: e for e in build_plan(job.context)}
        for rule in RULE_SETS:
            for req in rule(job.context, start, end):
                entry = plan[req.key]
                assert METHOD_RANK[entry.method] >= METHOD_RANK[req.method], (rule.__name__, req)
                assert entry.due <= req.due, (rule.__name__, req)
                # national minimum: at least one on-site check in every contract year
        annual = [e for e in plan.values() if e.key[0] == "annual"]
        assert annual and all(e.method == "実地" for e in annual)
    check()


def test_identical_answers_give_identical_hash_and_job(model):
    raw = {"work_name": "入力業務", "department": "市民課", "created_on": "2026-03-01",
           "contract_start": "2026-04-01", "contract_end": "2027-03-31", "record_count": 10}
    a, b = validate(model, raw), validate(model, dict(raw))
    assert answers_hash(a) == answers_hash(b)
    assert preview_html(documents(build_job(model, a)), sheets(build_job(model, a))) == \
        preview_html(documents(build_job(model, b)), sheets(build_job(model, b)))


def test_full_width_input_is_normalised(model):
    raw = {"work_name": "ＡＢＣ業務", "department": "市民課", "created_on": "令和８年３月１日",
           "contract_start": "２０２６－０４－０１", "contract_end": "2027/3/31", "record_count": "１，２００"}
    a = validate(model, raw)
    assert a.values["work_name"] == "ABC業務"
    assert a.values["contract_start"] == "2026-04-01"
    assert a.values["created_on"] == "2026-03-01"
    assert a.values["record_count"] == 1200


def test_validation_messages_name_the_question(model):
    with pytest.raises(AnswersError) as exc:
        validate(model, {"work_name": "", "department": "課", "created_on": "2026-03-01",
                         "contract_start": "2026-04-01", "contract_end": "2026-03-01", "record_count": "多数"})
    errors = exc.value.errors
    assert "業務名" in errors["work_name"]
    assert "終了日" in errors["contract_end"]
    assert "取扱件数" in errors["record_count"]


def test_required_clause_cannot_be_removed(model):
    required = next(c for c in model.clauses if c["inclusion"] == "required")
    with pytest.raises(AnswersError) as exc:
        validate(model, {"work_name": "x", "department": "課", "created_on": "2026-03-01",
                         "contract_start": "2026-04-01", "contract_end": "2027-03-31", "record_count": 1},
                 {required["id"]: "不要"})
    assert "外せない" in json.dumps(exc.value.errors, ensure_ascii=False)


def test_removing_default_on_needs_a_reason(model):
    base = {"work_name": "x", "department": "課", "created_on": "2026-03-01",
            "contract_start": "2026-04-01", "contract_end": "2027-03-31", "record_count": 1}
    with pytest.raises(AnswersError):
        validate(model, base, {"carry-out": "  "})
    job = _job(model, base, {"carry-out": "庁舎内の端末のみで作業し持ち出せないため"})
    assert "carry-out" not in {s.clause["id"] for s in job.selected}
    assert any(d.name == "deviations.docx" for d in documents(job))


def test_designated_manager_wording(model):
    raw = {"work_name": "市民会館の管理", "department": "文化振興課", "created_on": "2026-03-01",
           "contract_type": "designated_manager", "party_style": "role",
           "contract_start": "2026-04-01", "contract_end": "2031-03-31", "record_count": 5000}
    job = _job(model, raw)
    text = _all_text(job)
    assert "指定管理者" in text and "協定" in text
    assert job.context["term"] == "multi_year"
    assert len([e for e in job.plan if e.key[0] == "annual"]) == 5


def test_ref_to_excluded_clause_reads_naturally(model):
    job = _job(model, {"work_name": "x", "department": "課", "created_on": "2026-03-01",
                       "contract_start": "2026-04-01", "contract_end": "2027-03-31", "record_count": 1},
               {"work-place": "庁舎の窓口で職員の監督下で行うため"})
    assert fill("{{ref:work-place}}", job) == "本特記事項の関係規定"


BASE = {"work_name": "入力業務", "department": "市民課", "created_on": "2026-03-01",
        "contract_start": "2026-04-01", "contract_end": "2027-03-31", "record_count": 10}


def test_property_identical_answers_give_identical_bytes(model):
    from itaku.outputs import build_outputs

    @settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(answer_space(model))
    def check(case):
        raw, removed = case
        first = build_outputs(_job(model, raw, removed))
        second = build_outputs(_job(model, json.loads(json.dumps(raw)), dict(removed)))
        assert first == second
    check()


def test_hostile_text_is_exact_in_json_formula_safe_in_xlsx_escaped_in_docx(model):
    import io

    import docx
    import openpyxl

    from itaku.outputs import build_outputs

    hostile = "=cmd|' /C calc'!A0 <script>alert(1)</script> & 🙂\x01" + "長" * 150
    files = build_outputs(_job(model, {**BASE, "work_name": hostile, "contractor_name": "@SUM(A1)"}))
    shown = hostile.replace("\x01", "")  # control characters are removed when the answers are read
    assert json.loads(files["answers.json"])["answers"]["work_name"] == shown  # JSON keeps the rest exactly
    wb = openpyxl.load_workbook(io.BytesIO(files["checklist-before.xlsx"]))
    cells = [c for row in wb.worksheets[0].iter_rows() for c in row if c.value is not None]
    assert shown in [c.value for c in cells]
    assert "@SUM(A1)" in [c.value for c in cells]
    assert all(c.data_type != "f" for c in cells)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(files["specification.docx"])).paragraphs)
    assert shown in text
