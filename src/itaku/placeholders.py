"""Answers → the values of the ``{{name}}`` placeholders of clause and form text (Job.values)."""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from itaku.model import Corpus
from itaku.wareki import period
from itaku.wording import quoted

FREQUENCY = {"monthly": "毎月", "quarterly": "四半期ごと", "half_yearly": "半期ごと"}


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
        "record_count": f"{int(v.get('record_count') or 0):,}人",
        "report_frequency": FREQUENCY.get(v.get("report_frequency", "monthly"), "毎月"),
        "reoutsourcing_scope": quoted(v["reoutsourcing_scope"]) if v.get("reoutsourcing_scope") else "承認申請で定める範囲",
        "ordinance": edition["ordinance"],
        **list_values(corpus, v),
        # The edition's other values (itaku.edition): wording by the kind of body, the privacy section.
        **{key: edition[key] for key in ("head_title", "outside_area", "rules", "privacy_section", "contact")},
        "head_name": head_name(edition["org_name"], edition["head_title"]),
    }


def head_name(org_name: str, head_title: str) -> str:
    """The head of the body as a title: 「○○市長」「□□町長」「△△県知事」「□□広域連合管理者」, never 「○○市市長」."""
    if head_title.endswith("長") and len(head_title) > 1 and org_name.endswith(head_title[:-1]):
        return org_name + "長"
    return org_name + head_title


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
