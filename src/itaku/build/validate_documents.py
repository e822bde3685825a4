"""Checks for the life-cycle documents (``clauses/documents.yml``).

Same style as ``validate``: a list of Japanese messages naming the file, empty
when sound. Also checks the coverage mapping: every term an article requires
is in that article's text, and every field named for it is on the form.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from itaku.build.validate_base import PLACEHOLDER_RE, strings, unique
from itaku.build.validate_kinds import validate_kinds
from itaku.build.validate_questions import validate_acts, validate_devices, validate_places, validate_condition, validate_questions
from itaku.build.validate_sources import validate_cites, validate_sources

WHERE = "clauses/documents.yml"
PER = (None, "approval_act", "onsite_check", "employer")
DATED = (None, "created", "start", "blank")  # a letter's date: before the bid, at the start, left for the sender
SOURCE_TABLES = ("onsite_items",)
ENTRY_LISTS = ("intro", "list", "closing", "fields", "header_fields", "articles")


def validate_documents(corpus: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    data = corpus.get("documents") or {}
    scratch: list[str] = []  # questions and sources are reported by validate()
    questions = validate_questions(corpus.get("questions") or {}, scratch)
    validate_kinds(corpus.get("kinds") or {}, questions, scratch)  # adds the kind_<id> keys
    validate_acts(corpus.get("acts") or {}, questions, scratch)  # adds the act_<id> keys
    validate_places(corpus.get("places") or {}, questions, scratch)  # adds the place_… keys
    validate_devices(corpus.get("devices") or {}, questions, scratch)  # adds the device_… keys
    refs = validate_sources(corpus.get("sources") or [], scratch)
    clauses = {c.get("id"): c for c in corpus.get("clauses") or []}
    acts = {a.get("id"): a for a in (corpus.get("acts") or {}).get("acts") or [] if isinstance(a, Mapping)}
    names = set((corpus.get("questions") or {}).get("placeholders") or {}) | set(data.get("placeholders") or {})
    forms = corpus.get("forms") or []

    files = data.get("files") or []
    file_ids = unique([f.get("id") for f in files], f"{WHERE} の files の id", problems)
    unique([f.get("file") for f in files], f"{WHERE} の files の file", problems)
    for f in files:
        if not str(f.get("file", "")).endswith(".docx") or not f.get("title"):
            problems.append(f"{WHERE}: files の {f.get('id')}: file（.docx）と title が必要です")
        for alt in f.get("alt_titles") or []:
            if not isinstance(alt, Mapping) or not alt.get("title") or alt.get("when") is None:
                problems.append(f"{WHERE}: files の {f.get('id')}: alt_titles は {{when: 条件, title: 題名}} の形です")
            else:
                validate_condition(alt["when"], f"{WHERE}: files の {f.get('id')}", questions, problems)
    for form in forms:
        if form.get("output") not in file_ids and form.get("output") != "specification":  # 別表 of the specification
            problems.append(f"clauses/forms.yml: {form.get('id')}: output「{form.get('output')}」は documents.yml の files にありません")

    sections = data.get("sections") or []
    form_ids = {f.get("id") for f in forms}
    unique([s.get("id") for s in sections] + list(form_ids), f"{WHERE} の様式・文書の id", problems)
    for s in sections:
        where = f"{WHERE}: {s.get('id')}"
        if s.get("file") not in file_ids:
            problems.append(f"{where}: file「{s.get('file')}」は files にありません")
        if not s.get("title"):
            problems.append(f"{where}: title が必要です")
        if s.get("per") not in PER:
            problems.append(f"{where}: per は approval_act・onsite_check・employer のいずれかです")
        if s.get("dated") not in DATED:
            problems.append(f"{where}: dated は created（作成日）・start（業務の開始日）・blank（記入欄）のいずれかです")
        letter = s.get("letter")
        if letter is not None and (not isinstance(letter, Mapping) or not letter.get("to")
                                   or set(letter) - {"to", "from", "number"}):
            problems.append(f"{where}: letter は {{to: 宛先, from: 発信者, number: 文書番号の行（既定 true）}} の形です")
        if s.get("after") and s["after"] not in form_ids:
            problems.append(f"{where}: after「{s['after']}」という様式は forms.yml にありません")
        if s.get("requires_clause") and s["requires_clause"] not in clauses:
            problems.append(f"{where}: 条文「{s['requires_clause']}」がありません")
        if s.get("applies_when") is not None:
            validate_condition(s["applies_when"], where, questions, problems)
        for key in ("table", "source_table"):
            table = s.get(key) or {}
            if table.get("widths") and len(table["widths"]) != len(table.get("header") or []):
                problems.append(f"{where}: {key} の widths は header と同じ数にしてください")
        if s.get("source_table") and s["source_table"].get("source") not in SOURCE_TABLES:
            problems.append(f"{where}: source_table の source は {', '.join(SOURCE_TABLES)} です")
        if s.get("sources"):
            validate_cites(s["sources"], where, refs, problems)
        for entry in _entries(s):
            if isinstance(entry, Mapping) and entry.get("when") is not None:
                validate_condition(entry["when"], where, questions, problems)
            if isinstance(entry, Mapping) and entry.get("align") not in (None, "left", "right", "center"):
                problems.append(f"{where}: align は left・right・center です")
            if isinstance(entry, Mapping) and "insert" in entry and (
                    s.get("per") != "approval_act" or entry["insert"] not in ("application_fields", "approval_conditions")):
                problems.append(f"{where}: {{insert: …}} は per: approval_act の様式で application_fields か "
                                f"approval_conditions にだけ使えます")
        for text in _texts(s):
            _placeholders(text, where, names, questions, clauses, problems)
    for form in forms:
        for text in _texts(form):
            _placeholders(text, f"clauses/forms.yml: {form.get('id')}", names, questions, clauses, problems)

    approvals, elsewhere = data.get("approvals") or {}, data.get("approvals_in_forms") or {}
    for act_id, act in acts.items():
        needs = any(d.get("value") == "approval" for d in act.get("decisions") or [] if isinstance(d, Mapping))
        if needs and act_id not in approvals and act_id not in elsewhere:
            problems.append(f"{WHERE}: 行為「{act_id}」は承諾が必要になり得るので、approvals に承諾申請書・承諾書の記載が必要です")
    for act_id, form_list in elsewhere.items():
        for fid in form_list or []:
            form = next((f for f in forms if f.get("id") == fid), None)
            if form is None or form.get("applies_when") != {"eq": [f"act_{act_id}", "approval"]}:
                problems.append(f"{WHERE}: approvals_in_forms: 様式「{fid}」は forms.yml にあり、"
                                f"applies_when が {{eq: [act_{act_id}, approval]}} であることが必要です")
    for act_id, info in approvals.items():
        where = f"{WHERE}: approvals の {act_id}"
        if act_id not in acts:
            problems.append(f"{where}: clauses/acts.yml にない行為です")
        if not info.get("label"):
            problems.append(f"{where}: label が必要です")
        if info.get("clause") and info["clause"] not in clauses:
            problems.append(f"{where}: 条文「{info['clause']}」がありません")
        for text in _flat(info):
            _placeholders(text, where, names, questions, clauses, problems)

    for old_new in data.get("designated_terms") or []:
        if not (isinstance(old_new, list) and len(old_new) == 2 and all(isinstance(x, str) and x for x in old_new)):
            problems.append(f"{WHERE}: designated_terms は [置き換える語, 指定管理での語] の組です: {old_new!r}")

    by_id = {f.get("id"): f for f in forms} | {s.get("id"): s for s in sections}
    for entry in data.get("coverage") or []:
        problems += coverage_problems(entry, by_id, clauses, approvals)
    return problems


def coverage_problems(entry: Mapping[str, Any], by_id: Mapping[str, Any], clauses: Mapping[str, Any],
                      approvals: Mapping[str, Any] | None = None) -> list[str]:
    """The article must state each term; the form must have each field named for it."""
    where = f"{WHERE}: coverage の {entry.get('form')}{'（' + entry['approval'] + '）' if entry.get('approval') else ''}"
    form, clause = by_id.get(entry.get("form")), clauses.get(entry.get("clause"))
    if form is None or clause is None:
        return [f"{where}: 様式「{entry.get('form')}」か条文「{entry.get('clause')}」がありません"]
    if entry.get("approval"):  # a 承諾申請書: the act's own fields count too
        info = (approvals or {}).get(entry["approval"])
        if info is None:
            return [f"{where}: approvals に「{entry['approval']}」がありません"]
        form = dict(form, fields=list(form.get("fields") or []) + list(info.get("application_fields") or []))
    texts = clause.get("texts") or {}
    variant = entry.get("variant", "")
    if variant not in texts:
        return [f"{where}: 条文「{clause.get('id')}」に文言「{variant}」がありません"]
    article = "".join(strings(texts[variant]))
    labels = form_labels(form)
    out = []
    for req in entry.get("requires") or []:
        if req.get("term") not in article:
            out.append(f"{where}: 「{req.get('term')}」は条文「{clause.get('id')}」の本文にありません")
        if not req.get("fields"):
            out.append(f"{where}: 「{req.get('term')}」を記入する欄（fields）がありません")
        for field in req.get("fields") or []:
            if field not in labels:
                out.append(f"{where}: 「{req.get('term')}」を記入する欄「{field}」が様式にありません")
    return out


def form_labels(form: Mapping[str, Any]) -> set[str]:
    """Field labels, table column headers and row captions of a form, as written in the corpus."""
    out: set[str] = set()
    for key in ("fields", "header_fields"):
        for e in form.get(key) or []:
            out.add(e.get("label", e.get("text")) if isinstance(e, Mapping) else e)
    for key in ("table", "source_table"):
        table = form.get(key) or {}
        out.update(table.get("header") or [])
        for e in table.get("items") or []:
            cells = e.get("cells", e.get("text")) if isinstance(e, Mapping) else e
            out.add(cells[0] if isinstance(cells, list) else cells)
    return {str(x) for x in out}


def _entries(s: Mapping[str, Any]) -> Iterable[Any]:
    for key in ENTRY_LISTS:
        yield from s.get(key) or []
    for key in ("table",):
        yield from (s.get(key) or {}).get("items") or []
        yield from (s.get(key) or {}).get("subcontractor_items") or []


def _flat(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for k, v in value.items():
            if k not in ("when", "applies_when"):
                yield from _flat(v)
    elif isinstance(value, list):
        for v in value:
            yield from _flat(v)


def _texts(s: Mapping[str, Any]) -> Iterable[str]:
    for k, v in s.items():
        if k not in ("id", "file", "output", "applies_when", "requires_clause", "per", "after", "sources", "dated"):
            yield from _flat(v)


def _placeholders(text: str, where: str, names: set[str], questions: Mapping[str, Any],
                  clauses: Mapping[str, Any], problems: list[str]) -> None:
    for name in PLACEHOLDER_RE.findall(text):
        kind, _, arg = name.partition(":")
        if not arg:
            if name not in names:
                problems.append(f"{where}: 差込み項目 {{{{{name}}}}} は placeholders にありません")
        elif kind == "answer":
            if arg not in questions:
                problems.append(f"{where}: {{{{{name}}}}} の「{arg}」は questions.yml にありません")
        elif kind in ("ref", "has", "lacks"):
            for cid in arg.split("+"):
                if cid not in clauses:
                    problems.append(f"{where}: {{{{{name}}}}} の条文「{cid}」がありません")
        else:
            problems.append(f"{where}: 差込み項目 {{{{{name}}}}} の種類「{kind}」は使えません")
