"""Schema and cross-reference checks for the loaded corpus.

``validate(corpus)`` returns a list of Japanese messages, each starting with
the file it concerns; an empty list means the corpus is sound.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from itaku.acts import ACT_VALUES, PREFIX as ACT_PREFIX
from itaku.conditions import ConditionError, check as check_condition, keys as condition_keys

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
PLACEHOLDER_RE = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
INCLUSIONS = ("required", "default_on", "conditional")
QUESTION_TYPES = ("text", "date", "choice", "multi", "bool", "integer", "list")
COLUMN_TYPES = ("text", "choice")  # cells of a list question
ANSWERED_BY = ("受託者", "再委託先", "委託元")
METHODS = ("書面", "実地")
COMMENTARY = ("趣旨", "解説", "記載例", "留意点", "よくある誤り", "関連する事故・監査の指摘")


def validate(corpus: dict[str, Any]) -> list[str]:
    """Every problem in ``corpus`` as a Japanese message."""
    problems: list[str] = []
    questions = _questions(corpus.get("questions", {}), problems)
    _acts(corpus.get("acts") or {}, questions, problems)
    source_refs = _sources(corpus.get("sources", []), problems)
    topic_ids = _topics(corpus.get("topics", []), problems)
    placeholders = set((corpus.get("questions") or {}).get("placeholders") or {})
    clause_ids = _unique([c.get("id") for c in corpus["clauses"]], "条文 id", problems)
    items = corpus.get("items", [])
    item_ids = _unique([i.get("id") for i in items], "確認項目 id", problems)
    items_by_clause: dict[str, list[str]] = {}
    for item in items:
        items_by_clause.setdefault(item.get("clause"), []).append(item.get("id"))

    mapped_topics: set[str] = set()
    orders: dict[Any, str] = {}
    for clause in corpus["clauses"]:
        where = clause.get("file", clause.get("id"))
        _clause(clause, where, questions, placeholders, clause_ids, source_refs, topic_ids, problems)
        mapped_topics.update(t for t in clause.get("topics") or [] if isinstance(t, str))
        order = clause.get("order")
        if order in orders:
            problems.append(f"{where}: order {order} が {orders[order]} と重複しています")
        orders[order] = where
        listed = clause.get("checks") or []
        for item_id in listed:
            if item_id not in item_ids:
                problems.append(f"{where}: checks の「{item_id}」という確認項目がありません")
        for item_id in items_by_clause.get(clause.get("id"), []):
            if item_id not in listed:
                problems.append(f"{where}: 確認項目「{item_id}」がこの条文の checks に載っていません")
        if not items_by_clause.get(clause.get("id")):
            problems.append(f"{where}: この条文を確認する項目が checklists/items にありません")
        elif all(i.get("applies_when") for i in items if i.get("clause") == clause.get("id")):
            problems.append(f"{where}: 条件なしで適用される確認項目が1つ以上必要です（条文が入れば必ず確認されるように）")
    for topic in sorted(topic_ids - mapped_topics):
        problems.append(f"clauses/topics.yml: トピック「{topic}」を扱う条文がありません")

    for item in items:
        _item(item, questions, clause_ids, source_refs, problems)
    _plan_rules(corpus.get("plan_rules") or [], source_refs, clause_ids, problems)
    for name, data in (corpus.get("lists") or {}).items():
        _list(name, data, questions, source_refs, problems)
    for required in ("selection", "self-check"):
        if required not in (corpus.get("lists") or {}):
            problems.append(f"checklists/{required}.yml: ファイルがありません")
    _changelog(corpus.get("changelog", []), clause_ids, problems)
    _forms(corpus.get("forms", []), questions, placeholders, clause_ids, problems)
    _edition(corpus.get("edition", {}), problems)
    _wording(corpus.get("wording") or {}, problems)
    return list(dict.fromkeys(problems))  # one message per problem, first-seen order


# ---------------------------------------------------------------- questions

def _questions(data: dict[str, Any], problems: list[str]) -> dict[str, dict[str, Any]]:
    where = "clauses/questions.yml"
    known: dict[str, dict[str, Any]] = {}
    if not isinstance(data.get("schema_version"), int):
        problems.append(f"{where}: schema_version（整数）が必要です")
    for step in data.get("steps") or []:
        if not step.get("id") or not step.get("title"):
            problems.append(f"{where}: ステップには id と title が必要です: {step!r}")
        in_step: set[str] = set()
        for q in step.get("questions") or []:
            key = q.get("key")
            if not isinstance(key, str) or not KEY_RE.match(key):
                problems.append(f"{where}: 質問のキー「{key}」は英小文字の snake_case にしてください")
                continue
            if key in known:
                problems.append(f"{where}: 質問のキー「{key}」が重複しています")
            if q.get("type") not in QUESTION_TYPES:
                problems.append(f"{where}: {key}: type は {', '.join(QUESTION_TYPES)} のいずれかです")
            if not q.get("label") or not q.get("help"):
                problems.append(f"{where}: {key}: label と help（日本語の説明）が必要です")
            if q.get("type") in ("choice", "multi"):
                values = [c.get("value") for c in q.get("choices") or []]
                if not values or any(not c.get("label") for c in q.get("choices") or []):
                    problems.append(f"{where}: {key}: choices（value と label）が必要です")
                if len(set(values)) != len(values):
                    problems.append(f"{where}: {key}: 選択肢の value が重複しています")
                default = q.get("default")
                defaults = default if isinstance(default, list) else [default]
                if default is not None and any(d not in values for d in defaults):
                    problems.append(f"{where}: {key}: 既定値「{default}」が選択肢にありません")
            if q.get("type") == "list":
                _list_columns(q, f"{where}: {key}", problems)
            parent = q.get("follows")
            if parent is not None and (parent not in in_step or known[parent].get("follows")):
                problems.append(f"{where}: {key}: follows には同じステップで前にある、他に従わない質問のキーを書いてください（「{parent}」）")
            if "show_when" in q:  # may look at derived keys (computed from the answers before it)
                derived = {d.get("key"): {"key": d.get("key"), "type": "derived", "values": d.get("values", [])}
                           for d in data.get("derived") or []}
                _condition(q["show_when"], f"{where}: {key}: show_when", {**derived, **known}, problems)
            known[key] = q
            in_step.add(key)
    for d in data.get("derived") or []:
        key = d.get("key")
        if key in known:
            problems.append(f"{where}: 派生キー「{key}」が質問のキーと重複しています")
        known[key] = {"key": key, "type": "derived", "values": d.get("values", []), "label": d.get("label", key)}
    if not known:
        problems.append(f"{where}: 質問がありません")
    return known


def _list_columns(q: dict[str, Any], where: str, problems: list[str]) -> None:
    """A list question's columns: keys, labels, types (text or choice) and choices."""
    columns = q.get("columns")
    if not isinstance(columns, list) or not columns:
        problems.append(f"{where}: 表の質問には columns（列のリスト）が必要です")
        return
    seen: set[str] = set()
    for c in columns:
        ckey = c.get("key") if isinstance(c, dict) else None
        if not isinstance(ckey, str) or not KEY_RE.match(ckey) or ckey in seen:
            problems.append(f"{where}: 列のキー「{ckey}」は重複しない英小文字の snake_case にしてください")
            continue
        seen.add(ckey)
        if not c.get("label") or c.get("type") not in COLUMN_TYPES:
            problems.append(f"{where}: 列「{ckey}」には label と type（{', '.join(COLUMN_TYPES)}）が必要です")
        if c.get("type") == "choice":
            values = [ch.get("value") for ch in c.get("choices") or []]
            if not values or c.get("default", values[0]) not in values:
                problems.append(f"{where}: 列「{ckey}」: choices と、その中の既定値が必要です")
    if not isinstance(q.get("max_items", 1), int) or q.get("max_items", 1) < 1:
        problems.append(f"{where}: max_items は1以上の整数にしてください")


