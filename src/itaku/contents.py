"""The outputs of a job, in the order the page lists them: the Word documents, then the checklists."""
from __future__ import annotations

from itaku import lifecycle
from itaku.checklists import checklist
from itaku.deviations import deviations
from itaku.document import ChecklistSheet, Document
from itaku.job import Job, once
from itaku.specification import specification
from itaku.supervision import supervision_plan


def documents(job: Job) -> list[Document]:
    """Every Word document of the job, in the order the page lists them (the life-cycle ones:
    clauses/documents.yml)."""
    docs = [specification(job), supervision_plan(job), *lifecycle.documents(job), deviations(job)]
    return [d for d in docs if d is not None]


def sheets(job: Job) -> list[ChecklistSheet]:
    """The three checklists of the job (made once per job: the preview, the file list and the files share them)."""
    return list(once(job, "_sheets", lambda: tuple(checklist(job, p) for p in ("before", "after", "selection"))))
