"""Checks of clauses/sources.yml (documents, checked references, plan_rules), citations, and topics."""
from __future__ import annotations

from typing import Any

from itaku.build.validate_base import ID_RE, unique


def validate_sources(docs: list[dict[str, Any]], problems: list[str]) -> dict[str, set[str]]:
    where = "clauses/sources.yml"
    refs: dict[str, set[str]] = {}
    for doc in docs:
        doc_id = doc.get("id")
        if not isinstance(doc_id, str) or not ID_RE.match(doc_id):
            problems.append(f"{where}: 文書 id「{doc_id}」は英小文字とハイフンにしてください")
            continue
        if doc_id in refs:
            problems.append(f"{where}: 文書 id「{doc_id}」が重複しています")
        for field in ("title", "issuer", "date"):
            if not doc.get(field):
                problems.append(f"{where}: {doc_id}: {field} が必要です")
        doc_refs = doc.get("refs") or {}
        if not isinstance(doc_refs, dict):
            problems.append(f"{where}: {doc_id}: refs は「番号: 確認した場所」の対応表にしてください")
            doc_refs = {}
        for ref, note in doc_refs.items():
            if not note:
                problems.append(f"{where}: {doc_id}#{ref}: どこで確認したかを書いてください")
        refs[doc_id] = {str(r) for r in doc_refs}
    return refs


def validate_cites(cites: Any, where: str, refs: dict[str, set[str]], problems: list[str]) -> None:
    if not isinstance(cites, list) or not cites:
        problems.append(f"{where}: sources（出典）を1つ以上書いてください")
        return
    for cite in cites:
        doc, _, ref = str(cite).partition("#")
        if doc not in refs:
            problems.append(f"{where}: 出典「{cite}」の文書「{doc}」は sources.yml にありません")
        elif ref and ref not in refs[doc]:
            problems.append(f"{where}: 出典「{cite}」の番号「{ref}」は sources.yml で確認済みとして登録されていません")


def validate_plan_rules(rules: list[dict[str, Any]], refs: dict[str, set[str]], clause_ids: set[str],
                problems: list[str]) -> None:
    """The plan's rule labels and what each cites (clauses/sources.yml, plan_rules)."""
    where = "clauses/sources.yml: plan_rules"
    if not rules:
        problems.append(f"{where}: 監督計画の根拠（plan_rules）がありません")
    unique([r.get("label") for r in rules], f"{where} の label", problems)
    for rule in rules:
        label = rule.get("label")
        if not label:
            problems.append(f"{where}: label が必要です")
        for cite in rule.get("cites") or []:
            validate_cites([cite], f"{where}: {label}", refs, problems)
        for kind, cids in (rule.get("clause_of_kind") or {}).items():
            for cid in cids if isinstance(cids, list) else [cids]:  # a kind may rest on several articles
                if cid not in clause_ids:
                    problems.append(f"{where}: {label}: {kind} の条文「{cid}」がありません")


def validate_topics(topics: list[dict[str, Any]], problems: list[str]) -> set[str]:
    ids = unique([t.get("id") for t in topics], "トピック id", problems)
    for t in topics:
        if not t.get("label"):
            problems.append(f"clauses/topics.yml: {t.get('id')}: label が必要です")
    if not ids:
        problems.append("clauses/topics.yml: トピックがありません")
    return ids