def _condition(cond: Any, where: str, questions: dict[str, dict[str, Any]], problems: list[str]) -> None:
    try:
        check_condition(cond)
    except ConditionError as exc:
        problems.append(f"{where}: {exc}")
        return
    for op, key, value in condition_keys(cond):
        q = questions.get(key)
        if q is None:
            problems.append(f"{where}: 条件のキー「{key}」は questions.yml にありません")
            continue
        qtype = q.get("type")
        values = value if op == "in" else [value]
        if qtype == "list":
            problems.append(f"{where}: 表の質問「{key}」は条件に使えません。questions.yml の derived に要約のキーを作ってください")
            continue
        if qtype in ("choice", "multi"):
            allowed = [c.get("value") for c in q.get("choices") or []]
            for v in values:
                if v not in allowed:
                    problems.append(f"{where}: 「{key}」に値「{v}」の選択肢はありません")
        elif qtype == "derived":
            for v in values:
                if v not in q.get("values", []):
                    problems.append(f"{where}: 派生キー「{key}」の値「{v}」は定義されていません")
        elif qtype == "bool" and (op != "eq" or not isinstance(value, bool)):
            problems.append(f"{where}: はい/いいえの質問「{key}」は eq と true/false で比べてください")
        elif op == "gte" and qtype != "integer":
            problems.append(f"{where}: gte は整数の質問にだけ使えます（「{key}」）")


