"""Checks that follow the job (issue 29): the 採否一覧's labels and acts, the three-point sheet,
the 契約前 sheet's header, contracts without a 契約書, the 監督 clause and the periodic report."""
from __future__ import annotations

import pytest

from itaku.answers import validate
from itaku.deviations import act_rows, adoption_rows
from itaku.job import build_job
from itaku.model import Corpus


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


def example(model: Corpus, eid: str) -> dict:
    return dict(next(e for e in model.data["examples"] if e["id"] == eid)["answers"])


def job_of(model: Corpus, raw: dict, removed: dict | None = None):
    return build_job(model, validate(model, raw, removed or {}))


# ---------------------------------------------------------------- A. 条文の採否一覧

def test_variant_labels_are_those_of_their_own_clause(model):
    """Two clauses share the variant id ``with-approval``: copying must not read 「再委託を予定している場合」."""
    raw = {**example(model, "paper-office"), "copying": True, "reoutsourcing": "planned",
           "reoutsourcing_scope": "封入封緘作業のうち機械封入の部分"}
    rows = {title: wording for title, _, wording, _ in adoption_rows(job_of(model, raw))}
    copying = model.clause("copying")
    subcontracting = model.clause("subcontracting")
    assert rows[copying["title"]] == next(v["label"] for v in copying["variants"] if v["id"] == "with-approval")
    assert "再委託" not in rows[copying["title"]]
    assert rows[subcontracting["title"]] == next(v["label"] for v in subcontracting["variants"]
                                                 if v["id"] == "with-approval")


def test_acts_table_says_an_article_was_removed_not_forbidden(model):
    reason = "庁舎内の端末でのみ作業し持出しの余地がない"
    job = job_of(model, example(model, "paper-office"), {"carry-out": reason})
    row = next(r for r in act_rows(job) if r[0] == job.acts["carry_out"].label)
    assert row[1] != "禁止" and "外した" in row[1]
    assert reason in row[2] and "持出しの禁止" in row[2]
    kept = next(r for r in act_rows(job_of(model, example(model, "paper-office"))) if r[0] == row[0])
    assert kept[1] == "禁止"
