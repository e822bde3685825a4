"""The traceability table: clause → checklist items → sources → topics, as Markdown."""
from __future__ import annotations

from typing import Any, Callable, Mapping

Link = Callable[[str], str]


def _cell(text: str) -> str:
    return str(text).replace("|", "｜").replace("\n", " ")


def source_label(corpus: Mapping[str, Any], cite: str) -> str:
    doc_id, _, ref = cite.partition("#")
    doc = next((d for d in corpus["sources"] if d["id"] == doc_id), None)
    name = (doc.get("short") or doc["title"]) if doc else doc_id
    return f"{name} {ref}".strip()


INCLUSION_LABELS = {"required": "必須", "default_on": "既定で含める", "conditional": "条件付き"}


def render_traceability(corpus: Mapping[str, Any], clause_link: Link = lambda cid: f"../clauses/{cid}.md",
                        item_link: Link | None = None) -> str:
    """Markdown table, one row per clause; links are produced by the given functions."""
    topics = {t["id"]: t["label"] for t in corpus["topics"]}
    items: dict[str, list[str]] = {}
    for item in corpus["items"]:
        items.setdefault(item["clause"], []).append(item["id"])
    lines = [
        "| 条文 | 区分 | 確認項目 | 出典 | トピック |",
        "|---|---|---|---|---|",
    ]
    for c in corpus["clauses"]:
        ids = items.get(c["id"], [])
        shown = ", ".join(f"[{i}]({item_link(i)})" if item_link else f"`{i}`" for i in ids)
        sources = "<br>".join(_cell(source_label(corpus, s)) for s in c["sources"])
        topic_names = "、".join(topics.get(t, t) for t in c["topics"])
        lines.append(f"| [{_cell(c['title'])}]({clause_link(c['id'])}) | {INCLUSION_LABELS[c['inclusion']]} | "
                     f"{shown} | {sources} | {_cell(topic_names)} |")
    covered = {t for c in corpus["clauses"] for t in c["topics"]}
    lines += ["", "| トピック | 扱う条文 |", "|---|---|"]
    for t in corpus["topics"]:
        clauses = [c for c in corpus["clauses"] if t["id"] in c["topics"]]
        names = "、".join(f"[{_cell(c['title'])}]({clause_link(c['id'])})" for c in clauses)
        lines.append(f"| {_cell(t['label'])} | {names if t['id'] in covered else '（なし）'} |")
    lines += ["", "| 確認項目 | 条文 | 出典 |", "|---|---|---|"]
    titles = {c["id"]: c["title"] for c in corpus["clauses"]}
    for item in corpus["items"]:
        shown = f"[{item['id']}]({item_link(item['id'])})" if item_link else f"`{item['id']}`"
        sources = "<br>".join(_cell(source_label(corpus, s)) for s in item.get("sources", []))
        lines.append(f"| {shown} | [{_cell(titles[item['clause']])}]({clause_link(item['clause'])}) | {sources} |")
    return "\n".join(lines) + "\n"
