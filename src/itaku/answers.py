"""Answers to the questionnaire: normalisation, validation, hashing, files.

Input is treated as hostile: full-width digits and Latin letters from an IME
become ASCII (Japanese punctuation such as 「（）」 is kept), control and
bidirectional-override characters are removed, and values are checked against
the questionnaire and bounded in size; nothing is evaluated. Errors name the
question in Japanese.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from itaku import schema
from itaku.schema import canonical_json  # the hash text; kept importable from here
from itaku.conditions import evaluate
from itaku.derived import derived
from itaku.filekind import wrong_file
from itaku.kinds import with_presets
from itaku.model import Corpus
from itaku import parties, rewording, volumes
from itaku.wareki import parse_date, wareki

ANSWERS_FORMAT = "itaku-answers"
JOB_FORMAT = "itaku-job"
JOB_SCHEMA = schema.JOB_SCHEMA  # job.json's own version (itaku.schema.JOB_RECORD), apart from the answers' schema_version
MAX_FILE_BYTES = 5_000_000
MAX_REASON = 1000
MAX_LIST_ITEMS = 30  # rows of a list question, unless the question sets max_items
TRUE_WORDS = {"true", "yes", "はい", "1", "on", "あり"}
FALSE_WORDS = {"false", "no", "いいえ", "0", "off", "なし", ""}


# Full-width digits and Latin letters only: NFKC would also turn 「（）」「：」「！」 into ASCII
# inside Japanese documents.
_WIDE_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ]")
# C0/C1 controls except tab and newline, and the bidi embedding/override/isolate controls.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str) -> str:
    """User text as the documents show it: NFC, ASCII digits/letters, no control or bidi characters."""
    value = unicodedata.normalize("NFC", value)
    value = _WIDE_ALNUM.sub(lambda m: chr(ord(m.group()) - 0xFEE0), value)
    return _CONTROLS.sub("", value).strip()


class AnswersError(ValueError):
    """Answers that cannot be used; ``errors`` maps question key → Japanese message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("\n".join(errors.values()))


class AnswersFileError(ValueError):
    """A file that is not a readable answers file or job record (message in Japanese)."""


@dataclass(frozen=True)
class Answers:
    """Validated, normalised answers; ``values`` holds only the questions shown."""

    values: Mapping[str, Any]
    removed: Mapping[str, str] = field(default_factory=dict)  # default_on clause id → reason
    # Paragraph key → {"text", "reason"} (itaku.rewording; optional in schema 4): in the hash only when there is one.
    reworded: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # The job's identity (job_id, previous_job_id): kept apart from the answers, so not in the hash.
    ids: Mapping[str, str] = field(default_factory=dict, compare=False)
    # One counterparty's set of a job with several (itaku.parties.party_info); not in the hash.
    party: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def canonical(self) -> dict[str, Any]:
        body = {"answers": dict(self.values), "removed_clauses": dict(self.removed)}
        return {**body, "reworded_paragraphs": {k: dict(v) for k, v in self.reworded.items()}} if self.reworded else body


def answers_hash(answers: Answers) -> str:
    return hashlib.sha256(canonical_json(answers.canonical()).encode("utf-8")).hexdigest()


JOB_ID_RE = re.compile(r"^[0-9a-f]{64}$")
ID_KEYS = ("job_id", "previous_job_id")


def clean_ids(raw: Any) -> dict[str, str]:
    """The job ids in ``raw`` that are well formed (64 hex digits); anything else is left out."""
    if not isinstance(raw, Mapping):
        return {}
    return {k: raw[k] for k in ID_KEYS if isinstance(raw.get(k), str) and JOB_ID_RE.match(raw[k])}


def job_ids(answers: Answers) -> dict[str, str]:
    """The ids answers.json and job.json carry. A job started without one gets the answers hash of that
    moment: made once (the page and the file keep it while answers change), the same in every run, and
    equal to the key the register gives a record made before ids existed (its answers hash)."""
    ids = clean_ids(answers.ids)
    return {**ids, "job_id": ids.get("job_id") or answers_hash(answers)}


def defaults(corpus: Corpus) -> dict[str, Any]:
    """Starting answers for a new job on the page (defaults; a ``form_blank`` question starts unanswered)."""
    return {q["key"]: q["default"] for q in corpus.questions() if "default" in q and not q.get("form_blank")}


def visible(corpus: Corpus, question: Mapping[str, Any], values: Mapping[str, Any]) -> bool:
    """show_when over the answers given so far and the keys derived from them (e.g. data_items_listed)."""
    cond = question.get("show_when")
    return cond is None or evaluate(cond, {**values, **derived(values, corpus)})


