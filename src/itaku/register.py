"""The oversight register (委託台帳): many job records → one table of jobs, checks due and overdue.

Pure functions over job records (job.json, see ``itaku.outputs.job_record``)
and a 基準日 (``as_of``). The register page (through ``itaku.web``) and the
CLI (``itaku register``) call the same functions, so the page and the
workbook agree. Nothing here reads the clock: the 基準日 decides.

Which plan entries a recorded check fulfils (``schedule``):
- ``start`` (契約前の確認・契約当初の実地調査) ← a check of phase ``before``;
- ``annual`` (年1回の確認) ← a check of phase ``after`` by the contractor;
- ``sub`` / ``sub-onsite`` (再委託先の確認) ← a check of phase ``after`` of a 再委託先;
- ``end`` (返還・廃棄・消去の確認) ← a check of phase ``after`` on or after the contract end.
A check counts only if it is dated on or before the 基準日, its method is at
least as strict as the plan's (実地 fulfils 書面, not the reverse), and it is
not earlier than the entry's first day (the first entry of a kind also takes
earlier checks: the pre-contract self-check comes before the start). Checks
are matched in date order to the earliest open entry, so a late check clears
the overdue entry it was late for. 定期報告 and 成果物の検査 have no record
in job.json and are not tracked here.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

from itaku import schema
from itaku.answers import JOB_FORMAT, clean_text
from itaku.filekind import wrong_file
from itaku.identify import changes_since
from itaku.model import Corpus

MAX_BYTES = 20_000_000  # a job record is tens of kilobytes; far larger files are not ones
MAX_TEXT = 300  # characters of a name shown in the register
ENDING_DAYS = 60  # contracts ending within this many days: return/deletion certificate due
METHOD_RANK = {"書面": 0, "実地": 1}
CONFORMING = ("適合", "該当なし")
HASH_RE = schema.HASH_RE

# kind → (phase of the check, role of the company or None for any)
TRACKED = {"pre": ("before", None), "start": ("before", None), "onsite-start": ("after", None),
           "selfcheck-start": ("after", "受託者"),
           "annual": ("after", "受託者"), "sub": ("after", "再委託先"),
           "sub-onsite": ("after", "再委託先"), "end": ("after", None)}
RISKS = (("specific", "特定個人情報"), ("sensitive", "要配慮"), ("volume", "1,000件以上"),
         ("reoutsourcing", "再委託"), ("cloud", "クラウド"), ("foreign", "国外"))
# The three minimum terms of the MIC 2007 emergency inspection: point → (label, clauses that state it).
THREE_POINTS = (("reoutsourcing", "再委託", ("subcontracting",)),
                ("place", "作業場所・持出し", ("work-place", "carry-out")),
                ("return", "返還・廃棄", ("return-disposal",)))


class RegisterError(ValueError):
    """A file that cannot go into the register (message in Japanese)."""


# ---------------------------------------------------------------- reading job records

def _text(value: Any, limit: int = MAX_TEXT) -> str:
    """Text from a record as the register shows it: no control or bidi characters, at most ``limit``."""
    return clean_text(str(value if value is not None else ""))[:limit]


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def read_record(data: bytes, schema_version: int) -> dict[str, Any]:
    """One job record from an uploaded file; ``RegisterError`` says in Japanese why not."""
    if len(data) > MAX_BYTES:
        raise RegisterError(f"ファイルが大きすぎます（{len(data) / 1_000_000:.0f}MB）。業務記録ファイルは通常 1MB 未満です。")
    if not bytes(data[:1024]).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):  # named as the other pages do
        wrong = wrong_file(bytes(data), ("job", "answers"), "業務記録ファイル（job.json）")
        if wrong:
            raise RegisterError(wrong)
    try:
        text = bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RegisterError("業務記録ファイル（job.json）ではありません（文字コードが UTF-8 のテキストではありません）。") from None
    try:
        doc = schema.loads(text)
    except schema.JSONInputError as exc:
        raise RegisterError(f"業務記録ファイルとして読めません。{exc}") from None
    except ValueError:
        if text.lstrip().startswith("{") and any(m in text for m in (f'"{JOB_FORMAT}"', '"answers_hash"', '"answers"')):
            # looks like one of ours (keys are sorted, so "answers" comes first), cut short or damaged
            raise RegisterError("業務記録ファイルが途中で切れているか、壊れています。元のファイルを選び直してください。") from None
        raise RegisterError("業務記録ファイル（job.json）ではありません（JSON として読めません）。") from None
    if not isinstance(doc, dict) or doc.get("format") != JOB_FORMAT:
        if isinstance(doc, dict) and doc.get("format") == "itaku-answers":
            raise RegisterError("これは回答ファイル（answers.json）です。台帳には業務記録ファイル（job.json）を読み込んでください。")
        raise RegisterError("業務記録ファイル（job.json）ではありません。生成ページで作った job.json を選んでください。")
    version = doc.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise RegisterError("業務記録ファイルの版（schema_version）が読めません。")
    if version > schema_version:
        raise RegisterError(f"新しい版（{version}）のキットで作られた業務記録です。このサイトの版（{schema_version}）では読めません。"
                            "サイトを更新してください。")
    problem = schema.job_problems(doc)  # job_schema, then the written schema (schema.JOB_RECORD), then contents
    if problem:
        raise RegisterError(f"業務記録ファイルの{problem}")
    if not schema.hash_matches(doc):
        raise RegisterError(f"この業務記録ファイルは{schema.ALTERED}")
    return schema.migrate_record(doc)  # an earlier form is kept as the current one


def _version(text: Any) -> tuple[int, ...]:
    try:
        return tuple(int(x) for x in str(text).split("."))
    except ValueError:
        return (0,)


def freshness(record: Mapping[str, Any]) -> tuple[int, str, bool, str, tuple[int, ...]]:
    """Which copy of the same job is newer: more checks recorded, then the later last check, then the
    one naming the contractor, the later 作成日, then the newer corpus version in its stamp."""
    checks = [c for c in record.get("checks") or [] if isinstance(c, dict)]
    answers = record.get("answers") or {}
    # A copy with the contractor's name added after the award is the newer one of the same job.
    return (len(checks), max((_text(c.get("date"), 10) for c in checks), default=""),
            bool(_text(answers.get("contractor_name"))), _text(answers.get("created_on"), 10),
            _version((record.get("stamp") or {}).get("corpus_version")))


def job_key(record: Mapping[str, Any]) -> str:
    """The job a record belongs to: its job id (made once when the job was started, kept while answers
    change), else, for records made before ids, its answers hash."""
    job_id = record.get("job_id")
    return job_id if isinstance(job_id, str) and HASH_RE.match(job_id) else str(record["answers_hash"])


def split_from(record: Mapping[str, Any]) -> str:
    """The job a counterparty's record was split from (its ``counterparty.of_job_id``), else ""."""
    party = record.get("counterparty")
    whole = party.get("of_job_id") if isinstance(party, Mapping) else None
    return whole if isinstance(whole, str) and HASH_RE.match(whole) else ""


