"""The generator page's questionnaire as HTML, rendered once at build time.

The only renderer of the form: ``overrides/hooks/generator_page.py`` puts its
output into ``generator/index.html``, so the questions can be read and answered
at first paint, before Python runs in the page. The data is exactly what the
page's Python returns (``itaku.web.questionnaire()``); the script
``docs/assets/generator/generator.js`` only reads and writes the controls.

Page contract: ``#itaku-form`` holds a control ``[name=KEY]`` for every
question. Each question is wrapped in ``<div class="itaku-q" data-key=KEY
data-type=TYPE id="wrap-KEY">`` with ``help-KEY``, ``err-KEY`` and ``flag-KEY``
beside its control (``q-KEY``; a group's options are ``q-KEY-0``, ``q-KEY-1``…).
Defaults are written as the controls' initial values (``value``, ``checked``),
so the form's reset restores them; questions that the defaults hide
(``itaku.web.visible_keys``) start ``hidden``.

A new question type is one entry in ``CONTROLS`` (a function returning the
control's HTML) plus one entry in ``CODECS`` in generator.js (read and write
its value); an unknown type fails the build.
"""
from __future__ import annotations

from html import escape
from typing import Any, Callable, Iterable, Mapping

from itaku.kinds import QUESTION as KINDS_QUESTION
from itaku.render.removable import removable_html as render_removable

Question = Mapping[str, Any]


class FormError(ValueError):
    """The questionnaire cannot be drawn (a question type without a renderer)."""


def e(text: Any) -> str:
    return escape(str(text), quote=True)


def _attrs(**attrs: Any) -> str:
    """HTML attributes; None/False are left out, True is written bare. ``class_`` → class, ``aria_x`` → aria-x."""
    out = []
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        out.append(f" {name}" if value is True else f' {name}="{e(value)}"')
    return "".join(out)


PRESET_BADGE = "業務の類型から設定"  # shown by generator.js on a control the chosen kinds of work filled in


def _badges(q: Question) -> str:
    required = ' <span class="itaku-required">必須</span>' if q.get("required") else ""
    return f'{required}<span class="itaku-flag" id="flag-{e(q["key"])}" hidden></span>{_preset(q)}'


def _preset(q: Question) -> str:
    return f'<span class="itaku-preset" id="preset-{e(q["key"])}" hidden>{PRESET_BADGE}</span>'


def _described(q: Question) -> str:
    return f'help-{q["key"]} err-{q["key"]}'


def _input(q: Question, value: Any, **attrs: Any) -> str:
    key = q["key"]
    label = f'<label for="q-{e(key)}">{e(q["label"])}{_badges(q)}</label>'
    control = "<input" + _attrs(name=key, id=f"q-{key}", aria_describedby=_described(q),
                                aria_required="true" if q.get("required") else None, autocomplete="off",
                                value=None if value in (None, "") else value, **attrs) + ">"
    return label + control


def _text(q: Question, value: Any) -> str:
    return _input(q, value, type="text")


def _integer(q: Question, value: Any) -> str:
    return _input(q, value, type="text", inputmode="numeric")


def _date(q: Question, value: Any) -> str:
    return _input(q, value, type="date")


def _options(q: Question, chosen: Iterable[Any], kind: str) -> str:
    key = q["key"]
    chosen = {str(c) for c in chosen}
    legend = f'<legend>{e(q["label"])}{_badges(q)}</legend>'
    options = "".join(
        f'<div class="itaku-choice"><input{_attrs(type=kind, name=key, id=f"q-{key}-{i}", value=c["value"],checked=str(c["value"]) in chosen)}>'
        f'<label for="q-{e(key)}-{i}">{e(c["label"])}{_choice_help(c)}</label></div>'
        for i, c in enumerate(q.get("choices", [])))
    return f'<fieldset class="itaku-group" id="q-{e(key)}" aria-describedby="{e(_described(q))}">{legend}{options}</fieldset>'


