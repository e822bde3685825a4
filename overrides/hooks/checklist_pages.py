"""MkDocs hook: the item lists of the checklist pages (委託先を確認する), rendered at build time.

Each of ``checklists/selection/index.md``, ``checklists/before/index.md`` and
``checklists/after/index.md`` holds the marker ``<!-- itaku:checklist-items -->``;
this hook replaces it (after Markdown, in ``on_page_content``) with every item
of the phase from ``src/itaku/_data/corpus.json``: for before/after every
clause item grouped by clause (clause order), for selection the selection
list. Each item is an ``<article data-item="ID">`` with its question, the
evidence to look at, who answers, the explanation in a ``<details>``
(項目解説) and the labelled answer controls (status, evidence seen, note,
improvement due date, this item's check date and checker: the columns of the
Excel checklist). Everything from the corpus is escaped here; the page
script (docs/assets/checklists/checklist.js) only shows or hides items and
fills in values. No Python runs in the browser until a file is loaded.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from itaku.filenames import audience
from itaku.render.check_items import clause_item_html, e, group_html, item_html

MARKER = "<!-- itaku:checklist-items -->"
PAGES = {"checklists/selection/index.md": "selection", "checklists/before/index.md": "before",
         "checklists/after/index.md": "after"}

_cache: dict[str, Any] = {}


def _corpus(config) -> dict[str, Any]:  # noqa: ANN001
    path = Path(config.config_file_path).resolve().parent / "src/itaku/_data/corpus.json"
    if "corpus" not in _cache or _cache.get("mtime") != path.stat().st_mtime:
        if not path.is_file():
            raise PluginError(f"確認ページ / checklist pages: {path} がありません（python -m itaku.build.corpus）")
        _cache["corpus"] = json.loads(path.read_text(encoding="utf-8"))
        _cache["mtime"] = path.stat().st_mtime
    return _cache["corpus"]


def items_html(corpus: dict[str, Any], phase: str) -> str:
    parts = [f'<div class="itaku-items" id="itaku-items" data-phase="{e(phase)}">']
    if phase == "selection":
        parts.append(group_html("selection", "選定時の確認項目", [
            item_html(item["id"], item["text"], item.get("evidence", []), "受託者（応募事業者）", "書面",
                      item["explanation"]) for item in corpus["lists"]["selection"]["items"]]))
    else:
        by_clause: dict[str, list[dict[str, Any]]] = {}
        for item in corpus["items"]:
            by_clause.setdefault(item["clause"], []).append(item)
        for clause in sorted(corpus["clauses"], key=lambda c: (c.get("order", 0), c["id"])):
            items = by_clause.get(clause["id"])
            if items:
                parts.append(group_html(clause["id"], clause["title"], [clause_item_html(i, phase) for i in items]))
    parts.append("</div>")
    return "\n".join(parts)


PHASE_TITLES = {"selection": "選定時の確認表", "before": "遵守確認表（契約前）", "after": "遵守確認表（契約後）"}


DOWNLOADS = (("record.xlsx", "実施状況確認記録（Excel）"), ("record.json", "確認の記録（JSON）"),
             ("job.json", "更新した業務記録（JSON）"))


def downloads_html() -> str:
    """The download buttons, each saying who the file is for (itaku.filenames)."""
    return "\n".join(f'<li><button type="button" class="md-button" data-output="{e(name)}"'
                     f' aria-describedby="for-{e(name)}">{e(label)}</button>'
                     f' <span class="itaku-for" id="for-{e(name)}">{e(audience(name))}</span></li>'
                     for name, label in DOWNLOADS)


def app_html(corpus: dict[str, Any], phase: str) -> str:
    """The page around the items: job record, import, company, summary, record of the check."""
    downloads = downloads_html()
    stages = "".join(f'<li data-stage="{k}">{v}</li>' for k, v in
                     (("load", "読み込み"), ("python", "Python 起動"), ("libraries", "ライブラリ"), ("ready", "準備完了")))
    return f"""<div id="checklist" class="itaku-checklist" data-phase="{e(phase)}" data-state="idle">
