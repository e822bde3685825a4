"""Schema and cross-reference checks for the loaded corpus.

``validate(corpus)`` returns a list of Japanese messages, each starting with
the file it concerns; an empty list means the corpus is sound.
"""
from __future__ import annotations

import re
from typing import Any

from itaku.build.validate_base import ID_RE, PLACEHOLDER_RE, strings, unique
from itaku.build.validate_kinds import validate_kinds
from itaku.build.validate_questions import validate_acts, validate_devices, validate_places, validate_condition, validate_questions
from itaku.build.validate_sources import validate_cites, validate_plan_rules, validate_sources, validate_topics

INCLUSIONS = ("required", "default_on", "conditional")
ANSWERED_BY = ("受託者", "再委託先", "委託元")
METHODS = ("書面", "実地")
PLACE_CONTROLS = ("contractor", "authority", "third_party")  # places where an item can be seen
SEEN_AT = ("start", "mid", "during", "sub", "remote", "end")  # the on-site visits (clauses/README.md)
COMMENTARY = ("趣旨", "解説", "記載例", "留意点", "よくある誤り", "関連する事故・監査の指摘")


def validate(corpus: dict[str, Any]) -> list[str]:
    """Every problem in ``corpus`` as a Japanese message."""
    problems: list[str] = []
    questions = validate_questions(corpus.get("questions", {}), problems)
    validate_kinds(corpus.get("kinds") or {}, questions, problems)  # before acts: acts may look at kind_<id>
    validate_acts(corpus.get("acts") or {}, questions, problems)
    validate_places(corpus.get("places") or {}, questions, problems)
    validate_devices(corpus.get("devices") or {}, questions, problems)
    source_refs = validate_sources(corpus.get("sources", []), problems)
    topic_ids = validate_topics(corpus.get("topics", []), problems)
    placeholders = set((corpus.get("questions") or {}).get("placeholders") or {})
    clause_ids = unique([c.get("id") for c in corpus["clauses"]], "条文 id", problems)
    for duty in (corpus.get("devices") or {}).get("duties") or []:
        if isinstance(duty, dict) and duty.get("clause") not in clause_ids:
            problems.append(f"clauses/devices.yml: duties の「{duty.get('id')}」の clause「{duty.get('clause')}」という条文はありません")
    items = corpus.get("items", [])
    item_ids = unique([i.get("id") for i in items], "確認項目 id", problems)
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
    validate_plan_rules(corpus.get("plan_rules") or [], source_refs, clause_ids, problems)
    for name, data in (corpus.get("lists") or {}).items():
        _list(name, data, questions, source_refs, problems)
    _light(corpus.get("light_route") or {}, questions, problems)
    _coverage(corpus, set(item_ids), problems)
    for required in ("selection", "self-check"):
        if required not in (corpus.get("lists") or {}):
            problems.append(f"checklists/{required}.yml: ファイルがありません")
    _changelog(corpus.get("changelog", []), clause_ids, problems)
    # forms rendered by itaku.lifecycle (every output but the specification's annexes) may use documents.yml's names too
    lifecycle = set((corpus.get("documents") or {}).get("placeholders") or {})
    _forms(corpus.get("forms", []), questions, placeholders, clause_ids, problems, lifecycle)
    _edition(corpus.get("edition", {}), problems)
    _wording(corpus.get("wording") or {}, problems)
    return list(dict.fromkeys(problems))  # one message per problem, first-seen order


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
            validate_condition(clause["applies_when"], f"{where}: applies_when", questions, problems)
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
            validate_condition(v["when"], f"{where}: variant {vid}", questions, problems)
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
                validate_condition(cond, f"{spot}: [when: …]", questions, problems)
        if paragraphs and all(q.get("when") is not None for q in paragraphs):
            problems.append(f"{where}: 条文{'（' + vid + '）' if vid else ''}には条件のない項が1つ以上必要です")
        for text in strings(paragraphs):
            if "[when:" in text:
                problems.append(f"{where}: 「[when: …]」は項又は号の先頭にだけ書けます: {text[:30]}")

    used: set[str] = set()
    for paragraphs in texts.values():
        for text in strings(paragraphs):
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
    validate_cites(clause.get("sources"), where, refs, problems)
    topics = clause.get("topics") or []
    if not topics:
        problems.append(f"{where}: topics を1つ以上書いてください")
    for t in topics:
        if t not in topic_ids:
            problems.append(f"{where}: トピック「{t}」は topics.yml にありません")


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
    validate_cites(item.get("sources"), where, refs, problems)  # every item carries its own source
    seen = item.get("seen_at")
    if not isinstance(seen, list) or not set(seen) <= set(SEEN_AT):
        problems.append(f"{where}: seen_at は {'・'.join(SEEN_AT)} のリストです")
    if not set(item.get("seen_in") or []) <= set(PLACE_CONTROLS):
        problems.append(f"{where}: seen_in は {'・'.join(PLACE_CONTROLS)} のリストです")
    per_row = item.get("per_row")
    if per_row is not None:
        q = questions.get(per_row.get("answer")) if isinstance(per_row, dict) else None
        columns = [c.get("key") for c in (q or {}).get("columns") or []]
        if not q or q.get("type") != "list" or per_row.get("column") not in columns:
            problems.append(f"{where}: per_row は表の質問（answer）とその列（column）を指定してください")
        elif not all("{row}" in str(per_row.get(k, "")) for k in ("before", "after")):
            problems.append(f"{where}: per_row の before と after に {{row}} を書いてください")
    quote = item.get("quote")
    if quote is not None and (not isinstance(quote, dict) or (questions.get(quote.get("answer")) or {}).get("type") != "text"
                              or "{value}" not in str(quote.get("text", ""))):
        problems.append(f"{where}: quote は文字の質問（answer）と {{value}} を含む text を指定してください")
    if not isinstance(item.get("light", False), bool):
        problems.append(f"{where}: light は true か false です")
    if item.get("applies_when") is not None:
        validate_condition(item["applies_when"], f"{where}: applies_when", questions, problems)