def _digest(record: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass
class Register:
    """The job records loaded so far, one per job (``job_key``: job id, else answers hash), in load order."""

    records: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, name: str, data: bytes, schema_version: int) -> dict[str, Any]:
        """Add one file; returns what happened to it: {name, kind, hash?, message}.

        kind: ``added`` | ``replaced`` (a newer copy of a job already loaded) |
        ``duplicate`` (the same copy again) | ``older`` (an older copy: kept the newer) | ``refused``.
        """
        name = _text(name, 200)
        try:
            record = read_record(data, schema_version)
        except RegisterError as exc:
            return {"name": name, "kind": "refused", "message": f"{name}：{exc}"}
        key = job_key(record)
        work = _text((record.get("answers") or {}).get("work_name") or record.get("work_name"))
        old = self.records.get(key)
        out = {"name": name, "hash": record["answers_hash"], "job": key}
        if any(split_from(r) == key for r in self.records.values()):  # a job now let to several counterparties
            return {**out, "kind": "older", "message": f"{name}：「{work}」は相手方ごとの業務記録に分かれているため、"
                                                       "この業務全体の記録は使いません（相手方ごとに1件ずつ数えます）。"}
        whole = split_from(record)
        if whole in self.records:
            del self.records[whole]
            out["message"] = (f"{name}：「{work}」の業務全体の記録を、相手方ごとの業務記録に置き換えました"
                              "（相手方ごとに1件ずつ数えます）。")
        if old is None:
            self.records[key] = record
            return {**out, "kind": "added", "message": out.get("message", "")}
        if _digest(old) == _digest(record):
            return {**out, "kind": "duplicate",
                    "message": f"{name}：「{work}」の業務記録は既に読み込んでいます（重複は1件として数えます）。"}
        # Same job, other answers: a copy saved after an answer changed (the contractor's name after the award).
        why = "確認の記録が新しい" if old["answers_hash"] == record["answers_hash"] else "回答（受託者名など）を更新した後の"
        if freshness(record) >= freshness(old):
            self.records[key] = record
            return {**out, "kind": "replaced",
                    "message": f"{name}：「{work}」の業務記録を、{why}このファイルで置き換えました（同じ業務として1件に数えます）。"}
        return {**out, "kind": "older",
                "message": f"{name}：「{work}」の業務記録は、既に読み込んだものより古い写しのため使いません（同じ業務として1件に数えます）。"}

    def remove(self, key: str) -> None:
        self.records.pop(key, None)


