"""Declarative conditions over answers.

Conditions are data, never code: ``{"all": [...]}``, ``{"any": [...]}``,
``{"not": c}``, ``{"eq": [key, value]}``, ``{"in": [key, [values]]}``,
``{"gte": [key, n]}``. Only Python evaluates them; the browser receives the
results (applicable item ids), never the rules.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping  # abc, not typing: isinstance is in the hot path
from typing import Any

Condition = Mapping[str, Any]
OPERATORS = ("all", "any", "not", "eq", "in", "gte")


class ConditionError(ValueError):
    """A condition that does not follow the grammar above."""


def evaluate(cond: Condition | None, answers: Mapping[str, Any]) -> bool:
    """True when ``cond`` holds for ``answers``; ``None`` always holds."""
    if cond is None:
        return True
    op, arg = _single(cond)
    if op == "all":
        return all(evaluate(c, answers) for c in arg)
    if op == "any":
        return any(evaluate(c, answers) for c in arg)
    if op == "not":
        return not evaluate(arg, answers)
    key, value = arg
    actual = answers.get(key)
    if op == "eq":
        return actual == value
    if op == "in":
        if isinstance(actual, (list, tuple)):
            return any(a in value for a in actual)
        return actual in value
    # gte
    return isinstance(actual, (int, float)) and not isinstance(actual, bool) and actual >= value


def keys(cond: Condition | None) -> Iterator[tuple[str, str, Any]]:
    """Yield (operator, key, value) for every leaf of ``cond``."""
    if cond is None:
        return
    op, arg = _single(cond)
    if op in ("all", "any"):
        for c in arg:
            yield from keys(c)
    elif op == "not":
        yield from keys(arg)
    else:
        yield op, arg[0], arg[1]


def describe(cond: Condition | None, labels: Mapping[str, str], choice_labels: Mapping[str, Mapping[Any, str]],
             reasons: Mapping[str, str] | None = None) -> str:
    """A Japanese reading of ``cond`` for previews (「再委託 が 予定あり」…). ``reasons``: for derived keys
    (an act's decision), the sentence naming the answers that decided it, said instead of the internal
    value (「クラウドサービスを使わないと回答されたため」, not 「クラウドサービスの利用の扱い」が「禁止」)."""
    if cond is None:
        return "常に適用"
    op, arg = _single(cond)
    if op == "all":
        return "、かつ".join(dict.fromkeys(describe(c, labels, choice_labels, reasons) for c in arg))
    if op == "any":
        return "、又は".join(dict.fromkeys(describe(c, labels, choice_labels, reasons) for c in arg))
    if op == "not":
        return f"次に当たらない：{describe(arg, labels, choice_labels, reasons)}"
    key, value = arg
    if reasons and key in reasons:
        return reasons[key]
    label = labels.get(key, key)
    names = choice_labels.get(key, {})

    def show(v: Any) -> str:
        if isinstance(v, bool):
            return "はい" if v else "いいえ"
        return names.get(v, str(v))

    if op == "eq":
        return f"「{label}」が「{show(value)}」"
    if op == "in":
        return f"「{label}」が「{'・'.join(show(v) for v in value)}」のいずれか"
    return f"「{label}」が {value:,} 以上"


def check(cond: Any) -> None:
    """Raise ConditionError unless ``cond`` follows the grammar."""
    if cond is None:
        return
    op, arg = _single(cond)
    if op in ("all", "any"):
        if not isinstance(arg, list) or not arg:
            raise ConditionError(f"「{op}」には条件のリスト（1つ以上）を指定してください")
        for c in arg:
            check(c)
    elif op == "not":
        check(arg)
    else:
        if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str)):
            raise ConditionError(f"「{op}」は [キー, 値] の形で指定してください: {arg!r}")
        if op == "in" and not isinstance(arg[1], list):
            raise ConditionError(f"「in」の値はリストで指定してください: {arg!r}")
        if op == "gte" and (isinstance(arg[1], bool) or not isinstance(arg[1], (int, float))):
            raise ConditionError(f"「gte」の値は数値で指定してください: {arg!r}")


def _single(cond: Any) -> tuple[str, Any]:
    if not isinstance(cond, Mapping) or len(cond) != 1:
        raise ConditionError(f"条件は演算子を1つだけ持つ対応表にしてください: {cond!r}")
    (op, arg), = cond.items()
    if op not in OPERATORS:
        raise ConditionError(f"未知の演算子「{op}」: 使えるのは {', '.join(OPERATORS)} です")
    return op, arg


def kept(entries: Iterable[Any] | None, answers: Mapping[str, Any]) -> list[Any]:
    """The entries of a data list whose ``when`` holds: plain entries always, ``{text|cells, when}`` by condition."""
    return [e for e in entries or [] if not (isinstance(e, Mapping) and not evaluate(e.get("when"), answers))]


def entry_text(entry: Any) -> str:
    """The text of a list entry: the entry itself, its ``text`` (``{text, when}``) or its first cell (``{cells, when}``)."""
    if isinstance(entry, Mapping):
        entry = entry.get("text", entry.get("cells"))
    return entry[0] if isinstance(entry, list) else entry
