"""The checklists of a job: rows of each sheet (遵守確認表 契約前/契約後, 選定時の確認表), the items
that do not apply (対象外), the items the department checks itself, and the sheets."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping

from itaku.conditions import describe, evaluate
from itaku.document import AT_END, ChecklistRow, ChecklistSheet, end_mark
from itaku.header import meta, stamp, version_mark
from itaku.job import Job, Selected, forms_left_out, once
from itaku.wording import quoted, reword

PHASE_TITLES = {"before": "遵守確認表（契約前）", "after": "遵守確認表（契約後）", "selection": "委託先選定時の確認表"}
CONTRACTOR_SHEET = ("受託者", "再委託先")  # who may answer an item on the contractor's sheets (before / after)


def article_label(s: Selected) -> str:
    return f"第{s.number}条（{s.clause['title']}）"  # the digit style of references (第8条)


def applicable_items(job: Job, phase: str) -> list[str]:
    """The item ids of a sheet, in its order (job.json's ``applicable_items``)."""
    return [row.item_id for row in checklist_rows(job, phase)]


def checklist_rows(job: Job, phase: str) -> list[ChecklistRow]:
    """Rows of a sheet: the items that apply and that the sheet's own 回答者 answers.

    Items the department answers itself (回答者 委託元) are not put to the contractor:
    they go to the department's self-check list in the supervision plan (``department_items``).
    Computed once per job and phase (the preview, the plan and the life-cycle files all ask).
    """
    return list(once(job, "_checklist_rows_" + phase, lambda: tuple(_checklist_rows(job, phase))))


def _checklist_rows(job: Job, phase: str) -> list[ChecklistRow]:
    rows: list[ChecklistRow] = []
    if phase == "selection":
        for item in job.corpus.lists("selection")["items"]:
            if evaluate(item.get("applies_when"), job.context):
                rows.append(ChecklistRow(item["id"], str(len(rows) + 1), f"確認事項{item['point']}" if item["point"]
                                         else "その他", reword(job.corpus, job.context, item["text"]),
                                         reword(job.corpus, job.context, evidence(job, item)), "委託元",
                                         "書面", reword(job.corpus, job.context, item["explanation"])))
        return rows
    for s, item in _article_items(job):
        if item["answered_by"] in CONTRACTOR_SHEET and on_route(job, item):
            for made in job.corpus.row_items(item, job.context):  # an extra term: its own row, quoting it
                rows.append(_row(job, made, str(len(rows) + 1), article_label(s), phase))
    return rows


def on_route(job: Job, item: Mapping[str, Any]) -> bool:
    """Whether an applicable item is on the contractor's sheets: on the light route (checklists/light.yml) only the
    items marked ``light: true`` (the minimum, the three points, and those of them the answers trigger: a marked
    item with ``applies_when`` is applicable only when it holds); else every applicable item."""
    return not job.context.get("light_route") or bool(item.get("light"))


def _row(job: Job, item: Mapping[str, Any], number: str, group: str, phase: str, **answers: str) -> ChecklistRow:
    r = lambda t: reword(job.corpus, job.context, t)  # noqa: E731
    question = r(item[phase]) if "row_text" not in item else item["row_text"].join(
        r(part) for part in item["per_row"][phase].split("{row}"))  # the typed term as typed, never reworded
    question += agreed(job, item)
    return ChecklistRow(item["id"], number, r(group), question, r(evidence(job, item)),
                        r(item["answered_by"]), item["method"] if phase == "after" else "", r(item["explanation"]),
                        **answers)


def evidence(job: Job, item: Mapping[str, Any]) -> str:
    """The documents a row asks to see, without the forms the job does not get (the 持出・搬送記録簿 of a job with
    no carrying out, the 携帯端末等管理台帳 of one with no devices): a row never asks for a record nobody keeps."""
    left_out = forms_left_out(job)
    return "、".join(e for e in item.get("evidence", []) if e not in left_out)


def agreed(job: Job, item: Mapping[str, Any]) -> str:
    """What the job agreed for the item (``quote``: an answer, e.g. the approved work place), quoted after the
    question: 「（この業務で定めた作業場所・保管場所：「本庁舎1階…」）」; "" when the answer is empty."""
    spec = item.get("quote")
    value = " ".join(str(job.context.get(spec["answer"]) or "").split()) if spec else ""
    if not value:
        return ""
    before, _, after = spec["text"].partition("{value}")
    r = lambda t: reword(job.corpus, job.context, t)  # noqa: E731
    return f"（{r(before)}{quoted(value)}{r(after)}）"


def _article_items(job: Job) -> list[tuple[Selected, Mapping[str, Any]]]:
    return list(once(job, "_article_items", lambda: tuple(_find_applicable_items(job))))


def _find_applicable_items(job: Job) -> list[tuple[Selected, Mapping[str, Any]]]:
    by_clause: dict[str, list[Mapping[str, Any]]] = {}
    for item in job.corpus.items:
        by_clause.setdefault(item["clause"], []).append(item)
    return [(s, item) for s in job.selected for item in by_clause.get(s.clause["id"], [])
            if evaluate(item.get("applies_when"), job.context)]


def department_items(job: Job) -> list[tuple[str, Mapping[str, Any]]]:
    """(article label, item) of the applicable items the department answers itself (回答者 委託元)."""
    return [(article_label(s), item) for s, item in _article_items(job) if item["answered_by"] == "委託元"]


def excluded_rows(job: Job, phase: str) -> list[ChecklistRow]:
    """Items that do not apply to this job, shown as 対象外 with the reason (never silently dropped)."""
    if phase == "selection":
        return []
    labels, choices = job.corpus.labels(), job.corpus.choice_labels()
    # The sheets go to the contractor: an article left out is named as such, without the questionnaire's
    # reasoning or a reason the department recorded (both are in the 条文の採否一覧, kept in the office).
    unadopted = {cl["id"] for cl, _ in job.excluded}
    selected = {s.clause["id"]: s for s in job.selected}
    rows: list[ChecklistRow] = []
    for item in job.corpus.items:
        cid = item["clause"]
        if cid in unadopted:
            group, why = f"（不採用）{job.corpus.clause(cid)['title']}", "この業務の特記事項には、この項目の条文を置いていません。"
        elif not evaluate(item.get("applies_when"), job.context):
            group = article_label(selected[cid])
            why = reword(job.corpus, job.context,
                         f"この業務では該当しません（{describe(item.get('applies_when'), labels, choices)}の場合に確認する項目）")
        else:
            continue
        rows.append(_row(job, item, "－", group, phase, status="該当なし", note=f"対象外：{why}"))
    return rows


CHECKLIST_INSTRUCTIONS = {
    "before": ("契約の前に、受託者が各項目を自己点検し、「状況」を選んで提出します。",
               "「確認した資料・根拠」には、確認できる資料の名称を書きます。措置が予定の段階なら、その時期を備考に書きます。",
               "不適合の項目は、改善の内容を備考に、その期限を改善期限に書きます。委託元は内容を確認し、必要なら是正を求めます。"),
    "after": ("契約の後、措置が実際に行われたかを確認します。規程があることだけでなく、記録などで運用されていることを確かめます。",
              "委託元が実地で確認するときは、確認日と確認者を記入します。",
              "不適合の項目は、改善指示として内容を備考に、期限を改善期限に書き、改善計画の提出を求めます。"),
    "selection": ("事業者を選ぶ前に、提案書・添付資料・聞き取りで各項目を確認します。",
                  "認証の取得は判断材料の一つです。認証だけで適合としないでください。"),
}


LIGHT_NOTE = ("この業務は軽易な業務に当たるため、最低限の項目と回答から必要になる項目だけを載せています（理由は条文の採否一覧の"
              "「遵守確認表の範囲」）。載せていない項目の定めも、特記事項のとおり守ってください。")


def sheet_meta(job: Job, phase: str) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The sheet's particulars and the labels left open: before the contract with no contractor named, each
    bidder writes its own name in the 受託者 cell (never 「（受託者名）」)."""
    rows = meta(job)
    if phase != "before" or job.context.get("contractor_name"):
        return rows, ()
    party = rows[2][0]  # 受託者 / 指定管理者
    return tuple((label, "" if label == party else value) for label, value in rows), (party,)


AT_END_NOTE = (f"{AT_END}の項目は、業務の終了時（資料等の返還・廃棄・消去の後）に回答します。業務の開始後の自己点検と"
               "期間中の確認では、状況を空欄のままにしてください。")


def sheet_rows(job: Job, phase: str) -> list[ChecklistRow]:
    """The rows as the sheet shows them: on the 契約後 sheet, a question answered only at the end is marked
    （the on-site record sheets take ``checklist_rows`` unmarked: each lists what its visit sees)."""
    rows = checklist_rows(job, phase)
    if phase != "after":
        return rows
    return [replace(r, question=end_mark(job.corpus.item_for(r.item_id, job.context), phase) + r.question) for r in rows]


def checklist(job: Job, phase: str) -> ChecklistSheet:
    title = PHASE_TITLES[phase]
    role = "受託者" if phase != "selection" else "委託元"
    particulars, open_meta = sheet_meta(job, phase)
    rows = sheet_rows(job, phase)
    notes = ((LIGHT_NOTE,) if phase != "selection" and job.context.get("light_route") else ()) + (
        (AT_END_NOTE,) if any(r.question.startswith(AT_END) for r in rows) else ())
    return ChecklistSheet(
        name=f"checklist-{phase}.xlsx", title=title, phase=phase, meta=particulars, open_meta=open_meta,
        instructions=tuple(reword(job.corpus, job.context, t) for t in CHECKLIST_INSTRUCTIONS[phase] + notes),
        rows=tuple(rows), excluded=tuple(excluded_rows(job, phase)),
        stamp=stamp(job, phase, job.values["contractor_name"], role), created=job.context["created_on"],
        author=f"{job.values['org_name']} {job.context['department']}", footer=version_mark(job),
    )

