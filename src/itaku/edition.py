"""The local edition: who publishes this copy of the kit, and its own additions.

An edition is a plain JSON object: built in from ``edition.yml`` (compiled
into corpus.json) or dropped into the site folder as ``edition.js`` (a classic
script setting ``globalThis.ITAKU_EDITION``; the CLI reads the same file).
``apply`` validates it against ``clauses/edition_fields.yml`` (compiled as
``edition_fields``) and returns a Corpus whose ``edition`` holds every value
the documents use and whose clauses/items include the local additions, so the
generator needs no other change. Wording that depends on the kind of body
(知事/市長…, 県外/市外…) is data in ``edition_fields.yml``, not code.

The edition's hash is the SHA-256 of its canonical JSON (sorted keys, NFC,
no spaces), exactly as the page's footer computes it in JavaScript
(``docs/assets/common/edition.js``), so the footer, the stamp and the settings
page agree.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from itaku import schema
from itaku.answers import canonical_json
from itaku.clausetext import parse_paragraphs
from itaku.model import Corpus
from itaku.rewording import apply_wording, edition_wording

FILE_NAME = "edition.js"
MAX_FILE_BYTES = 1_000_000
MAX_LOCAL_CLAUSES = 30
MAX_LOCAL_ITEMS = 200
MAX_TEXT = 5000
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
PLACEHOLDER_RE = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Bidi embedding/override/isolate controls: removed, as from answers (itaku.answers.clean_text).
BIDI_RE = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
LOCAL_CLAUSE_KEYS = ("id", "title", "inclusion", "text")
LOCAL_ITEM_KEYS = ("id", "clause", "before", "after", "evidence", "answered_by", "method", "explanation")
INCLUSIONS = ("required", "default_on")
LISTS = ("clauses", "items", "wording")  # local clauses, local items, the 約款's wording of model paragraphs
METHODS = ("書面", "実地")


class EditionError(ValueError):
    """The edition is not usable; ``problems`` are Japanese messages naming the field."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Status:
    """What the page shows about the edition in use."""

    corpus: Corpus
    message: str  # "" when the file was used (or there was none)


# ---------------------------------------------------------------- hash and file text

def edition_hash(raw: Any) -> str:
    return hashlib.sha256(canonical_json(raw).encode("utf-8")).hexdigest()


def js_text(raw: Mapping[str, Any]) -> str:
    """The text of an edition.js for ``raw`` (what the settings page downloads)."""
    body = json.dumps(raw, ensure_ascii=False, indent=2, sort_keys=False)
    return ("// 委託先個人情報管理キット：団体の設定（edition.js）\n"
            "// このファイルをサイトのフォルダ（index.html と同じ場所）に置くと、すべての文書に使われます。\n"
            "// 書き換えるときは「団体の設定」のページ（settings/index.html）で作り直してください。\n"
            f"globalThis.ITAKU_EDITION = {body};\n")


def read_file(data: bytes | str, name: str = FILE_NAME) -> Any:
    """The edition object in an edition.js (as the settings page writes it) or an edition.json."""
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise EditionError([f"{name} が大きすぎます（1MB まで）。"])
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise EditionError([f"{name} を UTF-8 の文字として読めません。"]) from None
    text = data.lstrip("\ufeff")
    start = 0
    marker = re.search(r"ITAKU_EDITION\s*=\s*", text)
    if marker:
        start = marker.end()
    elif not text.lstrip().startswith("{"):
        raise EditionError([f"{name} に globalThis.ITAKU_EDITION = {{…}}; の形の設定がありません。"])
    try:
        if schema.depth(text[start:]) > schema.MAX_DEPTH:
            raise ValueError("too deep")
        value, end = json.JSONDecoder(parse_constant=schema._constant).raw_decode(text[start:].lstrip())
    except (ValueError, RecursionError):
        raise EditionError([f"{name} の設定を読めません。「団体の設定」のページで作った形（JSON）のまま置いてください。"]) \
            from None
    return value


# ---------------------------------------------------------------- validation

def _fields(corpus: Corpus) -> Mapping[str, Any]:
    return corpus.data["edition_fields"]


def _org_types(corpus: Corpus) -> dict[str, Mapping[str, Any]]:
    return {t["value"]: t for t in _fields(corpus)["org_types"]}


