"""Kinds of work (業務の類型): the presets a job's kinds imply, merged, and the ``kind_<id>`` keys.

``clauses/kinds.yml`` lists the kinds; the question ``work_kinds`` takes its
choices from it. Each kind presets answers (question key → value) for the user
to confirm. Presets never replace an answer the user gave: they fill only the
questions left unanswered (missing from the answers, or ``None``), in the CLI
and in validation alike, and the page asks ``itaku.web.state`` which controls to
fill. Several kinds merge by the question's type (``merge_presets``):

- bool: OR — true when any chosen kind needs it;
- multi: the union, in the question's choice order;
- choice: ``merge[key]`` of kinds.yml — ``join`` when kinds disagree and a join
  is given (paper + electronic → both), else the value latest in ``order``.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from itaku.model import Corpus

QUESTION = "work_kinds"
PREFIX = "kind_"
PRESETTABLE = ("bool", "choice", "multi")


def kinds(corpus: Corpus) -> list[Mapping[str, Any]]:
    """The kinds of clauses/kinds.yml, in order."""
    return list((corpus.data.get("kinds") or {}).get("kinds") or [])


def chosen(corpus: Corpus, raw: Mapping[str, Any]) -> list[str]:
    """The known kind ids among ``raw["work_kinds"]`` (any shape the page or a file may send), in kinds order."""
    value = raw.get(QUESTION) if isinstance(raw, Mapping) else None
    picked = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [k["id"] for k in kinds(corpus) if k["id"] in picked]


def merge_value(question: Mapping[str, Any], rule: Mapping[str, Any] | None, values: list[Any]) -> Any:
    """One value from the values several kinds preset for ``question``."""
    qtype = question["type"]
    if qtype == "bool":
        return any(v is True for v in values)
    if qtype == "multi":
        picked = {v for value in values for v in (value if isinstance(value, list) else [value])}
        return [c["value"] for c in question.get("choices", []) if c["value"] in picked]
    distinct = list(dict.fromkeys(values))
    if len(distinct) == 1:
        return distinct[0]
    rule = rule or {}
    if rule.get("join") is not None:
        return rule["join"]
    order = list(rule.get("order") or [])
    return max(distinct, key=lambda v: order.index(v) if v in order else -1)


def merge_presets(corpus: Corpus, kind_ids: Iterable[str]) -> dict[str, tuple[Any, list[str]]]:
    """question key → (merged preset value, the kinds that preset it) for the chosen kinds, in question order."""
    wanted = set(kind_ids)
    rules = (corpus.data.get("kinds") or {}).get("merge") or {}
    found: dict[str, list[tuple[str, Any]]] = {}
    for kind in kinds(corpus):
        if kind["id"] in wanted:
            for key, value in (kind.get("presets") or {}).items():
                found.setdefault(key, []).append((kind["id"], value))
    out: dict[str, tuple[Any, list[str]]] = {}
    for q in corpus.questions():
        if q["key"] in found:
            pairs = found[q["key"]]
            out[q["key"]] = (merge_value(q, rules.get(q["key"]), [v for _, v in pairs]), [k for k, _ in pairs])
    return out


def presets(corpus: Corpus, raw: Mapping[str, Any]) -> dict[str, Any]:
    """question key → the value the kinds chosen in ``raw`` preset (whatever the other answers are)."""
    return {key: value for key, (value, _) in merge_presets(corpus, chosen(corpus, raw)).items()}


def with_presets(corpus: Corpus, raw: Mapping[str, Any]) -> dict[str, Any]:
    """``raw`` with the presets filled in for questions it leaves unanswered (missing or None); never over an answer."""
    out = dict(raw)
    for key, value in presets(corpus, raw).items():
        if out.get(key) is None:
            out[key] = value
    return out


def preset_keys(corpus: Corpus) -> list[str]:
    """Every question some kind presets, in question order (the controls the page may fill)."""
    keys = {key for kind in kinds(corpus) for key in (kind.get("presets") or {})}
    return [q["key"] for q in corpus.questions() if q["key"] in keys]


def page_presets(corpus: Corpus, raw: Mapping[str, Any], user_set: Iterable[str]) -> tuple[dict[str, Any], list[str]]:
    """For the form: (values for the preset questions the user has not set, the keys the chosen kinds set).

    A question no chosen kind presets goes back to its default, so unticking a kind undoes its presets
    (only where the user never set the answer).
    """
    mine = set(user_set)
    merged = presets(corpus, raw)
    values: dict[str, Any] = {}
    for key in preset_keys(corpus):
        if key in mine:
            continue
        q = corpus.question(key)
        blank = [] if q["type"] == "multi" else None
        values[key] = merged[key] if key in merged else blank if q.get("form_blank") else q.get("default", blank)
    return values, [key for key in merged if key not in mine]


def decisions(corpus: Corpus, raw: Mapping[str, Any], values: Mapping[str, Any],
              shown: Iterable[Mapping[str, Any]]) -> list[str]:
    """The user's decisions: of the questions ``shown`` for the job (answers.shown_questions of the validated
    ``values``), those whose answer is not what the chosen kinds preset, or the default. An unticked box with no
    default is the page's suggestion too (absent answers read as いいえ)."""
    preset = presets(corpus, raw)
    out = []
    for q in shown:
        base, value = preset.get(q["key"], q.get("default")), values.get(q["key"])
        if base is None and q["type"] == "bool":
            base = False
        if value != base and not (value is None and base in (None, [], "")):
            out.append(q["key"])
    return out


def context_keys(corpus: Corpus, values: Mapping[str, Any]) -> dict[str, bool]:
    """``{"kind_print_mail": True, …}``: one key per kind, for conditions."""
    picked = set(chosen(corpus, values))
    return {PREFIX + k["id"]: k["id"] in picked for k in kinds(corpus)}
