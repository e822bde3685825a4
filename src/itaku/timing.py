"""When the job's work happens (answers ``peak_months`` and ``work_events``), as dates the plan can use.

Pure date helpers: the plan's rules (``itaku.plan``) decide what to check; this module only says which days
are busy and which work is dated, so that on-site checks see the work being done (issue 25: 70 % of the
work in December–January had been visited in April and August).
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Iterable, Mapping, NamedTuple

from itaku.wareki import add_months

# What a dated piece of work (work_events.what) asks the department's staff to attend, in plan wording.
EVENT_WHAT = {
    "first_run": "作業の初回の立会い（手順・照合・件数の管理を作業中に確かめる）",
    "shipment": "発送・納品・引渡しの立会い（件数と宛先・引渡し先の照合、封の状態）",
    "destruction": "資料等の廃棄・消去の立会い（対象と件数、方法、消去の記録）",
    "migration": "データの移行・一括抽出・大量の移送の立会い（対象と件数、出力先、暗号化、抽出データの消去）",
    "other": "作業の立会い",
}


class Event(NamedTuple):
    day: date
    what: str  # a key of EVENT_WHAT
    note: str  # the user's text, or ""
    place: str = ""  # a work place id (work_places) when the work is done away from the main one, or ""


def events(v: Mapping[str, Any]) -> list[Event]:
    """The dated work of the answers (validated: inside the contract, not before 作成日), by date."""
    out = []
    for row in v.get("work_events") or []:
        try:
            day = date.fromisoformat(str(row.get("date")))
        except ValueError:
            continue  # validation refuses it; the plan never guesses a date
        what = row.get("what") if row.get("what") in EVENT_WHAT else "other"
        out.append(Event(day, what, str(row.get("note") or ""), str(row.get("place") or "")))
    return sorted(out)


def peak_months(v: Mapping[str, Any]) -> list[int]:
    months = []
    for m in v.get("peak_months") or []:
        try:
            months.append(int(m))
        except (TypeError, ValueError):
            continue
    return sorted({m for m in months if 1 <= m <= 12})


def months_label(months: Iterable[int], first: int = 1) -> str:
    """「12月・1月」: in the order the contract year meets them (from the month it starts)."""
    return "・".join(f"{m}月" for m in sorted(months, key=lambda m: (m - first) % 12))


def peak_runs(months: Iterable[int], a: date, b: date) -> list[tuple[date, date]]:
    """The busy stretches inside [a, b]: consecutive days whose month is a peak month (December–January is one run)."""
    busy = set(months)
    runs: list[tuple[date, date]] = []
    first = date(a.year, a.month, 1)
    while first <= b:
        last = add_months(first, 1) - timedelta(days=1)
        if first.month in busy:
            lo, hi = max(a, first), min(b, last)
            if runs and runs[-1][1] + timedelta(days=1) == lo:
                runs[-1] = (runs[-1][0], hi)
            else:
                runs.append((lo, hi))
        first = add_months(first, 1)
    return runs


def busiest(months: Iterable[int], a: date, b: date) -> tuple[date, date] | None:
    """The longest busy stretch of the period [a, b] (the first of equals), or None when none falls in it."""
    runs = peak_runs(months, a, b)
    return max(runs, key=lambda r: ((r[1] - r[0]).days, -r[0].toordinal())) if runs else None


def within_peak(run: tuple[date, date], earliest: date, due: date) -> tuple[date, date, bool]:
    """A window moved into the period's busy stretch: the overlap when there is one, else the whole stretch
    (moved=True: the window the rule suggests has no busy day, so the check goes where the work is)."""
    lo, hi = max(run[0], earliest), min(run[1], due)
    if lo <= hi:
        return lo, hi, False
    return run[0], run[1], True