def shown_questions(corpus: Corpus, values: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The questions the form shows for these (validated) answers, in order."""
    seen: dict[str, Any] = {}
    shown = []
    for q in corpus.questions():
        if visible(corpus, q, seen):
            shown.append(q)
            if q["key"] in values:
                seen[q["key"]] = values[q["key"]]
    return shown


def question_counts(corpus: Corpus, values: Mapping[str, Any]) -> tuple[int, int]:
    """(questions, answer fields) the form shows: a follow-up (``follows``) is part of its question."""
    shown = shown_questions(corpus, values)
    return sum(1 for q in shown if not q.get("follows")), len(shown)


def normalised(corpus: Corpus, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The answers that normalise cleanly (errors skipped): what the form's visibility is computed from."""
    values: dict[str, Any] = {}
    if not isinstance(raw, Mapping):
        return values
    raw = with_presets(corpus, raw)  # what the kinds of work preset, where nothing was answered
    for q in corpus.questions():
        value, error = _normalise(q, raw.get(q["key"], q.get("default")))
        if not error and value is not None:
            values[q["key"]] = value
    return values


def validate(corpus: Corpus, raw: Mapping[str, Any], removed: Mapping[str, Any] | None = None,
             reworded: Mapping[str, Any] | None = None) -> Answers:
    """Normalise and check ``raw``; raise AnswersError with every problem at once."""
    if not isinstance(raw, Mapping):
        raise AnswersError({"_": "回答は「質問キー: 値」の形で指定してください。"})
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    raw = with_presets(corpus, raw)  # a question left unanswered takes its kinds' preset, then its default
    for q in corpus.questions():
        key = q["key"]
        if not visible(corpus, q, values):
            continue  # hidden questions do not shape the documents
        value, error = _normalise(q, raw.get(key, q.get("default")))
        if error:
            errors[key] = f"「{q['label']}」: {error}"
        elif value is not None:
            values[key] = value
    start, end = values.get("contract_start"), values.get("contract_end")
    if start and end and end <= start:
        errors["contract_end"] = "「契約期間（終了日）」: 開始日より後の日付にしてください。"
    errors.update(_timing_problems(corpus, values))
    errors.update(parties.problems(corpus, values))
    errors.update(_volume_problems(corpus, values, errors))
    for q in corpus.questions():
        words = q.get("refuse_whole_job")
        text = values.get(q["key"])
        if words and isinstance(text, str) and _names_whole_job(text, words, values.get("work_name", "")):
            errors[q["key"]] = (f"「{q['label']}」: 業務の全部を指す書き方はできません。業務の中核は再委託できないため、"
                                "補助的な部分だけを具体的に書いてください（例：封入封緘作業のうち機械封入の部分）。")
    clean_removed = _removed(corpus, removed or {}, errors)
    clean_reworded = rewording.clean(corpus, reworded, errors, clean_text)
    if errors:
        raise AnswersError(errors)
    return Answers(values=values, removed=clean_removed, reworded=clean_reworded)


def _timing_problems(corpus: Corpus, values: Mapping[str, Any]) -> dict[str, str]:
    """Every plan row lies within [作成日, contract end] (issue 25): documents made after the contract, and
    dated work outside the contract or before 作成日 (the plan cannot attend it), are refused."""
    created, start, end = values.get("created_on"), values.get("contract_start"), values.get("contract_end")
    if not (created and start and end) or end <= start:
        return {}
    if created > end:
        return {"created_on": "「作成日」: 契約期間の終了日以前の日付にしてください。契約が終わった後の日付では監督計画を作れません。"}
    label = next((q["label"] for q in corpus.questions() if q["key"] == "work_events"), "日付の決まっている作業")
    low, events, places = max(created, start), values.get("work_events") or [], values.get("work_places") or []
    for bad, problem in (([n for n, row in enumerate(events, 1) if not low <= row.get("date", "") <= end],
                          f"の日付は、契約期間の中で作成日以後の日（{wareki(date.fromisoformat(low))}〜"
                          f"{wareki(date.fromisoformat(end))}）にしてください。"),  # and its place is a work place:
                         ([n for n, row in enumerate(events, 1) if row.get("place") and row["place"] not in places],
                          "の場所は「作業場所」で選ばれていません。作業場所に加えるか、場所を選び直してください。")):
        if bad:
            rows = "、".join(f"{n}行目" for n in bad[:5]) + ("ほか" if len(bad) > 5 else "")
            return {"work_events": f"「{label}」: {rows}{problem}"}
    return {}


def _volume_problems(corpus: Corpus, values: Mapping[str, Any], errors: Mapping[str, str]) -> dict[str, str]:
    """The per-year counts (issue 26 item 6) name each contract year once and add up to the whole count."""
    if volumes.KEY not in values or "record_count" in errors or "contract_end" in errors:
        return {}
    labels = {q["key"]: q["label"] for q in corpus.questions()}
    message = volumes.problem(values, labels.get(volumes.KEY, volumes.KEY), labels.get("record_count", "record_count"))
    return {volumes.KEY: message} if message else {}


def _names_whole_job(text: str, words: list[str], work_name: str) -> bool:
    """A scope like 「全部」「業務のすべて」 or the job's own name: the whole job, which is never re-outsourced."""
    compact = re.sub(r"\s", "", text)
    if work_name and re.sub(r"\s", "", work_name) in compact:
        return True
    return any(w in compact for w in words)


def _normalise(q: Mapping[str, Any], value: Any) -> tuple[Any, str]:
    qtype, required = q["type"], q.get("required", False)
    if isinstance(value, str):
        value = clean_text(value)
        if qtype == "text":
            value = value.rstrip("。").rstrip()  # it is quoted or set in its own sentence by the documents
        else:
            value = unicodedata.normalize("NFKC", value).strip()  # dates, numbers, choices: ASCII is meant
    if value in (None, "", []):
        return (None, "入力してください。") if required else (None, "")
    if qtype == "text":
        if not isinstance(value, str):
            return None, "文字で入力してください。"
        limit = q.get("max_length", 1000)
        if len(value) > limit:
            return None, f"{limit}文字以内で入力してください（現在 {len(value)} 文字）。"
        return value, ""
    if qtype == "date":
        try:
            return parse_date(str(value)).isoformat(), ""
        except (ValueError, StopIteration):
            return None, "日付を 2026-04-01 または 令和8年4月1日 の形で入力してください。"
    if qtype == "integer":
        text = str(value).replace(",", "").replace("件", "").replace("人", "").strip()
        if isinstance(value, bool) or not text.lstrip("-").isdigit():
            return None, "数字で入力してください（例：1200）。"
        number = int(text)
        low, high = q.get("min", 0), q.get("max", 10**9)
        if not low <= number <= high:
            return None, f"{low:,} から {high:,} までの数で入力してください。"
        return number, ""
    if qtype == "bool":
        if isinstance(value, bool):
            return value, ""
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True, ""
        if word in FALSE_WORDS:
            return False, ""
        return None, "「はい」か「いいえ」を選んでください。"
    if qtype == "list":
        return _normalise_list(q, value)
    allowed = [c["value"] for c in q.get("choices", [])]
    if qtype == "choice":
        if value not in allowed:
            return None, "選択肢から選んでください。"
        return value, ""
    # multi
    chosen = value if isinstance(value, list) else [value]
    if any(v not in allowed for v in chosen):
        return None, "選択肢から選んでください。"
    return [v for v in allowed if v in chosen], ""  # choice order, no duplicates


def _normalise_list(q: Mapping[str, Any], value: Any) -> tuple[Any, str]:
    """Rows of a list question: each row a mapping of column key → value; blank rows are dropped. Every row has
    every column (blank text as ""; a blank ``omit_blank`` column left out), so documents and hashes never depend
    on which cells the page happened to send."""
    if not isinstance(value, list) or any(not isinstance(row, Mapping) for row in value):
        return None, "表の形（行ごとの項目）で入力してください。"
    limit, rows, problems = q.get("max_items", MAX_LIST_ITEMS), [], []
    for n, row in enumerate(value, start=1):
        cells = {c["key"]: row.get(c["key"]) for c in q["columns"]}
        typed = [cells[c["key"]] for c in q["columns"] if c["type"] in ("text", "date")]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in typed):
            continue  # a row the user added and left (a select always has a value, so only typed cells count)
        clean: dict[str, Any] = {}
        for column in q["columns"]:
            cell, error = _normalise(column, cells[column["key"]])
            if error:
                problems.append(f"{n}行目の「{column['label']}」: {error}")
            if cell is None and column.get("omit_blank"):
                continue  # a column added later (work_events.place): rows saved before it keep their form and hash
            clean[column["key"]] = cell if cell is not None else column.get("default", "")
        rows.append(clean)
    if len(rows) > limit:
        problems.append(f"{limit}行以内で入力してください（現在 {len(rows)} 行）。")
    if problems:
        return None, " ".join(problems[:3]) + (" ほか" if len(problems) > 3 else "")
    if not rows:
        return (None, "1行以上入力してください。") if q.get("required") else (None, "")
    return rows, ""


