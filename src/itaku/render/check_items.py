"""The items of the checklist pages (委託先を確認する) as HTML: question, evidence, who answers,
the 項目解説 and the answer controls (the columns of the Excel checklist).

One renderer for the built pages (overrides/hooks/checklist_pages.py, the corpus's items) and for
the page at run time (itaku.web.job_scope, the items a 団体の設定 adds). Everything is escaped.
"""
from __future__ import annotations

from html import escape
from typing import Any, Iterable

from itaku.document import end_mark

STATUSES = (("", "未確認"), ("適合", "適合"), ("不適合", "不適合"), ("該当なし", "該当なし"))


def e(text: Any) -> str:
    return escape(str(text), quote=True)


def item_html(item_id: str, question: str, evidence: list[str], answered_by: str,
              method: str, explanation: str) -> str:
    """One item. Its No. is the job's sheet number, filled in by the page once a job record is loaded
    (the same No. as in the job's Excel checklist); without a job only the item id is shown."""
    i = e(item_id)
    status_options = "".join(f'<option value="{e(v)}">{e(label)}</option>' for v, label in STATUSES)
    evidence_text = "、".join(evidence) if evidence else "—"
    return (
        f'<article class="itaku-item" data-item="{i}" id="item-{i}" aria-labelledby="q-{i}">'
        f'<p class="itaku-item-q" id="q-{i}"><span class="itaku-item-no" hidden></span>'
        f'<span class="itaku-item-text">{e(question)}</span>'
        f' <span class="itaku-item-id">（項目ID {i}）</span></p>'
        f'<dl class="itaku-item-meta"><dt>確認する資料</dt><dd>{e(evidence_text)}</dd>'
        f'<dt>回答者</dt><dd>{e(answered_by)}</dd><dt>方法</dt><dd>{e(method)}</dd></dl>'
        f'<details class="itaku-item-help"><summary>項目解説</summary><p>{e(explanation)}</p></details>'
        f'<div class="itaku-item-flags" id="f-{i}" hidden></div>'
        f'<div class="itaku-answer">'
        f'<div class="itaku-field"><label for="s-{i}">状況</label>'
        f'<select id="s-{i}" name="status" aria-describedby="q-{i}">{status_options}</select></div>'
        f'<div class="itaku-field"><label for="e-{i}">確認した資料・根拠</label>'
        f'<textarea id="e-{i}" name="evidence" rows="2" aria-describedby="q-{i}"></textarea></div>'
        f'<div class="itaku-field"><label for="n-{i}">備考（不適合のときは改善計画：改善の内容）</label>'
        f'<textarea id="n-{i}" name="note" rows="2" aria-describedby="q-{i} nh-{i}"></textarea>'
        f'<p class="itaku-field-error" id="nh-{i}" hidden></p></div>'
        f'<div class="itaku-field itaku-due"><label for="d-{i}">改善期限</label>'
        f'<input type="text" id="d-{i}" name="due" placeholder="例：2026-11-30" autocomplete="off"'
        f' aria-describedby="q-{i}"></div>'
        f'<div class="itaku-field itaku-item-date"><label for="c-{i}">この項目の確認日</label>'
        f'<input type="text" id="c-{i}" name="checked_on" placeholder="空欄：記録の確認日" autocomplete="off"'
        f' aria-describedby="q-{i}"></div>'
        f'<div class="itaku-field itaku-item-checker"><label for="k-{i}">この項目の確認者</label>'
        f'<input type="text" id="k-{i}" name="checker" placeholder="空欄：記録の確認者" autocomplete="off"'
        f' aria-describedby="q-{i}"></div>'
        f'</div></article>'
    )


def clause_item_html(item: dict[str, Any], phase: str) -> str:
    """A clause's item (before/after) as ``item_html``; a 契約後 question answered only at the end is marked
    as on the Excel sheet."""
    return item_html(item["id"], end_mark(item, phase) + item[phase], item.get("evidence", []),
                     item.get("answered_by", ""), item.get("method", ""), item["explanation"])


def group_html(group_id: str, title: str, items: Iterable[str], extra: str = "") -> str:
    """A group of items under its clause's title; ``extra``: attributes added to the section."""
    g = e(group_id)
    return (f'<section class="itaku-group" data-group="{g}" aria-labelledby="g-{g}"{extra}>'
            f'<h2 id="g-{g}">{e(title)}</h2>' + "\n".join(["", *items, ""]) + "</section>")
