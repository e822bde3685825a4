"""The reviewed term map of a designated-manager (指定管理) job.

A 指定管理 job is not a contract: the authority designates the 指定管理者 (地方自治法第244条の2) and
concludes a 協定 with it. The 指定管理者's own subcontract is an ordinary private contract (契約書)
between the 指定管理者 and its subcontractor, and there is no 「再指定管理者」. Rewording word for word
(契約書 → 協定書, 委託先の監督 → 指定管理者の監督) therefore breaks every sentence about the
subcontract: 「再委託先との協定書」, 「再指定管理者の監督」.

The map (``clauses/wording.yml``) has two parts:

- ``designated``: [old, new] pairs about the authority and its 指定管理者 (the designation, the 協定,
  the 指定期間, the 指定管理料), applied in order;
- ``designated_keep``: regular expressions naming the parties and instruments of the subcontract
  (再委託先, 再々委託等, 再受託者, 再委託先との契約書 …). A pair never rewrites text inside such a
  phrase, nor a phrase that only overlaps one; a pair whose own text contains the whole phrase (a
  sentence-level pair written for it) still applies.

``reword`` is used for the corpus wording (``itaku.wording.reword``) and for the life-cycle documents'
``designated_terms`` (``itaku.lifecycle.Filler``), so that every output follows the same map.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

_COMPILED: dict[tuple[str, ...], re.Pattern[str] | None] = {}


def keep_pattern(wording: Mapping[str, Any]) -> re.Pattern[str] | None:
    """One pattern for the phrases of ``designated_keep`` (compiled once per list)."""
    phrases = tuple(wording.get("designated_keep") or ())
    if phrases not in _COMPILED:
        _COMPILED[phrases] = re.compile("|".join(f"(?:{p})" for p in phrases)) if phrases else None
    return _COMPILED[phrases]


def reword(text: str, pairs: Iterable[Any], keep: re.Pattern[str] | None) -> str:
    """``text`` with each [old, new] pair applied in order, outside the protected phrases."""
    for old, new in pairs:
        if old not in text:
            continue
        if keep is None:
            text = text.replace(old, new)
            continue
        spans = [m.span() for m in keep.finditer(text) if m.end() > m.start()]
        out, pos = [], 0
        for m in re.finditer(re.escape(old), text):
            start, end = m.span()
            if any(a < end and start < b and not (start <= a and b <= end) for a, b in spans):
                continue  # inside (or across) a phrase about the subcontract: not the 協定's party
            out += [text[pos:start], new]
            pos = end
        text = "".join(out) + text[pos:]
    return text