def _removed(corpus: Corpus, removed: Mapping[str, Any], errors: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    if not isinstance(removed, Mapping):
        errors["removed_clauses"] = "外す条文は「条文id: 理由」の形で指定してください。"
        return out
    by_id = {c["id"]: c for c in corpus.clauses}
    for cid, reason in removed.items():
        clause = by_id.get(cid)
        if clause is None:
            errors[f"removed:{cid}"] = f"外す条文「{cid}」はありません。"
            continue
        if clause["inclusion"] != "default_on":
            errors[f"removed:{cid}"] = f"「{clause['title']}」は外せない条文です（必須または回答で決まる条文）。"
            continue
        text = clean_text(str(reason or ""))
        if not text:
            errors[f"removed:{cid}"] = f"「{clause['title']}」を外す理由を入力してください。"
        elif len(text) > MAX_REASON:
            errors[f"removed:{cid}"] = f"「{clause['title']}」を外す理由は{MAX_REASON}文字以内にしてください。"
        else:
            out[cid] = text
    return dict(sorted(out.items()))


# ---------------------------------------------------------------- files and migration

@dataclass(frozen=True)
class Loaded:
    """What an answers file or job record held, brought to the current schema."""

    answers: dict[str, Any]
    removed: dict[str, str]
    schema_version: int
    corpus_version: str
    flagged: dict[str, str]  # question key → 「新しい質問」/「変更された質問」
    record: dict[str, Any] | None  # the whole job record when the file was one
    ids: dict[str, str] = field(default_factory=dict)  # job_id (else the file's answers hash), previous_job_id
    reworded: dict[str, Any] = field(default_factory=dict)  # reworded_paragraphs (optional, schema 4), as the file has them


def answers_document(corpus: Corpus, answers: Answers) -> dict[str, Any]:
    return {
        "format": ANSWERS_FORMAT,
        "schema_version": corpus.schema_version,
        "corpus_version": corpus.version,
        "answers": dict(answers.values),
        "removed_clauses": dict(answers.removed),
        "reworded_paragraphs": {k: dict(v) for k, v in answers.reworded.items()},
        "answers_hash": answers_hash(answers),
        **job_ids(answers),
        **({"counterparty": dict(answers.party)} if answers.party else {}),
        "edition": {"name": corpus.edition["org_name"], "hash": corpus.edition["hash"]},  # 団体の設定 in force
    }


def load_file(corpus: Corpus, data: bytes | str) -> Loaded:
    """Read an answers file or job record; raise AnswersFileError (Japanese) if it is not one."""
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise AnswersFileError("ファイルが大きすぎます（5MB まで）。回答ファイルか業務記録ファイルを選んでください。")
        wrong = wrong_file(data, ("answers", "job"), "回答ファイル（answers.json）または業務記録ファイル（job.json）")
        if wrong:
            raise AnswersFileError(wrong)
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise AnswersFileError("このファイルは回答ファイル（JSON）として読めません。文字コードが UTF-8 ではありません。") from None
    if len(data) > MAX_FILE_BYTES:
        raise AnswersFileError("ファイルが大きすぎます（5MB まで）。")
    try:
        doc = schema.loads(data)
    except schema.JSONInputError as exc:
        raise AnswersFileError(f"このファイルは回答ファイル（JSON）として読めません。{exc}") from None
    except (ValueError, RecursionError):
        raise AnswersFileError("このファイルは回答ファイル（JSON）として読めません。壊れているか、別の種類のファイルです。") from None
    if not isinstance(doc, dict) or doc.get("format") not in (ANSWERS_FORMAT, JOB_FORMAT):
        raise AnswersFileError("このファイルは本キットの回答ファイル・業務記録ファイルではありません。")
    version = doc.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise AnswersFileError("回答ファイルの版（schema_version）が読めません。")
    if version > corpus.schema_version:
        raise AnswersFileError(
            f"この回答ファイルは新しい版（{version}）のキットで作られています。"
            f"このサイトの版（{corpus.schema_version}）では読めません。サイトを更新してください。")
    answers, removed, reworded = doc.get("answers"), doc.get("removed_clauses", {}), doc.get("reworded_paragraphs", {})
    if not isinstance(answers, dict):
        raise AnswersFileError("回答ファイルに回答（answers）がありません。")
    if not isinstance(removed, dict) or not all(isinstance(v, str) for v in removed.values()):
        raise AnswersFileError("回答ファイルの外す条文（removed_clauses）が「条文id: 理由」の形ではありません。")
    if not isinstance(reworded, dict) or not all(isinstance(v, dict) for v in reworded.values()):
        raise AnswersFileError("回答ファイルの文言を変えた項（reworded_paragraphs）が「項のキー: {text, reason}」の形ではありません。")
    if doc.get("format") == JOB_FORMAT:
        problem = schema.job_problems(doc)
        if problem:
            raise AnswersFileError(f"業務記録ファイルの{problem}")
    answers = migrate(corpus, answers, version)
    return Loaded(
        answers=answers,
        removed={str(k): str(v) for k, v in removed.items()},
        reworded={str(k): dict(v) for k, v in reworded.items()},
        schema_version=version,
        corpus_version=str(doc.get("corpus_version", "")),
        flagged=flagged_questions(corpus, version),
        record=doc if doc.get("format") == JOB_FORMAT else None,
        # A file from before job ids: its own answers hash, the key the register already gives it.
        ids=clean_ids({"job_id": doc.get("job_id") or doc.get("answers_hash"),
                       "previous_job_id": doc.get("previous_job_id")}),
    )


def _showable(q: Mapping[str, Any], value: Any) -> bool:
    """Whether the page's form can hold ``value`` for ``q`` as it is (so that showing it changes nothing)."""
    if value in (None, "", []):
        return True
    qtype = q["type"]
    if qtype == "text":
        return isinstance(value, str)
    if qtype == "list":
        if not isinstance(value, list) or any(not isinstance(row, Mapping) for row in value):
            return False
        return all(_showable(c, row.get(c["key"])) for row in value for c in q["columns"] if c["type"] != "text"
                   ) and all(isinstance(row.get(c["key"]), (str, type(None))) for row in value
                             for c in q["columns"] if c["type"] == "text")
    return not _normalise(q, value)[1]


def unshowable(corpus: Corpus, raw: Mapping[str, Any], removed: Mapping[str, Any] | None = None,
               reworded: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The problems ``validate`` finds in values the form could not show as they are (an object where a
    list is expected, an unknown choice, 「maybe」 for a yes/no, a number for a date): the page refuses
    the file with these messages, the CLI's own, instead of dropping or changing the values. Problems
    the form shows (a required answer missing, a row without a name) are left to the form."""
    try:
        validate(corpus, raw, removed, reworded)
    except AnswersError as exc:
        questions = {q["key"]: q for q in corpus.questions()}
        return {key: message for key, message in exc.errors.items()  # a rewording the page cannot hold
                if (key in questions and not _showable(questions[key], raw.get(key))) or key == "reworded_paragraphs"}
    return {}


def refusal(exc: AnswersError) -> str:
    """The one Japanese message for answers that cannot be used (the CLI prints the same lines)."""
    return "回答に問題があります。" + " ".join(exc.errors.values())


def _version(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(x) for x in str(text).split("."))
    except ValueError:
        return (0,)


def load_notes(corpus: Corpus, loaded: Loaded) -> list[str]:
    """What the user should know about a loaded file besides flagged questions (Japanese sentences)."""
    notes = []
    if loaded.corpus_version and _version(loaded.corpus_version) > _version(corpus.version):
        notes.append(f"この回答は新しい版（コーパス {loaded.corpus_version}）のキットで作られています。このサイトの版"
                     f"（{corpus.version}）で文書を作ると、新しい版で加わった条文などは入りません。できればサイトを更新してください。")
    return notes


def migrate(corpus: Corpus, answers: dict[str, Any], version: int) -> dict[str, Any]:
    """Apply the declarative migrations of questions.yml from ``version`` to the current one."""
    out = dict(answers)
    for step in corpus.data["questions"].get("migrations", []):
        if step["from"] < version:
            continue
        for key, value in step.get("add", {}).items():  # a new question's value for old files
            out.setdefault(key, value)
        for old, new in step.get("rename", {}).items():
            if old in out and new not in out:
                out[new] = out.pop(old)
        for key in step.get("to_list", []):
            if key in out and not isinstance(out[key], list):
                out[key] = [out[key]]
        for key, mapping in step.get("map_values", {}).items():
            if key in out:
                out[key] = mapping.get(json.dumps(out[key]).strip('"'), out[key])
    return out


def flagged_questions(corpus: Corpus, version: int) -> dict[str, str]:
    flags: dict[str, str] = {}
    for q in corpus.questions():
        if q.get("since", 1) > version:
            flags[q["key"]] = "新しい質問"
        elif q.get("changed_in", 0) > version:
            flags[q["key"]] = "変更された質問"
    for step in corpus.data["questions"].get("migrations", []):  # a step may say what to check (work_kinds)
        if step["from"] >= version:
            flags.update({k: v for k, v in (step.get("flag") or {}).items() if k in flags})
    return flags