def _party_styles(corpus: Corpus) -> list[str]:
    for q in corpus.questions():
        if q["key"] == "party_style":
            return [c["value"] for c in q.get("choices", [])]
    return []


def _text(value: Any, where: str, problems: list[str], required: bool = True, max_length: int = MAX_TEXT) -> str:
    if value is None or value == "":
        if required:
            problems.append(f"{where}：入力が必要です。")
        return ""
    if not isinstance(value, str):
        problems.append(f"{where}：文字列で書いてください。")
        return ""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        problems.append(f"{where}：扱えない文字が含まれています。")
        return ""
    value = BIDI_RE.sub("", unicodedata.normalize("NFC", value)).strip()
    if CONTROL_RE.search(value):
        problems.append(f"{where}：制御文字は使えません。")
    if required and not value:
        problems.append(f"{where}：入力が必要です。")
    if len(value) > max_length:
        problems.append(f"{where}：{max_length}文字以内にしてください（{len(value)}文字）。")
    return value


def _placeholders(text: str, where: str, known: set[str], clause_ids: set[str], problems: list[str]) -> list[str]:
    names = []
    for name in PLACEHOLDER_RE.findall(text):
        if name.startswith("ref:"):
            if name[4:].strip() not in clause_ids:
                problems.append(f"{where}：{{{{{name}}}}} の条文 id はありません。")
        elif name not in known:
            problems.append(f"{where}：差込み項目 {{{{{name}}}}} はありません（使えるもの：{'、'.join(sorted(known))}）。")
        else:
            names.append(name)
    if "{{" in PLACEHOLDER_RE.sub("", text) or "}}" in PLACEHOLDER_RE.sub("", text):
        problems.append(f"{where}：{{{{ と }}}} の対応が取れていません。")
    return sorted(set(names))


def parse_text(body: str) -> list[dict[str, Any]]:
    """Clause text → 項 list, by the corpus rules (itaku.clausetext; local clauses carry no conditions)."""
    return parse_paragraphs(body)


def _local_entries(raw: Any, field: str, what: str, maximum: int, keys: tuple[str, ...], taken: set[str],
                   example: str, problems: list[str]) -> list[tuple[int, str, dict[str, Any]]]:
    """(n, where, entry) of a local list (``clauses`` or ``items``) whose entry is a mapping with a usable id;
    the list's shape, unknown keys, bad and repeated ids are reported in ``problems``."""
    out, seen = [], set()
    unit = "条" if field == "clauses" else "項目"
    for n, where, entry in schema.listed_mappings(raw, field, f"団体が追加する{what}", maximum, unit, keys, problems):
        eid = entry.get("id")
        if not isinstance(eid, str) or not ID_RE.match(eid):
            problems.append(f"{where}.id：半角英小文字・数字・ハイフンで書いてください（例：{example}）。")
            continue
        if eid in taken or eid in seen:
            problems.append(f"{where}.id：「{eid}」は既にある{what} id と重なっています。")
        seen.add(eid)
        out.append((n, where, entry))
    return out


def _local_clauses(raw: Any, corpus: Corpus, problems: list[str]) -> list[dict[str, Any]]:
    known = set(corpus.data["questions"]["placeholders"])
    corpus_ids = {c["id"] for c in corpus.clauses}
    ids = corpus_ids | {c.get("id") for c in raw if isinstance(c, dict) and isinstance(c.get("id"), str)} \
        if isinstance(raw, list) else corpus_ids
    out = []
    for n, where, entry in _local_entries(raw, "clauses", "条文", MAX_LOCAL_CLAUSES, LOCAL_CLAUSE_KEYS, corpus_ids,
                                          "local-backup", problems):
        cid = entry["id"]
        title = _text(entry.get("title"), f"{where}.title（見出し）", problems, max_length=40)
        inclusion = entry.get("inclusion", "required")
        if inclusion not in INCLUSIONS:
            problems.append(f"{where}.inclusion：required（常に含める）又は default_on（既定で含める）のいずれかです。")
        text = _text(entry.get("text"), f"{where}.text（条文）", problems)
        names = _placeholders(text, f"{where}.text（条文）", known, ids, problems)
        if "[when:" in text:
            problems.append(f"{where}.text（条文）：条件 [when: …] は団体が追加する条文では使えません。")
        out.append({"id": cid, "title": title, "inclusion": inclusion, "local": True, "file": FILE_NAME,
                    "texts": {"": parse_text(text)}, "variants": [], "placeholders": names, "checks": [],
                    "sources": [], "topics": [], "phases": [], "commentary": {}, "order": 100000 + n})
    return out


