"""Keys computed from the answers that conditions can use (questions.yml `derived`): the contract's term,
whether an on-site check is required, summaries of list answers, and whether the light route is offered."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Mapping

from itaku.conditions import evaluate
from itaku.kinds import chosen, kinds
from itaku.model import Corpus
from itaku.wareki import add_months


def derived(values: Mapping[str, Any], corpus: Corpus) -> dict[str, Any]:
    """Keys computed from answers, usable in conditions (see questions.yml `derived`)."""
    out: dict[str, Any] = {}
    start, end = values.get("contract_start"), values.get("contract_end")
    if isinstance(start, str) and isinstance(end, str):
        s, e = date.fromisoformat(start), date.fromisoformat(end)
        one_year_end = add_months(s, 12) - timedelta(days=1)  # 4/1 → 3/31 of the next year
        if e < one_year_end:
            out["term"] = "under_1y"
        elif e <= one_year_end + timedelta(days=7):
            out["term"] = "one_year"
        else:
            out["term"] = "multi_year"
    out["onsite_required"] = bool(
        values.get("specific_personal_info") or values.get("sensitive_info")
        or (values.get("record_count") or 0) >= 1000 or values.get("past_incident")
    )
    out.update(list_facts(values))
    out.update(destruction_facts(corpus, values))
    out.update(intake_facts(corpus, values))
    out["provider_service"] = provider_service(corpus, {**values, **out})
    out["survey_job"] = survey_job(values)
    out["light_eligible"] = light_eligible(corpus, {**values, **out})
    return out


def light_criteria(corpus: Corpus, context: Mapping[str, Any]) -> list[tuple[str, bool]]:
    """(label, holds) of each criterion of the light route (checklists/light.yml). The corpus is the one in
    hand, not the packaged one: compiling the corpus validates the examples before corpus.json exists."""
    criteria = (corpus.data.get("light_route") or {}).get("criteria") or []
    return [(c["label"], evaluate(c["when"], context)) for c in criteria]


def light_eligible(corpus: Corpus, context: Mapping[str, Any]) -> bool:
    """Every criterion of the light route holds: the questionnaire then offers ``full_checklists``.
    ``itaku.job.light_route`` also honours that answer."""
    criteria = light_criteria(corpus, context)
    return bool(criteria) and all(holds for _, holds in criteria)


def destruction_facts(corpus: Corpus, values: Mapping[str, Any]) -> dict[str, bool]:
    """Destruction of records and media as the work itself (issue 26, clauses/kinds.yml): ``destruction_job`` when
    a kind marked ``destruction`` is chosen and the media to destroy are named (disposal_media; files of schema 4
    have none, so their documents stay as they were); ``destruction_only`` when, besides, no chosen kind reads the
    data (every chosen kind is marked ``reads_data: false``)."""
    picked = [k for k in kinds(corpus) if k["id"] in chosen(corpus, values)]
    job = any(k.get("destruction") for k in picked) and bool(values.get("disposal_media"))
    return {"destruction_job": job,
            "destruction_only": job and all(k.get("reads_data") is False for k in picked)}


def intake_facts(corpus: Corpus, values: Mapping[str, Any]) -> dict[str, bool]:
    """Receiving post and applications as the work itself (issue 26 item 4): ``intake_job`` when a kind marked
    ``intake`` is chosen and the ways applications arrive are named (intake_channels; files saved without them keep
    their documents)."""
    picked = [k for k in kinds(corpus) if k["id"] in chosen(corpus, values)]
    return {"intake_job": any(k.get("intake") for k in picked) and bool(values.get("intake_channels"))}


def provider_service(corpus: Corpus, context: Mapping[str, Any]) -> bool:
    """A provider's own service used by the authority (issue 26 item 2, clauses/kinds.yml ``provider_service``): a
    kind so marked is chosen and the contractor handles the data in a cloud service it provides or contracts (not
    only in services the authority contracts itself). Files without the kind keep their documents."""
    picked = [k for k in kinds(corpus) if k["id"] in chosen(corpus, context)]
    return (any(k.get("provider_service") for k in picked) and context.get("cloud") is True
            and context.get("processing") in ("electronic", "both") and context.get("cloud_provided_by") != "client")


def survey_job(values: Mapping[str, Any]) -> bool:
    """Visits and surveys (issue 26 item 3): collecting from the person, the family or facility staff at the places
    visited is the work itself, when the contractor collects, visits are a place of the job, the survey forms are
    carried (carry_out) and the people asked are named (survey_sources; absent in older files, so their documents stay as they were)."""
    return bool(values.get("contractor_collects") and "visits" in (values.get("work_places") or [])
                and values.get("carry_out") and values.get("survey_sources"))


def list_facts(values: Mapping[str, Any]) -> dict[str, Any]:
    """Derived keys that summarise list answers, so conditions can look at them (questions.yml `derived`)."""
    clouds = values.get("cloud_services") or []
    sites = values.get("remote_sites") or []
    lines = {row.get("line") for row in sites}
    return {
        "data_items_listed": bool(values.get("data_items")),
        "cloud_provided_by": ("contractor" if any(r.get("provided_by") == "contractor" for r in clouds)
                              else "client" if clouds else "unlisted"),
        "cloud_foreign": any(r.get("location") == "foreign" for r in clouds),
        "remote_access": "internet" if "internet" in lines else "closed" if lines else "none",
        "extra_terms_added": bool(values.get("extra_terms")),
        "other_contractors_listed": bool(values.get("other_contractors")),
    }