# ---------------------------------------------------------------- acts

def _acts(data: dict[str, Any], questions: dict[str, dict[str, Any]], problems: list[str]) -> None:
    """clauses/acts.yml; adds the derived keys ``act_<id>`` to ``questions`` for later conditions."""
    where = "clauses/acts.yml"
    names = data.get("values") or {}
    if not isinstance(names, dict) or sorted(names) != sorted(ACT_VALUES):
        problems.append(f"{where}: values には {', '.join(ACT_VALUES)} の4つの値と日本語の名前を書いてください")
    acts = data.get("acts")
    if not isinstance(acts, list) or not acts:
        problems.append(f"{where}: acts（行為のリスト）が必要です")
        return
    _unique([a.get("id") if isinstance(a, dict) else None for a in acts], f"{where} の行為 id", problems)
    for act in acts:
        if not isinstance(act, dict):
            problems.append(f"{where}: 行為は対応表で書いてください: {act!r}")
            continue
        aid = act.get("id")
        if not isinstance(aid, str) or not KEY_RE.match(aid):
            problems.append(f"{where}: 行為 id「{aid}」は英小文字の snake_case にしてください")
            continue
        if not act.get("label"):
            problems.append(f"{where}: {aid}: label が必要です")
        decisions = act.get("decisions")
        if not isinstance(decisions, list) or not decisions:
            problems.append(f"{where}: {aid}: decisions（判断のリスト）が必要です")
            continue
        for n, d in enumerate(decisions):
            spot = f"{where}: {aid}: 判断{n + 1}"
            if not isinstance(d, dict):
                problems.append(f"{spot}: 対応表で書いてください")
                continue
            if d.get("value") not in ACT_VALUES:
                problems.append(f"{spot}: value は {', '.join(ACT_VALUES)} のいずれかです（「{d.get('value')}」）")
            if not str(d.get("reason") or "").strip():
                problems.append(f"{spot}: reason（どの回答で決まったか）が必要です")
            last = n == len(decisions) - 1
            if last and d.get("when") is not None:
                problems.append(f"{spot}: 最後の判断は when を持たない既定の判断にしてください")
            elif not last and d.get("when") is None:
                problems.append(f"{spot}: 最後以外の判断には when（条件）が必要です")
            elif d.get("when") is not None:
                _condition(d["when"], spot, questions, problems)
        key = ACT_PREFIX + aid
        if key in questions:
            problems.append(f"{where}: 派生キー「{key}」が質問のキーと重複しています")
        questions[key] = {"key": key, "type": "derived", "values": list(ACT_VALUES), "label": f"{act.get('label')}の扱い"}


