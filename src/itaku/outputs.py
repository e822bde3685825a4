"""All files for one job, as bytes keyed by their ``data-output`` name.

The CLI writes them to a folder; the generator page hands them to the browser.
Both call ``build_outputs`` so the files are the same for the same answers.
"""
from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from datetime import date
from typing import Any, Mapping

from itaku.answers import JOB_FORMAT, JOB_SCHEMA, Answers, answers_document, validate
from itaku.checklists import applicable_items
from itaku.contents import documents, sheets
from itaku.filenames import download_name, job_label
from itaku.header import stamp
from itaku.job import Job, build_job
from itaku.model import Corpus
from itaku.wareki import fiscal_year

ZIP_NAME = "documents.zip"


def job_record(job: Job) -> dict[str, Any]:
    """The job record (job.json): answers, applicable items, plan, and the checks done so far."""
    doc = answers_document(job.corpus, job.answers)
    doc["format"] = JOB_FORMAT
    doc["job_schema"] = JOB_SCHEMA  # the record's own version; schema_version stays the answers'
    doc["stamp"] = json.loads(stamp(job, "job", job.values["contractor_name"], "委託元"))
    doc["work_name"] = job.context["work_name"]
    doc["applicable_items"] = {phase: applicable_items(job, phase) for phase in ("before", "after", "selection")}
    doc["articles"] = [{"number": s.number, "clause": s.clause["id"], "title": s.clause["title"],
                        "variant": s.variant, "reason": s.reason} for s in job.selected]
    doc["plan"] = [{"kind": e.key[0], "earliest": e.earliest.isoformat(), "due": e.due.isoformat(), "what": e.what,
                    "method": e.method, "rules": list(e.rules)} for e in job.plan]
    doc["checks"] = []
    return doc


def to_json(obj: Any) -> bytes:
    """Readable, stable JSON (sorted keys) with a final newline."""
    return (json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


PACKED = (".docx", ".xlsx")  # formats that are compressed zip archives themselves


def build_outputs(job: Job, only: str | None = None) -> dict[str, bytes]:
    """Every file of the job; with ``only``, just that file (documents.zip still needs them all).

    The page asks for one file per click, so a download renders one document, not seventeen.
    """
    from itaku.render.docx import render_docx
    from itaku.render.xlsx import render_checklist

    wanted = None if only in (None, ZIP_NAME) else only
    out: dict[str, bytes] = {}
    for doc in documents(job):
        if wanted in (None, doc.name):
            out[doc.name] = render_docx(doc)
    for sheet in sheets(job):
        if wanted in (None, sheet.name):
            out[sheet.name] = render_checklist(sheet)
    if wanted in (None, "answers.json"):
        out["answers.json"] = to_json(answers_document(job.corpus, job.answers))
    if wanted in (None, "job.json"):
        out["job.json"] = to_json(job_record(job))
    if wanted is None:
        out[ZIP_NAME] = bundle(job, out)
    return out


def output_names(job: Job, docs: list[Any] | None = None) -> list[str]:
    """The names ``build_outputs`` gives for this job, without rendering anything (``docs``: documents(job))."""
    return ([d.name for d in (documents(job) if docs is None else docs)] + [s.name for s in sheets(job)]
            + ["answers.json", "job.json", ZIP_NAME])


def file_label(answers: Answers) -> str:
    """The work name the files are saved under (with the 年度 when the name has none)."""
    start = answers.values.get("contract_start")
    return job_label(str(answers.values.get("work_name", "")), fiscal_year(date.fromisoformat(start)) if start else "")


def member_name(job: Job, output: str) -> str:
    """The name of a file inside documents.zip: the name its own download is saved under (「業務名_特記仕様書.docx」;
    one counterparty's set: 「業務名_相手方_特記仕様書.docx」)."""
    return download_name(output, file_label(job.answers), party=party_label(job.answers))


def party_label(answers: Answers) -> str:
    """The counterparty a set is for, as its file names carry it ("" for an ordinary job)."""
    return str(answers.party.get("name", "")) if answers.party else ""


def bundle(job: Job, files: Mapping[str, bytes]) -> bytes:
    """documents.zip: every file of the job, deterministic (sorted names, one fixed time, fixed modes).

    Each file is stored under the name its single download gets (``member_name``), so a file taken out of
    the zip is filed like one downloaded alone. The time is the answers' 作成日 (never the clock); the stamp
    is the zip comment, so ``itaku identify`` style tools can read it without unpacking.
    """
    members = {member_name(job, n): data for n, data in files.items() if n != ZIP_NAME}
    return zip_bytes(members, job.context["created_on"],
                     stamp(job, "documents", job.values["contractor_name"], "委託元"))


def zip_bytes(members: Mapping[str, bytes], created_on: str, comment: str) -> bytes:
    """A deterministic zip of ``members`` (name → bytes): sorted, one time (``created_on``, 00:00, not before
    1980), mode 0644, Word and Excel files stored, the rest deflated; ``comment``: the stamp."""
    created = date.fromisoformat(created_on)
    when = (max(created.year, 1980), created.month, created.day, 0, 0, 0)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for member in sorted(members):
            info = zipfile.ZipInfo(member, when)
            # Word and Excel files are zip archives already: deflating them again costs time
            # (most of the bundle's) for a few per cent; only the JSON files are compressed.
            info.compress_type = zipfile.ZIP_STORED if member.endswith(PACKED) else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            z.writestr(info, members[member], compresslevel=6)
        z.comment = comment.encode("utf-8")
    return buf.getvalue()


def generate(corpus: Corpus, raw: Mapping[str, Any], removed: Mapping[str, Any] | None = None,
             ids: Mapping[str, str] | None = None, reworded: Mapping[str, Any] | None = None) -> dict[str, bytes]:
    """Validate, build and render; raises AnswersError before anything is produced. ``ids``: the job's
    job_id / previous_job_id (from the answers file), kept in answers.json and job.json; ``reworded``: the
    job's reworded paragraphs (answers.json ``reworded_paragraphs``)."""
    return build_outputs(build_job(corpus, replace(validate(corpus, raw, removed, reworded), ids=dict(ids or {}))))


def job_for(corpus: Corpus, raw: Mapping[str, Any], removed: Mapping[str, Any] | None = None,
            reworded: Mapping[str, Any] | None = None) -> Job:
    return build_job(corpus, validate(corpus, raw, removed, reworded))


__all__ = ["Answers", "ZIP_NAME", "build_outputs", "bundle", "file_label", "member_name", "party_label", "zip_bytes", "output_names", "generate", "job_for", "job_record", "to_json"]
