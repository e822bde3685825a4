"""The life-cycle documents of a job: internal approval, notices, contract-body
articles and check sheet, forms (様式集), 承諾申請書・承諾書, inspection records.

All text comes from the corpus (``clauses/documents.yml`` and the forms of
``clauses/forms.yml``); this module only chooses what applies to the job, fills
the placeholders and lays the sections out as Document objects, with the same
stamp, header, 和暦 and party names as the specification.
"""
from __future__ import annotations

import dataclasses
import re
from datetime import date
from collections.abc import Mapping  # abc, not typing: isinstance is in the hot path
from typing import Any

from itaku.conditions import evaluate, kept
from itaku.document import Article, Block, Clause, Document, Heading, PageBreak, Paragraph, Table
from itaku.forms import answer_rows, stage
from itaku.header import job_document, meta
from itaku.job import Job, once, part_of_job
from itaku.onsite import onsite_checks, record_rows
from itaku.supervision import where
from itaku.text import FULLWIDTH, fill
from itaku import terms
from itaku.wareki import wareki
from itaku.wording import display_value, quoted, reword

SPECIAL_RE = re.compile(r"\{\{\s*(answer|has|lacks):([^{}]+?)\s*\}\}")
APPROVAL = "approval"


def spec(job: Job) -> Mapping[str, Any]:
    return job.corpus.data.get("documents") or {}


# ---------------------------------------------------------------- values

def _when(plan_entry: Any) -> str:
    e = plan_entry
    return wareki(e.due) if e.earliest >= e.due else f"{wareki(e.earliest)}〜{wareki(e.due)}"


def after_checks(job: Job) -> list[Any]:
    return [e for e in job.plan if e.key[0] == "annual"]


def subcontractors(job: Job) -> list[str]:
    """Names of the planned subcontractors: from the answers when given, else one blank row."""
    return list(subcontractor_stages(job))


def subcontractor_stages(job: Job) -> dict[str, str]:
    """Planned subcontractors (name → stage in the chain, 「再委託先」 or 「再々委託先（「X」から）」), else one blank."""
    named = job.context.get("subcontractors")
    if isinstance(named, list) and named:
        rows = [n for n in named if isinstance(n, Mapping) and str(n.get("name", "")).strip()]
        if rows:
            return {str(n["name"]): stage(n).replace("（受託者から）", "") for n in rows}
    planned = job.context.get("reoutsourcing") == "planned" or job.context.get("act_reoutsourcing") in (
        APPROVAL, "allowed")
    blank = (spec(job).get("wording") or {}).get("subcontractor_blank", "")
    return {blank: "再委託先"} if planned else {}


def approval_acts(job: Job) -> list[Any]:
    """Decisions (acts.yml order) whose value is ``approval`` and whose forms live in documents.yml."""
    texts = _approval_texts(job)
    return [d for d in job.acts.values() if d.value == APPROVAL and d.act in texts]


def _approval_texts(job: Job) -> Mapping[str, Any]:
    return spec(job).get("approvals") or {}


def values(job: Job) -> dict[str, str]:
    """Placeholders of documents.yml (besides the specification's), for this job (made once per job)."""
    return dict(once(job, "_lifecycle_values", lambda: _values(job)))


