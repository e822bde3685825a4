"""HTML preview of a job's documents: one function for the generator page and the docs.

Everything is escaped: answers are user text and may contain markup.
"""
from __future__ import annotations

from functools import lru_cache
from html import escape
from typing import Iterable

from itaku.document import Article, Block, ChecklistSheet, Document, Heading, PageBreak, Paragraph, Table


@lru_cache(maxsize=8192)  # the same corpus text is escaped on every preview
def _e(text: str) -> str:
    return escape(text, quote=True).replace("\n", "<br>")


def block_html(block: Block, notes: bool = True) -> str:
    if isinstance(block, Heading):
        level = min(block.level + 2, 6)
        why = f'<p class="itaku-why">{_e(block.note)}</p>' if notes and block.note else ""
        return f"<h{level}>{_e(block.text)}</h{level}>{why}"
    if isinstance(block, Paragraph):
        cls = f' class="itaku-{block.align}"' if block.align != "left" else ""
        text = f"<strong>{_e(block.text)}</strong>" if block.bold else _e(block.text)
        why = f'<p class="itaku-why">{_e(block.note)}</p>' if notes and block.note else ""
        return f"<p{cls}>{text}</p>{why}"
    if isinstance(block, Article):
        parts = [f'<section class="itaku-article" data-clause="{_e(block.clause_id)}">',
                 f"<h4>{_e(block.number)}{_e(block.caption)}</h4>"]
        if notes and block.note:
            parts.append(f'<p class="itaku-why">{_e(block.note)}</p>')
        for c in block.clauses:
            label = f'<span class="itaku-label">{_e(c.label)}</span>　' if c.label else ""
            parts.append(f"<p>{label}{_e(c.text)}</p>")
            if c.items:
                # 号 carry their own labels （1）（2）: plain paragraphs, so no list marker adds a second
                # number (「1. （１）」).
                parts.append('<div class="itaku-items">' + "".join(
                    f'<p class="itaku-gou"><span class="itaku-label">{_e(lab)}</span>{_e(t)}</p>'
                    for lab, t in c.items) + "</div>")
        parts.append("</section>")
        return "".join(parts)
    if isinstance(block, Table):
        head = "".join(f'<th scope="col">{_e(h)}</th>' for h in block.header)
        body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in block.rows)
        caption = f"<caption>{_e(block.caption)}</caption>" if block.caption else ""
        return f'<div class="itaku-table"><table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
    if isinstance(block, PageBreak):
        return '<hr class="itaku-break">'
    raise TypeError(type(block))


def document_html(doc: Document, notes: bool = True) -> str:
    body = "".join(block_html(b, notes) for b in doc.blocks)
    return f'<article class="itaku-doc" data-output="{_e(doc.name)}">{body}</article>'


def sheet_html(sheet: ChecklistSheet) -> str:
    head = "".join(f"<p>{_e(k)}：{_e(v)}</p>" for k, v in sheet.meta)
    rows = "".join(
        f'<tr data-item="{_e(r.item_id)}"><td>{_e(r.number)}</td><td>{_e(r.group)}</td><td>{_e(r.question)}</td>'
        f"<td>{_e(r.evidence)}</td><td>{_e(r.answered_by)}</td><td>{_e(r.method)}</td></tr>"
        for r in sheet.rows)
    table = ("<table><thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in
             ("No.", "条項", "確認事項", "確認する資料", "回答者", "方法")) + f"</tr></thead><tbody>{rows}</tbody></table>")
    return (f'<article class="itaku-doc" data-output="{_e(sheet.name)}"><h2>{_e(sheet.title)}</h2>{head}'
            f'<div class="itaku-table">{table}</div></article>')


PANEL_GROUP = "itaku-preview-docs"


def preview_html(documents: Iterable[Document], sheets: Iterable[ChecklistSheet], notes: bool = True,
                 open_output: str | None = None) -> str:
    """The whole preview, one document at a time: documents first, then the checklists.

    Each document is a ``<details name=…>`` panel; panels sharing a name form an exclusive accordion
    (opening one closes the others, with the keyboard too, and no script). ``open_output`` names
    the panel to show (default: the first), so a page can keep the reader's place when the preview
    is redrawn.
    """
    panels = [(d.name, d.title, document_html(d, notes)) for d in documents]
    panels += [(s.name, s.title, sheet_html(s)) for s in sheets]
    names = [name for name, _, _ in panels]
    chosen = open_output if open_output in names else (names[0] if names else None)
    return "".join(
        f'<details class="itaku-doc-panel" name="{PANEL_GROUP}" data-doc="{_e(name)}"{" open" if name == chosen else ""}>'
        f'<summary>{_e(title)}<span class="itaku-doc-file">（{_e(name)}）</span></summary>{body}</details>'
        for name, title, body in panels)