def _local_items(raw: Any, corpus: Corpus, clauses: list[dict[str, Any]], problems: list[str]) -> list[dict[str, Any]]:
    clause_ids = {c["id"] for c in corpus.clauses} | {c["id"] for c in clauses}
    item_ids = {i["id"] for i in corpus.items}
    answered_by = sorted({i["answered_by"] for i in corpus.items})
    out = []
    for _, where, entry in _local_entries(raw, "items", "確認項目", MAX_LOCAL_ITEMS, LOCAL_ITEM_KEYS, item_ids,
                                          "local-backup-01", problems):
        iid = entry["id"]
        if entry.get("clause") not in clause_ids:
            problems.append(f"{where}.clause：条文 id「{entry.get('clause')}」はありません。")
        texts = {}
        for key, label in (("before", "契約前の確認事項"), ("after", "契約後の確認事項")):
            texts[key] = _text(entry.get(key), f"{where}.{key}（{label}）", problems, max_length=1000)
            if "{{" in texts[key]:
                problems.append(f"{where}.{key}（{label}）：確認項目には差込み項目を使えません。")
        evidence = entry.get("evidence", [])
        if isinstance(evidence, str):
            evidence = [evidence]
        if not isinstance(evidence, list):
            problems.append(f"{where}.evidence（確認する資料）：文字列のリストで書いてください。")
            evidence = []
        evidence = [_text(e, f"{where}.evidence（確認する資料）", problems, max_length=100) for e in evidence]
        who = entry.get("answered_by", "受託者")
        if who not in answered_by:
            problems.append(f"{where}.answered_by（回答者）：{'・'.join(answered_by)} のいずれかです。")
        method = entry.get("method", "書面")
        if method not in METHODS:
            problems.append(f"{where}.method（確認方法）：{'・'.join(METHODS)} のいずれかです。")
        explanation = _text(entry.get("explanation"), f"{where}.explanation（解説）", problems, required=False,
                            max_length=2000)
        out.append({"id": iid, "clause": entry.get("clause"), "before": texts["before"], "after": texts["after"],
                    "evidence": [e for e in evidence if e], "answered_by": who, "method": method,
                    "explanation": explanation or "団体が追加した確認項目です。", "local": True, "file": FILE_NAME})
    return out


