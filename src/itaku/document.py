"""A small, format-neutral document model.

The generator builds these plain objects; ``render.docx`` and ``render.html``
turn the same object into a Word file and an HTML preview, so both always show
the same content. Text is plain text: renderers escape it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Mapping, Union

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 0 = document title, 1 = section, 2 = subsection
    note: str = ""  # shown in previews only (e.g. why a form or 別表 is included)


@dataclass(frozen=True)
class Paragraph:
    text: str
    align: Align = "left"
    bold: bool = False
    indent: int = 0  # in characters (全角), for 号 and continuation lines
    hanging: int = 0  # hanging indent in characters (label width)
    note: str = ""  # shown in previews only (e.g. why an article was included)


@dataclass(frozen=True)
class Clause:
    """One numbered paragraph (項) of an article, with its items (号)."""

    label: str  # "" for the first 項, "2", "3"… for the rest
    text: str
    items: tuple[tuple[str, str], ...] = ()  # ("（1）", text)


@dataclass(frozen=True)
class Article:
    number: str  # "第1条"
    caption: str  # "（基本的事項）"
    clauses: tuple[Clause, ...]
    clause_id: str = ""
    note: str = ""  # preview only: condition and answer that included it


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...] = ()  # relative widths, one per column
    caption: str = ""


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Union[Heading, Paragraph, Article, Table, PageBreak]


@dataclass(frozen=True)
class Document:
    """A whole output document. ``stamp`` goes into the custom property ``itaku-stamp``."""

    name: str  # output file name, e.g. "specification.docx"
    title: str
    blocks: tuple[Block, ...]
    stamp: str  # canonical JSON text of the stamp
    created: str  # ISO date from the answers (作成日), never the clock
    subject: str = ""
    author: str = ""
    landscape: bool = False
    extra_properties: tuple[tuple[str, str], ...] = field(default=())
    footer: str = ""  # small text beside the page number (the version mark), never in the body


# ---------------------------------------------------------------- checklists (.xlsx)

STATUSES = ("適合", "不適合", "該当なし", "未確認")


AT_END = "【契約終了時】"  # marks a 契約後 question that is answered only when the work ends


def asked_at_end(item: Mapping[str, Any]) -> bool:
    """A 契約後 item that can be answered only at the end of the work (return, disposal, hand-over:
    ``seen_at: [end]``): the self-check soon after the start and the yearly checks leave it blank."""
    return list(item.get("seen_at") or ()) == ["end"]


def end_mark(item: Mapping[str, Any], phase: str) -> str:
    """What goes before the item's question on a 契約後 sheet or page: ``AT_END`` when it is asked at the end."""
    return AT_END if phase == "after" and asked_at_end(item) else ""


@dataclass(frozen=True)
class ChecklistRow:
    item_id: str  # hidden column: how an imported workbook is matched back
    number: str  # displayed No. ("1", "2", …)
    group: str  # article the item checks, e.g. "第5条（作業従事者）"
    question: str
    evidence: str  # documents to look at, joined with "、"
    answered_by: str  # 受託者 / 再委託先 / 委託元
    method: str  # 書面 / 実地
    explanation: str  # 項目解説
    # Answer cells (unlocked); filled when a record is exported.
    status: str = ""
    evidence_seen: str = ""
    note: str = ""
    due: str = ""  # 改善期限 of a 不適合 item
    checked_on: str = ""  # 確認日 of this item
    checker: str = ""


@dataclass(frozen=True)
class ChecklistSheet:
    name: str  # "checklist-before.xlsx"
    title: str  # "遵守確認表（契約前）"
    phase: str  # "before" | "after" | "selection" | "record"
    meta: tuple[tuple[str, str], ...]  # (label, value): 業務名, 委託元, 受託者, 期間, 作成日, 版
    instructions: tuple[str, ...]
    rows: tuple[ChecklistRow, ...]
    stamp: str
    created: str  # ISO date from the answers
    author: str = ""
    excluded: tuple[ChecklistRow, ...] = ()  # items that do not apply (対象外, with the reason in ``note``)
    open_meta: tuple[str, ...] = ()  # labels of ``meta`` whose value cell the sheet's reader fills in
    footer: str = ""  # the version mark, printed in the page footer