def _list(name: str, data: dict[str, Any], questions: dict[str, Any], refs: dict[str, set[str]], problems: list[str]) -> None:
    where = data.get("file", f"checklists/{name}.yml")
    if not data.get("title"):
        problems.append(f"{where}: title が必要です")
    items = data.get("items") or []
    if not items:
        problems.append(f"{where}: items がありません")
    prefix = {"selection": "sel-", "self-check": "self-"}.get(name, "")
    unique([i.get("id") for i in items], f"{where} の id", problems)
    for item in items:
        iid = item.get("id")
        if not isinstance(iid, str) or not iid.startswith(prefix):
            problems.append(f"{where}: id「{iid}」は「{prefix}NN」の形にしてください")
        for field in ("text", "explanation"):
            if not str(item.get(field) or "").strip():
                problems.append(f"{where}: {iid}: {field} が空です")
        validate_cites(item.get("sources"), f"{where}: {iid}", refs, problems)
        if item.get("applies_when") is not None:
            validate_condition(item["applies_when"], f"{where}: {iid}: applies_when", questions, problems)
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

def _coverage(corpus: dict[str, Any], item_ids: set[str], problems: list[str]) -> None:
    """checklists/coverage.yml: each entry names one 項/号 of its clause by the start of its text, and what checks it."""
    clauses = {c.get("id"): c for c in corpus.get("clauses", [])}
    for n, e in enumerate(corpus.get("coverage") or []):
        where = f"checklists/coverage.yml: paragraphs[{n}]"
        clause = clauses.get(e.get("clause")) if isinstance(e, dict) else None
        if clause is None:
            problems.append(f"{where}: 条文「{e.get('clause') if isinstance(e, dict) else e}」がありません")
            continue
        texts = {t for ps in (clause.get("texts") or {}).values() for p in ps for t in [p.get("text", "")] + list(p.get("items") or [])}
        if len({t for t in texts if t.startswith(str(e.get("starts") or "\0"))}) != 1:
            problems.append(f"{where}: starts が条文「{e['clause']}」のちょうど一つの項・号の書き出しと一致しません")
        for item_id in e.get("items") or []:
            if item_id not in item_ids:
                problems.append(f"{where}: 確認項目「{item_id}」がありません")
        if not (e.get("items") or e.get("plan") or e.get("reason")):
            problems.append(f"{where}: items、plan 又は reason のいずれかを書いてください")


def _light(data: dict[str, Any], questions: dict[str, Any], problems: list[str]) -> None:
    """checklists/light.yml: criteria (label + condition) and the two texts of 条文の採否一覧."""
    criteria = data.get("criteria")
    if not isinstance(criteria, list) or not criteria:
        problems.append("checklists/light.yml: criteria（条件のリスト）がありません")
        return
    for n, c in enumerate(criteria):
        if not isinstance(c, dict) or not c.get("label") or c.get("when") is None:
            problems.append(f"checklists/light.yml: criteria[{n}] には label と when が必要です")
        else:
            validate_condition(c["when"], f"checklists/light.yml: criteria[{n}]", questions, problems)
    for key, field in (("reason", "{criteria}"), ("not_light", "{failed}"), ("declined", "{criteria}")):
        if field not in str(data.get(key) or ""):
            problems.append(f"checklists/light.yml: {key} に {field} がありません")


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
           clause_ids: set[str], problems: list[str], lifecycle: set[str] = frozenset()) -> None:
    where = "clauses/forms.yml"
    unique([f.get("id") for f in forms], f"{where} の様式 id", problems)
    for form in forms:
        fid = form.get("id")
        if form.get("output") not in FORM_OUTPUTS:
            problems.append(f"{where}: {fid}: output は {', '.join(FORM_OUTPUTS)} のいずれかです")
        if not form.get("title"):
            problems.append(f"{where}: {fid}: title が必要です")
        if form.get("applies_when") is not None:
            validate_condition(form["applies_when"], f"{where}: {fid}", questions, problems)
        if form.get("requires_clause") and form["requires_clause"] not in clause_ids:
            problems.append(f"{where}: {fid}: 条文「{form['requires_clause']}」がありません")
        source = (form.get("table") or {}).get("from")
        if source is not None:
            q = questions.get(source.get("answer") if isinstance(source, dict) else None) or {}
            known_columns = {c.get("key") for c in q.get("columns") or []}
            known_columns |= {"stage"} if "parent" in known_columns else set()  # derived (itaku.forms.cell)
            if q.get("type") != "list" or not set(source.get("columns") or [None]) <= known_columns:
                problems.append(f"{where}: {fid}: table.from には表の質問（type: list）とその列のキーを書いてください")
        texts = [form.get("title", ""), form.get("submitted_by", ""), form.get("note", "")]
        texts += [v for k, v in (form.get("letter") or {}).items() if k in ("to", "from")]
        texts += form.get("intro", []) + form.get("list", []) + form.get("fields", []) + form.get("closing", [])
        known = placeholders | (lifecycle if form.get("output") != "specification" else set())
        for text in texts:
            for name in PLACEHOLDER_RE.findall(str(text)):
                if name not in known and ":" not in name:  # ref:/answer:/has: checked by validate_documents
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