def _values(job: Job) -> dict[str, str]:
    v, edition = job.context, job.corpus.edition
    words = spec(job).get("wording") or {}
    pick = 1 if job.is_designated else 0
    names = job.corpus.choice_labels()
    # Labels hold 「・」 themselves (委託元の庁舎・施設内): joined by 「、」, the brackets' explanations dropped.
    labels = names.get("work_places", {})
    places = "、".join(labels.get(p, str(p)).split("（")[0] for p in v.get("work_places") or []) or words["none"]
    if v.get("work_place_detail"):
        places += f"（具体的には{quoted(v['work_place_detail'])}）"  # free text: always inside 「」
    count = int(v.get("record_count") or 0)
    risk_words = words.get("risks") or {}
    risks = [risk_words[k] for k in ("specific_personal_info", "sensitive_info") if v.get(k)]
    if count >= 1000:
        risks.append(risk_words["record_count"].format(n=f"{count:,}"))
    annual = after_checks(job)
    start = [e for e in job.plan if e.key[0] in ("pre", "start")]  # the 契約前 check ("start" before issue 11)
    first = [e for e in job.plan if e.key[0] == "selfcheck-start"]  # 「業務の開始後速やかに」 (特記事項)
    removed = [words["removed"].format(title=job.corpus.clause(cid)["title"], reason=why)
               for cid, why in job.answers.removed.items()]
    return {
        **{key: words[key][pick] for key in ("party", "agreement", "period_label", "bidders")},
        "created": wareki(date.fromisoformat(v["created_on"])),
        "start_date": wareki(date.fromisoformat(v["contract_start"])),
        "end_date": wareki(date.fromisoformat(v["contract_end"])),
        "record_count": words["count"].format(n=f"{count:,}"),
        "work_places_label": places,
        "article_count": str(len(job.selected)),
        "article_titles": "、".join(s.clause["title"] for s in job.selected),
        "removed_summary": "、".join(removed) or words["none"],
        "risk_reasons": "".join(risks),
        "onsite_count": str(len(onsite_checks(job))),
        "start_check_due": wareki(start[0].due) if start else words["no_plan"],
        "after_check_due": wareki(annual[0].due) if annual else words["no_plan"],
        "first_check_due": wareki(first[0].due) if first else words["no_plan"],
        "first_check_days": str((first[0].due - first[0].earliest).days) if first else "",
        "after_check_dues": "、".join(_when(e) for e in annual) or words["no_plan"],
        "privacy_section": str(edition.get("privacy_section", "")),
        # Letters give the issuing department's contact (asked per job), never the edition's (the privacy section's).
        "contact": str(v.get("department_contact") or words["contact_blank"]),
        **signatories(job),
        "reoutsourcing_consent": words["consent_mynumber" if v.get("specific_personal_info") is True else "consent"]
        .format(word="承認"),  # the subcontracting article's word
        **approval_values(job),
    }


def signatories(job: Job) -> dict[str, str]:
    """The contracting body's name as a party (長, 教育委員会, 公営企業の管理者: asked, never joined from a department)
    and the letters' sender (the issuing office's title as the job gives it, else the contracting body)."""
    v, org = job.context, job.values["org_name"]
    named = lambda title: title if title.startswith(org) else org + title  # noqa: E731 (typed with the body's name)
    body = v.get("contracting_body") or "head"
    if body == "board_of_education":
        signatory = str((spec(job).get("wording") or {})["board_of_education"]).format(org=org)
    elif body == "enterprise" and v.get("enterprise_manager_title"):
        signatory = named(str(v["enterprise_manager_title"]))
    else:
        signatory = job.values["head_name"]
    issuer = named(str(v["issuer_title"])) if v.get("issuer_title") else signatory
    return {"signatory": signatory, "issuer": issuer}


def approval_values(job: Job) -> dict[str, str]:
    """What the internal approval fills from the answers: the work done, the data items, the connection
    to information systems ("" when the answers say nothing: the field is left to be written by hand)."""
    v, names = job.context, job.corpus.choice_labels()
    tasks = [display_value(v["processing"], names.get("processing", {}))] if v.get("processing") else []
    tasks += [task for key, task in APPROVAL_TASKS if v.get(key) is True] + [f"記録・媒体の廃棄（{display_value(m, names.get('disposal_media', {}))}）" for m in [v.get("disposal_media")] if v.get("destruction_job")]
    if v.get("mailing") and v.get("mailing_methods"):
        tasks.append(display_value(v["mailing_methods"], names.get("mailing_methods", {})))
    items = [quoted(str(r["item"])) + (f"（{r['note']}）" if r.get("note") else "")
             for r in v.get("data_items") or [] if isinstance(r, Mapping) and r.get("item")]
    purpose = f"。利用目的：{job.values['data_purpose']}" if items else ""
    if v.get("processing") == "paper" or (v.get("destruction_only") and "overwrite" not in (v.get("disposal_options") or [])):
        connection = "接続しない（" + ("廃棄対象物を読み取らずに処理する）" if v.get("destruction_only") else "紙の資料だけを扱う）")
    elif v.get("remote_sites"):
        connection = f"受託者の接続元から遠隔で接続する：{job.values['remote_sites']}"
    elif v.get("system_operation") is True:
        connection = "受託者が運用・保守の作業として接続する（接続の場所と方法は作業場所の届出による）"
    else:
        connection = ""
    return {"work_content": f"{job.values['work_name']}（{'、'.join(tasks)}）" if tasks else job.values["work_name"],
            "data_items_text": "、".join(items) + purpose, "connection_text": connection}


