"""Answers → Job: the selected articles, checklist rows, plan and forms for one job.

Pure functions over the corpus and validated answers. Renderers (``render``)
turn the resulting documents into .docx/.xlsx/HTML.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Mapping, TypeVar

from itaku.acts import Decision, context_keys, decide
from itaku.answers import Answers, answers_hash, canonical_json, derived
from itaku.conditions import describe, evaluate, keys as condition_keys
from itaku.document import (Article, Block, ChecklistRow, ChecklistSheet, Clause, Document, Heading, PageBreak,
                            Paragraph, Table)
from itaku.model import Corpus
from itaku import reasons, terms
from itaku.plan import PlanEntry, build_plan
from itaku.wareki import fiscal_year, period, wareki

PLACEHOLDER_RE = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
PHASE_TITLES = {"before": "遵守確認表（契約前）", "after": "遵守確認表（契約後）", "selection": "委託先選定時の確認表"}
FREQUENCY = {"monthly": "毎月", "quarterly": "四半期ごと", "half_yearly": "半期ごと"}


class GenerationError(RuntimeError):
    """A defect in the corpus found while generating (never the user's fault)."""


@dataclass(frozen=True)
class Selected:
    clause: Mapping[str, Any]
    number: int
    variant: str  # "" = default wording
    reason: str  # Japanese: why the article is in the job


@dataclass(frozen=True)
class Job:
    corpus: Corpus
    answers: Answers
    context: Mapping[str, Any]  # answers + derived keys, what conditions see
    values: Mapping[str, str]  # placeholder → text
    selected: tuple[Selected, ...]
    excluded: tuple[tuple[Mapping[str, Any], str], ...]  # (clause, why not)
    plan: tuple[PlanEntry, ...]
    hash: str
    acts: Mapping[str, Decision] = field(default_factory=dict)  # act id → the one decision for this job

    @property
    def is_designated(self) -> bool:
        return self.context.get("contract_type") == "designated_manager"

    def applicable_items(self, phase: str) -> list[str]:
        return [row.item_id for row in checklist_rows(self, phase)]


T = TypeVar("T")


def once(job: Job, name: str, make: Callable[[], T]) -> T:
    """``make()`` for this job, made on the first call and kept (a frozen dataclass still has a
    __dict__): the preview, the plan and the files all ask for the same per-job results."""
    cache = job.__dict__
    if name not in cache:
        cache[name] = make()
    return cache[name]


def job_context(corpus: Corpus, values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Decision]]:
    """What conditions see: answers, derived keys and one ``act_<id>`` per act."""
    context = {**values, **derived(values)}
    acts = decide(corpus.acts, context)
    context.update(context_keys(acts))
    return context, acts


def build_job(corpus: Corpus, answers: Answers) -> Job:
    context, acts = job_context(corpus, answers.values)
    selected: list[Selected] = []
    excluded: list[tuple[Mapping[str, Any], str]] = []
    for clause in corpus.clauses:
        why = _inclusion(corpus, clause, context, answers.removed)
        if why is None:
            excluded.append((clause, reword(corpus, context, _exclusion(corpus, clause, context, answers.removed))))
            continue
        why = reword(corpus, context, why)
        variant, variant_note = "", ""
        for v in clause.get("variants") or []:
            if evaluate(v["when"], context):
                variant = v["id"]
                variant_note = reword(corpus, context, reasons.variant(corpus, v, context))
                break
        selected.append(Selected(clause, len(selected) + 1, variant, why + variant_note))
    return Job(
        corpus=corpus,
        answers=answers,
        context=context,
        values=placeholder_values(corpus, answers.values),
        selected=tuple(selected),
        excluded=tuple(excluded),
        plan=tuple(build_plan(context)),
        hash=answers_hash(answers),
        acts=acts,
    )


def _inclusion(corpus: Corpus, clause: Mapping[str, Any], context: Mapping[str, Any],
               removed: Mapping[str, str]) -> str | None:
    # The reason is plain Japanese (itaku.reasons): the answers that brought the article in.
    inclusion = clause["inclusion"]
    if inclusion == "default_on" and clause["id"] in removed:
        return None
    if inclusion == "conditional" and not evaluate(clause.get("applies_when"), context):
        return None
    return reasons.included(corpus, clause, context)


def _exclusion(corpus: Corpus, clause: Mapping[str, Any], context: Mapping[str, Any], removed: Mapping[str, str]) -> str:
    return reasons.excluded(corpus, clause, removed)


