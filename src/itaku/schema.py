"""Reading JSON from users and the shape of a job record (job.json): one place for both.

Every JSON file a user gives the kit (answers files, job records, checks, edition.json) is
read with ``loads``: nesting deeper than ``MAX_DEPTH`` is refused before the parser sees it
(a 100 000-deep file would otherwise exhaust the stack, fatally in Pyodide), and the
non-JSON constants ``NaN``/``Infinity`` that Python's parser accepts are refused.

``job_problems`` checks a job record's types, not only its keys, so that a record with the
wrong shape is refused by name with a reason instead of breaking the register or the
checklist pages later. job.json has its own version, ``job_schema`` (``JOB_SCHEMA``), apart from
the answers' ``schema_version``; ``JOB_RECORD`` is its written schema (a small JSON-Schema-like
dict, checked by ``shape_problem``: stdlib only, as it runs in Pyodide), and ``migrate_record``
brings a record of an earlier form (version 1: no ``job_schema``) to the current one. The register (``itaku.register.read_record``, CLI and page alike)
and the checklist pages (``itaku.web.job_scope``) use it; ``itaku.answers.load_file`` uses
``loads``. ``hash_matches`` recomputes the answers hash, so an edited record is told apart.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import date
from typing import Any, Mapping

MAX_DEPTH = 64  # a job record nests 5 deep; generous for hand-made files, far from any stack limit
HASH_RE = re.compile(r"^[0-9a-f]{64}$")
PHASES = ("before", "after", "selection")
ANSWER_FIELDS = ("status", "evidence_seen", "note", "due", "checked_on", "checker")
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


class JSONInputError(ValueError):
    """Text that is not acceptable JSON (message in Japanese, without the file's kind)."""


def depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text`` (strings skipped), without parsing it."""
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    level = deepest = 0
    for ch in brackets:
        if ch in "[{":
            level += 1
            if level > deepest:
                deepest = level
        else:
            level -= 1
    return deepest


def _constant(name: str) -> Any:
    raise JSONInputError(f"JSON で使えない値（{name}）が含まれています。")


def loads(text: str) -> Any:
    """``json.loads`` for user files: JSONInputError (Japanese) for deep nesting and NaN/Infinity;
    ValueError (from json) for text that is not JSON."""
    if depth(text) > MAX_DEPTH:
        raise JSONInputError(f"入れ子が深すぎます（{MAX_DEPTH}段まで）。")
    try:
        return json.loads(text, parse_constant=_constant)
    except RecursionError:  # not reached after the depth check; kept as a last guard
        raise JSONInputError(f"入れ子が深すぎます（{MAX_DEPTH}段まで）。") from None


def _day(value: Any) -> bool:
    try:
        date.fromisoformat(value)
        return isinstance(value, str) and len(value) == 10
    except (TypeError, ValueError):
        return False


def _str_or_none(value: Any) -> bool:
    return value is None or isinstance(value, str)


# ---------------------------------------------------------------- job.json's own schema

JOB_SCHEMA = 2  # 1: records made before job.json had its own version (no job_schema); 2: job_schema written

_DATE = {"type": "string", "format": "date"}
_TEXT = {"type": ["string", "null"]}
_ANSWER_ROW = {"type": "object", "label": "項目の回答",
               "properties": {k: {**_TEXT, "label": k} for k in ANSWER_FIELDS}}
_CHECK = {
    "type": "object", "label": "確認の記録", "required": ["phase", "date"],
    "properties": {
        "phase": {"enum": list(PHASES), "label": "確認の段階"},
        "date": {**_DATE, "label": "確認日"},
        **{k: {**_TEXT, "label": label} for k, label in (
            ("method", "確認の方法"), ("checker", "確認者"), ("company", "事業者"), ("role", "立場"),
            ("findings", "所見"), ("follow_up", "改善の指示"))},
        "answers": {"type": "object", "label": "項目ごとの回答", "values": _ANSWER_ROW},
    },
}
# The written schema of job.json, version 2. Unknown keys are allowed (a newer kit's additions are kept);
# what the register and the checklist pages read is typed here.
JOB_RECORD: dict[str, Any] = {
    "type": "object", "label": "業務記録",
    "required": ["format", "job_schema", "schema_version", "answers", "answers_hash", "stamp", "applicable_items", "plan"],
    "properties": {
        "format": {"const": "itaku-job", "label": "ファイルの種類"},
        "job_schema": {"type": "integer", "minimum": 1, "label": "業務記録の版"},
        "schema_version": {"type": "integer", "minimum": 1, "label": "回答の版"},
        "corpus_version": {"type": "string", "label": "コーパスの版"},
        "answers": {"type": "object", "label": "回答"},
        "removed_clauses": {"type": "object", "label": "外した条文", "values": {"type": "string", "label": "外した理由"}},
        "reworded_paragraphs": {"type": "object", "label": "文言を変えた項", "values": {
            "type": "object", "label": "変更", "properties": {"text": {"type": "string", "label": "変更後の文言"},
                                                           "reason": {"type": "string", "label": "変更の理由"}}}},
        "answers_hash": {"type": "string", "pattern": HASH_RE.pattern, "label": "回答のハッシュ"},
        "edition": {"type": "object", "label": "団体の設定"},
        "stamp": {"type": "object", "label": "刻印"},
        "work_name": {**_TEXT, "label": "業務名"},
        "applicable_items": {"type": "object", "label": "確認項目の一覧",
                             "properties": {p: {"type": "array", "label": "項目idの並び", "items": {"type": "string", "label": "項目id"}}
                                            for p in PHASES}},
        "articles": {"type": "array", "label": "条文の一覧",
                     "items": {"type": "object", "label": "条文",
                               "properties": {"number": {"type": "integer", "label": "条の番号"},
                                              **{k: {**_TEXT, "label": k} for k in ("clause", "title", "variant", "reason")}}}},
        "plan": {"type": "array", "label": "監督計画",
                 "items": {"type": "object", "label": "監督計画の行", "required": ["earliest", "due"],
                           "properties": {"earliest": {**_DATE, "label": "開始日"}, "due": {**_DATE, "label": "期限"},
                                          **{k: {**_TEXT, "label": k} for k in ("kind", "what", "method")},
                                          "rules": {"type": "array", "label": "規則", "items": {"type": "string", "label": "規則"}}}}},
        "checks": {"type": "array", "label": "確認の記録", "items": _CHECK},
    },
}
_TYPES = {"object": (dict, "対応表（{…}）"), "array": (list, "並び（[…]）"), "string": (str, "文字列"),
          "integer": (int, "整数"), "null": (type(None), "null")}


def _is(value: Any, name: str) -> bool:
    if name == "integer" and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[name][0])


def shape_problem(value: Any, spec: Mapping[str, Any], path: str = "") -> str:
    """The first place where ``value`` does not fit ``spec`` (JOB_RECORD's grammar), in Japanese naming the
    field by its path (「checks[2].date」（確認日）); "" when it fits."""
    where = f"「{path}」（{spec.get('label', path)}）" if path else spec.get("label", "")
    types = spec.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else list(types)
        if not any(_is(value, n) for n in names):
            return f"{where}が{'又は'.join(_TYPES[n][1] for n in names)}ではありません。"
    if "const" in spec and value != spec["const"]:
        return f"{where}が「{spec['const']}」ではありません。"
    if "enum" in spec and value not in spec["enum"]:
        return f"{where}の値（{str(value)[:40]}）は {'、'.join(map(str, spec['enum']))} のいずれかでなければなりません。"
    if "minimum" in spec and _is(value, "integer") and value < spec["minimum"]:
        return f"{where}が{spec['minimum']}より小さい値です。"
    if isinstance(value, str):
        if "pattern" in spec and not re.fullmatch(spec["pattern"], value):
            return f"{where}の形が正しくありません。"
        if spec.get("format") == "date" and not _day(value):
            return f"{where}が正しい日付ではありません（{value[:20]}）。"
    if isinstance(value, dict):
        for key in spec.get("required") or []:
            if key not in value or value[key] is None:
                sub = spec["properties"][key]
                return f"「{_join(path, key)}」（{sub.get('label', key)}）がありません。"
        for key, sub in (spec.get("properties") or {}).items():
            if key in value and not (value[key] is None and key not in (spec.get("required") or [])):
                problem = shape_problem(value[key], sub, _join(path, key))
                if problem:
                    return problem
        if "values" in spec:
            for key, item in value.items():
                problem = shape_problem(item, spec["values"], _join(path, str(key)[:40]))
                if problem:
                    return problem
    if isinstance(value, list) and "items" in spec:
        for n, item in enumerate(value, start=1):
            problem = shape_problem(item, spec["items"], f"{path}[{n}]")
            if problem:
                return problem
    return ""


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def record_version(doc: Mapping[str, Any]) -> int | None:
    """The record's job_schema (1 when it has none: the form before job.json had its own version); None when unreadable."""
    version = doc.get("job_schema", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return None
    return version


def migrate_record(doc: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a job record brought to JOB_SCHEMA. 1 → 2: the version is written; the parts a version-1
    record could leave out (removed_clauses, checks) are filled empty. Nothing else changes (same answers hash)."""
    out = dict(doc)
    if record_version(doc) == 1:
        out["job_schema"] = 2
        out.setdefault("removed_clauses", {})
        out.setdefault("checks", [])
    return out


def newer_record(doc: Mapping[str, Any]) -> str:
    """A message when the record's job_schema cannot be read or is newer than this kit's; "" otherwise."""
    version = record_version(doc)
    if version is None:
        return "版（job_schema）が読めません（1以上の整数が必要です）。"
    if version > JOB_SCHEMA:
        return (f"版（job_schema {version}）が、このサイトで読める版（{JOB_SCHEMA}）より新しいものです。"
                "新しい版のキットで作られた業務記録です。サイトを更新してください。")
    return ""


def _answers_problem(answers: Mapping[str, Any]) -> str:
    for key, value in answers.items():
        if isinstance(value, (dict, float)) or (isinstance(value, list) and not all(
                isinstance(v, (str, dict)) for v in value)):
            return f"回答（answers）の「{key}」の形が正しくありません。"
    for key in ("contract_type", "work_name", "department", "contractor_name", "reoutsourcing", "reoutsourcing_scope"):
        if not _str_or_none(answers.get(key)):
            return f"回答（answers）の「{key}」が文字列ではありません。"
    for key in ("contract_start", "contract_end"):
        value = answers.get(key)
        if value is None or value == "":
            return "契約期間（contract_start・contract_end）がありません。"
        if not _day(value):
            return f"契約期間の日付（{key}：{str(value)[:20]}）が正しい日付ではありません。"
    return ""


def _check_problem(n: int, check: Any) -> str:
    where = f"確認の記録（checks）の{n}件目"
    if not isinstance(check, dict):
        return f"{where}が対応表（{{…}}）ではありません。"
    for key in ("phase", "date", "method", "checker", "company", "role", "findings", "follow_up"):
        if not _str_or_none(check.get(key)):
            return f"{where}の「{key}」が文字列ではありません。"
    if check.get("phase") not in PHASES:
        return f"{where}の確認の段階（phase）が正しくありません。"
    if not _day(check.get("date")):
        return f"{where}の確認日（date）が正しい日付ではありません。"
    answers = check.get("answers", {})
    if not isinstance(answers, dict):
        return f"{where}の回答（answers）が項目ごとの対応表ではありません。"
    for item_id, row in answers.items():
        if not isinstance(row, dict):
            return f"{where}の項目「{str(item_id)[:40]}」の回答が対応表ではありません。"
        for key in ANSWER_FIELDS:
            if not _str_or_none(row.get(key)):
                return f"{where}の項目「{str(item_id)[:40]}」の「{key}」が文字列ではありません。"
    return ""


def job_problems(doc: Mapping[str, Any]) -> str:
    """Why a parsed job record (format itaku-job, answers schema version already checked) cannot be used,
    in Japanese naming the part; "" when its shape is right. A record of an earlier job_schema is checked
    as migrated; the written schema (JOB_RECORD) first, then what it cannot say (the answers' contents)."""
    problem = newer_record(doc)
    if problem:
        return problem
    doc = migrate_record(doc)
    problem = shape_problem(doc, JOB_RECORD)
    if problem:
        return problem
    answers, stamp, removed = doc.get("answers"), doc.get("stamp"), doc.get("removed_clauses", {})
    if not isinstance(answers, dict):
        return "回答（answers）がないか、対応表ではありません。"
    if not isinstance(stamp, dict):
        return "刻印（stamp）がないか、対応表ではありません。"
    if not isinstance(removed, dict) or not all(isinstance(v, str) for v in removed.values()):
        return "外した条文（removed_clauses）が「条文id: 理由」の形ではありません。"
    if not isinstance(doc.get("answers_hash"), str) or not HASH_RE.match(doc["answers_hash"]):
        return "回答のハッシュ（answers_hash）が読めません。"
    for key, label in (("job_id", "業務の識別子"), ("previous_job_id", "前の業務の識別子")):  # optional: older records
        if key in doc and (not isinstance(doc[key], str) or not HASH_RE.match(doc[key])):
            return f"{label}（{key}）が読めません。"
    if not _str_or_none(doc.get("work_name")):
        return "業務名（work_name）が文字列ではありません。"
    problem = _answers_problem(answers)
    if problem:
        return problem
    items = doc.get("applicable_items")
    if not isinstance(items, dict):
        return "確認項目の一覧（applicable_items）がないか、段階ごとの対応表ではありません。"
    for phase in PHASES:
        value = items.get(phase, [])
        if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
            return f"確認項目の一覧（applicable_items の {phase}）が項目idの並びではありません。"
    articles = doc.get("articles", [])
    if not isinstance(articles, list) or not all(isinstance(a, dict) and _str_or_none(a.get("clause"))
                                                 for a in articles):
        return "条文の一覧（articles）が読めません。"
    plan = doc.get("plan")
    if not isinstance(plan, list) or not all(
            isinstance(p, dict) and _day(p.get("earliest")) and _day(p.get("due"))
            and all(_str_or_none(p.get(k)) for k in ("kind", "what", "method")) for p in plan):
        return "監督計画（plan）が読めません。"
    checks = doc.get("checks", [])
    if not isinstance(checks, list):
        return "確認の記録（checks）が並びではありません。"
    for n, check in enumerate(checks, start=1):
        problem = _check_problem(n, check)
        if problem:
            return problem
    return ""


def canonical_json(obj: Any) -> str:
    """Sorted keys, UTF-8, NFC strings: the text the answers hash is taken of."""
    return json.dumps(_nfc(obj), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _nfc(obj: Any) -> Any:
    if isinstance(obj, str):
        return unicodedata.normalize("NFC", obj)
    if isinstance(obj, dict):
        return {_nfc(k): _nfc(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_nfc(v) for v in obj]
    return obj


def computed_hash(doc: Mapping[str, Any]) -> str:
    """The answers hash of a record's answers and removed clauses (as itaku.answers.answers_hash)."""
    body = {"answers": doc.get("answers"), "removed_clauses": doc.get("removed_clauses", {})}
    if doc.get("reworded_paragraphs"):  # optional (schema 4): in the hash only when the job rewords a paragraph
        body["reworded_paragraphs"] = doc["reworded_paragraphs"]
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def hash_matches(doc: Mapping[str, Any]) -> bool:
    return computed_hash(doc) == doc.get("answers_hash")


ALTERED = ("内容が書き換えられています（回答から計算したハッシュが記録の answers_hash と一致しません）。"
           "生成ページで作った元の業務記録ファイルを選んでください。")

def listed_mappings(raw: Any, field: str, whole: str, maximum: int, unit: str, keys: tuple[str, ...],
                    problems: list[str]) -> list[tuple[int, str, dict[str, Any]]]:
    """(n, where, entry) of a hostile list of mappings (an edition's ``clauses``, ``items``, ``wording``): the
    list's shape, its length (at most ``maximum`` ``unit``), each entry's shape and unknown keys are reported in
    ``problems`` as 「{field}（{whole}）：…」; entries that are not mappings are left out."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(f"{field}（{whole}）：リスト（[…]）で書いてください。")
        return []
    if len(raw) > maximum:
        problems.append(f"{field}（{whole}）：{maximum}{unit}までです。")
        return []
    out = []
    for n, entry in enumerate(raw):
        where = f"{field}[{n + 1}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}（{whole}）：対応表（{{…}}）で書いてください。")
            continue
        for key in entry:
            if key not in keys:
                problems.append(f"{where}（{whole}）：未知の項目「{key}」があります（使える項目：{'、'.join(keys)}）。")
        out.append((n, where, entry))
    return out


__all__ = ["ALTERED", "JOB_RECORD", "JOB_SCHEMA", "JSONInputError", "MAX_DEPTH", "canonical_json", "computed_hash", "depth",
           "hash_matches", "job_problems", "listed_mappings", "loads", "migrate_record", "newer_record", "record_version", "shape_problem"]
