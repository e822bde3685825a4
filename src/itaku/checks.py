"""Checks of a contractor during the contract (実施状況確認記録), kept in the job record.

Pure functions over the job record (job.json) plus the import of a filled
checklist workbook. The checklist pages call them through ``itaku.web``; the
rules (which items apply, what counts as a contradiction) live here only.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Mapping

from itaku.answers import _CONTROLS
from itaku.document import STATUSES, ChecklistRow, ChecklistSheet
from itaku.filekind import wrong_file
from itaku.model import Corpus
from itaku.render.xlsx import ChecklistImportError, read_checklist, render_checklist
from itaku.wareki import parse_date

PHASE_LABELS = {"before": "契約前", "after": "契約後", "selection": "選定"}
METHODS = ("書面", "実地")
# Per item: 状況, 確認した資料・根拠, 備考, 改善期限, 確認日, 確認者 — each in its own field from the page
# or the workbook through record.json, record.xlsx and job.json back to the page.
ANSWER_FIELDS = ("status", "evidence_seen", "note", "due", "checked_on", "checker")
DATE_FIELDS = ("due", "checked_on")
MAX_TEXT = 5000


class CheckError(ValueError):
    """A check or an import that cannot be accepted (message in Japanese).

    ``field`` names what to correct, for the page to link to: ``date``, ``checker``, ``method``,
    ``phase`` or an item id (its improvement plan).
    """

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Flag:
    item_id: str
    kind: str  # unanswered | nonconforming | contradiction | no_evidence
    message: str


# Most characters a field keeps (確認した資料・根拠, 備考, 所見 …; 確認者 and 相手方 are shorter). Longer
# text is refused with a message naming the item and field, never cut without a word.
LIMITS = {"checker": 200, "company": 200, "status": 10, "due": 100, "checked_on": 100}
FIELD_LABELS = {"status": "状況", "evidence_seen": "確認した資料・根拠", "note": "備考", "due": "改善期限",
                "checked_on": "確認日", "checker": "確認者", "company": "相手方", "findings": "所見",
                "follow_up": "改善指示と対応"}
# Text that is meant as a date (2027-02-30, 2027/2/30, 令和9年2月30日): refused when it is not a real day.
DATE_LIKE = re.compile(r"^\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|"
                       r"(令和|平成|R|H)\s*(\d{1,2}|元)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?)\s*$")


def clean_text(value: str) -> str:
    """Text as written, without control and bidi characters (the answers' rule; tab and newline stay)."""
    return _CONTROLS.sub("", value)


def _text(value: Any, limit: int = MAX_TEXT) -> str:
    """Text as kept in the record: no control or bidi characters (as answers), at most ``limit``."""
    return clean_text(str(value or ""))[:limit]


def _checked(value: Any, field: str, where: str, item: str = "") -> str:
    """A text field, or CheckError naming the field when it is longer than its limit."""
    text = clean_text(str(value or ""))
    limit = LIMITS.get(field, MAX_TEXT)
    if len(text) > limit:
        raise CheckError(f"{where}「{FIELD_LABELS.get(field, field)}」が{limit:,}文字を超えています（{len(text):,}文字）。"
                         f"{limit:,}文字以内にしてください（切り捨てずにお知らせしています）。", item or field)
    return text


def _date_text(value: str) -> str:
    """A date as 2026-10-01 when it reads as one (2026/10/1, 令和8年10月1日, an Excel date); else as written.

    Text written as a date that is no real day (2027-02-30) raises ValueError: it would otherwise be
    kept as text and read as 「未記入」 by the register.
    """
    text = value.strip()
    if not text:
        return ""
    try:
        return parse_date(text[:10] if len(text) > 10 and text[10] == "T" else text).isoformat()
    except (ValueError, StopIteration):
        if DATE_LIKE.match(text):
            raise ValueError(text) from None
        return value  # kept as the contractor wrote it (e.g. 「11月末」): never dropped, never moved


def clean_answers(raw: Mapping[str, Any], applicable: list[str], numbers: Mapping[str, str] | None = None
                  ) -> dict[str, dict[str, str]]:
    """Answers per applicable item, as strings; unknown items and statuses are dropped.

    CheckError (naming the item, for the page to link to) for text over its limit and for a
    date that is no real day. ``numbers``: the item's No. on the job's sheet, for the message.
    """
    out: dict[str, dict[str, str]] = {}
    if not isinstance(raw, Mapping):
        return out
    for item_id in applicable:
        row = raw.get(item_id) or {}
        if not isinstance(row, Mapping):
            continue
        no = (numbers or {}).get(item_id)
        where = f"No. {no}（{item_id}）の" if no else f"項目 {item_id} の"
        answers = {f: _checked(row.get(f), f, where, item_id) for f in ANSWER_FIELDS}
        if answers["status"] not in STATUSES:
            answers["status"] = ""
        for f in DATE_FIELDS:
            try:
                answers[f] = _date_text(answers[f])
            except ValueError:
                raise CheckError(f"{where}「{FIELD_LABELS[f]}」の {answers[f]} は実在しない日付です。"
                                 "正しい日付（例：2027-02-28）にしてください。", item_id) from None
        out[item_id] = answers
    return out


def sheet_numbers(record: Mapping[str, Any], phase: str) -> dict[str, str]:
    """The No. of each item as printed in the job's checklist workbook (the order of applicable_items)."""
    return {item_id: str(n) for n, item_id in enumerate(applicable(record, phase), start=1)}


def summarize(answers: Mapping[str, Mapping[str, str]], applicable: list[str]) -> dict[str, Any]:
    """Counts per status, the items still open, and the 不適合 items as improvement requests."""
    counts = {s: 0 for s in STATUSES}
    open_items, requests = [], []
    for item_id in applicable:
        row = answers.get(item_id) or {}
        status = row.get("status") or "未確認"
        counts[status] += 1
        if status == "未確認":
            open_items.append(item_id)
        elif status == "不適合":
            requests.append({"item": item_id, "plan": row.get("note", ""), "due": row.get("due", "")})
    return {"counts": counts, "total": len(applicable), "open": open_items, "improvements": requests}


def flags(phase: str, answers: Mapping[str, Mapping[str, str]], applicable: list[str],
          record: Mapping[str, Any]) -> list[Flag]:
    """What the department must look at in a (filled or imported) checklist."""
    before = latest(record, "before", company=None)
    before_answers = before["answers"] if before else {}
    out: list[Flag] = []
    for item_id in applicable:
        row = answers.get(item_id) or {}
        status = row.get("status", "")
        if status in ("", "未確認"):
            out.append(Flag(item_id, "unanswered", "回答がありません。"))
            continue
        if status == "不適合" and not row.get("note", "").strip():
            out.append(Flag(item_id, "nonconforming", "不適合です。改善の内容（改善計画）を備考に、期限を改善期限に書かせてください。"))
        elif status == "不適合":
            out.append(Flag(item_id, "nonconforming", "不適合です。改善計画に沿って是正を確認してください。"))
        if status == "適合" and not row.get("evidence_seen", "").strip():
            out.append(Flag(item_id, "no_evidence", "適合としていますが、確認した資料・根拠の記載がありません。"))
        if phase == "after":
            earlier = (before_answers.get(item_id) or {}).get("status", "")
            if earlier in ("適合", "該当なし") and status in ("適合", "該当なし") and earlier != status:
                out.append(Flag(item_id, "contradiction",
                                f"契約前は「{earlier}」でしたが、契約後は「{status}」です。理由を確認してください。"))
            elif earlier == "適合" and status == "不適合":
                out.append(Flag(item_id, "contradiction", "契約前は「適合」でしたが、契約後は「不適合」です。"))
    return out


def applicable(record: Mapping[str, Any], phase: str) -> list[str]:
    items = (record.get("applicable_items") or {}).get(phase)
    if not isinstance(items, list):
        raise CheckError("業務記録に確認項目の一覧がありません。生成ページで作った job.json を選んでください。")
    return [str(i) for i in items]


def latest(record: Mapping[str, Any], phase: str, company: str | None) -> dict[str, Any] | None:
    for check in reversed(record.get("checks") or []):
        if check.get("phase") == phase and (company is None or check.get("company") == company):
            return check
    return None


def import_workbook(record: Mapping[str, Any], phase: str, data: bytes) -> dict[str, Any]:
    """Read a contractor's filled checklist back and check it belongs to this job and phase."""
    wrong = wrong_file(data, ("xlsx", "ole", "zip", ""), "事業者が記入した確認表（.xlsx）")
    if wrong:
        raise CheckError(wrong)
    try:
        sheet = read_checklist(data)
    except ChecklistImportError as exc:
        raise CheckError(str(exc)) from None
    stamp = _stamp(sheet.get("stamp"))
    if stamp is None:
        raise CheckError("この Excel ファイルには本キットの刻印がありません。生成した確認表に記入したファイルを選んでください。")
    expected = record.get("answers_hash")
    same_job = stamp.get("answers_hash") != expected and stamp.get("job_id") is not None \
        and stamp.get("job_id") == record.get("job_id")
    if stamp.get("answers_hash") != expected and not same_job:
        raise CheckError("この確認表は別の業務（または回答を変更する前の文書）のものです。"
                         "この業務の記録から作った確認表を選んでください。")
    if sheet.get("phase") != phase:
        got = PHASE_LABELS.get(str(sheet.get("phase")), str(sheet.get("phase")))
        raise CheckError(f"この確認表は「{got}」のものです。このページ（{PHASE_LABELS.get(phase, phase)}）では読み込めません。")
    items = applicable(record, phase)
    numbers = sheet_numbers(record, phase)
    rows, notes = contractor_words(sheet.get("rows") or {}, items, numbers)
    if same_job:  # made before an answer changed (the contractor's name after the award): same items needed
        if set(rows) != set(items):
            raise CheckError("この確認表は、回答を変更する前に作ったもので、確認項目が今の業務記録と違います。"
                             "今の業務記録から作った確認表に記入してもらってください。")
        notes.insert(0, "この確認表は回答（受託者名など）を変更する前に作ったものですが、同じ業務で確認項目も同じため読み込みました。")
    unknown = sorted(set(rows) - set(items))
    answers = clean_answers(rows, items, numbers)
    found = sorted(flags(phase, answers, items, record), key=lambda f: FLAG_ORDER.index(f.kind))
    return {"phase": phase, "company": _text(stamp.get("company"), 200),
            "answers": answers, "unknown": unknown, "notes": notes,
            "flags": [f.__dict__ for f in found],
            "flag_counts": {k: n for k in FLAG_ORDER if (n := sum(f.kind == k for f in found))},
            "summary": summarize(answers, items)}


# What a contractor may type into 状況 instead of the list's words: read as the list's word, with a line
# saying so. Any other text is refused by name, never taken for 「未回答」.
STATUS_WORDS = {"はい": "適合", "いいえ": "不適合"}
# Import results, most urgent first (不適合 and 根拠なし before the rest).
FLAG_ORDER = ("nonconforming", "no_evidence", "contradiction", "unanswered")


def contractor_words(rows: Mapping[str, Any], items: list[str], numbers: Mapping[str, str]
                     ) -> tuple[dict[str, Any], list[str]]:
    """The workbook's rows with 「はい」「いいえ」 in 状況 read as 適合・不適合, and the lines saying so;
    CheckError naming every other word the 状況 column cannot hold."""
    out: dict[str, Any] = {}
    mapped: dict[str, list[str]] = {}
    bad: list[tuple[str, str]] = []
    for item_id, row in rows.items():
        if not isinstance(row, Mapping) or item_id not in items:
            out[item_id] = row
            continue
        word = unicodedata.normalize("NFKC", clean_text(str(row.get("status") or ""))).strip()
        if word in STATUS_WORDS:
            mapped.setdefault(word, []).append(numbers.get(item_id, item_id))
            row = {**row, "status": STATUS_WORDS[word]}
        elif word and word not in STATUSES:
            bad.append((item_id, word))
        out[item_id] = row
    if bad:
        named = "、".join(f"No. {numbers.get(i, i)}「{w[:10]}」" for i, w in bad[:5]) + ("ほか" if len(bad) > 5 else "")
        raise CheckError(f"状況の欄に読めない値があります（{named}）。状況は「適合」「不適合」「該当なし」「未確認」の"
                         "いずれかにして、もう一度読み込んでください。", bad[0][0])
    notes = [f"状況の「{w}」を「{STATUS_WORDS[w]}」として読み込みました（No. {'、'.join(nos)}）。内容を確かめてください。"
             for w, nos in mapped.items()]
    return out, notes


def _stamp(text: Any) -> dict[str, Any] | None:
    try:
        value = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def add_check(record: Mapping[str, Any], check: Mapping[str, Any]) -> dict[str, Any]:
    """A new job record with ``check`` appended (validated); the input record is not changed."""
    phase = check.get("phase")
    if phase not in PHASE_LABELS:
        raise CheckError("確認の段階（契約前・契約後・選定）を選んでください。")
    if check.get("method") not in METHODS:
        raise CheckError("確認の方法（書面・実地）を選んでください。", "method")
    if not _text(check.get("date")).strip():
        raise CheckError("確認日を入力してください。", "date")
    try:
        day = parse_date(str(check.get("date"))).isoformat()
    except (ValueError, StopIteration):
        raise CheckError("確認日を 2026-10-01 の形で入力してください。", "date") from None
    if not _text(check.get("checker")).strip():
        raise CheckError("確認者を入力してください。", "checker")
    for key in ("checker", "company", "findings", "follow_up"):
        _checked(check.get(key), key, "")
    items = applicable(record, phase)
    answers = clean_answers(check.get("answers") or {}, items, sheet_numbers(record, phase))
    for item_id, row in answers.items():
        if row["status"] == "不適合" and not row["note"].strip():
            raise CheckError(f"不適合の項目（{item_id}）には改善計画（改善の内容）を備考に書いてください。", item_id)
    entry = {
        "phase": phase, "date": day, "method": check["method"], "checker": _text(check.get("checker"), 200),
        "company": _text(check.get("company"), 200) or (record.get("stamp") or {}).get("company", ""),
        "role": "再委託先" if check.get("role") == "再委託先" else "受託者",
        "answers": answers, "findings": _text(check.get("findings")), "follow_up": _text(check.get("follow_up")),
        "summary": summarize(answers, items),
    }
    new = json.loads(json.dumps(record))
    new.setdefault("checks", []).append(entry)
    return new


def record_sheet(corpus: Corpus, record: Mapping[str, Any], check: Mapping[str, Any]) -> ChecklistSheet:
    """The 実施状況確認記録 as a workbook: the checklist rows with the answers filled in."""
    phase = check["phase"]
    rows = []
    for item_id, n in sheet_numbers(record, phase).items():
        a = (check.get("answers") or {}).get(item_id) or {}
        # An item answered in this check was checked on the check's date by its checker unless
        # the row names its own (the record.json keeps exactly what was entered).
        answered = bool(a.get("status"))
        if phase == "selection":
            item = next(i for i in corpus.lists("selection")["items"] if i["id"] == item_id)
            question, evidence, group, by, method = item["text"], "、".join(item.get("evidence", [])), "選定", "受託者", "書面"
        else:
            item = corpus.item_for(item_id, record.get("answers") or {})  # an extra term's own row too
            question, evidence, group = item[phase], "、".join(item["evidence"]), corpus.clause(item["clause"])["title"]
            by, method = item["answered_by"], item["method"]
        rows.append(ChecklistRow(item_id, n, group, question, evidence, by, method, item["explanation"],
                                 status=a.get("status", ""), evidence_seen=a.get("evidence_seen", ""),
                                 note=a.get("note", ""), due=a.get("due", ""),
                                 checked_on=a.get("checked_on", "") or (check["date"] if answered else ""),
                                 checker=a.get("checker", "") or (check["checker"] if answered else "")))
    meta = (("業務名", str(record.get("work_name", ""))), ("確認の段階", PHASE_LABELS[phase]),
            ("確認日", check["date"]), ("方法", check["method"]), ("確認者", check["checker"]),
            ("相手方", check.get("company", "")), ("所見", check.get("findings", "")),
            ("改善指示と対応", check.get("follow_up", "")))
    stamp = json.dumps({**(record.get("stamp") or {}), "phase": "record"}, ensure_ascii=False, sort_keys=True,
                       separators=(",", ":"))
    return ChecklistSheet(name="record.xlsx", title="実施状況確認記録", phase="record", meta=meta,
                          instructions=("この記録は確認の結果を残すためのものです。",), rows=tuple(rows), stamp=stamp,
                          created=check["date"])


def record_workbook(corpus: Corpus, record: Mapping[str, Any], check: Mapping[str, Any]) -> bytes:
    return render_checklist(record_sheet(corpus, record, check))