# (answer key, the task it names) for 「受託者に行わせる業務の内容」 of the internal approval
APPROVAL_TASKS = (("system_operation", "情報システムの運用・保守"), ("data_extraction", "本番データの抽出"),
                  ("contractor_collects", "本人などからの個人情報の収集"), ("transport_is_job", "資料等の配送・搬送"),
                  ("intake_job", "申請書等の受付（受付簿への記録、委託元への引渡し）"), ("deliverables", "成果物の作成・納品"))


def _special(text: str, job: Job) -> str:
    """{{answer:KEY}} → the answer as the questionnaire shows it; {{has:a+b}} → 1 / 0; {{lacks:a+b}} → 0 / 1
    (the 2007 MIC coding: 0 = 適, 1 = 不備)."""
    if "{{answer:" not in text and "{{has:" not in text and "{{lacks:" not in text:
        return text

    def sub(m: re.Match[str]) -> str:
        kind, arg = m.group(1), m.group(2).strip()
        if kind == "answer":
            return answer_text(job, arg)
        included = {s.clause["id"] for s in job.selected}
        present = all(c in included for c in arg.split("+"))
        return str(int(present if kind == "has" else not present))

    return SPECIAL_RE.sub(sub, text)


def answer_text(job: Job, key: str) -> str:
    """An answer as the questionnaire shows it; a hidden question 「該当しない」, an empty one blank (never 「（未回答）」)."""
    value = job.context.get(key)
    if value is None or value == "":
        question = {q["key"]: q for q in job.corpus.questions()}.get(key) or {}
        return "該当しない" if not evaluate(question.get("show_when"), job.context) else ""
    return display_value(value, job.corpus.choice_labels().get(key, {}))


class Filler:
    """Fills one text for the job (placeholders, 指定管理 wording); ``extra`` for per-copy values."""

    def __init__(self, job: Job, extra: Mapping[str, str] | None = None, base: Mapping[str, str] | None = None):
        base = values(job) if base is None else base  # ``base``: values(job), computed once per document
        self.job = dataclasses.replace(job, values={**job.values, **base, **(extra or {})})
        pairs = spec(job).get("designated_terms") or [] if job.is_designated else []
        self.terms = [(a, fill(b, self.job)) for a, b in pairs]
        if not job.context.get("contractor_name"):  # the blank's stand-in follows the wording too
            self.job.values["contractor_name"] = self.words(job.values["contractor_name"])

    def words(self, text: str) -> str:
        return terms.reword(text, self.terms, terms.keep_pattern(self.job.corpus.data.get("wording") or {}))

    def __call__(self, text: Any) -> str:
        text = str(text)
        # fill() rewords for the kind of job (clauses/wording.yml) as well; text without placeholders too.
        return self.words(fill(_special(text, self.job), self.job) if "{{" in text
                          else reword(self.job.corpus, self.job.context, text))


# ---------------------------------------------------------------- sections → blocks

def _cells(entry: Any) -> list[Any]:
    if isinstance(entry, Mapping):
        entry = entry.get("cells", entry.get("text"))
    return list(entry) if isinstance(entry, list) else [entry]


def _row(entry: Any, width: int, f: Filler) -> tuple[str, ...]:
    cells = [f(c) for c in _cells(entry)]
    return tuple(cells + [""] * (width - len(cells)))


def _table(table: Mapping[str, Any], job: Job, f: Filler) -> Table:
    header = tuple(f(h) for h in table["header"])
    width = len(header)
    rows = [_row(e, width, f) for e in kept(table.get("items"), job.context)]
    rows += answer_rows(job, table)  # ``from: {answer: …}``: one row per row of a list answer
    if not table.get("subcontractor_section"):  # else each subcontractor gets its own table (below)
        for name in subcontractors(job):
            rows += _subcontractor_rows(table, job, Filler(job, {"subcontractor": name}), width)
    rows += [("",) * width for _ in range(int(table.get("rows", 0)))]
    if table.get("numbered"):  # the first column is No.; the items fill the others
        rows = [(str(n + 1),) + r[:-1] for n, r in enumerate(rows)]
    return Table(header, tuple(rows), tuple(table.get("widths") or ()))


def _subcontractor_rows(table: Mapping[str, Any], job: Job, sub: Filler, width: int) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for e in kept(table.get("subcontractor_items"), job.context):
        rows += [_row(e, width, sub)] * int(e.get("repeat", 1) if isinstance(e, Mapping) else 1)
    return rows


