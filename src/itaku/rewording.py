"""Reworded paragraphs (issue 29.9, issue 30.2): the keys that name a 項 or 号 of a clause, the checks of a
job's rewordings (answers.json ``reworded_paragraphs``) and the edition's 約款 wording (edition.js ``wording``).

A key names a paragraph by its place in the clause's text, not by its number in a job (a conditional 項
changes the numbers): ``<clause>/<項>`` or ``<clause>/<項>/<号>`` for the standard wording,
``<clause>@<variant>/<項>[/<号>]`` for a variant's, counted from 1 over every 項 of that text (kept or
not). A rewording is text only: it never changes an act, an item or a plan row. Nothing in it is
evaluated: a job's rewording is set as typed (``itaku.text.UserText``); the edition's may use the
placeholders of the questionnaire, checked like a local clause's.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from itaku.model import Corpus
from itaku.schema import listed_mappings

KEY_RE = re.compile(r"^([a-z0-9][a-z0-9-]{0,59})(?:@([a-z0-9][a-z0-9-]{0,59}))?/([1-9][0-9]{0,2})(?:/([1-9][0-9]{0,2}))?$")
MAX_TEXT = 2000  # one 項 or 号
MAX_REASON = 1000
MAX_REWORDED = 200  # rewordings in one answers file
NEWLINES = re.compile(r"\s*\n\s*")


def parse_key(key: Any) -> tuple[str, str, int, int | None] | None:
    """(clause id, variant id or "", 項 index from 1, 号 index from 1 or None), or None for a malformed key."""
    m = KEY_RE.fullmatch(key) if isinstance(key, str) else None
    if not m:
        return None
    return m.group(1), m.group(2) or "", int(m.group(3)), int(m.group(4)) if m.group(4) else None


def make_key(clause_id: str, variant: str, paragraph: int, item: int | None = None) -> str:
    return f"{clause_id}{'@' + variant if variant else ''}/{paragraph}" + (f"/{item}" if item else "")


def locate(corpus: Corpus, key: str) -> tuple[Mapping[str, Any], str] | None:
    """(clause, the paragraph's text as the corpus in force has it) or None when the paragraph does not exist."""
    parts = parse_key(key)
    if parts is None:
        return None
    cid, variant, p, i = parts
    clause = next((c for c in corpus.clauses if c["id"] == cid), None)
    paragraphs = (clause or {}).get("texts", {}).get(variant)
    if clause is None or paragraphs is None or p > len(paragraphs):
        return None
    if clause.get("rows_from") and p == len(paragraphs) and i is not None:
        return None  # the 号 of that 項 are the rows the user typed (extra terms): edited in the question itself
    para = paragraphs[p - 1]
    if i is None:
        return clause, para["text"]
    return (clause, para["items"][i - 1]) if i <= len(para["items"]) else None


def one_line(text: str) -> str:
    """A paragraph is one line: line breaks typed in a text area are dropped (Japanese needs no space)."""
    return NEWLINES.sub("", text).strip()


def clean(corpus: Corpus, raw: Any, errors: dict[str, str], clean_text: Any) -> dict[str, dict[str, str]]:
    """A job's rewordings {key: {"text", "reason"}} checked and normalised (``clean_text``: the answers' own);
    problems go into ``errors`` as ``reworded:<key>`` (the text) and ``reworded-reason:<key>``. A key whose paragraph no longer exists (the corpus
    changed) is kept as it is, not refused: ``unplaced`` says so and the documents leave it out."""
    out: dict[str, dict[str, str]] = {}
    if raw in (None, {}):
        return out
    if not isinstance(raw, Mapping):
        errors["reworded_paragraphs"] = "文言を変えた項は「項のキー: {text, reason}」の形で指定してください。"
        return out
    if len(raw) > MAX_REWORDED:
        errors["reworded_paragraphs"] = f"文言を変えられる項は{MAX_REWORDED}か所までです（現在 {len(raw)} か所）。"
        return out
    shape: list[str] = []  # what the page could not hold: one message under ``reworded_paragraphs``
    for key, entry in raw.items():
        if parse_key(key) is None:
            shape.append(f"文言を変えた項のキー「{str(key)[:80]}」が読めません。")
            continue
        if not isinstance(entry, Mapping) or not all(isinstance(entry.get(k, ""), str) for k in ("text", "reason")):
            shape.append(f"文言を変えた項「{key}」は変更後の文言（text）と理由（reason）を文字で書いてください。")
            continue
        where = label(corpus, key)
        text = one_line(clean_text(entry.get("text", "")))
        reason = clean_text(entry.get("reason", ""))
        if not text:
            errors[f"reworded:{key}"] = f"{where}の変更後の文言を入力してください。"
        elif len(text) > MAX_TEXT:
            errors[f"reworded:{key}"] = f"{where}の変更後の文言は{MAX_TEXT}文字以内にしてください（現在 {len(text)} 文字）。"
        elif not reason:  # the reason's own key: the page marks that field
            errors[f"reworded-reason:{key}"] = f"{where}の文言を変える理由を入力してください。"
        elif len(reason) > MAX_REASON:
            errors[f"reworded-reason:{key}"] = f"{where}の文言を変える理由は{MAX_REASON}文字以内にしてください。"
        else:
            out[key] = {"text": text, "reason": reason}
    if shape:
        errors["reworded_paragraphs"] = " ".join(shape[:3]) + (" ほか" if len(shape) > 3 else "")
    return dict(sorted(out.items()))


def label(corpus: Corpus, key: str) -> str:
    """「「持出し」の条の第2項」: the paragraph named by its clause title and its place in the model text."""
    parts = parse_key(key)
    if parts is None:
        return f"「{key}」"
    cid, variant, p, i = parts
    clause = next((c for c in corpus.clauses if c["id"] == cid), None)
    title = clause["title"] if clause else cid
    variant_label = next((v["label"] for v in (clause or {}).get("variants") or [] if v["id"] == variant), variant)
    which = f"（{variant_label}の文言）" if variant else ""
    return f"「{title}」{which}の第{p}項" + (f"第{i}号" if i else "")


def paragraph_choices(clauses: list[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Every 項 and 号 a rewording can name, in clause order: {key, label, text (the model's)} — the settings
    page's picker (the keys are exactly those ``locate`` finds)."""
    out = []
    for clause in clauses:
        variants = {v["id"]: v["label"] for v in clause.get("variants") or []}
        for variant, paragraphs in clause["texts"].items():
            name = clause["title"] + (f"（{variants.get(variant, variant)}の文言）" if variant else "")
            for p, para in enumerate(paragraphs, start=1):
                out.append({"key": make_key(clause["id"], variant, p), "label": f"{name} 第{p}項", "text": para["text"]})
                if clause.get("rows_from") and p == len(paragraphs):
                    continue  # its 号 are the rows the user typed
                out += [{"key": make_key(clause["id"], variant, p, i), "label": f"{name} 第{p}項第{i}号", "text": t}
                        for i, t in enumerate(para["items"], start=1)]
    return out


def unplaced(corpus: Corpus, reworded: Mapping[str, Any]) -> list[str]:
    """Japanese messages for the rewordings whose paragraph this corpus no longer has (they are kept)."""
    return [f"{label(corpus, key)}の文言の変更は、キットの条文が改訂されてその項がなくなったため、文書には使っていません。"
            "変更の内容は回答ファイルに残しています。新しい条文を確かめ、必要なら改めて文言を変えてください。"
            for key in reworded if locate(corpus, key) is None]


# ---------------------------------------------------------------- the edition's 約款 (edition.js ``wording``)

EDITION_KEYS = ("paragraph", "text")
MAX_EDITION_WORDING = 200


def edition_wording(corpus: Corpus, raw: Any, check_text: Any, check_placeholders: Any,
                    problems: list[str]) -> list[dict[str, str]]:
    """The edition's replacements of model paragraphs by the authority's own standard clause (団体の約款):
    [{"key", "text"}]; every problem names the entry (``wording[1].paragraph（置き換える項）``)."""
    out, seen = [], set()
    for _, where, entry in listed_mappings(raw, "wording", "団体の約款の文言", MAX_EDITION_WORDING, "か所", EDITION_KEYS,
                                           problems):
        key = entry.get("paragraph")
        if parse_key(key) is None:
            problems.append(f"{where}.paragraph（置き換える項）：「条文id/項の番号」の形で書いてください（例：carry-out/2、"
                            "号は carry-out/2/1、文言の種類があるときは carry-out@routine/2）。")
            continue
        if locate(corpus, key) is None:
            problems.append(f"{where}.paragraph（置き換える項）：「{key}」にあたる項はキットの条文にありません。")
            continue
        if key in seen:
            problems.append(f"{where}.paragraph（置き換える項）：「{key}」は既に置き換えています。")
            continue
        seen.add(key)
        text = one_line(check_text(entry.get("text"), f"{where}.text（約款の文言）", problems, max_length=MAX_TEXT))
        check_placeholders(text, f"{where}.text（約款の文言）")
        if "[when:" in text:
            problems.append(f"{where}.text（約款の文言）：条件 [when: …] は使えません（条件は元の項のものが使われます）。")
        out.append({"key": key, "text": text})
    return out


def apply_wording(clauses: list[Mapping[str, Any]], wording: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The clauses with the edition's 約款 text in place of the model's; each changed clause keeps the model
    text under ``model_texts`` (key → text) for the 採否一覧."""
    by_clause: dict[str, list[dict[str, str]]] = {}
    for w in wording:
        by_clause.setdefault(w["key"].split("/")[0].split("@")[0], []).append(w)
    out = []
    for clause in clauses:
        changes = by_clause.get(clause["id"])
        if not changes:
            out.append(clause)
            continue
        texts = {v: [dict(p, items=list(p["items"])) for p in ps] for v, ps in clause["texts"].items()}
        model: dict[str, str] = {}
        for w in changes:
            parts = parse_key(w["key"])
            assert parts is not None
            _, variant, p, i = parts
            para = texts[variant][p - 1]
            if i is None:
                model[w["key"]], para["text"] = para["text"], w["text"]
            else:
                model[w["key"]], para["items"][i - 1] = para["items"][i - 1], w["text"]
        out.append({**clause, "texts": texts, "model_texts": model})
    return out
