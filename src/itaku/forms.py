"""The forms of clauses/forms.yml that annex the specification (別表), and the rows a form table
takes from a list answer (also used by the life-cycle forms)."""
from __future__ import annotations

from typing import Any, Mapping

from itaku.conditions import describe, entry_text, kept
from itaku.document import Block, Heading, Paragraph, Table
from itaku.job import Job, part_of_job
from itaku.text import FULLWIDTH, fill
from itaku.wording import answer_summary


def form_blocks(job: Job, form: Mapping[str, Any]) -> list[Block]:
    blocks: list[Block] = [Heading(form["title"], 1, note=form_reason(job, form))]
    if form.get("submitted_by"):
        blocks.append(Paragraph(f"提出：{fill(form['submitted_by'], job)}", align="right"))
    if form.get("note"):
        blocks.append(Paragraph(f"※ {fill(form['note'], job)}"))
    blocks += [Paragraph(fill(entry_text(t), job)) for t in kept(form.get("intro"), job.context)]
    blocks += [Paragraph(f"{str(n + 1).translate(FULLWIDTH)}　{fill(entry_text(t), job)}", indent=1, hanging=2)
               for n, t in enumerate(kept(form.get("list"), job.context))]
    if form.get("fields"):
        blocks.append(Table(("項目", "記入欄"), tuple((fill(entry_text(f), job), "") for f in kept(form["fields"], job.context)), (35, 65)))
    table = form.get("table")
    if table:
        rows = [tuple([fill(entry_text(t), job)] + [""] * (len(table["header"]) - 1))
                for t in kept(table.get("items"), job.context)]
        rows += answer_rows(job, table)
        rows += [tuple([""] * len(table["header"])) for _ in range(table.get("rows", 0))]
        blocks.append(Table(tuple(table["header"]), tuple(rows), tuple(table.get("widths") or ())))
    blocks += [Paragraph(fill(entry_text(t), job)) for t in kept(form.get("closing"), job.context)]
    return blocks


def answer_rows(job: Job, table: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """Rows a form table takes from a list answer (``from: {answer, columns, number, prefix}``), blanks after."""
    spec = table.get("from")
    if not spec:
        return []
    width = len(table["header"])
    out = []
    for n, row in enumerate(job.context.get(spec["answer"]) or [], start=1):
        cells = [""] * spec.get("at", 0) + ([str(n)] if spec.get("number") else []) + [
            (spec.get("prefix", "") if i == 0 else "") + cell(row, col) for i, col in enumerate(spec["columns"])]
        out.append(tuple(cells + [""] * (width - len(cells))))
    return out


def stage(row: Mapping[str, Any]) -> str:
    """A subcontractor's stage in the chain: 「再委託先」, or 「再々委託先（「X」から）」 when it names its parent (no party name: 指定管理 too)."""
    parent = str(row.get("parent") or "").strip()
    return f"再々委託先（「{parent}」から）" if parent else "再委託先"


def cell(row: Mapping[str, Any], col: str) -> str:
    """One cell of a list answer's row; ``stage`` is derived from the row's parent."""
    return stage(row) if col == "stage" else str(row.get(col, ""))


def form_reason(job: Job, form: Mapping[str, Any]) -> str:
    """Preview note: why this form (or 別表) is part of the job."""
    cond = form.get("applies_when")
    if cond is None:
        return ""
    why = {f"act_{act}": d.reason for act, d in job.acts.items()}  # the answers, not the act's internal value
    return (f"付ける理由：{describe(cond, job.corpus.labels(), job.corpus.choice_labels(), why)}。"
            f"回答：{answer_summary(job.corpus, cond, job.context)}")


def applicable_forms(job: Job, output: str) -> list[Mapping[str, Any]]:
    return [f for f in job.corpus.forms if f["output"] == output and part_of_job(job, f)]
