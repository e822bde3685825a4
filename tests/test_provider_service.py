"""A provider's own service used by the authority (issue 26 item 2): the kind saas with a service the contractor
provides or contracts gets the article 事業者のサービスの利用 (the specification prevails over the provider's terms, no
own use of the data, who can read, tenants and keys, location, a substitute check of the data centre, the platform,
connection to its own service, migration in, the exit order), its items and plan rows. Over the worked example and
the answer space, each property shown to fail on a planted fault."""
from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings, strategies as st

from itaku.answers import answers_hash, flagged_questions, migrate, validate
from itaku.articles import article
from itaku.checklists import checklist_rows
from itaku.job import Job
from itaku.model import Corpus
from itaku.supervision import plan_rows

from strategies import answers as answer_space, holds_over_answer_space, job_of, with_fault

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=[Phase.explicit, Phase.reuse, Phase.generate])

OWN_USE = "利用規約等の定めにかかわらず"  # the ban on own use that overrides the provider's terms
PREVAILS = "この特記事項の定めが優先し"
TERMS_ITEM = "provider-service-01"  # the pre-contract checklist asks for the terms' clauses
MIGRATION = "移行計画書"
EXIT = "引き渡した後に消去しなければならない"
SUCCESSOR = "次の事業者が読み込むことのできる形式"
# Duties written for a contractor entering the authority's system that a provider's own service does not have.
CONNECTION = ("作業場所の外から甲の情報システムに遠隔で接続してはならない",)


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


def example(model: Corpus) -> dict[str, Any]:
    return copy.deepcopy(next(e for e in model.data["examples"] if e["id"] == "nursery-saas")["answers"])


def spec_text(job: Job) -> str:
    out = []
    for s in job.selected:
        for c in article(job, s).clauses:
            out += [c.text] + [t for _, t in c.items]
    return "\n".join(out)


# ---------------------------------------------------------------- the property

def prop_provider_service(job: Job) -> list[str]:
    """A provider-service job: the specification prevails over the provider's terms and forbids own use of the data,
    the pre-contract checklist asks for the terms' clauses, the data centre is checked by a substitute (never an
    on-site row there), migration in and the hand-over to a successor exactly when the answers say so, the exit order
    and its plan row inside the contract, and no duty of connecting to the authority's system the job does not use."""
    v = job.context
    ids = {s.clause["id"] for s in job.selected}
    if not v.get("provider_service"):
        return ["事業者のサービスの業務でないのに事業者のサービスの利用の条がある"] if "provider-service" in ids else []
    spec = spec_text(job)
    problems = [f"特記事項に「{w}」がない" for w in (PREVAILS, OWN_USE, EXIT, "第三者が行った監査又は認証") if w not in spec]
    if TERMS_ITEM not in {r.item_id for r in checklist_rows(job, "before")}:
        problems.append("遵守確認表（契約前）が利用規約等の条項を求めていない")
    moves = set(v.get("service_migration") or [])
    if (MIGRATION in spec) != ("in" in moves):
        problems.append(f"移行の項が回答（{sorted(moves)}）と合わない")
    if (SUCCESSOR in spec) != ("out" in moves):
        problems.append(f"次の事業者への引継ぎの項が回答（{sorted(moves)}）と合わない")
    kinds = {e.key[0]: e for e in job.plan}
    if ("migration-in" in kinds) != ("in" in moves):
        problems.append(f"監督計画の移行の確認の行が回答（{sorted(moves)}）と合わない")
    end = date.fromisoformat(v["contract_end"])
    exit_row = kinds.get("exit")
    if exit_row is None or exit_row.due > end or exit_row.earliest > exit_row.due:
        problems.append(f"終了時の引渡しと確認の行が契約期間内にない: {exit_row}")
    elif ("次の事業者" in exit_row.what) != ("out" in moves):
        problems.append("終了時の行の次の事業者への引継ぎが回答と合わない")
    if v.get("place_provider_dc") and "provider-dc" not in kinds:
        problems.append("立ち入れないデータセンターの代わりの確認の行がない")
    problems += [f"監督計画がデータセンターへの実地調査を求めている: {what[:60]}"
                 for _, what, method, _ in plan_rows(job) if method == "実地" and "データセンター" in what]
    if "authority_system" not in (v.get("devices") or []):
        problems += [f"委託元のシステムを使わないのに接続の義務「{w}」がある" for w in CONNECTION if w in spec]
    return problems


@st.composite
def provider_answers(draw: st.DrawFn, corpus: Corpus) -> tuple[dict[str, Any], dict[str, str]]:
    """The answer space with the kind saas chosen (alone or with another kind), electronic data and a service the
    contractor provides or contracts: every provider-service job the questionnaire can describe (and some that are
    not, when the drawn service rows are all the authority's)."""
    raw, removed = draw(answer_space(corpus))
    raw["work_kinds"] = list(draw(st.sampled_from([("saas",), ("saas",), ("reception", "saas"), ("data_entry", "saas"),
                                                   ("saas", "system_operation")])))
    raw["processing"] = draw(st.sampled_from(["electronic", "both"]))
    raw["cloud"] = True
    return raw, removed


# ---------------------------------------------------------------- the worked example

