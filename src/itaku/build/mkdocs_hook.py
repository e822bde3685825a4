"""MkDocs hook: pages generated from the corpus, added in memory (never written to docs/).

- 条文解説: one page per clause (text, variants, commentary, sources, items)
- 確認項目の解説: one page per checklist (before / after / selection / self-check)
- 参考資料: traceability table, sources, revision history
The corpus is compiled (and validated) once per build; a corpus error fails
the build with the corpus's own Japanese messages.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from itaku.build.corpus import CorpusError, compile_corpus
from itaku.build.validate import COMMENTARY
from itaku.build.traceability import INCLUSION_LABELS, render_traceability, source_label

PHASES = {1: "要件の明確化と伝達", 2: "事業者の選定", 3: "契約", 4: "実施状況の確認", 5: "契約終了", 6: "事故が起きたら"}
PHASE_PAGES = {1: "1-requirements", 2: "2-selection", 3: "3-contract", 4: "4-monitoring", 5: "5-termination",
               6: "6-incidents"}
ROLE_WORDS = {"client": "甲", "contractor": "乙", "contract": "この契約", "work": "この契約による業務"}
CHECKLIST_PAGES = {"before": "遵守確認表（契約前）の項目解説", "after": "遵守確認表（契約後）の項目解説",
                   "selection": "委託先選定時の確認表の項目解説", "self-check": "委託元の自己点検表の項目解説"}

_state: dict[str, Any] = {}


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        corpus = compile_corpus(_root(config))
    except CorpusError as exc:
        raise PluginError("コーパスに問題があります / corpus problems:\n" + "\n".join(exc.problems)) from None
    _state["corpus"] = corpus
    epoch = int(__import__("os").environ.get("SOURCE_DATE_EPOCH", "0")) or None
    built = datetime.fromtimestamp(epoch, timezone.utc) if epoch else datetime.now(timezone.utc)
    config.extra["corpus_version"] = corpus["version"]
    config.extra["build_date"] = built.strftime("%Y-%m-%d")
    nav = list(config.nav or [])
    nav.append({"条文解説": ["clauses/index.md"] + [{c["title"]: f"clauses/{c['id']}.md"} for c in corpus["clauses"]]})
    nav.append({"確認項目の解説": [{title: f"items/{name}.md"} for name, title in CHECKLIST_PAGES.items()]})
    nav.append({"参考資料": [{"トレーサビリティ表": "reference/traceability.md"},
                          {"出典・関係法令": "reference/sources.md"},
                          {"改訂履歴": "reference/changelog.md"}]})
    config.nav = nav
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    corpus = _state["corpus"]
    pages = {"clauses/index.md": clause_index(corpus)}
    for clause in corpus["clauses"]:
        pages[f"clauses/{clause['id']}.md"] = clause_page(corpus, clause)
    for name in CHECKLIST_PAGES:
        pages[f"items/{name}.md"] = checklist_page(corpus, name)
    pages["reference/traceability.md"] = (
        "# トレーサビリティ表\n\n条文ごとに、それを確認する項目、出典、扱うトピックを示します。"
        "すべてのトピックが少なくとも1つの条文で扱われていることを、ビルドのたびに検査しています。\n\n"
        + render_traceability(corpus, lambda cid: f"../clauses/{cid}.md",
                              lambda iid: f"../items/before.md#{iid}"))
    pages["reference/sources.md"] = sources_page(corpus)
    pages["reference/changelog.md"] = changelog_page(corpus)
    for path, content in pages.items():
        files.append(File.generated(config, path, content=content))
    return files


# ---------------------------------------------------------------- page bodies

def _md(text: str) -> str:
    return escape(text, quote=False)


def readable(text: str, corpus: dict[str, Any]) -> str:
    """Clause text for reading: parties as 甲/乙, other placeholders as 〔label〕."""
    titles = {c["id"]: c["title"] for c in corpus["clauses"]}
    labels = corpus["questions"]["placeholders"]

    def sub(m: re.Match[str]) -> str:
        name = m.group(1).strip()
        if name.startswith("ref:"):
            cid = name[4:].strip()
            return f"「{titles.get(cid, cid)}」の条"
        return ROLE_WORDS.get(name) or f"〔{labels.get(name, name).split('（')[0]}〕"

    return re.sub(r"\{\{\s*([^{}]+?)\s*\}\}", sub, text)


def clause_text_md(paragraphs: list[dict[str, Any]], corpus: dict[str, Any]) -> str:
    """Every 項 and 号 of the corpus, with its [when: …] condition read aloud beside it."""
    out = []
    for i, p in enumerate(paragraphs):
        label = "" if i == 0 else f"{i + 1}　"
        out.append(f"{label}{_when_md(p.get('when'), corpus)}{_md(readable(p['text'], corpus))}\n")
        conds = p.get("items_when") or [None] * len(p["items"])
        for n, (item, cond) in enumerate(zip(p["items"], conds)):
            out.append(f"{'' if n else chr(10)}1. {_when_md(cond, corpus)}{_md(readable(item, corpus))}")
        if p["items"]:
            out.append("")
    return "\n".join(out) + "\n"


def _has_conditions(clause: dict[str, Any]) -> bool:
    return any(p.get("when") is not None or any(c is not None for c in p.get("items_when") or [])
               for text in clause["texts"].values() for p in text)


def _when_md(cond: Any, corpus: dict[str, Any]) -> str:
    """「〔この項は …場合に入ります〕」 before a conditional paragraph or item; nothing for an unconditional one."""
    if cond is None:
        return ""
    from itaku.conditions import describe
    from itaku.model import Corpus
    model = Corpus(corpus)
    return f'<span class="itaku-when">〔{_md(describe(cond, model.labels(), model.choice_labels()))}の場合に入ります〕</span>'


def clause_page(corpus: dict[str, Any], clause: dict[str, Any]) -> str:
    from itaku.conditions import describe
    from itaku.model import Corpus
    labels, choices = Corpus(corpus).labels(), Corpus(corpus).choice_labels()
    inclusion = INCLUSION_LABELS[clause["inclusion"]]
    when = f"（{_md(describe(clause['applies_when'], labels, choices))}）" if clause.get("applies_when") else ""
    phases = "、".join(f"[{p} {PHASES[p]}](../manual/{PHASE_PAGES[p]}.md)" for p in clause["phases"])
    lines = [f"# {_md(clause['title'])}\n",
             f"- 区分：**{inclusion}**{when}",
             f"- 関係する段階：{phases}",
             f"- 条文 ID：`{clause['id']}`\n",
             "## 条文（標準の文言）\n",
             *(["〔 〕で条件を示した項・号は、回答がその条件に当たる業務にだけ入ります。"
                 "項・号の番号は、業務ごとに残ったものだけで振り直されます。\n"] if _has_conditions(clause) else []),
             '<div class="itaku-clause" markdown>\n', clause_text_md(clause["texts"][""], corpus), "</div>\n"]
    for v in clause.get("variants") or []:
        lines += [f"### 文言：{_md(v['label'])}\n",
                  f"この文言になる条件：{_md(describe(v['when'], labels, choices))}\n",
                  '<div class="itaku-clause" markdown>\n', clause_text_md(clause["texts"][v["id"]], corpus), "</div>\n"]
    for heading in COMMENTARY:  # corpus.json sorts keys; the reading order is fixed here
        lines += [f"## {heading}\n", clause["commentary"][heading], ""]
    lines.append("## 確認項目\n")
    lines.append("| ID | 契約前 | 契約後 | 確認する資料 |\n|---|---|---|---|")
    for item in (i for i in corpus["items"] if i["clause"] == clause["id"]):
        lines.append(f"| [{item['id']}](../items/before.md#{item['id']}) | {_cell(item['before'])} | "
                     f"{_cell(item['after'])} | {_cell('、'.join(item['evidence']))} |")
    lines += ["", "## 出典\n"]
    lines += [f"- {_md(source_label(corpus, s))}" for s in clause["sources"]]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return _md(str(text)).replace("|", "｜").replace("\n", " ")


def clause_index(corpus: dict[str, Any]) -> str:
    lines = ["# 条文解説\n", "特記事項の各条文について、標準の文言、趣旨、解説、記載例、留意点、よくある誤り、"
             "関連する事故・監査の指摘を示します。条番号は業務ごとに選ばれた条文で振り直されるため、ここでは条文名で示します。\n",
             "| 条文 | 区分 |", "|---|---|"]
    for c in corpus["clauses"]:
        lines.append(f"| [{_cell(c['title'])}]({c['id']}.md) | {INCLUSION_LABELS[c['inclusion']]} |")
    return "\n".join(lines) + "\n"


def checklist_page(corpus: dict[str, Any], name: str) -> str:
    title = CHECKLIST_PAGES[name]
    lines = [f"# {title}\n"]
    if name in ("before", "after"):
        phase = "契約前" if name == "before" else "契約後"
        lines.append(f"{phase}に確認する項目と、その解説です。各項目は条文に対応しています。\n")
        titles = {c["id"]: c["title"] for c in corpus["clauses"]}
        for item in corpus["items"]:
            lines += [f"## {_md(item[name])} {{#{item['id']}}}\n",
                      f"- 対応する条文：[{_md(titles[item['clause']])}](../clauses/{item['clause']}.md)",
                      f"- 確認する資料：{_md('、'.join(item['evidence']))}",
                      f"- 回答者：{item['answered_by']}　方法：{item['method']}",
                      f"- 出典：{_md('、'.join(source_label(corpus, s) for s in item['sources']))}\n",
                      _md(item["explanation"]), ""]
    else:
        data = corpus["lists"][name]
        lines.append(f"{_md(data['title'])}の各項目と解説です。\n")
        for item in data["items"]:
            lines += [f"## {_md(item['text'])} {{#{item['id']}}}\n"]
            if item.get("evidence"):
                lines.append(f"- 確認する資料：{_md('、'.join(item['evidence']))}")
            lines.append(f"- 出典：{_md('、'.join(source_label(corpus, s) for s in item['sources']))}\n")
            lines += [_md(item["explanation"]), ""]
    return "\n".join(lines) + "\n"


def sources_page(corpus: dict[str, Any]) -> str:
    lines = ["# 出典・関係法令\n", "本キットが引用する法令・指針・報告書です。条番号は、確認した場所（原典、e-Gov 法令検索の条文、個人情報保護委員会の公式の頁、又は作成時に公式の資料から整理した調査記録）を記録したものだけを掲げています。地方公共団体の漏えい等報告の期限の日数のように確認できていない事項は、注記にその旨を書いています。\n"]
    for doc in corpus["sources"]:
        lines += [f"## {_md(doc.get('short') or doc['title'])} {{#{doc['id']}}}\n",
                  f"- 名称：{_md(doc['title'])}", f"- 発出：{_md(doc['issuer'])}", f"- 時点：{_md(str(doc['date']))}"]
        if doc.get("note"):
            lines.append(f"- 注記：{_md(doc['note'])}")
        if doc.get("refs"):
            lines.append(f"- 引用する箇所：{_md('、'.join(doc['refs']))}")
        lines.append("")
    return "\n".join(lines) + "\n"


def changelog_page(corpus: dict[str, Any]) -> str:
    titles = {c["id"]: c["title"] for c in corpus["clauses"]}
    lines = ["# 改訂履歴\n", f"現在の版：**{corpus['version']}**（{corpus['date']}）\n"]
    for entry in corpus["changelog"]:
        changed = "、".join(f"[{_md(titles[c])}](../clauses/{c}.md)" for c in entry.get("clauses", [])) or "—"
        lines += [f"## {entry['version']}（{entry['date']}）\n", _md(entry["summary"]), "", f"変更された条文：{changed}\n"]
    return "\n".join(lines) + "\n"
