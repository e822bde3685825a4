"""What a job needs at minimum: counts of articles and checks and what drives them.

Shown at the top of the generator's preview so that staff of a small body see
at once how heavy the job is and which answers made it so (the MIC 2009
report asks that protection be proportionate and decided per job).
"""
from __future__ import annotations

from html import escape
from typing import Any

from itaku.checklists import checklist_rows
from itaku.job import Job

PHASES = ("before", "after", "selection")


def job_summary(job: Job) -> dict[str, Any]:
    """Pure data: article counts by inclusion, checklist counts, plan checks, and the drivers."""
    by_inclusion = {"required": 0, "default_on": 0, "conditional": 0}
    drivers = []
    for s in job.selected:
        inclusion = s.clause["inclusion"]
        by_inclusion[inclusion] = by_inclusion.get(inclusion, 0) + 1
        if inclusion == "conditional":
            drivers.append({"number": s.number, "title": s.clause["title"], "reason": s.reason})
    onsite = sum(1 for e in job.plan if e.method == "実地")
    return {
        "articles": {"total": len(job.selected), **by_inclusion},
        "checks": {phase: len(checklist_rows(job, phase)) for phase in PHASES},
        "plan": {"total": len(job.plan), "onsite": onsite},
        "onsite_required": bool(job.context.get("onsite_required")),
        "drivers": drivers,
        "removed": [{"title": job.corpus.clause(cid)["title"], "reason": reason}
                    for cid, reason in job.answers.removed.items()],
        "reworded": len(job.answers.reworded),
    }


def summary_html(summary: dict[str, Any]) -> str:
    """The summary as an escaped HTML section (it holds user text: the removal reasons)."""
    def e(value: Any) -> str:
        return escape(str(value), quote=True)

    a, c, p = summary["articles"], summary["checks"], summary["plan"]
    onsite = ("必要です（特定個人情報、要配慮個人情報、取扱件数などの答えによります。監督計画に時期を示しています）"
              if summary["onsite_required"] else "少なくとも年1回、原則として実地で確認します（国の指針）")
    items = [
        f"<li>特記事項：<strong>{e(a['total'])}条</strong>（必須 {e(a['required'])}、既定 {e(a['default_on'])}、"
        f"答えにより加わったもの {e(a['conditional'])}）</li>",
        f"<li>遵守確認表：契約前 <strong>{e(c['before'])}項目</strong>、契約後 <strong>{e(c['after'])}項目</strong>、"
        f"選定時 {e(c['selection'])}項目</li>",
        f"<li>監督計画の確認：{e(p['total'])}件（うち実地 {e(p['onsite'])}件）</li>",
        f"<li>実地調査：{e(onsite)}</li>",
    ]
    parts = ['<section class="itaku-summary" aria-labelledby="itaku-summary-title">',
             '<h3 id="itaku-summary-title">この業務に最低限必要なもの</h3>', "<ul>", *items, "</ul>"]
    if summary["drivers"]:
        parts.append(f"<details><summary>答えにより加わった条文（{e(len(summary['drivers']))}条）</summary><ul>")
        parts += [f"<li>第{e(d['number'])}条 {e(d['title'])}：{e(d['reason'])}</li>" for d in summary["drivers"]]
        parts.append("</ul></details>")
    if summary["removed"]:
        parts.append("<p>理由を記録して外した条文：" + "、".join(
            f"{e(r['title'])}（{e(r['reason'])}）" for r in summary["removed"]) + "</p>")
    if summary.get("reworded"):
        parts.append(f"<p>この業務で文言を変えた項：{e(summary['reworded'])}か所（条文の採否一覧にモデルの文言と並べて載せます）</p>")
    parts.append("</section>")
    return "".join(parts)


__all__ = ["job_summary", "summary_html"]