def load(corpus: Corpus, files: Iterable[tuple[str, bytes]], register: Register | None = None
         ) -> tuple[Register, list[dict[str, Any]]]:
    """Add files to a register (a new one by default); each file's outcome, in order."""
    reg = register if register is not None else Register()
    return reg, [reg.add(name, data, corpus.schema_version) for name, data in files]


# ---------------------------------------------------------------- the schedule of one job

@dataclass(frozen=True)
class Entry:
    """A tracked plan entry and its state at the 基準日."""

    kind: str
    earliest: date
    due: date
    what: str
    method: str
    done_on: date | None
    status: str  # done | done_late | overdue | open

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "earliest": self.earliest.isoformat(), "due": self.due.isoformat(),
                "what": self.what, "method": self.method,
                "done_on": self.done_on.isoformat() if self.done_on else None, "status": self.status}


def _matches(kind: str, check: Mapping[str, Any]) -> bool:
    phase, role = TRACKED[kind]
    if check.get("phase") != phase:
        return False
    return role is None or (check.get("role") or "受託者") == role


def schedule(plan: Sequence[Mapping[str, Any]], checks: Sequence[Mapping[str, Any]], as_of: date) -> list[Entry]:
    """Every tracked plan entry with the check that fulfilled it (if any) and its state at ``as_of``."""
    dated = sorted(((d, i, c) for i, c in enumerate(checks)
                    if isinstance(c, Mapping) and (d := _day(c.get("date"))) and d <= as_of), key=lambda t: t[:2])
    out: list[Entry] = []
    for kind in TRACKED:
        entries = sorted((p for p in plan if p.get("kind") == kind),
                         key=lambda p: (str(p["earliest"]), str(p["due"])))
        done: list[date | None] = [None] * len(entries)
        for day, _, check in dated:
            if not _matches(kind, check):
                continue
            rank = METHOD_RANK.get(str(check.get("method")), -1)
            for n, p in enumerate(entries):
                if done[n] is None and (n == 0 or _day(p["earliest"]) <= day) \
                        and rank >= METHOD_RANK.get(str(p.get("method")), 0) \
                        and (kind != "end" or _day(p["earliest"]) <= day):
                    done[n] = day
                    break
        for p, day in zip(entries, done):
            due = _day(p["due"])
            if day is not None:
                status = "done" if day <= due else "done_late"
            else:
                status = "overdue" if due < as_of else "open"
            out.append(Entry(kind, _day(p["earliest"]), due, _text(p.get("what")), _text(p.get("method"), 10),
                             day, status))
    return sorted(out, key=lambda e: (e.due, e.kind, e.earliest))


