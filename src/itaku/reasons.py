"""Why an article is in a job, in plain Japanese (issue 19, point 8).

The preview and the job record say 「『業務のために個人情報を作業場所の外へ持ち出す必要がありますか』に
『はい』と答えたため、この条を含めています」 instead of rule notation: only the parts of the condition
that the answers actually meet are named, with the answer given. Pure functions over the corpus
labels and the job's context; the wording of the sentences lives here, next to the condition
grammar it reads (``itaku.conditions``).
"""
from __future__ import annotations

from typing import Any, Mapping

from itaku.acts import PREFIX, decide
from itaku.conditions import evaluate
from itaku.model import Corpus


def _labels(corpus: Corpus) -> tuple[dict[str, str], dict[str, dict[Any, str]]]:
    return corpus.labels(), corpus.choice_labels()


def _value(value: Any, names: Mapping[Any, str]) -> str:
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    return names.get(value, str(value))


def facts(corpus: Corpus, cond: Any, context: Mapping[str, Any]) -> list[str]:
    """The answers that make ``cond`` hold, each as 「『質問』に『はい』と答えた」 or 「『質問』で『…』を選んだ」."""
    if not cond:
        return []
    labels, choices = _labels(corpus)
    (op, arg), = cond.items()
    if op == "all":
        return [f for c in arg for f in facts(corpus, c, context)]
    if op == "any":
        return [f for c in arg if evaluate(c, context) for f in facts(corpus, c, context)]
    if op == "not":
        return _not_facts(corpus, arg, context)
    key, wanted = arg
    if key.startswith(PREFIX):  # an act: the answer that decided it (clauses/acts.yml says it in words)
        decision = decide(corpus.acts, context).get(key[len(PREFIX):])
        if decision is not None:
            return [decision.reason.removesuffix("ため")]
    label, names = labels.get(key, key), choices.get(key, {})
    actual = context.get(key)
    if op == "gte":
        return [f"「{label}」が {actual:,}（{wanted:,} 以上）" if isinstance(actual, int) else f"「{label}」が {wanted:,} 以上"]
    if op == "in" and isinstance(actual, list):
        picked = [v for v in actual if v in wanted]
        return [f"「{label}」で「{'・'.join(_value(v, names) for v in picked)}」を選んだ"]
    if isinstance(actual, bool):
        return [f"「{label}」に「{_value(actual, names)}」と答えた"]
    return [f"「{label}」で「{_value(actual, names)}」を選んだ"]


def _not_facts(corpus: Corpus, cond: Any, context: Mapping[str, Any]) -> list[str]:
    labels, choices = _labels(corpus)
    (op, arg), = cond.items()
    if op in ("eq", "in") and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str):
        key, wanted = arg
        label, names = labels.get(key, key), choices.get(key, {})
        values = wanted if op == "in" else [wanted]
        if isinstance(context.get(key), list):
            return [f"「{label}」で「{'・'.join(_value(v, names) for v in values)}」を選んでいない"]
        return [f"「{label}」が「{'・'.join(_value(v, names) for v in values)}」ではない"]
    return []  # a negated compound: the positive facts elsewhere in the condition say enough


def _sentence(parts: list[str]) -> str:
    return "、".join(parts) + "ため"


def included(corpus: Corpus, clause: Mapping[str, Any], context: Mapping[str, Any]) -> str:
    """Why ``clause`` is in the job (it is: required, default_on not removed, or its condition holds)."""
    inclusion = clause["inclusion"]
    if inclusion == "required":
        return "どの業務にも必要な条文なので、常に含めています。"
    if inclusion == "default_on":
        return "既定で含める条文です（業務に合わないときは、理由を記録して外せます）。"
    found = facts(corpus, clause.get("applies_when"), context)
    return f"{_sentence(found)}、この条を含めています。" if found else "回答がこの条の適用条件に当たるため、この条を含めています。"


def variant(corpus: Corpus, v: Mapping[str, Any], context: Mapping[str, Any]) -> str:
    """Why the article uses variant ``v``'s wording."""
    found = facts(corpus, v.get("when"), context)
    lead = _sentence(found) + "、" if found else ""
    return f"{lead}「{v['label']}」の文言にしています。"


def excluded(corpus: Corpus, clause: Mapping[str, Any], removed: Mapping[str, str]) -> str:
    """Why ``clause`` is not in the job: removed with a reason, or the answers do not call for it."""
    if clause["id"] in removed:
        return f"外すと決めた条文です。記録した理由：「{removed[clause['id']]}」"
    wanted = conditions_wanted(corpus, clause.get("applies_when"))
    return f"{wanted}場合に含める条文です。今の回答では当たらないため、含めていません。"


def conditions_wanted(corpus: Corpus, cond: Any) -> str:
    """「『質問』に『はい』と答えた」… : what would include an article, in plain words."""
    if not cond:
        return "常に"
    labels, choices = _labels(corpus)
    (op, arg), = cond.items()
    if op == "all":
        return "、かつ".join(conditions_wanted(corpus, c) for c in arg)
    if op == "any":
        return "、又は".join(conditions_wanted(corpus, c) for c in arg)
    if op == "not":
        return f"次に当たらない（{conditions_wanted(corpus, arg)}）"
    key, wanted = arg
    label, names = labels.get(key, key), choices.get(key, {})
    if op == "gte":
        return f"「{label}」が {wanted:,} 以上の"
    if key not in {q["key"] for q in corpus.questions()}:  # derived from the answers (act_…, term): not chosen
        values = wanted if op == "in" else [wanted]
        return f"「{label}」が「{'・'.join(_value(v, names) for v in values)}」となる"
    if op == "in":
        return f"「{label}」で「{'・'.join(_value(v, names) for v in wanted)}」のいずれかを選んだ"
    if isinstance(wanted, bool):
        return f"「{label}」に「{_value(wanted, names)}」と答えた"
    return f"「{label}」で「{_value(wanted, names)}」を選んだ"