# ---------------------------------------------------------------- sources, topics

def _sources(docs: list[dict[str, Any]], problems: list[str]) -> dict[str, set[str]]:
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


def _cite(cites: Any, where: str, refs: dict[str, set[str]], problems: list[str]) -> None:
    if not isinstance(cites, list) or not cites:
        problems.append(f"{where}: sources（出典）を1つ以上書いてください")
        return
    for cite in cites:
        doc, _, ref = str(cite).partition("#")
        if doc not in refs:
            problems.append(f"{where}: 出典「{cite}」の文書「{doc}」は sources.yml にありません")
        elif ref and ref not in refs[doc]:
            problems.append(f"{where}: 出典「{cite}」の番号「{ref}」は sources.yml で確認済みとして登録されていません")


def _plan_rules(rules: list[dict[str, Any]], refs: dict[str, set[str]], clause_ids: set[str],
                problems: list[str]) -> None:
    """The plan's rule labels and what each cites (clauses/sources.yml, plan_rules)."""
    where = "clauses/sources.yml: plan_rules"
    if not rules:
        problems.append(f"{where}: 監督計画の根拠（plan_rules）がありません")
    _unique([r.get("label") for r in rules], f"{where} の label", problems)
    for rule in rules:
        label = rule.get("label")
        if not label:
            problems.append(f"{where}: label が必要です")
        for cite in rule.get("cites") or []:
            _cite([cite], f"{where}: {label}", refs, problems)
        for kind, cid in (rule.get("clause_of_kind") or {}).items():
            if cid not in clause_ids:
                problems.append(f"{where}: {label}: {kind} の条文「{cid}」がありません")


def _topics(topics: list[dict[str, Any]], problems: list[str]) -> set[str]:
    ids = _unique([t.get("id") for t in topics], "トピック id", problems)
    for t in topics:
        if not t.get("label"):
            problems.append(f"clauses/topics.yml: {t.get('id')}: label が必要です")
    if not ids:
        problems.append("clauses/topics.yml: トピックがありません")
    return ids


# ---------------------------------------------------------------- clauses