def answer_summary(corpus: Corpus, cond: Any, context: Mapping[str, Any]) -> str:
    """「再委託 = 予定あり」… for the keys a condition looks at."""
    labels, choices = corpus.labels(), corpus.choice_labels()
    parts = []
    for key in dict.fromkeys(k for _, k, _ in condition_keys(cond)):
        value = context.get(key)
        text = f"{labels.get(key, key)} = {display_value(value, choices.get(key, {}))}"
        if key.startswith("act_"):  # say which answer made the act's decision
            decision = decide(corpus.acts, context).get(key[4:])
            if decision is not None:
                text += f"（{decision.reason}）"
        parts.append(text)
    return "、".join(parts)


def display_value(value: Any, names: Mapping[Any, str]) -> str:
    if value is None or value == "":
        return "（未回答）"
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, list):
        return "・".join(names.get(v, str(v)) for v in value) or "（なし）"
    if isinstance(value, int):
        return f"{value:,}"
    return names.get(value, str(value))


def reword(corpus: Corpus, context: Mapping[str, Any], text: str) -> str:
    """Corpus text in the job's own terms (clauses/wording.yml): 協定・指定管理者… for a 指定管理 job,
    and no 指定管理 wording in an ordinary contract. Applied to corpus text only, never to answers."""
    kind = "designated" if context.get("contract_type") == "designated_manager" else "ordinary"
    done = corpus.__dict__.setdefault("_reworded", {})  # corpus text repeats on every preview: once per text
    key = (kind, text)
    if key not in done:
        if len(done) > 50_000:  # a few texts carry figures of the job; keep the cache bounded
            done.clear()
        wording = corpus.data.get("wording") or {}
        done[key] = terms.reword(text, wording.get(kind, []), terms.keep_pattern(wording) if kind == "designated" else None)
    return done[key]


def quoted(text: str) -> str:
    """Free text set inside a sentence: always between 「」, so whatever was typed reads as a quotation."""
    return f"「{text}」"


def placeholder_values(corpus: Corpus, v: Mapping[str, Any]) -> dict[str, str]:
    designated = v.get("contract_type") == "designated_manager"
    kouotsu = v.get("party_style", "kouotsu") == "kouotsu"
    edition = corpus.edition
    start, end = date.fromisoformat(v["contract_start"]), date.fromisoformat(v["contract_end"])
    return {
        # 指定管理 is not a 委託: with role names the body is called by its name (○○市), never 委託者.
        "client": "甲" if kouotsu else (edition["org_name"] if designated else "委託者"),
        "contractor": "乙" if kouotsu else ("指定管理者" if designated else "受託者"),
        "contract": "この協定" if designated else "この契約",
        "work": "この協定による管理業務" if designated else "この契約による業務",
        "work_name": quoted(v["work_name"]),
        "org_name": edition["org_name"],
        "department": v["department"],
        "contractor_name": v.get("contractor_name") or ("（指定管理者名）" if designated else "（受託者名）"),
        "period": period(start, end),
        "work_place": quoted(v["work_place_detail"]) if v.get("work_place_detail") else "届出により定める場所",
        "report_frequency": FREQUENCY.get(v.get("report_frequency", "monthly"), "毎月"),
        "reoutsourcing_scope": quoted(v["reoutsourcing_scope"]) if v.get("reoutsourcing_scope") else "承認申請で定める範囲",
        "ordinance": edition["ordinance"],
        **list_values(corpus, v),
        # The edition's other values (itaku.edition): wording by the kind of body, the privacy section.
        **{key: edition[key] for key in ("head_title", "outside_area", "rules", "privacy_section", "contact")},
    }


def _short(label: str) -> str:
    """A choice label without its explanation in brackets: 「ノートパソコン」 for document text."""
    return label.split("（")[0].strip()


def _named(rows: list[Mapping[str, Any]], main: str, extra: Any = None) -> str:
    """「名称」（補足）、「名称」… from the rows of a list answer."""
    parts = []
    for row in rows:
        detail = extra(row) if callable(extra) else ""
        parts.append(f"「{row[main]}」" + (f"（{detail}）" if detail else ""))
    return "、".join(parts)


def list_values(corpus: Corpus, v: Mapping[str, Any]) -> dict[str, str]:
    """Placeholders filled from the list and multi answers of issue 12 (names the documents use)."""
    choices = corpus.choice_labels()
    columns = {q["key"]: {c["key"]: {ch["value"]: ch["label"] for ch in c.get("choices", [])}
                          for c in q.get("columns", [])} for q in corpus.questions() if q["type"] == "list"}
    devices = [_short(choices["field_devices"][d]) for d in v.get("field_devices") or []]
    clouds = v.get("cloud_services") or []
    where = columns.get("cloud_services", {}).get("location", {})
    lines = columns.get("remote_sites", {}).get("line", {})
    return {
        "data_purpose": quoted(v["data_purpose"]) if v.get("data_purpose") else f"{quoted(v['work_name'])}を行うため",
        "carried_objects": "、".join(devices) or "資料等",
        "remote_sites": _named(v.get("remote_sites") or [], "place", lambda r: _short(lines.get(r["line"], ""))),
        "cloud_services": _named(clouds, "name", lambda r: "保存場所：" + (
            f"国外（{r['country']}）" if r["location"] == "foreign" and r.get("country")
            else _short(where.get(r["location"], ""))) if r.get("location") else ""),
        "foreign_countries": "、".join(dict.fromkeys(quoted(r["country"]) for r in clouds
                                                     if r.get("location") == "foreign" and r.get("country")))
                             or "（承諾の申請で示す国）",
        "subcontractor_names": _named(v.get("subcontractors") or [], "name") or "（承認申請で定める再委託先）",
        "other_contractors": _named(v.get("other_contractors") or [], "name", lambda r: r.get("role", "")),
    }


