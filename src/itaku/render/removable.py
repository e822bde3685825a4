"""The generator form's boxes for removing a default_on clause, with their reason fields.

One renderer for the built page (itaku.build.form_html, the corpus's clauses) and for the page at
run time (itaku.web.set_edition, the local clauses an edition.js adds). Everything is escaped.
"""
from __future__ import annotations

from html import escape
from typing import Any, Iterable, Mapping


def removable_html(clauses: Iterable[Mapping[str, Any]]) -> str:
    """A box per clause ({id, title}); its reason field appears when the box is ticked."""
    parts = []
    for clause in clauses:
        cid, title = escape(str(clause["id"]), quote=True), escape(str(clause["title"]), quote=True)
        parts.append(
            f'<div class="itaku-choice"><input type="checkbox" id="remove-{cid}" data-remove="{cid}" '
            f'aria-describedby="itaku-removable-help" aria-controls="wrap-reason-{cid}">'
            f'<label for="remove-{cid}">「{title}」の条文を外す</label></div>'
            f'<div class="itaku-q itaku-reason" id="wrap-reason-{cid}" hidden>'
            f'<label for="reason-{cid}">「{title}」を外す理由 <span class="itaku-required">必須</span></label>'
            f'<textarea id="reason-{cid}" data-reason="{cid}" rows="2" aria-describedby="err-removed-{cid}" '
            f'aria-required="true"></textarea><p class="itaku-field-error" id="err-removed-{cid}" hidden></p></div>')
    return "\n".join(parts)
