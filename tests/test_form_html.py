"""The generator page's questionnaire rendered at build time (itaku.build.form_html).

The built HTML is parsed back with the standard library: every question has a
control named by its key, defaults are the controls' initial values, the
questions the defaults hide start hidden, and every text from the corpus is
escaped.
"""
from __future__ import annotations

import copy
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from itaku import web
from itaku.build import form_html

ROOT = Path(__file__).resolve().parents[1]


class Controls(HTMLParser):
    """Collects form controls and question wrappers of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, Any]] = []
        self.wraps: dict[str, dict[str, Any]] = {}
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if tag in ("input", "textarea", "select") and a.get("name"):
            self.controls.append({"tag": tag, **a})
        if "itaku-q" in (a.get("class") or "").split() and a.get("data-key"):
            self.wraps[a["data-key"]] = a


def parse(html: str) -> Controls:
    parser = Controls()
    parser.feed(html)
    return parser


def rendered() -> tuple[dict[str, Any], Controls]:
    q = web.questionnaire()
    return q, parse(form_html.steps_html(q, web.visible_keys(q["defaults"])))


def test_every_question_has_a_control_named_by_its_key_with_its_default() -> None:
    q, html = rendered()
    questions = [x for s in q["steps"] for x in s["questions"]]
    names = {c["name"] for c in html.controls}
    assert names == {x["key"] for x in questions if x["type"] != "list"}  # a list's inputs are added per row
    for question in questions:
        key, default = question["key"], q["defaults"].get(question["key"])
        mine = [c for c in html.controls if c["name"] == key]
        assert html.wraps[key]["data-type"] == question["type"]
        if question["type"] == "list":
            assert not mine and f'id="rows-{key}"' in form_html.steps_html(q, [])
            continue
        if question["type"] in ("choice", "multi"):
            assert [c["value"] for c in mine] == [c["value"] for c in question["choices"]]
            chosen = default if isinstance(default, list) else [default]
            assert [c["value"] for c in mine if "checked" in c] == [v for v in [c["value"] for c in question["choices"]]
                                                                   if v in chosen]
        elif question["type"] == "bool":
            assert len(mine) == 1 and ("checked" in mine[0]) == (default is True)
        else:
            assert len(mine) == 1 and mine[0].get("value") == (None if default in (None, "") else str(default))


def test_questions_the_defaults_hide_start_hidden() -> None:
    q, html = rendered()
    shown = set(web.visible_keys(q["defaults"]))
    assert "reoutsourcing_scope" not in shown  # a conditional question exists
    for key, wrap in html.wraps.items():
        assert ("hidden" in wrap) == (key not in shown), key


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_corpus_text_is_escaped(text: str) -> None:
    q = copy.deepcopy(web.questionnaire())
    question = q["steps"][0]["questions"][0]
    question["label"] = question["help"] = text
    choice = next(x for s in q["steps"] for x in s["questions"] if x["type"] == "choice")
    choice["choices"][0]["label"] = text
    q["removable"][0]["title"] = text
    html = form_html.steps_html(q, []) + form_html.removable_html(q) + form_html.examples_html(q)
    parser = parse(html)
    assert not set(parser.tags) - {"fieldset", "legend", "div", "label", "span", "input", "p", "textarea", "option",
                                   "table", "thead", "tbody", "tr", "th", "button",  # list questions: a table
                                   "nav", "ol", "li", "a", "details", "summary",  # steps' links; help's details
                                   "ul"}  # the choices' help under 「詳しく」
    assert escape(text) in html or escape(text, quote=False) in html


def test_an_unknown_question_type_fails_the_build_with_a_message() -> None:
    q = copy.deepcopy(web.questionnaire())
    q["steps"][0]["questions"][0]["type"] = "table"
    with pytest.raises(form_html.FormError, match="table"):
        form_html.steps_html(q, [])


def test_downloads_list_everything_first_and_hide_files_only_some_answers_produce() -> None:
    html = form_html.downloads_html({"documents.zip": "すべて", "a.docx": "A<", "b.docx": "B"}, ["documents.zip", "a.docx"],
                                    "documents.zip")
    assert html.index('data-output="documents.zip"') < html.index('data-output="a.docx"')
    assert "A&lt;" in html
    buttons = {c: a for c, a in _buttons(html).items()}
    assert "hidden" not in buttons["a.docx"] and "hidden" in buttons["b.docx"]
    assert all(a.get("aria-disabled") == "true" for a in buttons.values())
    assert 'data-output="documents.zip"' not in form_html.downloads_html({"a.docx": "A"}, ["a.docx"], "documents.zip")


def _buttons(html: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}

    class P(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "button":
                found[dict(attrs)["data-output"]] = dict(attrs)

    P().feed(html)
    return found


def test_follow_ups_are_inside_their_question() -> None:
    q = web.questionnaire()
    html = form_html.steps_html(q, [])
    for step in q["steps"]:
        for x in step["questions"]:
            if x.get("follows"):
                parent = html.index(f'id="wrap-{x["follows"]}"')
                child = html.index(f'id="wrap-{x["key"]}"')
                assert parent < html.rindex('class="itaku-followups"', 0, child) < child


def test_help_is_one_short_line_with_details_on_demand() -> None:
    """Issue 30: each help text shows its first sentence; the rest is behind 「詳しく」, nothing is lost."""
    q = web.questionnaire()
    html = form_html.steps_html(q, [])
    for step in q["steps"]:
        assert f'<a href="#step-{step["id"]}">' in html  # the steps' links at the top of the form
        for question in step["questions"]:
            first, rest = form_html.split_help(question.get("help", ""))
            assert first.count("。") <= 1, question["key"]
            # one line at 1366 px: at most 40 characters, its brackets closed (split_help's own fault once)
            assert len(first.replace(" ", "")) <= 40, (question["key"], first)
            assert first.count("（") == first.count("）") and first.count("「") == first.count("」"), first
            assert (first + rest).replace(" ", "") == "".join(str(question.get("help", "")).split()), question["key"]
            assert f'id="help-{question["key"]}">{form_html.e(first)}</p>' in html


def test_a_full_stop_inside_brackets_ends_no_help_line() -> None:
    assert form_html.split_help("選びます（説明が出ます。）次の文。") == ("選びます（説明が出ます。）", "次の文。")
    assert form_html.split_help("「はい」です。（例：印刷。）") == ("「はい」です。", "（例：印刷。）")
    assert form_html.split_help("括弧が閉じない（例。") == ("括弧が閉じない（例。", "")


def test_preset_questions_carry_their_short_name_to_the_page() -> None:
    """The list of answers the kinds set names each by its short name (generator.js presetSummary, issue 30)."""
    html = form_html.steps_html(web.questionnaire(), [])
    assert 'data-key="carry_out" data-type="bool" id="wrap-carry_out" data-short="持出し"' in html


def test_documents_quote_a_question_without_the_forms_selection_hint(corpus) -> None:
    from itaku.model import FORM_HINT, Corpus
    c = Corpus(corpus)
    assert c.question("work_places")["label"].endswith(FORM_HINT)  # the form keeps it
    assert c.labels()["work_places"] == "作業場所" and not any(v.endswith(FORM_HINT) for v in c.labels().values())
