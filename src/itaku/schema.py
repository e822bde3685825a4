"""Reading JSON from users and the shape of a job record (job.json): one place for both.

Every JSON file a user gives the kit (answers files, job records, checks, edition.json) is
read with ``loads``: nesting deeper than ``MAX_DEPTH`` is refused before the parser sees it
(a 100 000-deep file would otherwise exhaust the stack, fatally in Pyodide), and the
non-JSON constants ``NaN``/``Infinity`` that Python's parser accepts are refused.

``job_problems`` checks a job record's types, not only its keys, so that a record with the
wrong shape is refused by name with a reason instead of breaking the register or the
checklist pages later. The register (``itaku.register.read_record``, CLI and page alike)
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
    """Why a parsed job record (format itaku-job, schema version already checked) cannot be used,
    in Japanese naming the part; "" when its shape is right."""
    answers, stamp, removed = doc.get("answers"), doc.get("stamp"), doc.get("removed_clauses", {})
    if not isinstance(answers, dict):
        return "回答（answers）がないか、対応表ではありません。"
    if not isinstance(stamp, dict):
        return "刻印（stamp）がないか、対応表ではありません。"
    if not isinstance(removed, dict) or not all(isinstance(v, str) for v in removed.values()):
        return "外した条文（removed_clauses）が「条文id: 理由」の形ではありません。"
    if not isinstance(doc.get("answers_hash"), str) or not HASH_RE.match(doc["answers_hash"]):
        return "回答のハッシュ（answers_hash）が読めません。"
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
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def hash_matches(doc: Mapping[str, Any]) -> bool:
    return computed_hash(doc) == doc.get("answers_hash")


ALTERED = ("内容が書き換えられています（回答から計算したハッシュが記録の answers_hash と一致しません）。"
           "生成ページで作った元の業務記録ファイルを選んでください。")

__all__ = ["ALTERED", "JSONInputError", "MAX_DEPTH", "canonical_json", "computed_hash", "depth", "hash_matches", "job_problems",
           "loads"]
