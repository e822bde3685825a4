"""Volumes that change over the years (issue 26 item 6): a multi-year contract whose population grows.

The answer ``record_counts_by_year`` gives, per contract year (named by the 年度 it starts in), the people whose
information the contractor starts handling that year (those not counted in an earlier year). The count a year's
rules use is the cumulative count up to the end of that year: the earlier years' records stay in the
contractor's hands until they are returned or erased at the end of the contract. Counting so is this kit's
interpretation (Fukuoka's notice says 1,000件以上 and does not say how a multi-year contract counts). The last
year's cumulative count is the whole contract's, so it must equal ``record_count``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Mapping

from itaku.wareki import add_months, fiscal_year, wareki

KEY = "record_counts_by_year"
THRESHOLD = 1000  # Fukuoka's 1,000件以上 (clauses/sources.yml onsite_triggers), counted in people

_REIWA = re.compile(r"^(?:令和|R)\s*(元|\d{1,2})\s*(?:年度?)?$", re.IGNORECASE)
_HEISEI = re.compile(r"^(?:平成|H)\s*(元|\d{1,2})\s*(?:年度?)?$", re.IGNORECASE)
_WESTERN = re.compile(r"^(\d{4})\s*(?:年度?)?$")


def contract_years(start: date, end: date) -> list[tuple[date, date]]:
    """Contract years: [start, start+12m), … clipped to the contract end (the plan's periods)."""
    out, k = [], 0
    while True:
        p_start = add_months(start, 12 * k)
        if p_start > end:
            return out
        out.append((p_start, min(end, add_months(start, 12 * (k + 1)) - timedelta(days=1))))
        k += 1


def fiscal(d: date) -> int:
    """The western year a 年度 starts in: date(2027, 3, 31) → 2026 (令和8年度)."""
    return d.year if d.month >= 4 else d.year - 1


def year_label(year: int) -> str:
    """2026 → 「令和8年度」."""
    return fiscal_year(date(year, 4, 1))


def parse_year(text: Any) -> int | None:
    """「令和8年度」「R8」「2026年度」「2026」 → 2026; anything else → None."""
    s = re.sub(r"\s", "", unicodedata.normalize("NFKC", str(text or "")))
    for pattern, base in ((_REIWA, 2018), (_HEISEI, 1988)):
        m = pattern.match(s)
        if m:
            return base + (1 if m.group(1) == "元" else int(m.group(1)))
    m = _WESTERN.match(s)
    return int(m.group(1)) if m else None


def parse_count(text: Any) -> int | None:
    """「1,200」「1200人」「１２００」 → 1200; anything else (negative, words) → None."""
    if isinstance(text, bool):
        return None
    s = re.sub(r"[,，、\s人件]", "", unicodedata.normalize("NFKC", str(text if text is not None else "")))
    return int(s) if s.isdigit() and int(s) <= 100_000_000 else None


@dataclass(frozen=True)
class YearCount:
    index: int  # 0 for the contract's first year
    start: date
    end: date
    year: int  # the western year of the 年度 the contract year starts in
    new: int  # people first handled this year
    cumulative: int  # the count this year's rules use

    @property
    def label(self) -> str:
        return year_label(self.year)

    @property
    def span(self) -> str:
        return f"{wareki(self.start)}～{wareki(self.end)}"

    @property
    def reaches(self) -> bool:
        return self.cumulative >= THRESHOLD


def _period(values: Mapping[str, Any]) -> tuple[date, date] | None:
    start, end = values.get("contract_start"), values.get("contract_end")
    if not (isinstance(start, str) and isinstance(end, str)):
        return None
    s, e = date.fromisoformat(start), date.fromisoformat(end)
    return (s, e) if s < e else None


def problem(values: Mapping[str, Any], label: str, total_label: str) -> str:
    """What is wrong with the per-year counts, in Japanese ("" when nothing is, or when there are none)."""
    rows, span = values.get(KEY), _period(values)
    if not rows or span is None:
        return ""
    years = [fiscal(a) for a, _ in contract_years(*span)]
    wanted = f"{year_label(years[0])}～{year_label(years[-1])}の{len(years)}行" if len(years) > 1 else year_label(years[0])
    bad: list[str] = []
    seen: dict[int, int] = {}
    for n, row in enumerate(rows, start=1):
        year, count = parse_year(row.get("year")), parse_count(row.get("count"))
        if year is None:
            bad.append(f"{n}行目の年度は「令和8年度」又は「2026年度」の形で書いてください")
        elif year not in years:
            bad.append(f"{n}行目の{year_label(year)}は契約期間の年度（{wanted}）に当たりません")
        elif year in seen:
            bad.append(f"{year_label(year)}が{seen[year]}行目と{n}行目の2回あります")
        else:
            seen[year] = n
        if count is None:
            bad.append(f"{n}行目の人数は0以上の数字で書いてください（例：300）")
    if bad:
        return f"「{label}」: " + "。".join(bad[:3]) + ("。ほか" if len(bad) > 3 else "。")
    missing = [year_label(y) for y in years if y not in seen]
    if missing:
        return (f"「{label}」: 契約期間の各年度（{wanted}）を1行ずつ入力してください。"
                f"{'・'.join(missing)}がありません（人数が0人の年度は0と入力します）。")
    total = sum(parse_count(r.get("count")) or 0 for r in rows)
    whole = values.get("record_count")
    if isinstance(whole, int) and total != whole:
        return (f"「{label}」: 年度ごとの人数の合計（{total:,}人）が「{total_label}」（{whole:,}人）と合いません。"
                "年度ごとの人数は、その年度に初めて取り扱う本人の数（前の年度までに数えた人を除く）なので、"
                "合計が契約期間の全体の人数になります。どちらかを直してください。")
    return ""


def by_year(values: Mapping[str, Any]) -> list[YearCount]:
    """The per-year counts in contract order with their cumulative counts; [] when there are none or they do
    not agree with the contract period (validation has then refused them)."""
    rows, span = values.get(KEY), _period(values)
    if not rows or span is None or problem(values, "", ""):
        return []
    counts = {parse_year(r.get("year")): parse_count(r.get("count")) or 0 for r in rows}
    out, running = [], 0
    for i, (a, b) in enumerate(contract_years(*span)):
        running += counts[fiscal(a)]
        out.append(YearCount(i, a, b, fiscal(a), counts[fiscal(a)], running))
    return out


def counted(values: Mapping[str, Any], index: int) -> dict[str, Any]:
    """The answers as a rule of contract year ``index`` reads them: ``record_count`` is that year's cumulative
    count when the per-year counts are given, else the whole contract's (documents as before)."""
    years = by_year(values)
    if not years or index >= len(years):
        return dict(values)
    return {**values, "record_count": years[index].cumulative}


__all__ = ["KEY", "THRESHOLD", "YearCount", "by_year", "contract_years", "counted", "fiscal", "parse_count",
           "parse_year", "problem", "year_label"]