def subcontractor_sections(table: Mapping[str, Any], job: Job, f: Filler) -> list[Block]:
    """``subcontractor_section: LABEL``: one labelled table per subcontractor (the staff roster's 再委託先)."""
    if not table.get("subcontractor_section"):
        return []
    header = tuple(f(h) for h in table["header"])
    blocks: list[Block] = []
    for name, kind in subcontractor_stages(job).items():
        sub = Filler(job, {"subcontractor": name, "subcontractor_stage": kind})
        blocks.append(Heading(sub(table["subcontractor_section"]), 2))
        blocks.append(Table(header, tuple(_subcontractor_rows(table, job, sub, len(header))),
                            tuple(table.get("widths") or ())))
    return blocks


def _source_table(table: Mapping[str, Any], job: Job, f: Filler) -> Table:
    """The check list of an on-site check: the job's 契約後 items that can be seen at this visit (``onsite_rows``)."""
    header = tuple(f(h) for h in table["header"])
    entries, index = onsite_checks(job), f.job.values.get("check_index")
    entry = entries[int(index)] if index else next(e for e in entries if e.key[0] == f.job.values.get("check_kind"))
    rows = record_rows(job, table, entry)
    # the rows are the checklist's, already filled; they may quote typed text: only the 指定管理 terms, never fill again
    body = tuple((str(n + 1), r.number, f.words(r.question))  # the No. the contractor sees
                 + ("",) * (len(header) - 3)
                 for n, r in enumerate(rows))
    if not body:  # say so rather than list every item of the contract
        body = (("－", "", f(str(table.get("none", "")))) + ("",) * (len(header) - 3),)
    return Table(header, body, tuple(table.get("widths") or ()))


def _field(entry: Any, f: Filler) -> tuple[str, str]:
    if isinstance(entry, Mapping):
        return f(entry.get("label", entry.get("text"))), f(entry.get("value", ""))  # {label, value} or {text, when}
    return f(entry), ""


def _sources(job: Job, refs: list[str]) -> str:
    """参考：福岡県 令和6年度行政監査 監査の結果1、総務省 平成19年緊急点検 2(1)・2(2) (one name per document)."""
    docs = {d["id"]: d for d in job.corpus.data.get("sources", [])}
    parts: dict[str, list[str]] = {}
    for ref in refs:
        doc_id, _, part = ref.partition("#")
        name = docs.get(doc_id, {}).get("short") or docs.get(doc_id, {}).get("title", doc_id)
        parts.setdefault(name, [])
        if part:
            parts[name].append(part)
    return "参考：" + "、".join(f"{name} {'・'.join(p)}".strip() for name, p in parts.items())


def _paragraph(entry: Any, f: Filler) -> Paragraph:
    align = entry.get("align", "left") if isinstance(entry, Mapping) else "left"
    return Paragraph(f(_cells(entry)[0]), align=align)


# A letter's date by when it is sent (issue 27.2): before the bid (作成日), at the start of the work, or a blank
# line the sender fills in (an approval answers an application whose date only the sender knows).
BLANK_DATE = "令和　　年　　月　　日"


def dated(job: Job, role: str) -> str:
    """The date line of a section with ``dated: ROLE`` (created | start | blank)."""
    v = job.context
    if role == "created":
        return wareki(date.fromisoformat(v["created_on"]))
    if role == "start":
        return wareki(date.fromisoformat(v["contract_start"]))
    if role == "blank":
        return BLANK_DATE
    raise ValueError(f"unknown date role {role!r}")


def number_line(job: Job) -> str:
    """A letter's 文書番号 line for the sender to number: 「市民課第　　　号」 (the department's unit), else blank."""
    unit = re.split(r"\s+", str(job.context.get("department") or "").strip())[-1]
    within = re.search(r"部(.+?(?:課|室|係|所|館|局|センター))$", unit)  # 市民部市民課 → 市民課
    prefix = within.group(1) if within else unit
    return f"{prefix or '　　　　'}第　　　号"


