"""Clause text → 項 and 号: the one parser for the corpus (build time) and the 団体の設定 (runtime)."""
from __future__ import annotations

import re
from typing import Any, Callable

ITEM_RE = re.compile(r"^\d+\.\s+(.*)$")

Split = Callable[[str], "tuple[Any, str]"]


def _always(text: str) -> tuple[Any, str]:
    return None, text


def parse_paragraphs(body: str, split: Split = _always) -> list[dict[str, Any]]:
    """Blank lines part 項; lines starting 「1. 」 are 号 of the 項 before them.

    Each 項 is ``{"text", "when", "items": [号, …], "items_when": [cond|None, …]}``; ``split`` takes a
    condition off the front of a 項 or 号 (the corpus's ``[when: …]``), the default keeps none.
    Numbering is left to the generator, which counts only what is kept for a job.
    """
    paragraphs: list[dict[str, Any]] = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
        if not lines:
            continue
        if ITEM_RE.match(lines[0]) and paragraphs:
            target = paragraphs[-1]
        else:
            target = {"text": "", "when": None, "items": [], "items_when": []}
            paragraphs.append(target)
        for line in lines:
            item = ITEM_RE.match(line)
            if item:
                cond, text = split(item.group(1).strip())
                target["items"].append(text)
                target["items_when"].append(cond)
            elif target["items"]:
                target["items"][-1] += line
            elif not target["text"]:
                target["when"], target["text"] = split(line)
            else:
                target["text"] += line
    return paragraphs