def next_due(entries: Sequence[Entry]) -> Entry | None:
    """The first open entry that is not yet overdue."""
    return next((e for e in entries if e.status == "open"), None)


def overdue(entries: Sequence[Entry]) -> list[Entry]:
    return [e for e in entries if e.status == "overdue"]


# ---------------------------------------------------------------- checks, improvements, three points

def _checks_until(record: Mapping[str, Any], as_of: date) -> list[dict[str, Any]]:
    out = [c for c in record.get("checks") or [] if isinstance(c, dict) and (d := _day(c.get("date"))) and d <= as_of]
    return sorted(out, key=lambda c: str(c["date"]))  # stable: same-day checks keep their recorded order


def latest_per_company(record: Mapping[str, Any], phase: str, as_of: date) -> dict[tuple[str, str], dict[str, Any]]:
    """The latest check of ``phase`` for each (role, company), as of the 基準日."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for check in _checks_until(record, as_of):
        if check.get("phase") == phase:
            out[(_text(check.get("role") or "受託者", 10), _text(check.get("company")))] = check
    return out


def improvements(record: Mapping[str, Any], as_of: date) -> list[dict[str, Any]]:
    """Open 不適合 (改善指示) in each company's latest check of each phase, with their due dates."""
    out = []
    for phase in ("before", "after"):
        for (role, company), check in latest_per_company(record, phase, as_of).items():
            answers = check.get("answers") if isinstance(check.get("answers"), dict) else {}
            for item_id, row in sorted(answers.items()):
                if not isinstance(row, dict) or row.get("status") != "不適合":
                    continue
                # 改善期限 is the row's own field "due"; job records saved before it existed kept the
                # page's 改善期限 in "checked_on" (rows without "due").
                due = _day(row.get("due") if "due" in row else row.get("checked_on"))
                out.append({"item": _text(item_id, 100), "phase": phase, "role": role, "company": company,
                            "plan": _text(row.get("note"), 1000), "checked": _text(check.get("date"), 10),
                            "due": due.isoformat() if due else "", "overdue": bool(due and due < as_of)})
    return out


def three_points(corpus: Corpus, record: Mapping[str, Any], as_of: date) -> dict[str, dict[str, Any]]:
    """The MIC minimum check for one job: per point, 契約上の明記 and 実際の遵守 (0/1) and why.

    明記: every clause of the point is among the job's articles. 遵守: the
    latest 契約後 check of the contractor and of every 再委託先 checked (and, when
    re-outsourcing is planned, at least one 再委託先 for the re-outsourcing point)
    answers every applicable item of the point's clauses 適合 or 該当なし.
    """
    articles = {a.get("clause") for a in record.get("articles") or [] if isinstance(a, dict)}
    applicable = set((record.get("applicable_items") or {}).get("after") or [])
    latest = latest_per_company(record, "after", as_of)
    planned = (record.get("answers") or {}).get("reoutsourcing") == "planned"
    out = {}
    for point, label, clauses in THREE_POINTS:
        written = int(all(c in articles for c in clauses))
        items = [i["id"] for i in corpus.items if i["clause"] in clauses and i["id"] in applicable]
        if point == "reoutsourcing" and planned:
            items += [i["id"] for i in corpus.items if i["clause"] == "subcontractor-duties" and i["id"] in applicable]
        if not any(role == "受託者" for role, _ in latest):
            kept, note = 0, "契約後の確認の記録がありません"
        elif point == "reoutsourcing" and planned and not any(role == "再委託先" for role, _ in latest):
            kept, note = 0, "再委託先の確認の記録がありません"
        else:
            bad = sorted({i for check in latest.values() for i in items
                          if ((check.get("answers") or {}).get(i) or {}).get("status") not in CONFORMING})
            kept = int(not bad)
            note = "" if kept else "未確認又は不適合の項目：" + "、".join(bad[:10]) + ("ほか" if len(bad) > 10 else "")
        out[point] = {"label": label, "written": written, "kept": kept, "note": note}
    return out


