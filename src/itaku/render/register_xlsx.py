"""register.xlsx: the oversight register (委託台帳) as a workbook, one sheet per view of the page.

Input is ``itaku.register.tabulate``'s result. Text goes through
``render.xlsx.put`` (string cells with quotePrefix, XML-illegal characters
replaced), counts are numbers; ``render.sheetml`` writes the workbook. Each sheet: a title naming it and the 基準日,
a header row repeated on every printed page, A4 landscape fitted to the width.
The bytes depend only on the records and the 基準日 (no clock).
"""
from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any, Mapping, Sequence

from itaku.render.sheetml import Alignment, Sheet, Style, Workbook
from itaku.render.xlsx import (BOX, FONT, STAMP_PROPERTY, TITLE, TITLE_ALIGN, _fit_rows, _header_row, _print_setup,
                               put)
from itaku.render.xmlutil import clean_text

NAME = "register.xlsx"
PHASES = {"before": "契約前", "after": "契約後", "selection": "選定"}
KINDS_BEFORE = {"missing": "未受領", "before_start": "契約開始前に受領", "after_start": "契約開始後に受領"}
HEADER_ROW = 3
CENTER = Alignment(horizontal="center", vertical="top")
NUMBER = Style(FONT, CENTER, BOX)  # counts: numbers, centred, no quotePrefix

Cell = str | int


def _mark(flag: bool) -> str:
    return "○" if flag else ""


def _due(entry: Mapping[str, Any] | None) -> str:
    return f"{entry['due']}（{entry['method']}）{entry['what']}" if entry else "予定なし"


def _register_rows(tab: Mapping[str, Any]) -> list[list[Cell]]:
    out = []
    for r in tab["rows"]:
        last = r["last_check"]
        reo = r["reoutsourcing"]
        corpus = r["corpus"]
        out.append([
            r["department"], r["work_name"], r["contractor"], r["contract_type"], f"{r['start']}～{r['end']}",
            *[_mark(k in r["risks"]) for k in tab["risk_labels"]],
            f"{last['date']}（{last['method']}・{PHASES.get(last['phase'], last['phase'])}）" if last else "記録なし",
            _due(r["next_due"]),
            "\n".join(f"{e['due']} {e['what']}（{e['method']}）" for e in r["overdue_checks"]),
            "\n".join(f"{_item(i)}（期限 {i['due'] or '未記入'}）" for i in r["improvements"]),
            ("予定あり：" + reo["scope"] + ("／確認した再委託先：" + "、".join(reo["subcontractors"])
                                           if reo["subcontractors"] else "／再委託先の確認記録なし"))
            if reo["planned"] else "なし",
            KINDS_BEFORE[r["before_check"]["state"]] + (f"（{r['before_check']['date']}）" if r["before_check"]["date"] else ""),
            f"新しい版 {corpus['version']}（このサイトは {tab['corpus_version']}）" if corpus.get("newer") else
            (f"{corpus['version']}（現在 {tab['corpus_version']}）" + ("：" + "、".join(corpus["clauses"]) if corpus["clauses"] else ""))
            if corpus["outdated"] else "最新",
            f"{r['days_left']}日（返還・廃棄証明書の準備）" if r["ending_soon"] else (
                "終了済み" if r["days_left"] < 0 else f"{r['days_left']}日"),
            "期限超過" if r["overdue"] else "",
            r["job"],
        ])
    return out


def _overdue_rows(tab: Mapping[str, Any]) -> list[list[Cell]]:
    as_of = date.fromisoformat(tab["as_of"])
    return [[r["department"], r["work_name"], e["what"], e["method"], e["due"],
             (as_of - date.fromisoformat(e["due"])).days]
            for r in tab["rows"] for e in r["overdue_checks"]]


def _improvement_rows(tab: Mapping[str, Any]) -> list[list[Cell]]:
    return [[r["department"], r["work_name"], PHASES.get(i["phase"], i["phase"]), f"{i['role']}：{i['company']}",
             _item(i), i["plan"], i["due"] or "未記入", "期限超過" if i["overdue"] else ""]
            for r in tab["rows"] for i in r["improvements"]]


def _item(imp: Mapping[str, Any]) -> str:
    """An improvement's item as the checklist shows it: 「No.3 …」 (the id only for rows without them)."""
    number, text = imp.get("number") or "", imp.get("text") or ""
    return (f"No.{number} " if number else "") + (text or str(imp.get("item", "")))


def _department_rows(tab: Mapping[str, Any]) -> list[list[Cell]]:
    rows: list[list[Cell]] = [[d["department"], d["jobs"], d["overdue"], d["improvements"], d["ending_soon"],
                               d["outdated"], *[d["risks"][k] for k in tab["risk_labels"]]] for d in tab["departments"]]
    if rows:
        rows.append(["合計", *[sum(int(r[c]) for r in rows) for c in range(1, len(rows[0]))]])
    return rows