def _choice_help(choice: Mapping[str, Any]) -> str:
    """A choice's one-line help (the kinds of work), inside its label: shown once the choice is ticked (generator.css),
    listed for every choice under the question's 「詳しく」."""
    return f'<span class="itaku-choice-help">{e(choice["help"])}</span>' if choice.get("help") else ""


def _choice(q: Question, value: Any) -> str:
    return _options(q, [] if value is None else [value], "radio")


def _multi(q: Question, value: Any) -> str:
    return _options(q, value if isinstance(value, list) else ([] if value is None else [value]), "checkbox")


def _bool(q: Question, value: Any) -> str:
    key = q["key"]
    box = "<input" + _attrs(type="checkbox", name=key, id=f"q-{key}", aria_describedby=_described(q),
                            checked=value is True) + ">"
    return (f'<div class="itaku-choice itaku-bool">{box}'
            f'<label for="q-{e(key)}">{e(q["label"])}<span class="itaku-flag" id="flag-{e(key)}" hidden></span>'
            f"{_preset(q)}</label></div>")


def _list(q: Question, value: Any) -> str:
    """A table whose rows generator.js adds from the column data (``data-columns``); no rows by default."""
    import json

    key = q["key"]
    legend = f'<legend>{e(q["label"])}{_badges(q)}</legend>'
    head = "".join(f'<th scope="col">{e(c["label"])}</th>' for c in q["columns"]) + '<th scope="col">操作</th>'
    columns = json.dumps(q["columns"], ensure_ascii=False, separators=(",", ":"))
    return (f'<fieldset class="itaku-group itaku-list" name="{e(key)}" id="q-{e(key)}" aria-describedby="{e(_described(q))}"'
            f' data-columns="{e(columns)}" data-max-items="{e(q.get("max_items", 30))}">{legend}'
            f'<div class="itaku-table"><table><thead><tr>{head}</tr></thead><tbody id="rows-{e(key)}"></tbody></table></div>'
            f'<button type="button" class="md-button itaku-list-add" data-add-row="{e(key)}">'
            f'{e(q.get("add_label") or "行を追加")}</button></fieldset>')


# One function per question type: (question, default value) → the control with its label.
CONTROLS: dict[str, Callable[[Question, Any], str]] = {
    "text": _text, "integer": _integer, "date": _date, "choice": _choice, "multi": _multi, "bool": _bool,
    "list": _list,
}


def question_html(q: Question, value: Any, shown: bool, follow_ups: str = "") -> str:
    render = CONTROLS.get(q["type"])
    if render is None:
        raise FormError(f"質問 {q['key']}: 型 {q['type']!r} の部品がありません（itaku.build.form_html.CONTROLS と "
                        f"generator.js の CODECS に追加してください） / no renderer for question type {q['type']!r}")
    key = e(q["key"])
    first, rest = split_help(str(q.get("help", "")))
    # Choices with a help line (the kinds of work) show it once ticked; all of them are under 「詳しく」.
    described = "".join(f'<li>{e(c["label"])}：{e(c["help"])}</li>' for c in q.get("choices", []) if c.get("help"))
    details = (f"<p>{e(rest)}</p>" if rest else "") + (f'<ul class="itaku-choice-notes">{described}</ul>' if described else "")
    more = (f'<details class="itaku-more"><summary>詳しく<span class="itaku-visually-hidden">（{e(q["label"])}）</span>'
            f'</summary>{details}</details>') if details else ""
    short = f' data-short="{e(q["short"])}"' if q.get("short") else ""  # named so under 業務の類型 when preset
    return (f'<div class="itaku-q" data-key="{key}" data-type="{e(q["type"])}" id="wrap-{key}"{short}'
            f'{"" if shown else " hidden"}>{render(q, value)}'
            f'<p class="itaku-help" id="help-{key}">{e(first)}</p>{more}'
            f'<p class="itaku-field-error" id="err-{key}" hidden></p>'
            f'{f"""<div class="itaku-followups">{follow_ups}</div>""" if follow_ups else ""}'
            f'{PRESET_SUMMARY if q["key"] == KINDS_QUESTION else ""}</div>')


