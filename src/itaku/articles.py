"""A selected clause → its numbered article: the 項 and 号 whose conditions hold, filled, with the
preview note that says why the article and its conditional 項 are in the job."""
from __future__ import annotations

from typing import Any, Mapping

from itaku.conditions import describe, evaluate
from itaku.document import Article, Clause
from itaku.job import Job, Selected, once
from itaku.rewording import make_key
from itaku.text import FULLWIDTH, GenerationError, UserText, fill
from itaku.wording import reword


def kept_paragraphs(paragraphs: list[Mapping[str, Any]], context: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    """The 項 and 号 whose ``[when: …]`` holds for the job, as (text, [号…]), in order; numbering is the caller's."""
    out = []
    for p in paragraphs:
        if not evaluate(p.get("when"), context):
            continue
        conds = p.get("items_when") or [None] * len(p["items"])
        out.append((p["text"], [t for t, c in zip(p["items"], conds) if evaluate(c, context)]))
    return out


def article(job: Job, s: Selected) -> Article:
    kept = kept_paragraphs(_with_rows(s.clause, reworded_texts(job, s), job.context, job.values), job.context)
    if not kept:
        raise GenerationError(f"条文「{s.clause['id']}」の項がすべて条件で外れました")
    clauses = []
    for i, (text, kept_items) in enumerate(kept):
        items = tuple((f"（{str(n + 1).translate(FULLWIDTH)}）", filled(t, job)) for n, t in enumerate(kept_items))
        clauses.append(Clause("" if i == 0 else str(i + 1).translate(FULLWIDTH), filled(text, job), items))
    added = conditional_reasons(job, s.clause["texts"][s.variant])
    cid = s.clause["id"]
    touched = s.clause.get("model_texts") or any(k.split("/")[0].split("@")[0] == cid for k in job.answers.reworded)
    changed = "、".join(f"{e['label'].split('条', 1)[1]}（{SOURCES[e['source']]}）"
                       for e in (paragraph_entries(job, s) if touched else ()) if e["source"])
    note = _note(s.reason, added)
    if changed:
        note = f"{note.rstrip('。')}。文言を変えた項：{changed}" if note else f"文言を変えた項：{changed}"
    return Article(f"第{s.number}条", f"（{reword(job.corpus, job.context, s.clause['title'])}）", tuple(clauses),
                   clause_id=s.clause["id"], note=note)


SOURCES = {"edition": "団体の約款の文言", "job": "この業務で変更"}


def filled(text: str, job: Job) -> str:
    """``fill`` once per text and job: the article, the page's list of paragraphs and the 採否一覧 fill the same
    texts (a typed text, UserText, is kept apart from an equal corpus text, which is filled)."""
    cache: dict[tuple[bool, str], str] = once(job, "_filled", dict)
    key = (isinstance(text, UserText), str(text))
    if key not in cache:
        cache[key] = fill(text, job)
    return cache[key]


def reworded_texts(job: Job, s: Selected) -> list[Mapping[str, Any]]:
    """The 項 of the article's wording with the job's rewordings in place: set as typed (UserText), never filled."""
    mine = job.answers.reworded
    out = []
    for p, para in enumerate(s.clause["texts"][s.variant], start=1):
        key = make_key(s.clause["id"], s.variant, p)
        items = [UserText(mine[f"{key}/{i}"]["text"]) if f"{key}/{i}" in mine else t
                 for i, t in enumerate(para["items"], start=1)]
        out.append({**para, "text": UserText(mine[key]["text"]) if key in mine else para["text"], "items": items})
    return out


def paragraph_entries(job: Job, s: Selected) -> list[dict[str, str]]:
    """Every 項 and 号 of the article as this job has it, in order: ``key`` (itaku.rewording), ``label``
    (第N条第M項第K号), ``model`` (the text in force before this job's change: the 約款's where the edition
    rewords it), ``original`` (the kit's text where the edition rewords it, else ""), ``text`` (as printed)
    and ``source`` ("job", "edition" or ""). The 号 typed as rows of an answer (extra terms) are left out."""
    return once(job, f"_paragraphs:{s.clause['id']}", lambda: _entries(job, s))


def _entries(job: Job, s: Selected) -> list[dict[str, str]]:
    model_texts = s.clause.get("model_texts") or {}
    mine = job.answers.reworded
    paragraphs = s.clause["texts"][s.variant]
    out, number = [], 0
    for p, para in enumerate(paragraphs, start=1):
        if not evaluate(para.get("when"), job.context):
            continue
        number += 1
        key = make_key(s.clause["id"], s.variant, p)
        parts = [(key, f"第{s.number}条第{number}項", para["text"])]
        if not (s.clause.get("rows_from") and p == len(paragraphs)):
            conds = para.get("items_when") or [None] * len(para["items"])
            kept = [(i, t) for i, (t, c) in enumerate(zip(para["items"], conds), start=1) if evaluate(c, job.context)]
            parts += [(f"{key}/{i}", f"第{s.number}条第{number}項第{n}号", t) for n, (i, t) in enumerate(kept, start=1)]
        for k, label, text in parts:
            model = filled(text, job)
            source = "job" if k in mine else "edition" if k in model_texts else ""
            out.append({"key": k, "label": label, "model": model,
                        "original": filled(model_texts[k], job) if k in model_texts else "",
                        "text": mine[k]["text"] if k in mine else model, "source": source})
    return out


def conditional_reasons(job: Job, paragraphs: list[Mapping[str, Any]]) -> str:
    """Preview note: which 項 were kept because of an answer (「第3項（「秘匿性」が「高い」…）」)."""
    labels, choices = job.corpus.labels(), job.corpus.choice_labels()
    why = {f"act_{act}": d.reason for act, d in job.acts.items()}  # the answers that decided, not 「禁止」
    out, number = [], 0
    for p in paragraphs:
        if not evaluate(p.get("when"), job.context):
            continue
        number += 1
        if p.get("when") is not None:
            out.append(f"第{number}項（{describe(p['when'], labels, choices, why)}）")
    return "、".join(out)


def parties(text: str, values: Mapping[str, str]) -> str:
    """A typed 遵守事項 in the specification's own party names: 「受託者は…」 reads 「乙は…」 in a 甲/乙 text (issue 27.5)."""
    contractor, client = values.get("contractor"), values.get("client")
    if contractor and contractor != "受託者":
        text = text.replace("受託者", contractor)
    if client and client not in ("委託者", "委託元"):
        text = text.replace("委託者", client).replace("委託元", client)
    return text


def _with_rows(clause: Mapping[str, Any], paragraphs: list[Mapping[str, Any]],
               context: Mapping[str, Any], values: Mapping[str, str] | None = None) -> list[Mapping[str, Any]]:
    """``rows_from: {answer, column}`` in a clause: the answer's rows become the 号 of its last paragraph."""
    spec = clause.get("rows_from")
    if not spec or not paragraphs:
        return paragraphs
    rows = [parties(" ".join(str(r.get(spec["column"], "")).split()), values or {})
            for r in context.get(spec["answer"]) or []]
    items = [UserText(t if t.endswith("。") else t + "。") for t in rows if t]  # each row is one 号, a sentence
    return [*paragraphs[:-1], {**paragraphs[-1], "items": items, "items_when": [None] * len(items)}]


def _note(reason: str, added: str) -> str:
    """Why the article is in, then its conditional 項: one 「。」 between them, never 「。。」."""
    if not added:
        return reason
    return f"{reason.rstrip('。')}。条件付きの項：{added}" if reason else f"条件付きの項：{added}"