def letter_head(job: Job, section: Mapping[str, Any], f: Filler) -> list[Block]:
    """A letter as a municipality sends it: 文書番号 and date (right), addressee, sender (right), then the title
    (Heading 1). No routing line or reference line: those are the department's notes, not the letter's."""
    letter = section["letter"]
    blocks: list[Block] = [Paragraph(number_line(job), align="right")] if letter.get("number", True) else []
    blocks.append(Paragraph(dated(job, section.get("dated") or "blank"), align="right"))
    blocks.append(Paragraph(f(letter["to"])))
    if letter.get("from"):
        blocks.append(Paragraph(f(letter["from"]), align="right"))
    return blocks + [Heading(f(section["title"]), 1)]


def section_blocks(job: Job, section: Mapping[str, Any], f: Filler) -> list[Block]:
    """One form / letter / record: its Heading 1 (the name Word's navigation pane lists), then its parts.
    A ``letter`` starts with its number, date and addressee block, and its title follows (``letter_head``)."""
    letter = bool(section.get("letter"))
    blocks: list[Block] = letter_head(job, section, f) if letter else [Heading(f(section["title"]), 1)]
    if section.get("submitted_by") and not letter:
        blocks.append(Paragraph(f"提出：{f(section['submitted_by'])}", align="right"))
    if section.get("note"):
        blocks.append(Paragraph(f"※ {f(section['note'])}"))
    if section.get("dated") and not letter:  # the letter's own date, above the addressee
        blocks.append(Paragraph(dated(job, section["dated"]), align="right"))
    if section.get("header_fields"):
        blocks.append(Table(("項目", "記入欄"), tuple(_field(e, f) for e in kept(section["header_fields"], job.context)),
                            (35, 65)))
    blocks += [_paragraph(t, f) for t in kept(section.get("intro"), job.context)]
    items = kept(section.get("list"), job.context)
    blocks += [Paragraph(f"{str(n + 1).translate(FULLWIDTH)}　{f(_cells(t)[0])}", indent=1, hanging=2)
               for n, t in enumerate(items)]
    for a in kept(section.get("articles"), job.context):
        clauses = tuple(Clause("" if i == 0 else str(i + 1).translate(FULLWIDTH), f(_cells(t)[0]))
                        for i, t in enumerate(kept(a["text"], job.context)))
        blocks.append(Article("第○条", f(a["caption"]), clauses))
    fields = kept(section.get("fields"), job.context)
    if fields:
        blocks.append(Table(("項目", "記入欄"), tuple(_field(e, f) for e in fields), (35, 65)))
    if section.get("source_table"):
        blocks.append(_source_table(section["source_table"], job, f))
    if section.get("table"):
        blocks.append(_table(section["table"], job, f))
        blocks += subcontractor_sections(section["table"], job, f)
    blocks += [_paragraph(t, f) for t in kept(section.get("closing"), job.context)]
    if section.get("sources") and not letter:  # the kit's reference: never inside a letter sent out
        blocks.append(Paragraph(_sources(job, section["sources"]), align="right"))
    return blocks


def copies(job: Job, section: Mapping[str, Any], base: Mapping[str, str] | None = None) -> list[Filler]:
    """One filler per copy of a section: per act needing approval, per on-site check, or just one."""
    base = values(job) if base is None else base
    per = section.get("per")
    if per == "approval_act":
        texts = _approval_texts(job)
        out = []
        for decision in approval_acts(job):
            info = texts[decision.act]
            ref = f"{{{{ref:{info['clause']}}}}}" if info.get("clause") else ""
            word, words = str(info.get("consent", "承諾")), spec(job).get("wording") or {}
            mynumber = "_mynumber" if info.get("mynumber") and job.context.get("specific_personal_info") is True else ""
            extra = {"act_label": info["label"], "act_clause": Filler(job, base=base)(ref), "act_id": decision.act,
                     "act_consent": words["consent" + mynumber].format(word=word),
                     "act_consent_verb": words["consent_verb" + mynumber].format(word=word),
                     "act_basis": words["consent_basis_mynumber"].format(label=info["label"]) if mynumber else ""}
            out.append(Filler(job, extra, base))
        return out
    if per == "employer":  # the 誓約書 goes to the employer: the contractor, and each subcontractor for its own staff
        own = Filler(job, {"employer": job.values["contractor_name"], "employer_note": ""}, base)
        return [own] + [Filler(job, {"employer": name, "employer_note": f"（{kind}の従事者用）"}, base)
                        for name, kind in subcontractor_stages(job).items()]
    if per == "onsite_check":
        return [Filler(job, {"check_no": str(n + 1).translate(FULLWIDTH), "check_when": _when(e), "check_what": e.what,
                             "check_kind": e.key[0], "check_index": str(n), "check_place": where(job, e)}, base)
                for n, e in enumerate(onsite_checks(job))]
    return [Filler(job, base=base)]


