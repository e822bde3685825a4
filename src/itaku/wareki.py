"""Japanese era (和暦) dates and fiscal years (年度), and date arithmetic."""
from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

# (first day, era name); newest first.
ERAS = ((date(2019, 5, 1), "令和"), (date(1989, 1, 8), "平成"), (date(1926, 12, 25), "昭和"))


def era_year(d: date) -> tuple[str, int]:
    for start, name in ERAS:
        if d >= start:
            return name, d.year - start.year + 1
    raise ValueError(f"{d.isoformat()} は昭和より前の日付です")


def _year_text(name: str, n: int) -> str:
    return f"{name}{'元' if n == 1 else n}年"


def wareki(d: date) -> str:
    """date(2026, 4, 1) → 「令和8年4月1日」."""
    name, n = era_year(d)
    return f"{_year_text(name, n)}{d.month}月{d.day}日"


def fiscal_year(d: date) -> str:
    """The 年度 (April–March) a date falls in: date(2027, 3, 31) → 「令和8年度」."""
    year = d.year if d.month >= 4 else d.year - 1
    if year == 2019:
        return "令和元年度"  # the era changed on 2019-05-01; the fiscal year takes the new name
    name, n = era_year(date(year, 4, 1))
    return f"{_year_text(name, n)[:-1]}年度"


def period(start: date, end: date) -> str:
    return f"{wareki(start)}から{wareki(end)}まで"


def add_months(d: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's last day."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


_ERA_RE = re.compile(r"^(令和|平成|R|H)\s*(元|\d+)\s*[年./-]\s*(\d+)\s*[月./-]\s*(\d+)\s*日?$")


def parse_date(text: str) -> date:
    """Accept 2026-04-01, 2026/4/1, 令和8年4月1日, R8.4.1 (full-width digits too)."""
    s = unicodedata.normalize("NFKC", str(text)).strip()
    m = re.match(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$", s)
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _ERA_RE.match(s)
    if m:
        era = {"R": "令和", "H": "平成"}.get(m.group(1), m.group(1))
        n = 1 if m.group(2) == "元" else int(m.group(2))
        start = next(s for s, name in ERAS if name == era)
        return date(start.year + n - 1, int(m.group(3)), int(m.group(4)))
    raise ValueError(s)
