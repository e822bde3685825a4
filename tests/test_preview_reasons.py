"""Issue 19, point 8: a readable preview — one document at a time, no double numbering, plain reasons."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itaku import web
from itaku.answers import validate
from itaku.contents import documents, sheets
from itaku.job import build_job
from itaku.model import Corpus
from itaku.render.html import preview_html


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


def example(model: Corpus, example_id: str) -> dict:
    return dict(next(e for e in model.data["examples"] if e["id"] == example_id)["answers"])


def test_one_panel_open_and_no_list_numbers(model):
    job = build_job(model, validate(model, example(model, "printing")))
    html = preview_html(documents(job), sheets(job))
    panels = re.findall(r'<details class="itaku-doc-panel" name="itaku-preview-docs" data-doc="([^"]+)"( open)?>', html)
    assert [name for name, _ in panels][:1] == ["specification.docx"]
    assert [name for name, is_open in panels if is_open] == ["specification.docx"]
    assert {"checklist-before.xlsx", "forms.docx"} <= {name for name, _ in panels}
    assert "<ol" not in html and "<li" not in html.split("itaku-table")[0]  # 号 labels are the only numbers
    assert 'class="itaku-gou"><span class="itaku-label">（１）' in html or 'class="itaku-gou"><span class="itaku-label">（1）' in html
    chosen = preview_html(documents(job), sheets(job), open_output="forms.docx")
    assert re.findall(r'data-doc="([^"]+)" open', chosen) == ["forms.docx"]
    assert re.findall(r'data-doc="([^"]+)" open', preview_html(documents(job), sheets(job), open_output="x")) == \
        ["specification.docx"]
    assert re.findall(r'data-doc="([^"]+)" open', web.state(example(model, "printing"), None, "forms.docx")["preview"]) \
        == ["forms.docx"]


def test_reasons_are_plain_japanese(model):
    answers = {**example(model, "home-visits"), "carry_out": True}
    state = web.state(answers)
    reasons = {a["id"]: a["reason"] for a in state["articles"]}
    assert reasons["basic"] == "どの業務にも必要な条文なので、常に含めています。"
    assert "持ち出す必要" in reasons["carry-out"]  # the act's decision, in the answer's own words
    assert re.search(r"(と答えた|と回答された)ため", reasons["carry-out"]), reasons["carry-out"]
    assert reasons["carry-out"].endswith("の文言にしています。")
    assert "「要配慮個人情報を取り扱いますか」に「はい」と答えたため、この条を含めています。" == reasons["sensitive"]
    for text in [*reasons.values(), *(x["reason"] for x in state["excluded"])]:
        assert not re.search(r"[{}\[\]=]|適用条件：|eq|any|all", text), text


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.booleans(), st.booleans(), st.booleans(), st.booleans(), st.sampled_from(["none", "planned"]))
def test_property_every_conditional_reason_names_an_answer(model, carry_out, copying, cloud, sensitive, reout):
    answers = {**example(model, "call-centre"), "carry_out": carry_out, "copying": copying, "cloud": cloud,
               "sensitive_info": sensitive, "reoutsourcing": reout, "reoutsourcing_scope": "封入封緘"}
    state = web.state(answers)
    assert state["valid"], state["errors"]
    by_id = {c["id"]: c for c in model.clauses}
    for article in state["articles"]:
        clause = by_id[article["id"]]
        if clause["inclusion"] == "conditional":
            assert re.search(r"(と答えた|を選んだ|と回答された)ため", article["reason"]), article
    for x in state["excluded"]:
        assert x["reason"].endswith("含めていません。") or x["reason"].startswith("外すと決めた"), x


def test_no_doubled_full_stop_in_any_worked_example_preview() -> None:
    """Issue 30 (small things): the reason and the conditional 項 are joined by one 「。」."""
    from itaku import web

    for example in web.corpus().data["examples"]:
        state = web.state(example["answers"], {}, None)
        assert "。。" not in state["preview"], example["id"]