# Under 業務の類型: the answers its kinds set, listed by generator.js (presetSummary) for the user to confirm at once.
PRESET_SUMMARY = '<div class="itaku-preset-summary" id="itaku-preset-summary" hidden></div>'


def split_help(text: str) -> tuple[str, str]:
    """A help text as its first sentence (always shown) and the rest (behind 「詳しく」): one short line
    a person can read at a glance, the details on demand (issue 30). A 「。」 inside brackets ends no
    sentence: 「選びます（説明が出ます。）」 stays whole."""
    text = " ".join(text.split())
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch in "（「『") - (ch in "）」』")
        if depth == 0 and (ch == "。" or (ch in "）」』" and text[i - 1] == "。")):
            return text[:i + 1], text[i + 1:].strip()
    return text, ""


def steps_nav_html(questionnaire: Mapping[str, Any]) -> str:
    """Links to every step of the form, at its top (the form is several screens long)."""
    links = "".join(f'<li><a href="#step-{e(step["id"])}">{e(step["title"])}</a></li>' for step in questionnaire["steps"])
    return f'<nav class="itaku-steps-nav" aria-label="質問の項目"><ol>{links}</ol></nav>'


def steps_html(questionnaire: Mapping[str, Any], visible: Iterable[str]) -> str:
    """Every step as a fieldset with its questions, defaults filled in, hidden where the defaults hide them."""
    shown = set(visible)
    defaults = questionnaire["defaults"]
    parts = [steps_nav_html(questionnaire)]
    for step in questionnaire["steps"]:
        sid = e(step["id"])
        parts.append(f'<fieldset class="itaku-step" id="step-{sid}" data-step="{sid}"><legend>{e(step["title"])}</legend>')
        # A follow-up (``follows``) is drawn inside the question it elaborates: one question, several answers.
        inner: dict[str, list[str]] = {}
        for q in step["questions"]:
            if q.get("follows"):
                inner.setdefault(q["follows"], []).append(question_html(q, defaults.get(q["key"]), q["key"] in shown))
        parts.extend(question_html(q, defaults.get(q["key"]), q["key"] in shown, "".join(inner.get(q["key"], [])))
                     for q in step["questions"] if not q.get("follows"))
        parts.append("</fieldset>")
    return "\n".join(parts)


def removable_html(questionnaire: Mapping[str, Any]) -> str:
    """A box per default_on clause of the corpus (itaku.render.removable, shared with the page at run time)."""
    return render_removable(questionnaire["removable"])


def examples_html(questionnaire: Mapping[str, Any]) -> str:
    options = ['<option value="">（記入例を選んでください）</option>']
    options += [f'<option value="{e(x["id"])}">{e(x["title"])}</option>' for x in questionnaire["examples"]]
    return "".join(options)


def downloads_html(outputs: Mapping[str, str], always: Iterable[str], everything: str | None) -> str:
    """The download buttons: ``everything`` (documents.zip) first and prominent, then one per file.

    ``outputs`` maps file names to labels in page order; names not in ``always`` are produced only
    for some answers and start hidden (generator.js shows the files Python lists for the answers).
    """
    always = set(always)

    def button(name: str, label: str, extra: str = "") -> str:
        return (f'<button type="button" class="md-button itaku-download{extra}" data-output="{e(name)}"'
                f'{"" if name in always else " data-optional hidden"} aria-disabled="true">{e(label)}'
                f'<span class="itaku-filename">{e(name)}</span></button>')

    parts = []
    if everything and everything in outputs:
        parts.append(f'<div class="itaku-download-all">{button(everything, outputs[everything], " md-button--primary")}</div>')
    parts.append('<div class="itaku-download-list-files">')
    parts.extend(button(name, label) for name, label in outputs.items() if name != everything)
    parts.append("</div>")
    return "".join(parts)