def _clause(clause: dict[str, Any], where: str, questions: dict[str, Any], placeholders: set[str],
            clause_ids: set[str], refs: dict[str, set[str]], topic_ids: set[str], problems: list[str]) -> None:
    cid = clause.get("id")
    if not isinstance(cid, str) or not ID_RE.match(cid):
        problems.append(f"{where}: id「{cid}」は英小文字とハイフンにしてください")
    if not clause.get("title"):
        problems.append(f"{where}: title が必要です")
    if not isinstance(clause.get("order"), int):
        problems.append(f"{where}: order（整数）が必要です")
    inclusion = clause.get("inclusion")
    if inclusion not in INCLUSIONS:
        problems.append(f"{where}: inclusion は {', '.join(INCLUSIONS)} のいずれかです")
    if inclusion == "conditional":
        if not clause.get("applies_when"):
            problems.append(f"{where}: conditional の条文には applies_when が必要です")
        else:
            _condition(clause["applies_when"], f"{where}: applies_when", questions, problems)
    elif clause.get("applies_when"):
        problems.append(f"{where}: applies_when は conditional の条文にだけ書けます")
    rows = clause.get("rows_from")
    if rows is not None:
        q = questions.get(rows.get("answer") if isinstance(rows, dict) else None) or {}
        if q.get("type") != "list" or rows.get("column") not in {c.get("key") for c in q.get("columns") or []}:
            problems.append(f"{where}: rows_from には表の質問（type: list）の answer と column を書いてください")
    phases = clause.get("phases") or []
    if not phases or any(p not in range(1, 7) for p in phases):
        problems.append(f"{where}: phases は 1〜6 の番号のリストにしてください")

    texts = clause.get("texts") or {}
    if "" not in texts or not texts[""]:
        problems.append(f"{where}: 「## 条文」の本文がありません")
    variant_ids = []
    for v in clause.get("variants") or []:
        vid = v.get("id")
        variant_ids.append(vid)
        if not isinstance(vid, str) or not ID_RE.match(vid):
            problems.append(f"{where}: variant id「{vid}」は英小文字とハイフンにしてください")
        if not v.get("label"):
            problems.append(f"{where}: variant {vid}: label が必要です")
        if not v.get("when"):
            problems.append(f"{where}: variant {vid}: when（条件）が必要です")
        else:
            _condition(v["when"], f"{where}: variant {vid}", questions, problems)
        if vid not in texts:
            problems.append(f"{where}: variant {vid} の本文「## 条文: {vid}」がありません")
    if len(set(variant_ids)) != len(variant_ids):
        problems.append(f"{where}: variant id が重複しています")
    for vid in texts:
        if vid and vid not in variant_ids:
            problems.append(f"{where}: 「## 条文: {vid}」に対応する variant がフロントマターにありません")

    for vid, paragraphs in texts.items():
        for p in paragraphs:
            spot = f"{where}: 条文{'（' + vid + '）' if vid else ''}の項「{p.get('text', '')[:20]}…」"
            conds = [p.get("when")] + list(p.get("items_when") or [])
            for cond in (c for c in conds if c is not None):
                _condition(cond, f"{spot}: [when: …]", questions, problems)
        if paragraphs and all(q.get("when") is not None for q in paragraphs):
            problems.append(f"{where}: 条文{'（' + vid + '）' if vid else ''}には条件のない項が1つ以上必要です")
        for text in _strings(paragraphs):
            if "[when:" in text:
                problems.append(f"{where}: 「[when: …]」は項又は号の先頭にだけ書けます: {text[:30]}")

    used: set[str] = set()
    for paragraphs in texts.values():
        for text in _strings(paragraphs):
            for name in PLACEHOLDER_RE.findall(text):
                if name.startswith("ref:"):
                    target = name[4:].strip()
                    if target not in clause_ids:
                        problems.append(f"{where}: {{{{{name}}}}} の参照先の条文「{target}」がありません")
                elif name not in placeholders:
                    problems.append(f"{where}: 差込み項目 {{{{{name}}}}} は questions.yml の placeholders にありません")
                else:
                    used.add(name)
            if re.search(r"第[0-9０-９一二三四五六七八九十]+条", text) and "法" not in text:
                problems.append(f"{where}: 条文中に条番号を直接書かないでください（{{{{ref:ID}}}} を使います）: {text[:30]}")
    declared = set(clause.get("placeholders") or [])
    for name in sorted(used - declared):
        problems.append(f"{where}: 差込み項目「{name}」を使っていますが placeholders に書かれていません")
    for name in sorted(declared - used):
        problems.append(f"{where}: placeholders の「{name}」は本文で使われていません")

    sections = [h for h in clause.get("section_order", []) if not h.startswith("条文")]
    if sections != list(COMMENTARY):
        missing = [s for s in COMMENTARY if s not in sections]
        extra = [s for s in sections if s not in COMMENTARY]
        detail = []
        if missing:
            detail.append("不足: " + "、".join(missing))
        if extra:
            detail.append("不明: " + "、".join(extra))
        if not detail:
            detail.append("順序が違います")
        problems.append(f"{where}: 解説の見出しは {'・'.join(COMMENTARY)} の順です（{'; '.join(detail)}）")
    for heading, body in (clause.get("commentary") or {}).items():
        if not body.strip():
            problems.append(f"{where}: 「## {heading}」が空です")
    _cite(clause.get("sources"), where, refs, problems)
    topics = clause.get("topics") or []
    if not topics:
        problems.append(f"{where}: topics を1つ以上書いてください")
    for t in topics:
        if t not in topic_ids:
            problems.append(f"{where}: トピック「{t}」は topics.yml にありません")