def test_the_worked_example_has_the_provider_service_content(model):
    job = job_of(model, example(model))
    assert job.context["provider_service"]
    assert prop_provider_service(job) == []
    spec = spec_text(job)
    assert MIGRATION in spec and SUCCESSOR in spec and "委託元の利用者" in spec
    assert "第三者が行った監査又は認証" in spec and "ISMAP" in spec
    kinds = [e.key[0] for e in job.plan]
    assert "migration-in" in kinds and "exit" in kinds and "provider-dc" in kinds
    assert not any(e.key[0] == "sub-onsite" for e in job.plan)  # the platform is a listed service, not a visit
    before = {r.item_id for r in checklist_rows(job, "before")}
    assert {TERMS_ITEM, "provider-service-02", "provider-service-06", "provider-service-09", "provider-service-10",
            "provider-service-11"} <= before


def test_without_migration_answers_no_migration_content(model):
    job = job_of(model, example(model) | {"service_migration": []})
    spec = spec_text(job)
    assert MIGRATION not in spec and SUCCESSOR not in spec and EXIT in spec
    assert prop_provider_service(job) == []
    ids = {r.item_id for r in checklist_rows(job, "before")}
    assert "provider-service-09" not in ids and "provider-service-11" not in ids


def test_a_service_of_the_authority_is_not_a_provider_service(model):
    raw = example(model) | {"cloud_services": [{"name": "委託元のクラウド", "provided_by": "client", "location": "domestic"}]}
    job = job_of(model, raw)
    assert not job.context["provider_service"]
    assert "provider-service" not in {s.clause["id"] for s in job.selected}
    assert "service_migration" not in job.answers.values  # not asked


def test_the_callcentre_tool_keeps_its_connection_rules_when_it_uses_the_authority_system(model):
    raw = example(model) | {"devices": ["contractor_devices", "authority_system"]}
    spec = spec_text(job_of(model, raw))
    assert CONNECTION[0] in spec  # the job does use the authority's system
    assert CONNECTION[0] not in spec_text(job_of(model, example(model)))


# ---------------------------------------------------------------- schema-4 files saved before the question

def test_schema_4_files_without_the_question_keep_their_answers(model):
    old = example(model)
    old.pop("service_migration")
    assert migrate(model, old, 4) == old
    assert answers_hash(validate(model, migrate(model, old, 4), {})) == answers_hash(validate(model, old, {}))
    assert "service_migration" not in flagged_questions(model, 4)
    assert "service_migration" in flagged_questions(model, 3)  # newer than a schema-3 file: flagged
    other = copy.deepcopy(next(e for e in model.data["examples"] if e["id"] == "paper-office")["answers"])
    assert "service_migration" not in validate(model, other, {}).values


# ---------------------------------------------------------------- over the answer space

def test_provider_service_jobs_over_the_answer_space(model):
    holds_over_answer_space(model, prop_provider_service, SETTINGS, provider_answers(model))


def test_other_jobs_have_no_provider_service_article_over_the_answer_space(model):
    holds_over_answer_space(model, prop_provider_service, SETTINGS)


# ---------------------------------------------------------------- planted faults

def _drop_paragraph(start: str):
    def change(data: dict[str, Any]) -> None:
        clause = next(c for c in data["clauses"] if c["id"] == "provider-service")
        clause["texts"][""] = [p for p in clause["texts"][""] if not p["text"].startswith(start)]
    return change


def test_a_planted_fault_dropping_the_ban_on_own_use_is_found(model):
    job = job_of(with_fault(model, _drop_paragraph("{{contractor}}は、利用規約等の定めにかかわらず")), example(model))
    assert f"特記事項に「{OWN_USE}」がない" in prop_provider_service(job)


def test_a_planted_fault_ignoring_the_migration_answer_is_found(model):
    def change(data: dict[str, Any]) -> None:
        clause = next(c for c in data["clauses"] if c["id"] == "provider-service")
        for p in clause["texts"][""]:
            if p.get("when") == {"in": ["service_migration", ["in"]]}:
                p["when"] = {"in": ["service_migration", ["out"]]}
    found = prop_provider_service(job_of(with_fault(model, change), example(model) | {"service_migration": ["in"]}))
    assert any("移行の項が回答" in p for p in found), found


def test_a_planted_fault_losing_the_migration_row_is_found(model, monkeypatch):
    from itaku import plan

    real = plan.field_checks
    monkeypatch.setattr(plan, "field_checks", lambda v, s, e: [r for r in real(v, s, e) if r.key[0] != "migration-in"])
    found = prop_provider_service(job_of(model, example(model)))
    assert any("移行の確認の行" in p for p in found), found


def test_a_planted_fault_inspecting_the_data_centre_on_site_is_found(model, monkeypatch):
    from dataclasses import replace

    from itaku import plan

    real = plan.field_checks
    monkeypatch.setattr(plan, "field_checks", lambda v, s, e: [replace(r, method="実地") if r.key[0] == "provider-dc" else r
                                                              for r in real(v, s, e)])
    found = prop_provider_service(job_of(model, example(model)))
    assert any("データセンターへの実地調査" in p for p in found), found


def test_a_planted_fault_keeping_the_connection_ban_is_found(model):
    def change(data: dict[str, Any]) -> None:
        clause = next(c for c in data["clauses"] if c["id"] == "security")
        for p in clause["texts"][""]:
            if "作業場所の外から{{client}}の情報システムに遠隔で接続してはならない" in p["text"]:
                p["when"] = {"all": [{"eq": ["remote_access", "none"]}, {"in": ["work_places", ["contractor_premises"]]}]}
    found = prop_provider_service(job_of(with_fault(model, change), example(model)))
    assert any("接続の義務" in p for p in found), found