# ---------------------------------------------------------------- one row per job, and the whole register

def risks(answers: Mapping[str, Any]) -> list[str]:
    marks = {"specific": bool(answers.get("specific_personal_info")), "sensitive": bool(answers.get("sensitive_info")),
             "volume": isinstance(answers.get("record_count"), int) and answers["record_count"] >= 1000,
             "reoutsourcing": answers.get("reoutsourcing") == "planned", "cloud": bool(answers.get("cloud")),
             "foreign": bool(answers.get("foreign_handling"))}
    return [key for key, _ in RISKS if marks[key]]


def _changed(corpus: Corpus, record: Mapping[str, Any]) -> dict[str, Any]:
    version = _text((record.get("stamp") or {}).get("corpus_version"), 20)
    changes = changes_since(corpus, version)
    mine = {a.get("clause") for a in record.get("articles") or [] if isinstance(a, dict)}
    titles = list(dict.fromkeys(c["title"] for ch in changes for c in ch["clauses"] if c["id"] in mine))
    # A record made with a newer kit than this site is not out of date: it is told apart as "newer".
    newer = _version(version) > _version(corpus.version)
    return {"version": version, "outdated": not newer and (bool(changes) or version != corpus.version),
            "newer": newer, "clauses": [] if newer else titles}


def _phase_to_check(entry: Entry | None) -> str:
    """Which checklist page the job's link opens: the page of its most pressing check."""
    return "before" if entry is not None and entry.kind in ("pre", "start") else "after"


def row(corpus: Corpus, record: Mapping[str, Any], as_of: date) -> dict[str, Any]:
    """The register row of one job at the 基準日."""
    a = record.get("answers") or {}
    start, end = _day(a.get("contract_start")), _day(a.get("contract_end"))
    entries = schedule(record.get("plan") or [], record.get("checks") or [], as_of)
    late = overdue(entries)
    nxt = next_due(entries)
    checks = _checks_until(record, as_of)
    last = checks[-1] if checks else None
    befores = [c for c in checks if c.get("phase") == "before"]
    if not befores:
        before = {"state": "missing", "date": ""}
    else:
        first = befores[0]["date"]
        before = {"state": "before_start" if _day(first) <= start else "after_start", "date": first}
    imps = [{**i, **_item_words(corpus, record, i["item"], i["phase"])} for i in improvements(record, as_of)]
    days_left = (end - as_of).days
    subs = sorted({_text(c.get("company")) for c in checks if c.get("role") == "再委託先"})
    ctype = a.get("contract_type")
    return {
        "job": job_key(record), "hash": record["answers_hash"],
        "previous_job": _text(record.get("previous_job_id"), 64), "previous": None, "next": [],
        "department": _text(a.get("department")) or "（担当課なし）",
        "work_name": _text(a.get("work_name") or record.get("work_name")),
        "contractor": _text(a.get("contractor_name") or (record.get("stamp") or {}).get("company")),
        "contract_type": _text(corpus.choice_labels().get("contract_type", {}).get(ctype, ctype or "")),
        "start": start.isoformat(), "end": end.isoformat(),
        "risks": risks(a),
        "last_check": ({"date": last["date"], "method": _text(last.get("method"), 10), "phase": _text(last.get("phase"), 20)}
                       if last else None),
        "next_due": nxt.as_dict() if nxt else None,
        "overdue_checks": [e.as_dict() for e in late],
        "improvements": imps,
        "overdue": bool(late) or any(i["overdue"] for i in imps),
        "reoutsourcing": {"planned": a.get("reoutsourcing") == "planned",
                          "scope": _text(a.get("reoutsourcing_scope")), "subcontractors": subs},
        "before_check": before,
        "corpus": _changed(corpus, record),
        "ending_soon": 0 <= days_left <= ENDING_DAYS,
        "days_left": days_left,
        "three_points": three_points(corpus, record, as_of),
        "checklist_phase": _phase_to_check(late[0] if late else nxt),
        "schedule": [e.as_dict() for e in entries],
    }