class UserText(str):
    """Text the user typed that becomes clause text (rows of a list answer): never filled, kept as typed."""


def fill(text: str, job: Job) -> str:
    """Replace {{name}} and {{ref:id}}; a leftover placeholder is a corpus defect."""
    if isinstance(text, UserText):
        return str(text)
    numbers = once(job, "_numbers", lambda: {s.clause["id"]: s.number for s in job.selected})  # fill runs per text

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.startswith("ref:"):
            target = name[4:].strip()
            # Running text keeps the corpus's half-width digits (平成15年、第66条第2項、第13条);
            # only headings and 項/号 labels use full-width figures.
            return f"第{numbers[target]}条" if target in numbers else "本特記事項の関係規定"
        if name not in job.values:
            raise GenerationError(f"未定義の差込み項目 {{{{{name}}}}}")
        return job.values[name]

    return sort_article_lists(PLACEHOLDER_RE.sub(sub, reword(job.corpus, job.context, text)))


ARTICLE_LIST_RE = re.compile(r"第\d+条(?:(?:、|及び|並びに|又は)第\d+条)+")


def sort_article_lists(text: str) -> str:
    """「第6条、第17条、第21条及び第20条」 → ascending numbers, separators kept in place."""
    def sub(m: re.Match[str]) -> str:
        numbers = sorted(int(n) for n in re.findall(r"第(\d+)条", m.group()))
        parts = re.split(r"第\d+条", m.group())
        return "".join(p + (f"第{n}条" if i < len(numbers) else "") for i, (p, n) in
                       enumerate(zip(parts, numbers + [0])))
    return ARTICLE_LIST_RE.sub(sub, text)


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
    kept = kept_paragraphs(_with_rows(s.clause, s.clause["texts"][s.variant], job.context), job.context)
    if not kept:
        raise GenerationError(f"条文「{s.clause['id']}」の項がすべて条件で外れました")
    clauses = []
    for i, (text, kept_items) in enumerate(kept):
        items = tuple((f"（{str(n + 1).translate(FULLWIDTH)}）", fill(t, job)) for n, t in enumerate(kept_items))
        clauses.append(Clause("" if i == 0 else str(i + 1).translate(FULLWIDTH), fill(text, job), items))
    added = conditional_reasons(job, s.clause["texts"][s.variant])
    return Article(f"第{s.number}条", f"（{reword(job.corpus, job.context, s.clause['title'])}）", tuple(clauses),
                   clause_id=s.clause["id"], note=s.reason + (f"。条件付きの項：{added}" if added else ""))


def conditional_reasons(job: Job, paragraphs: list[Mapping[str, Any]]) -> str:
    """Preview note: which 項 were kept because of an answer (「第3項（「秘匿性」が「高い」…）」)."""
    labels, choices = job.corpus.labels(), job.corpus.choice_labels()
    out, number = [], 0
    for p in paragraphs:
        if not evaluate(p.get("when"), job.context):
            continue
        number += 1
        if p.get("when") is not None:
            out.append(f"第{number}項（{describe(p['when'], labels, choices)}）")
    return "、".join(out)


