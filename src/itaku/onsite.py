"""The on-site checks of a job's plan and what each 実地調査記録票 lists: the 契約後 items that can be seen at
that visit's phase (``seen_at``) and place (``seen_in``), or, for a check about named articles (the end, a
subcontractor, an attendance), the items of those articles."""
from __future__ import annotations

from typing import Any, Mapping

from itaku.checklists import checklist_rows
from itaku.conditions import evaluate
from itaku.job import Job
from itaku.supervision import visit_control

ATTENDANCE = ("attend", "witness")  # attending a named work: the articles its plan entry names
SENDING = ("misdelivery",)  # items of the sending: at an attendance only when it attends a sending (named)


def onsite_checks(job: Job) -> list[Any]:
    """Plan entries done on site, in plan order: one 実地調査記録票 each."""
    return [e for e in job.plan if e.method == "実地"]


def record_rows(job: Job, table: Mapping[str, Any], entry: Any) -> list[Any]:
    """The 契約後 rows the record sheet of this plan entry lists (``table``: the section's ``source_table``)."""
    rows = onsite_rows(job, entry)
    named = [c for c in entry.clauses if c != "audit"]  # the articles of the dated work the visit attends
    # a kind of check that is about named articles only (the end: disposal; a subcontractor; an attendance)
    clauses = (table.get("clauses_by_kind") or {}).get(entry.key[0]) or (named if entry.key[0] in ATTENDANCE else [])
    clause_of = lambda r: job.corpus.item_for(r.item_id, job.context)["clause"]  # noqa: E731
    if clauses:
        rows = [r for r in rows if clause_of(r) in clauses] or [
            r for r in checklist_rows(job, "after") if clause_of(r) in clauses]
    elif entry.key[0] in ATTENDANCE:  # dated work that is not a sending: nothing is sent while staff attend
        rows = [r for r in rows if clause_of(r) not in SENDING]
    elif entry.key[0] == "annual" and named:
        # a yearly check held on a day of dated work (plan.dated): that work's items too (a disposal's are seen
        # at the end, not in the yearly visit)
        have = {r.item_id for r in rows}
        rows = rows + [r for r in checklist_rows(job, "after") if clause_of(r) in named and r.item_id not in have]
    return rows


def visit_phases(job: Job, kind: str) -> set[str]:
    """The visits (``seen_at`` values) an on-site plan entry of this kind is: ``phase_of_kind`` of documents.yml,
    and those of ``also`` whose condition holds (the start visit that attends the first sending)."""
    for s in (job.corpus.data.get("documents") or {}).get("sections") or []:
        table = s.get("source_table") or {}
        if table.get("phase_of_kind"):
            phases = {str(table["phase_of_kind"][kind])} if kind in table["phase_of_kind"] else set()
            return phases | {str(a["phase"]) for a in table.get("also") or []
                             if a.get("kind") == kind and evaluate(a.get("when"), job.context)}
    return set()


def onsite_rows(job: Job, entry: Any) -> list[Any]:
    """The 契約後 rows an on-site check looks at: items seen at its visit (``seen_at``) and, when an item names
    the places it can be seen in (``seen_in``), only when the visit's one place is of that control."""
    phases, control = visit_phases(job, entry.key[0]), visit_control(job, entry)
    out = []
    for r in checklist_rows(job, "after"):
        item = job.corpus.item_for(r.item_id, job.context)
        # an item an edition.js adds names no visit: its 実地 items are looked at in the yearly one
        seen = item.get("seen_at", ("mid",) if item.get("method") == "実地" else ())
        if phases & set(seen) and control in item.get("seen_in", (control,)):
            out.append(r)
    return out
