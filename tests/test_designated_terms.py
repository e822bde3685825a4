"""指定管理 is a designation, not a contract (issue 28): the reviewed term map and the remedies of a 協定.

Over the answer space of designated jobs, no output speaks of a 代金, a 入札, 契約不適合, a 「再指定管理者」
or a 協定 with the subcontractor (the 指定管理者's subcontract is an ordinary contract, 契約書), and the
remedy and audit wording rests on 地方自治法第244条の2 (第10項: reports, on-site inspection,
instructions; 第11項: revocation of the designation, suspension of the management).
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from itaku import terms
from itaku.answers import validate
from itaku.document import Article
from itaku.contents import documents
from itaku.job import Job, build_job
from itaku.model import Corpus

from strategies import answers as answer_space
from test_consistency import SWITCHED_ON, _corpus_text, neutral, texts

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=[Phase.explicit, Phase.reuse, Phase.generate])

# Words that belong to contracts for work (or to a wrong reading of the designation), never to a 指定管理 job.
NOT_IN_DESIGNATED = ("代金", "入札", "契約不適合", "再指定", "再委託先との協定")
AUTONOMY_ACT = "地方自治法第244条の2"


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


def designated_problems(job: Job) -> list[str]:
    problems = []
    for f, kind, t in texts(job):
        own = _corpus_text(job, t)
        problems += [f"{f} ({kind}) に「{w}」: {t[:80]}" for w in NOT_IN_DESIGNATED if w in own]
    spec = next(d for d in documents(job) if d.name == "specification.docx")
    articles = {b.caption: " ".join(c.text + " ".join(t for _, t in c.items) for c in b.clauses)
                for b in spec.blocks if isinstance(b, Article)}
    remedy = next((text for cap, text in articles.items() if "指定の取消し" in cap), None)
    if remedy is None:
        problems.append(f"解除の条の見出しに「指定の取消し」がない: {list(articles)}")
    else:
        if AUTONOMY_ACT not in remedy:
            problems.append("解除の条が地方自治法第244条の2を引いていない")
        if "業務の停止" not in remedy and "停止を命ずる" not in remedy:
            problems.append("解除の条に管理の業務の停止がない")
    if "audit" in {s.clause["id"] for s in job.selected}:
        audit = articles.get(next(cap for cap in articles if "監査" in cap), "")  # not 訪問調査による個人情報の収集
        if AUTONOMY_ACT not in audit:
            problems.append("監査・実地調査の条が地方自治法第244条の2を引いていない")
    return problems


def _designated(model: Corpus, raw: dict) -> Job:
    raw = {k: neutral(model, k, v) for k, v in raw.items()}
    raw.update({"contract_type": "designated_manager", "work_name": "市民センターの管理運営",
                "department": "市民部市民課", "contractor_name": "株式会社サンプル"})
    raw.pop("contract_document", None)
    for key in ("data_purpose", "reoutsourcing_scope", "work_place_detail"):
        if raw.get(key):
            raw[key] = "入力例"
    return build_job(model, validate(model, raw, {}))


def test_designated_outputs_use_the_terms_of_a_designation(model):
    @SETTINGS
    @given(answer_space(model))
    def prop(generated):
        job = _designated(model, generated[0])
        assert job.is_designated
        problems = designated_problems(job)
        assert not problems, "\n".join(problems[:20])
    prop()


def test_designated_worked_examples_use_the_terms_of_a_designation(model):
    designated = [e for e in model.data["examples"] if e["answers"].get("contract_type") == "designated_manager"]
    assert designated
    for example in designated:
        for extra in ({}, SWITCHED_ON, {**SWITCHED_ON, "reoutsourcing": "planned", "reoutsourcing_scope": "受付の補助"}):
            job = build_job(model, validate(model, {**example["answers"], **extra}, example.get("removed_clauses")))
            problems = designated_problems(job)
            assert not problems, f"{example['id']} {extra}:\n" + "\n".join(problems[:20])


def test_the_map_leaves_the_subcontract_alone(model):
    wording = model.data["wording"]
    keep = terms.keep_pattern(wording)
    reword = lambda t: terms.reword(t, wording["designated"], keep)  # noqa: E731
    assert reword("再委託先との契約書の写し") == "再委託先との契約書の写し"
    assert reword("委託元による再委託先の監督に協力する") == "委託元による再委託先の監督に協力する"
    assert "再指定管理者" not in reword("委託元による再委託先の監督")
    assert reword("この契約の締結") == "この協定の締結"
    assert reword("受託者は、再委託先との契約書を提出する") == "指定管理者は、再委託先との契約書を提出する"
    # a pair written for a whole sentence that contains a subcontract word still applies
    assert "請け負わせ" in reword("その全部又は一部を第三者に委託（以下「再委託」という。）してはならない")


def test_contract_jobs_keep_their_contract_remedies(model):
    """The ordinary contract still has 契約不適合 (追完・代金減額) and 催告によらない解除."""
    example = next(e for e in model.data["examples"] if e["answers"].get("contract_type") == "outsourcing")
    job = build_job(model, validate(model, example["answers"], example.get("removed_clauses")))
    spec = " ".join(t for f, _, t in texts(job) if f == "specification.docx")
    assert "代金の減額" in spec and "催告によらない" in spec
    assert AUTONOMY_ACT not in spec
