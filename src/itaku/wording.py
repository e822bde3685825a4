"""How corpus text and answers read in a job's documents, before any job exists.

``reword`` puts corpus text in the job's own terms (clauses/wording.yml); ``quoted`` sets
typed text as a quotation; ``display_value`` / ``answer_summary`` show answers as the
questionnaire does. Below ``itaku.job``: building the job already rewords its reasons.
"""
from __future__ import annotations

from typing import Any, Mapping

from itaku.acts import decide
from itaku.conditions import keys as condition_keys
from itaku import terms
from itaku.model import Corpus


def answer_summary(corpus: Corpus, cond: Any, context: Mapping[str, Any]) -> str:
    """「再委託 = 予定あり」… for the keys a condition looks at."""
    labels, choices = corpus.labels(), corpus.choice_labels()
    parts = []
    for key in dict.fromkeys(k for _, k, _ in condition_keys(cond)):
        value = context.get(key)
        text = f"{labels.get(key, key)} = {display_value(value, choices.get(key, {}))}"
        if key.startswith("act_"):  # say which answer made the act's decision
            decision = decide(corpus.acts, context).get(key[4:])
            if decision is not None:
                text += f"（{decision.reason}）"
        parts.append(text)
    return "、".join(parts)


def display_value(value: Any, names: Mapping[Any, str]) -> str:
    if value is None or value == "":
        return "（未回答）"
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, list):
        return "・".join(names.get(v, str(v)) for v in value) or "（なし）"
    if isinstance(value, int):
        return f"{value:,}"
    return names.get(value, str(value))


def reword(corpus: Corpus, context: Mapping[str, Any], text: str) -> str:
    """Corpus text in the job's own terms (clauses/wording.yml): 協定・指定管理者… for a 指定管理 job,
    and no 指定管理 wording in an ordinary contract. Applied to corpus text only, never to answers."""
    kind = "designated" if context.get("contract_type") == "designated_manager" else "ordinary"
    done = corpus.__dict__.setdefault("_reworded", {})  # corpus text repeats on every preview: once per text
    key = (kind, text)
    if key not in done:
        if len(done) > 50_000:  # a few texts carry figures of the job; keep the cache bounded
            done.clear()
        wording = corpus.data.get("wording") or {}
        done[key] = terms.reword(text, wording.get(kind, []), terms.keep_pattern(wording) if kind == "designated" else None)
    return done[key]


def quoted(text: str) -> str:
    """Free text set inside a sentence: always between 「」, so whatever was typed reads as a quotation."""
    return f"「{text}」"
