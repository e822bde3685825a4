"""One job, several counterparties (issue 26 item 5): the same contract let to several contractors, each its
own set of documents and its own job record.

The answers list the counterparties (``counterparties``: name, address, record_count). Each counterparty's
answers are the job's with its name as ``contractor_name`` and its own count as ``record_count`` (the
job's total when its cell is blank), and without the list: a plain single-contractor job, so the on-site
decision, the plan and every header are that counterparty's, and its job record reads like any other.

Each counterparty's job id is made from the job's id and the counterparty's name: stable while the job keeps
its id, and unchanged for the others when a counterparty is added or removed.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any, Mapping

from itaku.model import Corpus

KEY = "counterparties"
MIN_PARTIES = 2
ID_FORMAT = "itaku-counterparty/1"


def rows(values: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The counterparties of validated answers (none for an ordinary job)."""
    listed = values.get(KEY)
    return list(listed) if isinstance(listed, list) else []


def _same(name: str) -> str:
    """A name as two rows are compared: width, case and spaces ignored (「Ａ医院」 = 「a 医院」)."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", name)).casefold()


def count_of(row: Mapping[str, Any], values: Mapping[str, Any]) -> int:
    """The counterparty's own record count: its cell, else the whole job's (the cautious reading)."""
    own = row.get("record_count")
    return own if isinstance(own, int) and not isinstance(own, bool) else int(values.get("record_count") or 0)


def problems(corpus: Corpus, values: Mapping[str, Any]) -> dict[str, str]:
    """What makes the list unusable, in Japanese (``answers.validate`` adds these)."""
    listed = rows(values)
    if not listed:
        return {}
    label = next((q["label"] for q in corpus.questions() if q["key"] == KEY), "相手方")
    if len(listed) < MIN_PARTIES:
        return {KEY: f"「{label}」: 相手方が1者だけのときは、この表を空にして「受託者名」に入力してください。"
                     "この表は2者以上と別々に契約するときに使います。"}
    seen: dict[str, int] = {}
    twice = []
    for n, row in enumerate(listed, start=1):
        first = seen.setdefault(_same(str(row.get("name", ""))), n)
        if first != n:
            twice.append(f"{n}行目（{first}行目と同じ「{row.get('name')}」）")
    if twice:
        return {KEY: f"「{label}」: 相手方の名称が重なっています：{'、'.join(twice[:3])}。"
                     "名称は相手方ごとの文書と業務記録を分ける目印になるため、1者に1行としてください。"}
    total = values.get("record_count")
    if isinstance(total, int):
        over = [f"{n}行目（{row['name']}：{row['record_count']:,}人）" for n, row in enumerate(listed, start=1)
                if isinstance(row.get("record_count"), int) and row["record_count"] > total]
        if over:
            return {KEY: f"「{label}」: 相手方の取扱件数が業務全体の「取扱件数」（{total:,}人）を超えています："
                         f"{'、'.join(over[:3])}{'ほか' if len(over) > 3 else ''}。業務全体の件数は、どの相手方の件数以上にしてください"
                         "（全員分の名簿を各相手方に渡すときは、各行を業務全体と同じ数にします）。"}
    return {}


def party_id(job_id: str, name: str) -> str:
    """The counterparty's job id: from the job's id and its name (as compared), 64 hex digits."""
    return hashlib.sha256(f"{ID_FORMAT}\n{job_id}\n{_same(name)}".encode("utf-8")).hexdigest()


def party_values(values: Mapping[str, Any], row: Mapping[str, Any]) -> dict[str, Any]:
    """One counterparty's answers: the job's, with its name and count, without the list."""
    out = {k: v for k, v in values.items() if k != KEY}
    out["contractor_name"] = str(row["name"])
    out["record_count"] = count_of(row, values)
    if out["record_count"] != values.get("record_count"):  # the years split the whole job's count, not this one's
        out.pop("record_counts_by_year", None)
    return out


def party_info(values: Mapping[str, Any], index: int, job_id: str) -> dict[str, Any]:
    """What a counterparty's set says of the whole (answers.json / job.json ``counterparty``, the 採否一覧)."""
    listed = rows(values)
    return {"name": str(listed[index]["name"]), "number": index + 1, "of": len(listed), "of_job_id": job_id,
            "parties": [{"name": str(r["name"]), "address": str(r.get("address") or ""), "record_count": count_of(r, values),
                         "counted": isinstance(r.get("record_count"), int)} for r in listed],
            "total": int(values.get("record_count") or 0), "contractor_answer": str(values.get("contractor_name") or ""),
            "by_year": bool(values.get("record_counts_by_year"))}