def _with_rows(clause: Mapping[str, Any], paragraphs: list[Mapping[str, Any]],
               context: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """``rows_from: {answer, column}`` in a clause: the answer's rows become the 号 of its last paragraph."""
    spec = clause.get("rows_from")
    if not spec or not paragraphs:
        return paragraphs
    rows = [" ".join(str(r.get(spec["column"], "")).split()) for r in context.get(spec["answer"]) or []]
    items = [UserText(t if t.endswith("。") else t + "。") for t in rows if t]  # each row is one 号, a sentence
    return [*paragraphs[:-1], {**paragraphs[-1], "items": items, "items_when": [None] * len(items)}]


# ---------------------------------------------------------------- stamps and headers

def stamp(job: Job, phase: str, company: str = "", role: str = "") -> str:
    return canonical_json({
        "format": "itaku-stamp/1",
        "corpus_version": job.corpus.version,
        "schema_version": job.corpus.schema_version,
        "answers_hash": job.hash,
        "phase": phase,
        "company": company,
        "role": role,
        "edition_name": job.corpus.edition["org_name"],
        "edition_hash": job.corpus.edition["hash"],
    })


def fiscal_years(start: date, end: date) -> str:
    """「令和8年度」 or 「令和8年度から令和10年度まで」."""
    first, last = fiscal_year(start), fiscal_year(end)
    return first if first == last else f"{first}から{last}まで"


def meta(job: Job) -> tuple[tuple[str, str], ...]:
    v, values = job.context, job.values
    start, end = date.fromisoformat(v["contract_start"]), date.fromisoformat(v["contract_end"])
    return (
        ("業務名", v["work_name"]),
        ("所管課" if job.is_designated else "委託元", f"{values['org_name']} {v['department']}"),  # 指定管理 is no 委託
        ("指定管理者" if job.is_designated else "受託者", values["contractor_name"]),
        ("指定期間" if job.is_designated else "契約期間", f"{values['period']}（{fiscal_years(start, end)}）"),
        ("作成日", wareki(date.fromisoformat(v["created_on"]))),
        ("版", f"{job.corpus.edition['org_name']}版 コーパス {job.corpus.version}"),
    )


def _header(job: Job, title: str) -> list[Block]:
    blocks: list[Block] = [Heading(title, 0)]
    blocks += [Paragraph(f"{label}：{value}") for label, value in meta(job)]
    return blocks


def _doc(job: Job, name: str, title: str, blocks: list[Block], phase: str, landscape: bool = False) -> Document:
    return Document(name=name, title=title, blocks=tuple(blocks), stamp=stamp(job, phase, job.values["contractor_name"],
                    "委託元"), created=job.context["created_on"], subject=job.context["work_name"],
                    author=f"{job.values['org_name']} {job.context['department']}", landscape=landscape)


# ---------------------------------------------------------------- documents

def specification(job: Job) -> Document:
    title = "個人情報取扱特記事項"
    blocks = _header(job, title)
    client = job.values["client"]
    client = "施設の設置者" if client == job.values["org_name"] else client  # 指定管理 with role names
    blocks.append(Paragraph(f"{client}：{job.values['org_name']}　"
                            f"{job.values['contractor']}：{job.values['contractor_name']}", align="left"))
    blocks += [article(job, s) for s in job.selected]
    for form in applicable_forms(job, "specification"):  # 別表, e.g. 取り扱う個人情報の項目及び利用目的
        blocks += [PageBreak(), *_form_blocks(job, form)]  # an annex starts on its own page
    blocks.append(Paragraph(f"（{job.corpus.edition['org_name']}版 委託先個人情報管理キット コーパス {job.corpus.version}）",
                            align="right"))
    return _doc(job, "specification.docx", title, blocks, "specification")


CONTRACTOR_SHEET = ("受託者", "再委託先")  # who may answer an item on the contractor's sheets (before / after)


def _article_label(s: Selected) -> str:
    return f"第{s.number}条（{s.clause['title']}）"  # the digit style of references (第8条)


def checklist_rows(job: Job, phase: str) -> list[ChecklistRow]:
    """Rows of a sheet: the items that apply and that the sheet's own 回答者 answers.

    Items the department answers itself (回答者 委託元) are not put to the contractor:
    they go to the department's self-check list in the supervision plan (``department_items``).
    Computed once per job and phase (the preview, the plan and the life-cycle files all ask).
    """
    return list(once(job, "_checklist_rows_" + phase, lambda: tuple(_checklist_rows(job, phase))))


def _checklist_rows(job: Job, phase: str) -> list[ChecklistRow]:
    rows: list[ChecklistRow] = []
    if phase == "selection":
        for item in job.corpus.lists("selection")["items"]:
            if evaluate(item.get("applies_when"), job.context):
                rows.append(ChecklistRow(item["id"], str(len(rows) + 1), f"確認事項{item['point']}" if item["point"]
                                         else "その他", reword(job.corpus, job.context, item["text"]),
                                         reword(job.corpus, job.context, "、".join(item.get("evidence", []))), "委託元",
                                         "書面", reword(job.corpus, job.context, item["explanation"])))
        return rows
    for s, item in _applicable_items(job):
        if item["answered_by"] in CONTRACTOR_SHEET:
            rows.append(_row(job, item, str(len(rows) + 1), _article_label(s), phase))
    return rows


def _row(job: Job, item: Mapping[str, Any], number: str, group: str, phase: str, **answers: str) -> ChecklistRow:
    r = lambda t: reword(job.corpus, job.context, t)  # noqa: E731
    return ChecklistRow(item["id"], number, r(group), r(item[phase]), r("、".join(item["evidence"])),
                        r(item["answered_by"]), item["method"] if phase == "after" else "", r(item["explanation"]),
                        **answers)


def _applicable_items(job: Job) -> list[tuple[Selected, Mapping[str, Any]]]:
    return list(once(job, "_applicable_items", lambda: tuple(_find_applicable_items(job))))


def _find_applicable_items(job: Job) -> list[tuple[Selected, Mapping[str, Any]]]:
    by_clause: dict[str, list[Mapping[str, Any]]] = {}
    for item in job.corpus.items:
        by_clause.setdefault(item["clause"], []).append(item)
    return [(s, item) for s in job.selected for item in by_clause.get(s.clause["id"], [])
            if evaluate(item.get("applies_when"), job.context)]


def department_items(job: Job) -> list[tuple[str, Mapping[str, Any]]]:
    """(article label, item) of the applicable items the department answers itself (回答者 委託元)."""
    return [(_article_label(s), item) for s, item in _applicable_items(job) if item["answered_by"] == "委託元"]


def excluded_rows(job: Job, phase: str) -> list[ChecklistRow]:
    """Items that do not apply to this job, shown as 対象外 with the reason (never silently dropped)."""
    if phase == "selection":
        return []
    labels, choices = job.corpus.labels(), job.corpus.choice_labels()
    reasons = {cl["id"]: why for cl, why in job.excluded}
    selected = {s.clause["id"]: s for s in job.selected}
    rows: list[ChecklistRow] = []
    for item in job.corpus.items:
        cid = item["clause"]
        if cid in reasons:
            group, why = f"（不採用）{job.corpus.clause(cid)['title']}", f"条文を採用していません。{reasons[cid]}"
        elif not evaluate(item.get("applies_when"), job.context):
            group = _article_label(selected[cid])
            why = reword(job.corpus, job.context,
                         f"この業務では該当しません（{describe(item.get('applies_when'), labels, choices)}の場合に確認する項目）")
        else:
            continue
        rows.append(_row(job, item, "－", group, phase, status="該当なし", note=f"対象外：{why}"))
    return rows


CHECKLIST_INSTRUCTIONS = {
    "before": ("契約の前に、受託者が各項目を自己点検し、「状況」を選んで提出します。",
               "「確認した資料・根拠」には、確認できる資料の名称を書きます。措置が予定の段階なら、その時期を備考に書きます。",
               "不適合の項目は、改善の内容を備考に、その期限を改善期限に書きます。委託元は内容を確認し、必要なら是正を求めます。"),
    "after": ("契約の後、措置が実際に行われたかを確認します。規程があることだけでなく、記録などで運用されていることを確かめます。",
              "委託元が実地で確認するときは、確認日と確認者を記入します。",
              "不適合の項目は、改善指示として内容を備考に、期限を改善期限に書き、改善計画の提出を求めます。"),
    "selection": ("事業者を選ぶ前に、提案書・添付資料・聞き取りで各項目を確認します。",
                  "認証の取得は判断材料の一つです。認証だけで適合としないでください。"),
}


def checklist(job: Job, phase: str) -> ChecklistSheet:
    title = PHASE_TITLES[phase]
    role = "受託者" if phase != "selection" else "委託元"
    return ChecklistSheet(
        name=f"checklist-{phase}.xlsx", title=title, phase=phase, meta=meta(job),
        instructions=tuple(reword(job.corpus, job.context, t) for t in CHECKLIST_INSTRUCTIONS[phase]),
        rows=tuple(checklist_rows(job, phase)), excluded=tuple(excluded_rows(job, phase)),
        stamp=stamp(job, phase, job.values["contractor_name"], role), created=job.context["created_on"],
        author=f"{job.values['org_name']} {job.context['department']}",
    )


ONSITE_PLACE = {"sub-onsite": "再委託先の作業場所"}


def _where(job: Job, kind: str) -> str:
    """Where an on-site check goes, from the answers (作業場所の名称, or the kinds of place chosen)."""
    if kind in ONSITE_PLACE:
        return ONSITE_PLACE[kind]
    if job.context.get("work_place_detail"):
        return quoted(job.context["work_place_detail"])
    names = job.corpus.choice_labels().get("work_places", {})
    chosen = "・".join(names.get(p, p) for p in job.context.get("work_places") or []) or "作業場所"
    return reword(job.corpus, job.context, chosen)


def rule_citation(job: Job, e: PlanEntry) -> str:
    """The 根拠 of a plan row: each rule with the sections it rests on (clauses/sources.yml, plan_rules),
    and the specification's own rules as the article that requires the check (特記事項第12条)."""
    rules = {r["label"]: r for r in job.corpus.data.get("plan_rules") or []}
    docs = {d["id"]: d for d in job.corpus.data.get("sources") or []}
    numbers = {s.clause["id"]: s.number for s in job.selected}
    out = []
    for label in e.rules:
        rule = rules.get(label, {})
        clause_id = (rule.get("clause_of_kind") or {}).get(e.key[0])
        cites = []
        for cite in rule.get("cites") or []:
            doc_id, _, ref = cite.partition("#")
            doc = docs.get(doc_id, {})
            name = doc.get("short") or doc.get("title") or doc_id
            cites.append(ref if name == label else f"{name} {ref}".strip())
        if clause_id in numbers:
            out.append(f"{label}第{numbers[clause_id]}条")
        elif cites:
            out.append(f"{label}（{'、'.join(cites)}）")
        else:
            out.append(label)
    return "・".join(out)


def plan_rows(job: Job) -> list[tuple[str, str, str, str]]:
    """(時期, 確認すること, 方法, 根拠) grouped by kind; the periodic reports are summarised in one row."""
    r = lambda t: reword(job.corpus, job.context, t)  # noqa: E731
    rows: list[tuple[str, str, str, str]] = []
    reports = [e for e in job.plan if e.key[0] == "report"]
    improve = [e for e in job.plan if e.key[0] == "improve"]
    previous: dict[str, str] = {}  # kind → the reasons of its last row: repeated reasons read 「同上」
    for e in job.plan:
        if e.key[0] == "improve":
            if e is not improve[0]:
                continue
            when = f"{wareki(improve[0].earliest)}〜{wareki(improve[-1].due)}"
            what = r(e.what) + ("（各年度の確認の後、その年度の末日まで）" if len(improve) > 1 else "")
            rows.append((when, what, e.method, r(fill(rule_citation(job, e) + "：" + " ".join(e.reasons), job))))
            continue
        if e.key[0] == "report":
            if e is not reports[0]:
                continue
            frequency = job.values["report_frequency"]
            when = f"{wareki(reports[0].earliest)}〜{wareki(reports[-1].due)}"
            what = (f"{e.what}（{frequency}、各期間の末日から10日以内。全{len(reports)}回。"
                    f"初回 {wareki(reports[0].due)}まで、最終回 {wareki(reports[-1].due)}まで）" if len(reports) > 1
                    else f"{e.what}（期間の末日から10日以内。{wareki(e.due)}まで）")
        else:
            when = wareki(e.due) if e.earliest >= e.due else f"{wareki(e.earliest)}〜{wareki(e.due)}"
            what = r(e.what)
            if e.method == "実地":
                what += f"（場所：{_where(job, e.key[0])}）"  # the answer itself, never reworded
        why = r(fill(rule_citation(job, e) + "：" + " ".join(e.reasons), job))
        shown = "同上（前の行と同じ根拠）" if previous.get(e.key[0]) == why else why
        previous[e.key[0]] = why
        rows.append((when, r(what) if e.key[0] == "report" else what, e.method, shown))
    return rows


def supervision_plan(job: Job) -> Document:
    title = reword(job.corpus, job.context, "監督計画（委託先の実施状況の確認）")
    blocks = _header(job, title)
    blocks.append(Paragraph("この計画は、国の指針（年1回以上・原則実地）、久喜市基準（契約の種類と期間による確認頻度）、"
                            "福岡県の通知・監査（実地調査の要否）、特記事項の定めと本キットの方針を当てはめ、最も厳しい結果を"
                            "採っています。根拠の欄は、どの基準によるかを示します。その年に実地で確認できないとき（委託先が遠隔地"
                            "にある等）は、実際の状況を写した映像・写真で代えることができますが、その理由を記録してください。"))
    count = job.context.get("record_count")
    if count is not None:
        blocks.append(Paragraph(reword(job.corpus, job.context,
            f"取扱件数（契約期間の全体で受託者が取り扱う本人の数）：{count:,}人。福岡県の通知が原則として実地調査を求める"
            f"1,000件以上に{'当たります' if count >= 1000 else '当たりません'}（件数を本人の数で数えるのは本キットの解釈です）。"),
            note=reword(job.corpus, job.context, "規則が使った件数です。1年あたりの数ではなく、契約期間の全体の人数で判断します。")))
    blocks.append(Table(("時期", "確認すること", "方法", "根拠"), tuple(plan_rows(job)), (18, 30, 8, 44)))
    blocks.append(Heading(reword(job.corpus, job.context, "委託元の自己点検（入札前・契約前）"), 1))
    self_items = [i for i in job.corpus.lists("self-check")["items"] if evaluate(i.get("applies_when"), job.context)]
    r = lambda t: reword(job.corpus, job.context, t)  # noqa: E731
    rows = [(str(n + 1), f"{i['phase']}", r(i["text"]), "") for n, i in enumerate(self_items)]
    blocks.append(Table(("No.", "段階", "点検すること", "結果（適合／不適合／該当なし／未確認）"), tuple(rows), (6, 8, 66, 20)))
    own = department_items(job)
    if own:
        blocks.append(Heading("委託元が自ら確認する事項（特記事項の条文ごと）", 1))
        blocks.append(Paragraph(r("次の事項は委託元の職員が確認するものです。受託者の遵守確認表には載せていません。"
                                  "契約前は左の欄、契約後は右の欄の内容を確認し、結果を記録してください。")))
        blocks.append(Table(("No.", "条文", "契約前に確認すること", "契約後に確認すること", "結果"),
                            tuple((str(n + 1), r(g), r(i["before"]), r(i["after"]), "") for n, (g, i) in enumerate(own)),
                            (5, 17, 34, 34, 10)))
    return _doc(job, "supervision-plan.docx", title, blocks, "plan", landscape=True)


def _form_blocks(job: Job, form: Mapping[str, Any]) -> list[Block]:
    blocks: list[Block] = [Heading(form["title"], 1, note=form_reason(job, form))]
    if form.get("submitted_by"):
        blocks.append(Paragraph(f"提出：{fill(form['submitted_by'], job)}", align="right"))
    if form.get("note"):
        blocks.append(Paragraph(f"※ {fill(form['note'], job)}"))
    blocks += [Paragraph(fill(t, job)) for t in form.get("intro", [])]
    blocks += [Paragraph(f"{str(n + 1).translate(FULLWIDTH)}　{fill(t, job)}", indent=1, hanging=2)
               for n, t in enumerate(form.get("list", []))]
    if form.get("fields"):
        blocks.append(Table(("項目", "記入欄"), tuple((fill(f, job), "") for f in form["fields"]), (35, 65)))
    table = form.get("table")
    if table:
        rows = [tuple([fill(t, job)] + [""] * (len(table["header"]) - 1)) for t in table.get("items", [])]
        rows += answer_rows(job, table)
        rows += [tuple([""] * len(table["header"])) for _ in range(table.get("rows", 0))]
        blocks.append(Table(tuple(table["header"]), tuple(rows), tuple(table.get("widths") or ())))
    blocks += [Paragraph(fill(t, job)) for t in form.get("closing", [])]
    return blocks


def answer_rows(job: Job, table: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """Rows a form table takes from a list answer (``from: {answer, columns, number, prefix}``), blanks after."""
    spec = table.get("from")
    if not spec:
        return []
    width = len(table["header"])
    out = []
    for n, row in enumerate(job.context.get(spec["answer"]) or [], start=1):
        cells = [""] * spec.get("at", 0) + ([str(n)] if spec.get("number") else []) + [
            (spec.get("prefix", "") if i == 0 else "") + str(row.get(col, "")) for i, col in enumerate(spec["columns"])]
        out.append(tuple(cells + [""] * (width - len(cells))))
    return out


def form_reason(job: Job, form: Mapping[str, Any]) -> str:
    """Preview note: why this form (or 別表) is part of the job."""
    cond = form.get("applies_when")
    if cond is None:
        return ""
    return (f"付ける理由：{describe(cond, job.corpus.labels(), job.corpus.choice_labels())}。"
            f"回答：{answer_summary(job.corpus, cond, job.context)}")


def applicable_forms(job: Job, output: str) -> list[Mapping[str, Any]]:
    included = {s.clause["id"] for s in job.selected}
    return [f for f in job.corpus.forms if f["output"] == output and evaluate(f.get("applies_when"), job.context)
            and (not f.get("requires_clause") or f["requires_clause"] in included)]


ACT_RELAXED = ("approval", "allowed")
FREQUENCY_RELAXED = {"quarterly": "四半期ごと（毎月より少ない）", "half_yearly": "半期ごと（毎月より少ない）"}


def adoption_rows(job: Job) -> list[tuple[str, str, str, str]]:
    """(条文, 採否, 文言, 決めた回答・理由) for every clause of the corpus, in corpus order."""
    chosen = {s.clause["id"]: s for s in job.selected}
    excluded = {cl["id"]: why for cl, why in job.excluded}
    labels = {v["id"]: v["label"] for c in job.corpus.clauses for v in c.get("variants") or []}
    rows = []
    for clause in job.corpus.clauses:
        s = chosen.get(clause["id"])
        if s is not None:
            wording = reword(job.corpus, job.context, labels.get(s.variant, "")) if s.variant else "標準の文言"
            rows.append((clause["title"], f"採用 第{s.number}条", wording, s.reason.split("。文言：")[0]))
        else:
            rows.append((clause["title"], "不採用", "－", excluded[clause["id"]]))
    return rows


def relaxations(job: Job) -> list[tuple[str, str]]:
    """(what, why) for every choice that loosens the model specification's defaults."""
    out = [(f"{d.label}：{d.value_label}", reword(job.corpus, job.context, d.reason))
           for d in job.acts.values() if d.value in ACT_RELAXED]
    frequency = job.context.get("report_frequency")
    if frequency in FREQUENCY_RELAXED:
        out.append((f"定期報告の頻度：{FREQUENCY_RELAXED[frequency]}", "「定期報告の頻度」の回答による"))
    for cid, reason in job.answers.removed.items():
        out.append((f"既定の条文を外した：{job.corpus.clause(cid)['title']}", f"理由：{quoted(reason)}"))
    return out


def deviations(job: Job) -> Document:
    """条文の採否一覧 (deviations.docx): every clause adopted or not and why, every act's decision, the relaxations."""
    title = "条文の採否一覧（採用した条文・採用しない条文と理由）"
    blocks = _header(job, title)
    blocks.append(Paragraph("本キットの条文のすべてについて、この業務で採用したかどうかと、それを決めた回答又は理由を示します。"
                            "緩和した事項と外した条文は、個人情報保護担当課と協議し、その意見を記録してください。"))
    blocks.append(Heading("条文の採否", 1))
    blocks.append(Table(("条文", "採否", "文言", "決めた回答・理由"), tuple(adoption_rows(job)), (22, 17, 18, 43)))
    blocks.append(Heading("行為ごとの扱い", 1))
    blocks.append(Paragraph("特記事項、遵守確認表、様式及び監督計画は、次の扱いで一致させています。"))
    blocks.append(Table(("行為", "この業務での扱い", "決めた回答"),
                        tuple((d.label, d.value_label, reword(job.corpus, job.context, d.reason))
                              for d in job.acts.values()), (22, 28, 50)))
    blocks.append(Heading("回答により緩和した事項", 1))
    relaxed = relaxations(job)
    if relaxed:
        blocks.append(Table(("緩和した事項", "理由", "個人情報保護担当課の意見"),
                            tuple((what, why, "") for what, why in relaxed), (34, 40, 26)))
    else:
        blocks.append(Paragraph("ありません（既定の条文をすべて採用し、持出し・複製・再委託などを認めていません）。"))
    added = additions(job)
    if added:
        blocks.append(Heading("追加した遵守事項", 1))
        blocks.append(Paragraph("次の号はモデルの条文になく、この業務のために追加しました。個人情報保護担当課と協議してください。"))
        blocks.append(Table(("条・号", "追加した遵守事項", "個人情報保護担当課の意見"), tuple(added), (15, 55, 30)))
    local = [c for c in job.corpus.clauses if c.get("local")]
    if local:
        blocks += local_additions(job, local)
    return _doc(job, "deviations.docx", title, blocks, "deviations")


def additions(job: Job) -> list[tuple[str, str, str]]:
    """The 号 the user added (``rows_from`` articles), as (第N条第1項第n号, text, "") for the 採否一覧."""
    out = []
    for s in job.selected:
        if s.clause.get("rows_from"):
            art = article(job, s)
            for label, text in art.clauses[-1].items:
                out.append((f"{art.number}{label}", text, ""))
    return out


def local_additions(job: Job, local: list[Mapping[str, Any]]) -> list[Block]:
    """The edition's own articles (団体の追加条文) in the 採否一覧: adopted as which article, or why not."""
    numbers = {s.clause["id"]: s.number for s in job.selected}
    excluded = {c["id"]: why for c, why in job.excluded}

    def items(clause_id: str) -> int:
        return sum(1 for i in job.corpus.items if i["clause"] == clause_id and evaluate(i.get("applies_when"), job.context))

    rows = tuple((c["title"], f"第{numbers[c['id']]}条として採用" if c["id"] in numbers else "採用しない",
                  "必須" if c["inclusion"] == "required" else "既定で含める", excluded.get(c["id"], ""),
                  str(items(c["id"]) if c["id"] in numbers else 0)) for c in local)
    return [Heading(f"団体が追加した条文（{job.corpus.edition['org_name']}の独自の条文）", 1),
            Paragraph(f"次の条文は、{job.corpus.edition['org_name']}が団体の設定（edition.js 又は edition.yml）で"
                      "追加したもので、コーパスの条文ではありません。"),
            Table(("条文", "採否", "区分", "外した理由", "確認項目の数"), rows, (25, 20, 15, 25, 15))]


def documents(job: Job) -> list[Document]:
    """Every Word document of the job, in the order the page lists them."""
    from itaku import lifecycle  # forms, letters and records of the job's life cycle (clauses/documents.yml)

    docs = [specification(job), supervision_plan(job), *lifecycle.documents(job), deviations(job)]
    return [d for d in docs if d is not None]


def sheets(job: Job) -> list[ChecklistSheet]:
    """The three checklists of the job (made once per job: the preview, the file list and the files share them)."""
    return list(once(job, "_sheets", lambda: tuple(checklist(job, p) for p in ("before", "after", "selection"))))
