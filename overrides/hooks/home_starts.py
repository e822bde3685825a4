"""MkDocs hook: the home page's starts include 委託台帳 once the register page exists.

The home page (docs/index.md) offers the starts as large links (``a.itaku-start[data-start]``).
The register page (``register/index.md``) is built by another part of the kit; a link to a page
that is not there would fail the strict build, so this hook adds the third start only when the
page is in the build, right after 「委託先を確認する」.
"""
from __future__ import annotations

import re

REGISTER = "register/index.md"
AFTER = re.compile(r'(<a [^>]*data-start="checklists"[^>]*>.*?</a>)', re.S)
START = ('<a class="itaku-start" data-start="register" href="register/index.html">委託台帳'
         '<span class="itaku-start-desc">課の委託を一覧にし、次の確認の期限が過ぎた委託を見つけます。</span></a>')


def on_page_content(html_text: str, page, config, files) -> str:  # noqa: ANN001 - MkDocs hook signature
    if page.file.src_uri != "index.md" or files.get_file_from_path(REGISTER) is None:
        return html_text
    if 'data-start="register"' in html_text:
        return html_text
    return AFTER.sub(lambda m: m.group(1) + "\n" + START, html_text, count=1)