def _strings(paragraphs: Iterable[dict[str, Any]]) -> Iterable[str]:
    for p in paragraphs:
        yield p.get("text", "")
        yield from p.get("items", [])


# ---------------------------------------------------------------- items, lists

def _item(item: dict[str, Any], questions: dict[str, Any], clause_ids: set[str], refs: dict[str, set[str]],
          problems: list[str]) -> None:
    iid = item.get("id")
    where = f"{item.get('file', 'checklists')}: {iid}"
    if not isinstance(iid, str) or not ID_RE.match(iid):
        problems.append(f"{where}: id は英小文字・数字とハイフンにしてください")
    if item.get("clause") not in clause_ids:
        problems.append(f"{where}: 条文「{item.get('clause')}」がありません")
    elif isinstance(iid, str) and not iid.startswith(f"{item['clause']}-"):
        problems.append(f"{where}: id は「{item['clause']}-NN」の形にしてください")
    for field in ("before", "after", "explanation"):
        if not str(item.get(field) or "").strip():
            problems.append(f"{where}: {field} が空です")
        elif "{{" in str(item.get(field)):
            problems.append(f"{where}: {field} に差込み項目は使えません")
    evidence = item.get("evidence")
    if not isinstance(evidence, list) or not evidence or not all(isinstance(e, str) and e for e in evidence):
        problems.append(f"{where}: evidence（確認する資料）を1つ以上書いてください")
    if item.get("answered_by") not in ANSWERED_BY:
        problems.append(f"{where}: answered_by は {'・'.join(ANSWERED_BY)} のいずれかです")
    if item.get("method") not in METHODS:
        problems.append(f"{where}: method は {'・'.join(METHODS)} のいずれかです")
    _cite(item.get("sources"), where, refs, problems)  # every item carries its own source
    if item.get("applies_when") is not None:
        _condition(item["applies_when"], f"{where}: applies_when", questions, problems)


def _list(name: str, data: dict[str, Any], questions: dict[str, Any], refs: dict[str, set[str]], problems: list[str]) -> None:
    where = data.get("file", f"checklists/{name}.yml")
    if not data.get("title"):
        problems.append(f"{where}: title が必要です")
    items = data.get("items") or []
    if not items:
        problems.append(f"{where}: items がありません")
    prefix = {"selection": "sel-", "self-check": "self-"}.get(name, "")
    _unique([i.get("id") for i in items], f"{where} の id", problems)
    for item in items:
        iid = item.get("id")
        if not isinstance(iid, str) or not iid.startswith(prefix):
            problems.append(f"{where}: id「{iid}」は「{prefix}NN」の形にしてください")
        for field in ("text", "explanation"):
            if not str(item.get(field) or "").strip():
                problems.append(f"{where}: {iid}: {field} が空です")
        _cite(item.get("sources"), f"{where}: {iid}", refs, problems)
        if item.get("applies_when") is not None:
            _condition(item["applies_when"], f"{where}: {iid}: applies_when", questions, problems)
        if name == "selection" and item.get("point") not in range(0, 10):
            problems.append(f"{where}: {iid}: point は 0〜9 です（久喜市基準の確認事項の番号）")
        if name == "self-check" and item.get("phase") not in range(1, 4):
            problems.append(f"{where}: {iid}: phase は 1〜3 です")
    if name == "selection":
        points = {i.get("point") for i in items}
        for p in range(1, 10):
            if p not in points:
                problems.append(f"{where}: 久喜市基準の確認事項 {p} に当たる項目がありません")


# ---------------------------------------------------------------- changelog, edition