def _three_point_rows(tab: Mapping[str, Any]) -> list[list[Cell]]:
    points = list(tab["three_points"]["labels"])
    rows: list[list[Cell]] = []
    for r in tab["rows"]:
        tp = r["three_points"]
        notes = "／".join(f"{tp[p]['label']}：{tp[p]['note']}" for p in points if tp[p]["note"])
        rows.append([r["department"], r["work_name"], *[v for p in points for v in (tp[p]["written"], tp[p]["kept"])],
                     notes])
    totals = tab["three_points"]["totals"]
    rows.append(["合計", f"{len(tab['rows'])} 件", *[v for p in points for v in (totals[p]["written"], totals[p]["kept"])],
                 ""])
    return rows


def views(tab: Mapping[str, Any]) -> list[tuple[str, str, tuple[str, ...], tuple[int, ...], list[list[Cell]]]]:
    """(sheet name, title, headers, column widths, rows) for each view."""
    risks = tuple(tab["risk_labels"].values())
    point_heads = tuple(f"{label}：{part}" for label in tab["three_points"]["labels"].values()
                        for part in ("契約上の明記", "実際の遵守"))
    return [
        ("台帳", "委託台帳", ("担当課", "業務名", "受託者", "契約の種類", "契約期間", *risks, "前回の確認", "次回の確認期限",
                          "期限を過ぎた確認", "未完了の改善指示（期限）", "再委託の承認", "契約前の確認表", "作成時のコーパスの版",
                          "契約終了まで", "状態", "業務ID（回答のハッシュ）"),
         (16, 28, 18, 14, 22, *[7] * len(risks), 20, 30, 30, 24, 24, 18, 20, 16, 9, 20), _register_rows(tab)),
        ("期限超過", "期限を過ぎた確認", ("担当課", "業務名", "確認の内容", "方法", "期限", "超過日数"),
         (16, 30, 44, 8, 12, 10), _overdue_rows(tab)),
        ("改善指示", "未完了の改善指示（不適合）", ("担当課", "業務名", "段階", "事業者", "項目", "改善計画", "期限", "状態"),
         (16, 28, 8, 22, 36, 40, 12, 10), _improvement_rows(tab)),
        ("部署別", "担当課ごとの件数", ("担当課", "業務数", "期限超過の業務", "改善指示", "60日以内に終了", "古い版の文書",
                                  *risks), (18, 8, 10, 10, 10, 10, *[9] * len(risks)), _department_rows(tab)),
        ("三点の確認表", "三点の確認表（再委託・作業場所と持出し・返還と廃棄）", ("担当課", "業務名", *point_heads, "備考"),
         (16, 30, *[10] * len(point_heads), 44), _three_point_rows(tab)),
    ]


def _sheet(ws: Sheet, title: str, subtitle: str, headers: Sequence[str], widths: Sequence[int],
           rows: Sequence[Sequence[Cell]]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.widths[col] = width
    put(ws, 1, 1, title, TITLE, TITLE_ALIGN)
    put(ws, 2, 1, subtitle)
    _header_row(ws, HEADER_ROW, tuple(headers))
    number = ws.styles.id(NUMBER)
    for n, values in enumerate(rows, start=HEADER_ROW + 1):
        for col, value in enumerate(values, start=1):
            if isinstance(value, int):
                ws.set(n, col, value, number)
            else:
                put(ws, n, col, value, border=BOX)
    if not rows:
        put(ws, HEADER_ROW + 1, 1, "該当なし")
    ws.heights[1] = 24
    _fit_rows(ws, HEADER_ROW, HEADER_ROW + max(1, len(rows)))
    ws.freeze = f"C{HEADER_ROW + 1}"
    _print_setup(ws, HEADER_ROW)


def stamp(tab: Mapping[str, Any]) -> str:
    jobs = sorted(r["job"] for r in tab["rows"])
    return json.dumps({"corpus_version": tab["corpus_version"], "phase": "register", "as_of": tab["as_of"],
                       "jobs": len(jobs), "jobs_hash": hashlib.sha256("\n".join(jobs).encode()).hexdigest()},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def render_register(tab: Mapping[str, Any]) -> bytes:
    """The register workbook; the same records and 基準日 give the same bytes."""
    wb = Workbook(title="委託台帳", author="", created=date.fromisoformat(tab["as_of"]).isoformat(),
                  custom=((STAMP_PROPERTY, clean_text(stamp(tab))),))
    subtitle = f"基準日 {tab['as_of']}　業務 {len(tab['rows'])} 件　コーパス {tab['corpus_version']}"
    for name, title, headers, widths, rows in views(tab):
        _sheet(wb.add_sheet(name), title, subtitle, headers, widths, rows)
    return wb.to_bytes()


__all__ = ["NAME", "render_register", "stamp", "views"]
