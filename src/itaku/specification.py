"""specification.docx: 個人情報取扱特記事項, the job's articles and their annexes (別表)."""
from __future__ import annotations

from itaku.articles import article
from itaku.document import Document, PageBreak, Paragraph
from itaku.forms import applicable_forms, form_blocks
from itaku.header import job_document, title_blocks
from itaku.job import Job


def specification(job: Job) -> Document:
    title = "個人情報取扱特記事項"
    blocks = title_blocks(job, title)
    client = job.values["client"]
    client = "施設の設置者" if client == job.values["org_name"] else client  # 指定管理 with role names
    blocks.append(Paragraph(f"{client}：{job.values['org_name']}　"
                            f"{job.values['contractor']}：{job.values['contractor_name']}", align="left"))
    blocks += [article(job, s) for s in job.selected]
    for form in applicable_forms(job, "specification"):  # 別表, e.g. 取り扱う個人情報の項目及び利用目的
        blocks += [PageBreak(), *form_blocks(job, form)]  # an annex starts on its own page
    return job_document(job, "specification.docx", title, blocks, "specification")