<nav class="itaku-skip" aria-label="このページの中の移動"><ul>
<li><a href="#itaku-summary-title" id="itaku-skip-summary">集計へ</a></li>
<li><a href="#itaku-items" id="itaku-skip-items">確認項目へ</a></li>
<li><a href="#itaku-record-title" id="itaku-skip-record">確認の記録（保存）へ</a></li>
</ul></nav>
<section class="itaku-panel" aria-labelledby="itaku-job-title">
<h2 id="itaku-job-title">業務記録の読み込み</h2>
<p class="itaku-note">生成ページ（仕様書を作る）で作った業務記録ファイル（job.json）を読み込むと、その業務に当てはまる項目だけを表示し、前回までの回答を戻します。読み込んだ時に初めて Python を準備します（数秒かかります）。</p>
<div class="itaku-toolrow"><label for="itaku-job-file">業務記録ファイル（job.json）</label>
<input type="file" id="itaku-job-file" data-input="answers" accept=".json,application/json"></div>
<div class="itaku-loading" id="itaku-loading" hidden>
<label for="itaku-progress" id="itaku-progress-label">準備しています：読み込み</label>
<progress id="itaku-progress" max="100" value="0">0%</progress>
<ol class="itaku-stages" aria-label="準備の段階">{stages}</ol>
</div>
<div id="itaku-job-info" class="itaku-job-info" hidden></div>
<div id="itaku-message" class="itaku-result" aria-live="polite"></div>
<p class="itaku-note" id="itaku-storage-note">入力はこのブラウザに自動で保存されます（保存できる場合）。フォルダから開いた場合（file://）などブラウザの保存領域が使えないことがあるため、書き出した記録ファイル（job.json・record.json・record.xlsx）を正式な記録として保管してください。</p>
<p><button type="button" class="md-button" id="itaku-reset">入力を消して最初からやり直す</button>
<button type="button" class="md-button" id="itaku-undo" hidden>消した入力を元に戻す</button></p>
<div id="itaku-reset-confirm" class="itaku-confirm" role="group" aria-labelledby="itaku-reset-question" hidden>
<p id="itaku-reset-question"></p>
<p><button type="button" class="md-button" id="itaku-reset-ok">消す</button>
<button type="button" class="md-button md-button--primary" id="itaku-reset-cancel">やめる</button></p>
</div>
</section>
<section class="itaku-panel" aria-labelledby="itaku-import-title">
<h2 id="itaku-import-title">事業者が記入した確認表（Excel）の読み込み</h2>
<p class="itaku-note">この業務の確認表（{e(PHASE_TITLES[phase])}）に受託者又は再委託先が記入したファイルを読み込みます。先に業務記録ファイルを読み込んでください。再委託先の確認表は、事業者ごとに別の回答として保持します。</p>
<div class="itaku-toolrow"><label for="itaku-import-role">記入した事業者</label>
<select id="itaku-import-role"><option value="受託者">受託者</option><option value="再委託先">再委託先</option></select></div>
<div class="itaku-toolrow" id="itaku-import-company-row" hidden><label for="itaku-import-company">再委託先の事業者名</label>
<input type="text" id="itaku-import-company" autocomplete="off"></div>
<div class="itaku-toolrow"><label for="itaku-import-file">記入済みの確認表（.xlsx）</label>
<input type="file" id="itaku-import-file" data-input="checklist-xlsx" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"></div>
<div id="itaku-import-result" class="itaku-result" aria-live="polite"></div>
</section>
<section class="itaku-panel" aria-labelledby="itaku-company-title">
<h2 id="itaku-company-title">表示している事業者</h2>
<div class="itaku-toolrow"><label for="itaku-company">回答を表示・入力する事業者</label>
<select id="itaku-company"><option value="">受託者</option></select></div>
</section>
<section class="itaku-panel itaku-summary" aria-labelledby="itaku-summary-title">
<h2 id="itaku-summary-title" tabindex="-1">集計</h2>
<div id="itaku-summary"></div>
</section>
{items_html(corpus, phase)}
<section class="itaku-panel itaku-record" aria-labelledby="itaku-record-title">
<h2 id="itaku-record-title" tabindex="-1">実施状況確認記録</h2>
<div class="itaku-record-fields">
<div class="itaku-field"><label for="itaku-date">確認日</label><input type="date" id="itaku-date"></div>
<div class="itaku-field"><label for="itaku-method">方法</label>
<select id="itaku-method"><option value="書面">書面</option><option value="実地">実地</option></select></div>
<div class="itaku-field"><label for="itaku-checker">確認者</label><input type="text" id="itaku-checker" autocomplete="off"></div>
<div class="itaku-field"><label for="itaku-findings">所見</label><textarea id="itaku-findings" rows="3"></textarea></div>
<div class="itaku-field"><label for="itaku-follow-up">改善指示と対応（フォローアップ）</label><textarea id="itaku-follow-up" rows="3"></textarea></div>
</div>
<p><button type="button" class="md-button md-button--primary" id="itaku-save">確認の記録を作成する</button></p>
<p class="itaku-note">ファイル名には業務名・段階・確認日が入ります（例：「○○業務_実施状況確認記録_契約後_2026-10-01.xlsx」）。更新した業務記録は元の job.json とは別の名前で保存されるので、上書きされません。</p>
<ul class="itaku-download-list" id="itaku-downloads">
{downloads}
<li><button type="button" class="md-button" id="itaku-print">印刷する</button></li>
</ul>
<div id="itaku-save-result" class="itaku-result" aria-live="polite"></div>
</section>
</div>"""


def on_page_content(html_text: str, page, config, files) -> str:  # noqa: ANN001 - MkDocs hook signature
    phase = PAGES.get(page.file.src_uri)
    if phase is None:
        return html_text
    if MARKER not in html_text:
        raise PluginError(f"確認ページ / checklist pages: {page.file.src_uri} に {MARKER} がありません")
    return html_text.replace(MARKER, app_html(_corpus(config), phase))