def _changelog(entries: list[dict[str, Any]], clause_ids: set[str], problems: list[str]) -> None:
    where = "clauses/CHANGELOG.yml"
    if not entries:
        problems.append(f"{where}: versions に最初の版が必要です")
        return
    seen: set[str] = set()
    previous: tuple[int, ...] | None = None
    for entry in entries:
        version = str(entry.get("version", ""))
        if not re.match(r"^\d+\.\d+\.\d+$", version):
            problems.append(f"{where}: version「{version}」は 1.2.3 の形にしてください")
            continue
        if version in seen:
            problems.append(f"{where}: version {version} が重複しています")
        seen.add(version)
        parsed = tuple(int(x) for x in version.split("."))
        if previous is not None and parsed >= previous:
            problems.append(f"{where}: 新しい版から順に並べてください（{version}）")
        previous = parsed
        if not entry.get("date") or not entry.get("summary"):
            problems.append(f"{where}: {version}: date と summary が必要です")
        for cid in entry.get("clauses") or []:
            if cid not in clause_ids:
                problems.append(f"{where}: {version}: 条文「{cid}」がありません")


FORM_OUTPUTS = ("forms", "reoutsourcing-application", "reoutsourcing-approval", "specification")


def _forms(forms: list[dict[str, Any]], questions: dict[str, Any], placeholders: set[str],
           clause_ids: set[str], problems: list[str]) -> None:
    where = "clauses/forms.yml"
    _unique([f.get("id") for f in forms], f"{where} の様式 id", problems)
    for form in forms:
        fid = form.get("id")
        if form.get("output") not in FORM_OUTPUTS:
            problems.append(f"{where}: {fid}: output は {', '.join(FORM_OUTPUTS)} のいずれかです")
        if not form.get("title"):
            problems.append(f"{where}: {fid}: title が必要です")
        if form.get("applies_when") is not None:
            _condition(form["applies_when"], f"{where}: {fid}", questions, problems)
        if form.get("requires_clause") and form["requires_clause"] not in clause_ids:
            problems.append(f"{where}: {fid}: 条文「{form['requires_clause']}」がありません")
        source = (form.get("table") or {}).get("from")
        if source is not None:
            q = questions.get(source.get("answer") if isinstance(source, dict) else None) or {}
            known_columns = {c.get("key") for c in q.get("columns") or []}
            if q.get("type") != "list" or not set(source.get("columns") or [None]) <= known_columns:
                problems.append(f"{where}: {fid}: table.from には表の質問（type: list）とその列のキーを書いてください")
        texts = [form.get("submitted_by", ""), form.get("note", "")]
        texts += form.get("intro", []) + form.get("list", []) + form.get("fields", []) + form.get("closing", [])
        for text in texts:
            for name in PLACEHOLDER_RE.findall(str(text)):
                if name not in placeholders and ":" not in name:  # ref:/answer:/has: checked by validate_documents
                    problems.append(f"{where}: {fid}: 差込み項目 {{{{{name}}}}} は placeholders にありません")


def _wording(data: dict[str, Any], problems: list[str]) -> None:
    where = "clauses/wording.yml"
    for kind in ("designated", "ordinary"):
        pairs = data.get(kind)
        if not isinstance(pairs, list):
            problems.append(f"{where}: {kind}（[置き換える語, 置き換えた語] のリスト）が必要です")
            continue
        for pair in pairs:
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(t, str) and t for t in pair)):
                problems.append(f"{where}: {kind}: [置き換える語, 置き換えた語] の形にしてください: {pair!r}")
    for phrase in data.get("designated_keep") or []:  # src/itaku/terms.py: phrases about the subcontract
        try:
            re.compile(str(phrase))
        except re.error as e:
            problems.append(f"{where}: designated_keep: 正規表現の誤り（{e}）: {phrase}")
    for old, new in data.get("ordinary") or []:
        if "指定管理" in str(new):
            problems.append(f"{where}: ordinary: 通常の契約の文言に「指定管理」を入れないでください: {new}")


def _edition(edition: dict[str, Any], problems: list[str]) -> None:
    for field in ("org_name", "ordinance", "privacy_section", "contact"):
        if not str(edition.get(field) or "").strip():
            problems.append(f"edition.yml: {field} が必要です")


def _unique(ids: list[Any], what: str, problems: list[str]) -> set[str]:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            problems.append(f"{what}「{i}」が重複しています")
        if isinstance(i, str):
            seen.add(i)
    return seen