def _item_words(corpus: Corpus, record: Mapping[str, Any], item_id: str, phase: str) -> dict[str, str]:
    """An improvement as the checklist shows it: the item's No. on the job's sheet and its text."""
    ids = (record.get("applicable_items") or {}).get(phase) or []
    item = next((i for i in corpus.items if i["id"] == item_id), None)
    text = str(item.get(phase) or item.get("after") or "") if item else ""
    return {"number": str(ids.index(item_id) + 1) if item_id in ids else "", "text": _text(text, 200)}


def link_years(rows: Sequence[dict[str, Any]]) -> None:
    """Next year's job names last year's (``previous_job``): each row gets the other's name and period."""
    by_job = {r["job"]: r for r in rows}
    for r in rows:
        prev = by_job.get(r["previous_job"])
        if prev is not None:
            r["previous"] = {"job": prev["job"], "work_name": prev["work_name"], "start": prev["start"], "end": prev["end"]}
            prev["next"].append({"job": r["job"], "work_name": r["work_name"], "start": r["start"], "end": r["end"]})


def _department_counts(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        d = out.setdefault(r["department"], {"department": r["department"], "jobs": 0, "overdue": 0,
                                            "improvements": 0, "ending_soon": 0, "outdated": 0,
                                            "risks": {k: 0 for k, _ in RISKS}})
        d["jobs"] += 1
        d["overdue"] += int(r["overdue"])
        d["improvements"] += len(r["improvements"])
        d["ending_soon"] += int(r["ending_soon"])
        d["outdated"] += int(r["corpus"]["outdated"])
        for k in r["risks"]:
            d["risks"][k] += 1
    return [out[k] for k in sorted(out)]


def three_point_totals(rows: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    return {point: {"written": sum(r["three_points"][point]["written"] for r in rows),
                    "kept": sum(r["three_points"][point]["kept"] for r in rows), "jobs": len(rows)}
            for point, _, _ in THREE_POINTS}


def tabulate(corpus: Corpus, records: Iterable[Mapping[str, Any]], as_of: date) -> dict[str, Any]:
    """The whole register at the 基準日: rows (sorted by department, then next due), counts, 三点 totals."""
    rows = [row(corpus, r, as_of) for r in records]
    link_years(rows)
    rows.sort(key=lambda r: (r["department"], (r["overdue_checks"] or [r["next_due"] or {}])[0].get("due", "9999"),
                             r["work_name"], r["job"]))
    return {
        "as_of": as_of.isoformat(),
        "corpus_version": corpus.version,
        "rows": rows,
        "departments": _department_counts(rows),
        "three_points": {"labels": {p: label for p, label, _ in THREE_POINTS}, "totals": three_point_totals(rows)},
        "risk_labels": dict(RISKS),
        "counts": {"jobs": len(rows), "overdue": sum(r["overdue"] for r in rows),
                   "ending_soon": sum(r["ending_soon"] for r in rows),
                   "outdated": sum(r["corpus"]["outdated"] for r in rows)},
    }


def parse_as_of(text: Any) -> date:
    """The 基準日 typed by the user (YYYY-MM-DD); ``RegisterError`` in Japanese otherwise."""
    day = _day(str(text or "").strip())
    if day is None:
        raise RegisterError("基準日を 2026-10-01 の形で入力してください。")
    return day


__all__ = ["Entry", "Register", "RegisterError", "THREE_POINTS", "improvements", "job_key", "link_years", "load",
           "next_due", "overdue",
           "parse_as_of", "read_record", "row", "schedule", "tabulate", "three_points"]
