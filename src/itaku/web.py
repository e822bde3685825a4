"""The API the generator page calls (in a Pyodide worker, or on the main thread as a fallback).

Every function takes and returns plain JSON-able values (plus ``bytes`` for
files), so the JavaScript side only moves data: it never evaluates a rule.
Errors the user can act on come back as ``{"error": "日本語のメッセージ"}``
instead of exceptions.
"""
from __future__ import annotations

import json
from dataclasses import replace
from html import escape
from typing import Any, Mapping

from itaku import edition as editions, model, schema
from itaku.answers import (AnswersError, AnswersFileError, answers_document, clean_ids, clean_text, defaults,
                           job_ids, load_file, load_notes, normalised, refusal, shown_questions, unshowable, validate)
from itaku.checklists import checklist_rows
from itaku.contents import documents, sheets
from itaku.specification import specification
from itaku.filekind import kind, wrong_file
from itaku.filenames import audience, download_name, download_names
from itaku.header import meta
from itaku.identify import IdentifyError, identify as identify_file
from itaku.job import build_job
from itaku.kinds import page_presets
from itaku.nextyear import NextYearError, next_year as next_year_answers
from itaku.outputs import build_outputs, file_label, job_record, output_names, to_json
from itaku.register import Register, RegisterError, parse_as_of, tabulate
from itaku.render.check_items import clause_item_html, group_html
from itaku.render.html import preview_html
from itaku.render.removable import removable_html
from itaku.articles import paragraph_entries
from itaku.rewording import unplaced
from itaku.sets import page_downloads, page_files, page_outputs, party_sets
from itaku.summary import job_summary, summary_html

_corpus: model.Corpus | None = None
_edition_message = ""
MAX_RECORD_BYTES = 20_000_000  # a job record grows by one check at a time
UNEXPECTED = ("この入力は処理できませんでした（想定していない形のデータです）。ページに入力した内容はそのままです。"
              "ファイルを選んだ場合は、本キットで作った元のファイルを選び直してください。")


def corpus() -> model.Corpus:
    global _corpus
    if _corpus is None:
        _corpus = model.load()
    return _corpus


def set_edition(found: Mapping[str, Any] | None) -> dict[str, Any]:
    """The page's edition.js (``{status, text, error}`` from docs/assets/common/edition.js), validated here.

    A missing file means the built-in edition; a broken or invalid one, the
    built-in edition and a message naming edition.js and the fields.
    """
    global _corpus, _edition_message
    found = found or {}
    status = editions.from_page(model.load(), str(found.get("status") or "missing"), found.get("text"),
                                str(found.get("error") or ""))
    _corpus, _edition_message = status.corpus, status.message
    # default_on clauses that edition.js added: the generator page adds their boxes to the built form.
    local = [{"id": cl["id"], "title": cl["title"]} for cl in _corpus.clauses
             if cl.get("file") == editions.FILE_NAME and cl["inclusion"] == "default_on"]
    return {**editions.summary(_corpus, _edition_message), "removable_html": removable_html(local),
            "removable_local": [cl["id"] for cl in local]}


def edition_preview(raw: Any) -> dict[str, Any]:
    """The settings page: field errors, or the edition.js text, its hash and a specification header."""
    base = model.load()
    try:
        c = editions.apply(base, raw)
    except editions.EditionError as exc:
        return {"valid": False, "errors": exc.problems}
    example = (c.data.get("examples") or [{}])[0].get("answers", {})
    job = build_job(c, validate(c, example))
    header = specification(job)
    header = replace(header, blocks=header.blocks[:len(meta(job)) + 3])
    return {"valid": True, "errors": [], "text": editions.js_text(raw), "edition": editions.summary(c),
            "preview": preview_html([header], [])}


def questionnaire() -> dict[str, Any]:
    """Everything the page needs to draw the form once: steps, defaults, removable clauses, examples."""
    c = corpus()
    return {
        "corpus_version": c.version,
        "schema_version": c.schema_version,
        "edition": editions.summary(c, _edition_message),
        "steps": [{"id": s["id"], "title": s["title"], "questions": [
            {k: q[k] for k in ("key", "type", "label", "help", "choices", "required", "max_length", "min", "max",
                               "follows", "columns", "max_items", "add_label", "short")
             if k in q} for q in s["questions"]]} for s in c.steps],
        "defaults": defaults(c),
        "removable": [{"id": cl["id"], "title": cl["title"]} for cl in c.clauses if cl["inclusion"] == "default_on"],
        "examples": [{"id": e["id"], "title": e["title"], "fallback": bool(e.get("fallback"))}
                     for e in c.data.get("examples", [])],
    }


