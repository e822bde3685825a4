"""The acts model: one decision per act (持出し, 複製, 再委託 …) made from the answers.

``clauses/acts.yml`` lists the acts and, for each, ordered decisions with
conditions. ``decide`` gives every act one value — none | forbidden |
approval | routine | allowed — exposed to conditions as the derived key ``act_<id>``, so
that articles, paragraphs, checklist items, forms and plan rows all express
the same decision.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from itaku.conditions import evaluate

ACT_VALUES = ("none", "forbidden", "approval", "routine", "allowed")
PREFIX = "act_"


@dataclass(frozen=True)
class Decision:
    act: str  # act id (carry_out …)
    label: str  # 持出し
    value: str  # one of ACT_VALUES
    value_label: str  # 禁止 …
    reason: str  # which answer decided, in Japanese

    @property
    def key(self) -> str:
        return PREFIX + self.act


def decide(acts: Mapping[str, Any], context: Mapping[str, Any]) -> dict[str, Decision]:
    """act id → Decision; later acts see the keys of earlier ones."""
    seen: dict[str, Any] = dict(context)
    out: dict[str, Decision] = {}
    names = acts.get("values") or {}
    for act in acts.get("acts") or []:
        for d in act["decisions"]:
            if evaluate(d.get("when"), seen):
                out[act["id"]] = Decision(act["id"], act["label"], d["value"], names.get(d["value"], d["value"]),
                                          d["reason"])
                seen[PREFIX + act["id"]] = d["value"]
                break
    return out


def context_keys(decisions: Mapping[str, Decision]) -> dict[str, str]:
    """``{"act_carry_out": "forbidden", …}`` for the condition context."""
    return {d.key: d.value for d in decisions.values()}
