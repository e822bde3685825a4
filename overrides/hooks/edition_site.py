"""MkDocs hook: the local edition in the built site (issue 17).

- ``config.extra.edition_name`` / ``edition_short_hash``: the built-in edition
  (edition.yml, compiled into corpus.json) for the footer (overrides/partials/copyright.html).
- ``edition.js`` at the site root: the built-in edition written exactly as the
  settings page writes a file (``itaku.edition.js_text``). Shipping it means no
  page ever requests a missing file (a 404 or file-not-found is a console
  error); a municipality replaces it with its own. Its hash equals the built-in one.
- ``assets/settings/wording.js``: the paragraphs the 約款 wording may replace (the settings page's picker).
- ``settings/index.md``: the marker ``<!-- itaku:edition-form -->`` becomes the
  form, drawn from ``clauses/edition_fields.yml`` (compiled as ``edition_fields``).
"""
from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from itaku.edition import js_text
from itaku.rewording import paragraph_choices

MARKER = "<!-- itaku:edition-form -->"
PAGE = "settings/index.md"


def _corpus(config) -> dict[str, Any]:  # noqa: ANN001
    path = Path(config.config_file_path).resolve().parent / "src/itaku/_data/corpus.json"
    if not path.is_file():
        raise PluginError(f"団体の設定 / edition: {path} がありません（python -m itaku.build.corpus）")
    return json.loads(path.read_text(encoding="utf-8"))


def on_config(config):  # noqa: ANN001, ANN201 - MkDocs hook signature
    corpus = _corpus(config)
    config.extra["edition_name"] = corpus["edition"]["org_name"]
    config.extra["edition_short_hash"] = corpus["edition"]["short_hash"]
    config.extra["edition_rules"] = _rules(corpus)
    return config


def _rules(corpus: dict[str, Any]) -> str:
    """The fields of edition.js for the footer's data-edition-rules: keys, required, lengths, choices.

    Pages without Python check an edition.js against these (docs/assets/common/edition.js), so an
    invalid file is never shown as in force there; Python (itaku.edition) stays the full check.
    """
    fields = []
    for f in corpus["edition_fields"]["fields"]:
        rule: dict[str, Any] = {"key": f["key"], "label": f["label"], "required": bool(f.get("required"))}
        if f.get("type") == "choice":
            rule["choices"] = [value for value, _ in _choices(corpus, f["key"])]
        else:
            rule["max"] = int(f.get("max_length", 200))
        fields.append(rule)
    return json.dumps({"fields": fields, "lists": ["clauses", "items"]}, ensure_ascii=False, separators=(",", ":"))


def on_files(files: Files, config) -> Files:  # noqa: ANN001
    corpus = _corpus(config)
    files.append(File.generated(config, "edition.js", content=js_text(corpus["edition"]["raw"])))
    files.append(File.generated(config, "assets/settings/wording.js", content=wording_js(corpus)))
    return files


def e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _choices(corpus: dict[str, Any], key: str) -> list[tuple[str, str]]:
    if key == "org_type":
        return [(t["value"], t["label"]) for t in corpus["edition_fields"]["org_types"]]
    for step in corpus["questions"]["steps"]:
        for q in step["questions"]:
            if q["key"] == key:
                return [(c["value"], c["label"]) for c in q.get("choices", [])]
    return []


def form_html(corpus: dict[str, Any]) -> str:
    """One labelled control per edition field, with its help; the page script fills and reads them."""
    parts = ['<form id="itaku-edition-form" class="itaku-edition-form" novalidate>']
    for f in corpus["edition_fields"]["fields"]:
        key, label = f["key"], f["label"] + ("（必須）" if f.get("required") else "")
        control = f'id="ed-{e(key)}" name="{e(key)}" aria-describedby="ed-{e(key)}-help ed-{e(key)}-error"'
        if f.get("type") == "choice":
            options = "" if f.get("required") else '<option value="">（指定しない）</option>'
            options += "".join(f'<option value="{e(v)}">{e(t)}</option>' for v, t in _choices(corpus, key))
            field = f"<select {control}>{options}</select>"
        else:
            field = f'<input type="text" {control} maxlength="{int(f.get("max_length", 200))}">'
        parts.append(f'<div class="itaku-q" data-key="{e(key)}"><label for="ed-{e(key)}">{e(label)}</label>{field}'
                     f'<p class="itaku-help" id="ed-{e(key)}-help">{e(f.get("help", ""))}</p>'
                     f'<p class="itaku-error" id="ed-{e(key)}-error" hidden></p></div>')
    parts.append('<fieldset class="itaku-local"><legend>団体が追加する条文（任意）</legend>'
                 '<p class="itaku-help">特記事項の最後に、団体独自の条を追加できます。空行で項を分け、「1. 」で始まる行は号になります。'
                 '{{contractor}}（受託者の呼び方）・{{client}}（委託元の呼び方）などの差込み項目が使えます。'
                 '契約前・契約後の確認事項を書くと、遵守確認表にもその条の項目が入ります。</p>'
                 '<div id="itaku-local-list"></div>'
                 '<button type="button" class="md-button" id="itaku-local-add">条を追加する</button></fieldset>')
    parts.append('<fieldset class="itaku-local"><legend>団体の約款の文言に置き換える項（任意）</legend>'
                 '<p class="itaku-help" id="itaku-wording-help">モデルの条文の項・号を、団体の標準の約款の文言に置き換えます。'
                 'すべての業務の特記事項で、その項・号が約款の文言になり、条文の採否一覧に「団体の約款の文言」としてモデルの文言と並べて載ります。'
                 '置き換える項は「条文id/項の番号」で書きます（例：carry-out/2。号は carry-out/2/1、文言の種類があるときは '
                 'carry-out@routine/2）。条文id は条文解説のページのアドレス（clauses/carry-out.html）の名前で、項の番号は'
                 'その条文を上から数えた番号です（条件付きの項も数えます）。差込み項目（{{contractor}} など）が使えます。'
                 '一覧から条と項を選ぶか、「条文id/項の番号」を入力すると、その項のモデルの文言が下に表示されます。</p>'
                 '<div id="itaku-wording-list"></div>'
                 '<button type="button" class="md-button" id="itaku-wording-add">置き換える項を追加する</button></fieldset>')
    parts.append('<datalist id="itaku-wording-keys"></datalist>')  # filled by settings.js from wording.js
    parts.append("</form>")
    return "".join(parts)


def wording_js(corpus: dict[str, Any]) -> str:
    """assets/settings/wording.js: every 項・号 the 約款 wording can replace ({key, label, text}: the model's), for
    the settings page's picker and the model text it shows beside the chosen key (a classic script: file:// too)."""
    choices = json.dumps(paragraph_choices(corpus["clauses"]), ensure_ascii=False, separators=(",", ":"))
    return f"globalThis.ItakuWordingChoices = {choices};\n"


def on_page_content(html_text: str, page, config, files) -> str:  # noqa: ANN001 - MkDocs hook signature
    if page.file.src_uri != PAGE:
        return html_text
    if MARKER not in html_text:
        raise PluginError(f"団体の設定 / edition: {PAGE} に {MARKER} がありません")
    return html_text.replace(MARKER, form_html(_corpus(config)))