def visible_keys(raw: Mapping[str, Any]) -> list[str]:
    """Questions shown for these answers (show_when is evaluated here, never in JavaScript)."""
    c = corpus()
    return [q["key"] for q in shown_questions(c, normalised(c, raw))]


def state(raw: Mapping[str, Any], removed: Mapping[str, Any] | None = None,
          open_output: str | None = None, user_set: list[str] | None = None,
          reworded: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Live state for the form: visible questions, errors, and the preview when the answers are valid.

    ``open_output``: the preview panel the reader has open (kept open when the preview is redrawn).
    ``user_set``: the questions the user has answered (touched, or read from a file); the others take
    what the chosen kinds of work preset (``presets``: the values the page writes into those controls,
    ``preset_keys``: the ones a kind set, marked 「業務の類型から設定」), and the state is for those values.
    ``reworded``: the job's rewordings (paragraph key → {text, reason}); ``paragraphs`` lists the job's 項 and
    号 for the page's rewording controls, ``reword_notes`` the rewordings the documents cannot use.
    """
    c = corpus()
    presets, marked = page_presets(c, raw, user_set) if user_set is not None and isinstance(raw, Mapping) else ({}, [])
    if presets:
        raw = {**raw, **presets}
    result: dict[str, Any] = {"visible": visible_keys(raw), "errors": {}, "valid": False,
                              "presets": presets, "preset_keys": marked}
    result["reword_notes"] = unplaced(c, reworded) if isinstance(reworded, Mapping) else []
    try:
        answers = validate(c, raw, removed or {}, reworded)
    except AnswersError as exc:
        result["errors"] = exc.errors
        return result
    sets = party_sets(c, answers)  # several counterparties: the preview is the first one's set
    job = build_job(c, sets[0].answers if sets else answers)
    docs = documents(job)  # once: the preview and the list of files share it
    summary = job_summary(job)
    result.update({
        "valid": True,
        "answers": dict(answers.values),
        "preview": summary_html(summary) + preview_html(docs, sheets(job), open_output=open_output),
        "summary": summary,
        "articles": [{"number": s.number, "id": s.clause["id"], "title": s.clause["title"], "reason": s.reason}
                     for s in job.selected],
        "excluded": [{"id": cl["id"], "title": cl["title"], "reason": why} for cl, why in job.excluded],
        "acts": [{"id": d.act, "label": d.label, "value": d.value, "value_label": d.value_label, "reason": d.reason}
                 for d in job.acts.values()],
        "counts": {p: len(checklist_rows(job, p)) for p in ("before", "after", "selection")},
        "outputs": output_names(job, docs),
        "paragraphs": [{"key": e["key"], "label": e["label"], "title": s.clause["title"], "model": e["model"],
                        "source": e["source"]} for s in job.selected for e in paragraph_entries(job, s)],
    })
    # Where each file goes and the name it is saved under (「業務名_特記仕様書.docx」, 受託者に渡す …).
    result["downloads"] = [{"output": o, "name": download_name(o, file_label(answers)),
                            "for": audience(o)} for o in result["outputs"]]
    if sets:  # one set per counterparty: the page offers the sets, not one set's files
        result["outputs"], result["downloads"] = page_outputs(sets), page_downloads(answers, sets)
        result["parties"] = [{"name": one.name, "record_count": one.answers.values["record_count"],
                              "job_id": one.answers.ids["job_id"]} for one in sets]
        result["preview"] = (f'<p class="itaku-parties-note">相手方ごとに{len(sets)}組の文書を作ります。プレビューは相手方1'
                             f'（{escape(sets[0].name)}）の一組です。ほかの相手方の文書は文書一式（documents.zip）又は'
                             f'相手方ごとの文書一式でダウンロードしてください。</p>' + result["preview"])
    return result


def generate(raw: Mapping[str, Any], removed: Mapping[str, Any] | None = None,
             only: str | None = None, ids: Mapping[str, Any] | None = None,
             reworded: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The files of the job ({"files": {name: bytes}}; ``only``: just that one) or {"error", "errors"};
    nothing half-made. ``ids``: the job id the page keeps (none yet: one is made now and returned as
    ``job``, for the page to keep from then on)."""
    c = corpus()
    try:
        answers = replace(validate(c, raw, removed or {}, reworded), ids=clean_ids(ids))
    except AnswersError as exc:
        return {"error": "回答に問題があります。赤く表示された質問を直してください。", "errors": exc.errors}
    sets = party_sets(c, answers)
    if sets:  # one set per counterparty (itaku.sets): documents.zip, party-N.zip, the job's answers.json
        files = page_files(c, answers, sets, only)
        names = {d["output"]: d["name"] for d in page_downloads(answers, sets) if d["output"] in files}
        return {"files": files, "names": names, "job": job_ids(answers)}
    files = build_outputs(build_job(c, answers), only)
    return {"files": files, "names": download_names(list(files), file_label(answers)), "job": job_ids(answers)}


def next_year(raw: Mapping[str, Any], removed: Mapping[str, Any] | None, ids: Mapping[str, Any] | None,
              today: str = "", retender: bool = True, reworded: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """「来年度の文書を作る」: next year's answers, what changed (for the user to confirm) and the new ids."""
    try:
        return next_year_answers(corpus(), raw, removed, ids, str(today or ""), bool(retender), reworded)
    except NextYearError as exc:
        return {"error": str(exc)}


def example(example_id: str) -> dict[str, Any]:
    """A worked example's answers, as a starting point for the form."""
    for e in corpus().data.get("examples", []):
        if e["id"] == example_id:
            return {"answers": dict(e["answers"]), "removed": {}, "reworded": {}, "title": e["title"]}
    return {"error": f"記入例「{example_id}」はありません。"}


def load(data: bytes) -> dict[str, Any]:
    """An uploaded answers file or job record, migrated; a clear message if it is not one."""
    c = corpus()
    try:
        loaded = load_file(c, bytes(data))
        # The same validation as ``itaku generate``: a value the form could not show (an object for a
        # list, an unknown choice, 「maybe」 for a yes/no) is refused with the CLI's messages, never
        # dropped or changed silently; problems the form shows (a missing answer) are left to it.
        bad = unshowable(c, loaded.answers, loaded.removed, loaded.reworded)
        if bad:
            raise AnswersError(bad)
    except AnswersFileError as exc:
        return {"error": str(exc)}
    except AnswersError as exc:
        return {"error": refusal(exc), "errors": exc.errors}
    return {
        "notes": load_notes(c, loaded),
        "answers": loaded.answers,
        "removed": loaded.removed,
        "reworded": loaded.reworded,
        "reword_notes": unplaced(c, loaded.reworded),
        "flagged": loaded.flagged,
        "from_schema": loaded.schema_version,
        "from_corpus": loaded.corpus_version,
        "is_record": loaded.record is not None,
        "job": loaded.ids,
    }


def identify(data: bytes) -> dict[str, Any]:
    try:
        return identify_file(corpus(), bytes(data))
    except IdentifyError as exc:
        return {"error": str(exc)}


def record(raw: Mapping[str, Any], removed: Mapping[str, Any] | None = None,
           ids: Mapping[str, Any] | None = None, reworded: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The job record (job.json content) for valid answers."""
    c = corpus()
    try:
        answers = replace(validate(c, raw, removed or {}, reworded), ids=clean_ids(ids))
    except AnswersError as exc:
        return {"error": "回答に問題があります。", "errors": exc.errors}
    return job_record(build_job(c, answers))


def answers_file(raw: Mapping[str, Any], removed: Mapping[str, Any] | None = None,
                 ids: Mapping[str, Any] | None = None, reworded: Mapping[str, Any] | None = None) -> dict[str, Any]:
    c = corpus()
    try:
        return answers_document(c, replace(validate(c, raw, removed or {}, reworded), ids=clean_ids(ids)))
    except AnswersError as exc:
        return {"error": "回答に問題があります。", "errors": exc.errors}


# ---------------------------------------------------------------- the page's single entry point

# ---------------------------------------------------------------- checklist pages (issue 8)

# itaku.checks imports openpyxl (~0.6 s in the browser): imported by the functions that need it, so
# that the generator page is ready before openpyxl has loaded.

def _record(data: bytes) -> dict[str, Any]:
    """A job record from an uploaded job.json (answers files have no applicable items)."""
    from itaku.checks import CheckError
    if len(data) > MAX_RECORD_BYTES:
        raise CheckError("ファイルが大きすぎます（20MB まで）。業務記録ファイル（job.json）を選んでください。")
    if kind(data) == "answers":
        raise CheckError("これは回答ファイル（answers.json）です。確認のページでは業務記録ファイル（job.json）を使います。"
                         "「仕様書を作る」ページで回答ファイルを読み込み、業務記録ファイル（job.json）をダウンロードして、"
                         "それを選んでください。")
    wrong = wrong_file(data, ("job",), "業務記録ファイル（job.json）")
    if wrong:
        raise CheckError(wrong)
    try:
        doc = schema.loads(bytes(data).decode("utf-8-sig"))
    except schema.JSONInputError as exc:
        raise CheckError(f"業務記録ファイル（job.json）として読めません。{exc}") from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise CheckError("業務記録ファイル（job.json）として読めません。") from None
    if not isinstance(doc, dict) or doc.get("format") != "itaku-job":
        raise CheckError("このファイルは業務記録ファイル（job.json）ではありません。生成ページで作った job.json を選んでください。")
    problem = schema.job_problems(doc)
    if problem:
        raise CheckError(f"業務記録ファイルの{problem}")
    if not schema.hash_matches(doc):
        raise CheckError(f"この業務記録ファイルは{schema.ALTERED}")
    return schema.migrate_record(doc)  # checks are saved into a record of the current job_schema


# Which plan rows a checklist page's "next check" comes from (itaku.plan kinds; "start" in records made before 2.0).
PHASE_PLAN_KINDS = {"selection": ("pre", "start"), "before": ("pre", "start"),
                    "after": ("onsite-start", "selfcheck-start", "annual", "start")}


def job_scope(data: bytes, phase: str) -> dict[str, Any]:
    """The job's applicable items for a checklist page, its name and the next check due."""
    from itaku.checks import CheckError, applicable, latest, sheet_numbers
    try:
        rec = _record(data)
        items = applicable(rec, phase)
    except CheckError as exc:
        return {"error": str(exc)}
    kinds = PHASE_PLAN_KINDS.get(phase, ("annual",))
    due = sorted((p for p in rec.get("plan", []) if p.get("kind") in kinds), key=lambda p: p.get("due", ""))
    latest_check = latest(rec, phase, None)
    added, unknown = _added_items(items, phase, rec.get("answers") or {})
    return {"record": rec, "work_name": clean_text(str(rec.get("work_name") or "")), "items": items,
            "added_groups": added, "unknown_items": unknown,
            "numbers": sheet_numbers(rec, phase),
            "next_check": due[0] if due else None, "plan": due,
            "answers": (latest_check or {}).get("answers", {})}


def _added_items(items: list[str], phase: str, answers: Mapping[str, Any]) -> tuple[list[dict[str, str]], list[str]]:
    """The job's items that the built page does not show: those edition.js added and the rows made from a list
    answer (an extra term's own row), as HTML by clause ({group, title, section, items}: the page puts ``items``
    into the clause's group when it has one, else the whole ``section``), and the ids this edition does not know."""
    if phase == "selection":
        return [], []
    c = corpus()
    known: dict[str, Any] = {}
    for item_id in items:
        try:
            known[item_id] = c.item_for(item_id, answers)
        except KeyError:
            pass
    unknown = [i for i in items if i not in known]
    groups: dict[str, list[str]] = {}
    for item_id in items:
        item = known.get(item_id)
        if item is not None and (item.get("file") == editions.FILE_NAME or "row_text" in item):
            groups.setdefault(item["clause"], []).append(clause_item_html(dict(item), phase))
    added = []
    for clause_id, parts in groups.items():
        title = c.clause(clause_id)["title"]
        added.append({"group": clause_id, "title": title, "items": "\n".join(parts),
                      "section": group_html(clause_id, title, parts, ' data-added="1"')})
    return added, unknown


def import_checklist(data: bytes, record: Mapping[str, Any], phase: str) -> dict[str, Any]:
    """A contractor's filled checklist (.xlsx), checked against the job and phase, with flags."""
    from itaku.checks import CheckError, import_workbook
    try:
        return import_workbook(record, phase, bytes(data))
    except CheckError as exc:
        return {"error": str(exc)}


def save_check(record: Mapping[str, Any], check: Mapping[str, Any]) -> dict[str, Any]:
    """The job record with this check added, plus record.xlsx / record.json / job.json as files."""
    from itaku.checks import CheckError, add_check, record_workbook
    try:
        new = add_check(record, check)
    except CheckError as exc:
        return {"error": str(exc), "field": exc.field}
    entry = new["checks"][-1]
    work = str(new.get("work_name", ""))
    who = f"_{entry['company']}" if entry["role"] == "再委託先" else ""
    names = {**download_names(["record.xlsx", "record.json"], work, entry["date"] + who, entry["phase"]),
             "job.json": download_name("job.json", work, entry["date"], entry["phase"])}
    return {"record": new, "names": names, "files": {
        "record.xlsx": record_workbook(corpus(), new, entry),
        "record.json": to_json(entry),
        "job.json": to_json(new),
    }}


def summary(answers: Mapping[str, Any], items: list[str]) -> dict[str, Any]:
    from itaku.checks import clean_answers, summarize
    return summarize(clean_answers(answers, items), items)


# ---------------------------------------------------------------- register page (issue 15)

# The job records loaded on the register page, kept by the runtime between calls (one page, one
# register); the page keeps the files themselves for autosave and sends them again after a reload.
_register: Register | None = None


def _session() -> Register:
    global _register
    if _register is None:
        _register = Register()
    return _register


def _register_view(as_of: str) -> dict[str, Any]:
    try:
        day = parse_as_of(as_of)
    except RegisterError as exc:
        return {"error": str(exc)}
    return tabulate(corpus(), _session().records.values(), day)


def register_load(data: bytes, files: list[Any], as_of: str, reset: bool = False) -> dict[str, Any]:
    """Add files to the register: ``data`` is the files one after another, ``files`` their [name, size].

    Returns each file's outcome (added, replaced, duplicate, older, refused, with a Japanese
    message) and the register at the 基準日.
    """
    global _register
    if reset:
        _register = None
    reg, blob, offset, outcomes = _session(), bytes(data), 0, []
    for entry in files if isinstance(files, list) else []:
        name, size = (str(entry[0]), int(entry[1])) if isinstance(entry, list) and len(entry) == 2 else ("?", 0)
        size = max(0, min(size, len(blob) - offset))
        outcomes.append(reg.add(name, blob[offset:offset + size], corpus().schema_version))
        offset += size
    return {"outcomes": outcomes, "view": _register_view(as_of)}


def register_view(as_of: str) -> dict[str, Any]:
    """The register at another 基準日."""
    return _register_view(as_of)


def register_remove(job: str, as_of: str) -> dict[str, Any]:
    _session().remove(str(job))
    return _register_view(as_of)


def register_xlsx(as_of: str) -> dict[str, Any]:
    """register.xlsx for the records loaded, at the 基準日."""
    from itaku.render.register_xlsx import NAME, render_register  # openpyxl: only when a workbook is asked for

    view = _register_view(as_of)
    if "error" in view:
        return view
    return {"files": {NAME: render_register(view)}}


PAGE_API = {
    "set_edition": set_edition, "edition_preview": edition_preview,
    "questionnaire": questionnaire, "state": state, "generate": generate, "example": example, "next_year": next_year,
    "load": load, "identify": identify, "record": record, "answers_file": answers_file,
    "job_scope": job_scope, "import_checklist": import_checklist, "save_check": save_check, "summary": summary,
    "register_load": register_load, "register_view": register_view, "register_remove": register_remove,
    "register_xlsx": register_xlsx,
}


def dispatch(method: str, args_json: str, data: Any = None) -> tuple[str, dict[str, bytes]]:
    """Called by docs/assets/generator/worker.js: JSON text in, (JSON text, files) out.

    Only the functions in ``PAGE_API`` can be called. ``data`` (an uploaded
    file: bytes, or a JavaScript Uint8Array in Pyodide) becomes the first
    argument. Files produced by ``generate`` travel separately as bytes (the
    worker transfers them without copying through JSON); the JSON result then
    lists their names under ``"files"``.
    """
    fn = PAGE_API.get(method)
    if fn is None:
        return json.dumps({"error": f"不明な操作です: {method}"}, ensure_ascii=False), {}
    try:
        args = schema.loads(args_json)
        if data is not None:
            args = [bytes(data), *args]
        result = fn(*args)
    except Exception:  # never a Python traceback on the page: a Japanese refusal; the session is kept
        return json.dumps({"error": UNEXPECTED}, ensure_ascii=False), {}
    files: dict[str, bytes] = {}
    if isinstance(result, dict) and isinstance(result.get("files"), dict):
        files = result["files"]
        result = {**result, "files": list(files)}
    return json.dumps(result, ensure_ascii=False), files
