"""What every document of a job starts with and carries: the stamp, the job's particulars (業務名,
委託元, 契約期間 …), the title block, and the Document wrapper with its properties."""
from __future__ import annotations

from datetime import date

from itaku.answers import canonical_json, job_ids
from itaku.document import Block, Document, Heading, Paragraph
from itaku.job import Job
from itaku.wareki import fiscal_year, wareki


def stamp(job: Job, phase: str, company: str = "", role: str = "") -> str:
    """The ``itaku-stamp`` of a file: corpus, answers hash, phase, company and role, edition."""
    return canonical_json({
        "format": "itaku-stamp/1",
        "corpus_version": job.corpus.version,
        "schema_version": job.corpus.schema_version,
        "answers_hash": job.hash,
        "job_id": job_ids(job.answers)["job_id"],  # the same job after an answer changed (the award)
        "phase": phase,
        "company": company,
        "role": role,
        "edition_name": job.corpus.edition["org_name"],
        "edition_hash": job.corpus.edition["hash"],
    })


def fiscal_years(start: date, end: date) -> str:
    """「令和8年度」 or 「令和8年度から令和10年度まで」."""
    first, last = fiscal_year(start), fiscal_year(end)
    return first if first == last else f"{first}から{last}まで"


def meta(job: Job) -> tuple[tuple[str, str], ...]:
    """(label, value) of the job's particulars, as every document and sheet prints them."""
    v, values = job.context, job.values
    start, end = date.fromisoformat(v["contract_start"]), date.fromisoformat(v["contract_end"])
    return (
        ("業務名", v["work_name"]),
        ("所管課" if job.is_designated else "委託元", f"{values['org_name']} {v['department']}"),  # 指定管理 is no 委託
        ("指定管理者" if job.is_designated else "受託者", values["contractor_name"]),
        ("指定期間" if job.is_designated else "契約期間", f"{values['period']}（{fiscal_years(start, end)}）"),
        ("作成日", wareki(date.fromisoformat(v["created_on"]))),
    )


def version_mark(job: Job) -> str:
    """The edition and corpus version, for a discreet footer (never the body of what is sent out)."""
    return f"{job.corpus.edition['org_name']}版 {job.corpus.version}"


def title_blocks(job: Job, title: str) -> list[Block]:
    """The title (Word style Title) and one paragraph per particular."""
    blocks: list[Block] = [Heading(title, 0)]
    blocks += [Paragraph(f"{label}：{value}") for label, value in meta(job)]
    return blocks


def job_document(job: Job, name: str, title: str, blocks: list[Block], phase: str, landscape: bool = False) -> Document:
    """A document of the job for 委託元, stamped with ``phase``; dates and names from the answers."""
    return Document(name=name, title=title, blocks=tuple(blocks), stamp=stamp(job, phase, job.values["contractor_name"],
                    "委託元"), created=job.context["created_on"], subject=job.context["work_name"],
                    author=f"{job.values['org_name']} {job.context['department']}", landscape=landscape,
                    footer=version_mark(job))
