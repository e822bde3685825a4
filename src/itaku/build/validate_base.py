"""What every corpus check shares: the id, key and placeholder patterns, the duplicate check, and
the texts of parsed paragraphs. Each check returns Japanese messages that name the file."""
from __future__ import annotations

import re
from typing import Any, Iterable

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
PLACEHOLDER_RE = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")


def strings(paragraphs: Iterable[dict[str, Any]]) -> Iterable[str]:
    for p in paragraphs:
        yield p.get("text", "")
        yield from p.get("items", [])


def unique(ids: list[Any], what: str, problems: list[str]) -> set[str]:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            problems.append(f"{what}「{i}」が重複しています")
        if isinstance(i, str):
            seen.add(i)
    return seen
