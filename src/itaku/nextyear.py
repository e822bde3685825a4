"""Next year's set from this year's answers (「来年度の文書を作る」); a multi-year contract moves to the next period.

The same job again a year later is a new job with its own id that names the previous one
(``previous_job_id``), so the register links the two years and never mixes their checks.
What moves: the contract period by twelve months (a period ending on a month's last day
keeps ending on one), every 「令和8年度」「2026年度」 in 業務名, and 作成日 (to the day the page
gives, else a year on). When the job is tendered again, the contractor's name is cleared.
Every change is returned for the user to confirm before the form takes it; text answers
that still name the old year are pointed out, not rewritten (they may be meant).
"""
from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from typing import Any, Mapping

from itaku.answers import AnswersError, answers_hash, clean_ids, clean_text, validate
from itaku import volumes
from itaku.model import Corpus
from itaku.wareki import add_months, parse_date, wareki

# 令和8年度 / 令和元年度 / 2026年度 (ASCII digits: clean_text has turned full-width ones).
_REIWA = re.compile(r"令和\s*(元|\d{1,2})\s*年度")
_WESTERN = re.compile(r"(?<!\d)(\d{4})\s*年度")


class NextYearError(ValueError):
    """This year's answers cannot be moved on (message in Japanese)."""


def shift_fiscal_years(text: str, years: int = 1) -> str:
    """「令和8年度○○業務」 → 「令和9年度○○業務」; 「令和元年度」 → 「令和2年度」; 「2026年度」 → 「2027年度」."""
    def reiwa(m: re.Match[str]) -> str:
        n = 1 if m.group(1) == "元" else int(m.group(1))
        return f"令和{n + years}年度"
    return _WESTERN.sub(lambda m: f"{int(m.group(1)) + years}年度", _REIWA.sub(reiwa, text))


def _end_moved(end: date, years: int) -> date:
    """The same end ``years`` on: 3/31 → 3/31, and a period ending on 2/28 ends on 2/29 in a leap year."""
    return add_months(end + timedelta(days=1), 12 * years) - timedelta(days=1)


def period_years(start: date, end: date) -> int:
    """Whole years to move on so the next period starts after this one ends: 1 for a year or less, 3 for a
    three-year 指定管理 (4/1 to 3/31), 2 for a contract of thirteen months (never two contracts at once)."""
    years = 1
    while add_months(start, 12 * years) <= end:
        years += 1
    return years


def next_job_id(previous: str, start: date) -> str:
    """The new year's job id: made from the previous id and the new start, so the same action gives the
    same id (tests, and the same file moved twice), and two years never share one."""
    return hashlib.sha256(f"itaku-next-year:{previous}:{start.isoformat()}".encode("utf-8")).hexdigest()


def _day(value: Any) -> date | None:
    try:
        return parse_date(str(value)) if value not in (None, "") else None
    except (ValueError, StopIteration):
        return None


def next_year(corpus: Corpus, raw: Mapping[str, Any], removed: Mapping[str, Any] | None, ids: Mapping[str, Any] | None,
              today: str = "", retender: bool = True, reworded: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """{answers, changes [{key, label, before, after}], notes, ids} for next year's set; NextYearError if
    this year's answers cannot be used (a period is needed to move)."""
    try:
        current = validate(corpus, raw, removed or {}, reworded)  # rewordings stay as they are
    except AnswersError as exc:
        raise NextYearError("今年度の回答に問題があるため、来年度の回答を作れません。先に赤く表示された質問を直してください。"
                            + " ".join(list(exc.errors.values())[:3])) from None
    values = current.values
    start, end = _day(values.get("contract_start")), _day(values.get("contract_end"))
    if start is None or end is None:
        raise NextYearError("契約期間（開始日・終了日）が入力されていないため、来年度の回答を作れません。")
    previous = clean_ids(ids).get("job_id") or answers_hash(current)
    labels = {q["key"]: q["label"] for q in corpus.questions()}
    new = dict(raw)
    changes: list[dict[str, str]] = []

    def change(key: str, before: Any, after: Any, shown_before: str, shown_after: str) -> None:
        if before != after:
            new[key] = after
            changes.append({"key": key, "label": labels.get(key, key), "before": shown_before, "after": shown_after})

    years = period_years(start, end)
    new_start, new_end = add_months(start, 12 * years), _end_moved(end, years)
    change("contract_start", values["contract_start"], new_start.isoformat(), wareki(start), wareki(new_start))
    change("contract_end", values["contract_end"], new_end.isoformat(), wareki(end), wareki(new_end))
    created = _day(values.get("created_on")) or start
    given = _day(today)
    new_created = given if given is not None and given > created else add_months(created, 12)
    change("created_on", values.get("created_on"), new_created.isoformat(), wareki(created), wareki(new_created))
    for q in corpus.questions():  # dated work (work_events) moves with the period
        rows, dated = values.get(q["key"]), [c["key"] for c in q.get("columns") or () if c["type"] == "date"]
        if q["type"] == "list" and dated and isinstance(rows, list) and rows:
            shifted = [{**r, **{k: add_months(date.fromisoformat(r[k]), 12 * years).isoformat() for k in dated if r.get(k)}}
                       for r in rows]
            change(q["key"], rows, shifted, f"{len(rows)}件の日付", f"{years}年後の同じ日付（必要なら直してください）")
    counts = values.get(volumes.KEY)  # per-year counts (issue 26 item 6): the same counts in the next period's 年度
    if counts:
        shifted = [{**r, "year": volumes.year_label(volumes.parse_year(r["year"]) + years)} for r in counts]
        change(volumes.KEY, counts, shifted, f"{len(counts)}年度分の人数", f"{years}年後の年度（人数は必要なら直してください）")
    work = str(values.get("work_name") or "")
    moved = shift_fiscal_years(work, years)
    change("work_name", work, moved, work, moved)
    contractor = str(values.get("contractor_name") or "")
    if retender and contractor:
        change("contractor_name", contractor, "", contractor, "（空欄：落札者・選定された事業者が決まったら入力）")
    notes = [] if years == 1 else [f"契約期間が{years}年のため、次の契約期間（{years}年後）に移しました。"]
    if retender and values.get("counterparties"):  # one job, several counterparties (itaku.parties)
        notes.append("「同じ内容で契約する相手方」の表はそのまま残しています。入札・選定で相手方が変わったときは、表の名称と件数を直してください"
                     "（名称が同じ相手方は、昨年度の同じ相手方の業務記録につながります）。")
    if moved == work:
        notes.append("業務名に年度（令和8年度・2026年度の形）がないため、業務名は変えていません。"
                     "ダウンロードするファイル名には契約の年度が付くため、昨年度のファイルと同じ名前にはなりません。")
    old_years = set(re.findall(r"令和(?:元|\d{1,2})年度|\d{4}年度", work))
    for q in corpus.questions():
        text = values.get(q["key"])
        if q["key"] != "work_name" and q["type"] == "text" and isinstance(text, str) \
                and any(y in clean_text(text) for y in old_years):
            notes.append(f"「{q['label']}」に昨年度の年度（{'・'.join(sorted(old_years))}）があります。必要なら直してください。")
    return {"answers": new, "changes": changes, "notes": notes,
            "ids": {"job_id": next_job_id(previous, new_start), "previous_job_id": previous}}


__all__ = ["NextYearError", "next_job_id", "next_year", "shift_fiscal_years"]