def validate(corpus: Corpus, raw: Any) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """(edition values, local clauses, local items) or EditionError naming every wrong field."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise EditionError(["設定が対応表（{…}）ではありません。"])
    spec = _fields(corpus)
    fields = {f["key"]: f for f in spec["fields"]}
    for key in raw:
        if key not in fields and key not in LISTS:
            problems.append(f"未知の項目「{key}」があります（使える項目：{'、'.join(list(fields) + list(LISTS))}）。")
    values: dict[str, Any] = {}
    for key, f in fields.items():
        where = f"{key}（{f['label']}）"
        if f.get("type") == "choice":
            allowed = list(_org_types(corpus)) if key == "org_type" else _party_styles(corpus)
            value = raw.get(key)
            if value in (None, "") and not f.get("required"):
                values[key] = ""
            elif value not in allowed:
                problems.append(f"{where}：{'・'.join(allowed)} のいずれかです。")
            else:
                values[key] = value
        else:
            values[key] = _text(raw.get(key), where, problems, bool(f.get("required")), int(f.get("max_length", 200)))
    clauses = _local_clauses(raw.get("clauses"), corpus, problems)
    items = _local_items(raw.get("items"), corpus, clauses, problems)
    known = set(corpus.data["questions"]["placeholders"])
    clause_ids = {c["id"] for c in corpus.clauses} | {c["id"] for c in clauses}
    wording = edition_wording(corpus, raw.get("wording"), _text,
                              lambda text, where: _placeholders(text, where, known, clause_ids, problems), problems)
    if problems:
        raise EditionError(problems)
    kind = _org_types(corpus)[values["org_type"]]
    suffix = values["org_name"][-1] if values["org_name"][-1:] in kind["suffixes"] else kind["default_suffix"]
    digest = edition_hash(raw)
    values.update({
        "org_type_label": kind["label"],
        "head_title": values["head_title"] or kind["head_title"],
        "outside_area": str(kind["outside"]).replace("{suffix}", suffix),
        "hash": digest,
        "short_hash": digest[:8],
        "raw": raw,
        "local_clauses": [c["id"] for c in clauses],
        "local_items": [i["id"] for i in items],
        "wording": wording,  # [{key, text}]: model paragraphs in the 約款's wording (itaku.rewording)
    })
    for clause in clauses:
        clause["checks"] = [i["id"] for i in items if i["clause"] == clause["id"]]
    return values, clauses, items


# ---------------------------------------------------------------- applying an edition

def compile_builtin(corpus_data: dict[str, Any]) -> dict[str, Any]:
    """Build time: edition.yml → the normalised built-in edition stored in corpus.json."""
    corpus = Corpus(corpus_data)
    raw = corpus_data["edition"]
    if isinstance(raw, dict) and "raw" in raw and "hash" in raw:
        raw = raw["raw"]
    values, clauses, items = validate(corpus, raw)
    if clauses or items or values["wording"]:
        raise EditionError(["edition.yml：条文・確認項目は clauses/local/ と checklists/items/ に置いてください。"])
    values["source"] = "builtin"
    return values


def apply(base: Corpus, raw: Any) -> Corpus:
    """``base`` with the edition ``raw`` in force (its values and local clauses/items); EditionError if invalid."""
    values, clauses, items = validate(base, raw)
    values["source"] = FILE_NAME
    data = dict(base.data)
    data["edition"] = values
    data["clauses"] = apply_wording(list(base.clauses), values["wording"]) + clauses
    data["items"] = list(base.items) + items
    if values["party_style"]:
        data["questions"] = _with_default(base.data["questions"], "party_style", values["party_style"])
    return Corpus(data)


def _with_default(questions: Mapping[str, Any], key: str, value: Any) -> dict[str, Any]:
    steps = [{**s, "questions": [{**q, "default": value} if q["key"] == key else q for q in s["questions"]]}
             for s in questions["steps"]]
    return {**questions, "steps": steps}


def from_page(base: Corpus, status: str, text: str | None, error: str = "") -> Status:
    """What the page found: ``status`` = loaded | missing | broken; ``text`` = JSON.stringify(ITAKU_EDITION)."""
    builtin = base.edition["org_name"]
    fallback = f"組み込みの版（{builtin}）を使っています。"
    if status == "missing" or (status == "loaded" and text is None):
        return Status(base, "")
    if status != "loaded":
        detail = f"（{error}）" if error else ""
        return Status(base, f"{FILE_NAME} を読み込めませんでした{detail}。{fallback}")
    try:
        raw = schema.loads(text or "null")
        return Status(apply(base, raw), "")
    except (ValueError, RecursionError) as exc:
        problems = exc.problems if isinstance(exc, EditionError) else ["設定を読めません。"]
        return Status(base, f"{FILE_NAME} の設定に誤りがあるため、{fallback}" + " ".join(problems))


def from_path(base: Corpus, path: str | Path) -> Corpus:
    """The CLI's ``--edition FILE`` (edition.js or edition.json); EditionError with the file named."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise EditionError([f"{p.name} を読めません（{exc.strerror or exc}）。"]) from None
    try:
        return apply(base, read_file(data, p.name))
    except EditionError as exc:
        raise EditionError([f"{p.name}：{m}" if not m.startswith(p.name) else m for m in exc.problems]) from None


def summary(corpus: Corpus, message: str = "") -> dict[str, Any]:
    """The edition as the pages show it (footer, settings page, messages)."""
    e = corpus.edition
    return {"name": e["org_name"], "org_type": e["org_type"], "org_type_label": e["org_type_label"],
            "head_title": e["head_title"], "hash": e["hash"], "short_hash": e["short_hash"], "source": e["source"],
            "local_clauses": list(e["local_clauses"]), "local_items": list(e["local_items"]), "message": message,
            "wording": [w["key"] for w in e.get("wording") or []],
            "party_style": e.get("party_style") or "", "raw": e["raw"]}