def sections(job: Job, file_id: str) -> list[Mapping[str, Any]]:
    """The sections of one file, in order: the forms.yml forms with output = file_id, then documents.yml's."""
    out: list[Mapping[str, Any]] = [dict(form, file=file_id) for form in job.corpus.forms if form["output"] == file_id]
    for s in spec(job).get("sections") or []:
        if s["file"] != file_id:
            continue
        ids = [x["id"] for x in out]
        at = ids.index(s["after"]) + 1 if s.get("after") in ids else len(out)
        out.insert(at, s)
    return [s for s in out if part_of_job(job, s)]


def _approval_section(job: Job, section: Mapping[str, Any], f: Filler) -> Mapping[str, Any]:
    """A 承諾申請書・承諾書 with its act's own entries where ``{insert: KEY}`` stands."""
    info = _approval_texts(job).get(f.job.values.get("act_id", "")) or {}
    out = dict(section)
    for key in ("fields", "list"):
        entries: list[Any] = []
        for e in section.get(key) or []:
            entries += list(info.get(e["insert"]) or []) if isinstance(e, Mapping) and "insert" in e else [e]
        out[key] = entries
    return out


def header(job: Job, title: str, created: bool = True) -> list[Block]:
    """Title (Word style Title) and the job's particulars, as on the specification; without 作成日 for a file of
    letters and forms sent after the contract (each carries its own date)."""
    relabel = dict(spec(job).get("designated_labels") or {}) if job.is_designated else {}
    blocks: list[Block] = [Heading(title, 0)]
    blocks += [Paragraph(f"{relabel.get(label, label)}：{value}") for label, value in meta(Filler(job).job)
               if created or label != "作成日"]
    return blocks


def _ordered(job: Job, chosen: list[Mapping[str, Any]]) -> list[tuple[Mapping[str, Any], Filler]]:
    """(section, filler) in print order; consecutive per-act sections go act by act (申請書, then 承諾書)."""
    base = values(job)
    out: list[tuple[Mapping[str, Any], Filler]] = []
    i = 0
    while i < len(chosen):
        group = [chosen[i]]
        while chosen[i].get("per") == "approval_act" and i + len(group) < len(chosen) and \
                chosen[i + len(group)].get("per") == "approval_act":
            group.append(chosen[i + len(group)])
        fillers = [copies(job, s, base) for s in group]
        for n in range(len(fillers[0])):
            out += [(s, fs[n]) for s, fs in zip(group, fillers)]
        i += len(group)
    return out


def document(job: Job, file: Mapping[str, Any]) -> Document | None:
    """One file: a cover (Title, the job's particulars), one page per section; ``cover: false``: no cover (letters)."""
    parts: list[Block] = []
    for section, f in _ordered(job, sections(job, file["id"])):
        body = _approval_section(job, section, f) if section.get("per") == "approval_act" else section
        body = body if file.get("references", True) else {**body, "sources": None}  # a file handed out: no 参考
        parts += [PageBreak()] + section_blocks(job, body, f)
    if not parts:
        return None
    title = Filler(job)(file_title(job, file))
    cover = header(job, title, file.get("created", True)) if file.get("cover", True) else []
    return job_document(job, file["file"], title, cover + parts[0 if cover else 1:], file["id"],
                        landscape=bool(file.get("landscape")))


def file_title(job: Job, file: Mapping[str, Any]) -> str:
    """The file's title: the first ``alt_titles`` entry whose ``when`` holds (a job without a 契約書), else ``title``."""
    for alt in file.get("alt_titles") or []:
        if evaluate(alt.get("when"), job.context):
            return str(alt["title"])
    return str(file["title"])


def documents(job: Job) -> list[Document]:
    """Every life-cycle file that applies to the job, in the order of documents.yml."""
    docs = [document(job, file) for file in spec(job).get("files") or []]
    return [d for d in docs if d is not None]


def file_names(corpus_data: Mapping[str, Any]) -> list[str]:
    """Every life-cycle file name a job can have (for the page's download list and the tests)."""
    return [f["file"] for f in (corpus_data.get("documents") or {}).get("files") or []]
