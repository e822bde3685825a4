"""Answers → Job: the articles selected (with why), the ones left out, the acts' decisions, the plan.

Pure functions over the corpus and validated answers; documents are made from the Job by the
modules above (``itaku.text`` … ``itaku.contents``). ``once`` keeps per-job results that
several documents share.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, TypeVar

from itaku import reasons
from itaku.acts import Decision, context_keys, decide
from itaku.kinds import context_keys as kind_keys
from itaku.answers import Answers, answers_hash
from itaku.derived import derived, light_eligible
from itaku.conditions import evaluate
from itaku.devices import Device, context_keys as device_keys, devices as job_devices
from itaku.model import Corpus
from itaku.places import Place, context_keys as place_keys, places as job_places
from itaku.placeholders import placeholder_values
from itaku.plan import PlanEntry, build_plan
from itaku.wording import reword


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
    places: tuple[Place, ...] = ()  # the job's places (clauses/places.yml), each with who controls it
    devices: tuple[Device, ...] = ()  # the job's devices and systems (clauses/devices.yml), each with who manages it

    @property
    def is_designated(self) -> bool:
        return self.context.get("contract_type") == "designated_manager"


T = TypeVar("T")


def once(job: Job, name: str, make: Callable[[], T]) -> T:
    """``make()`` for this job, made on the first call and kept (a frozen dataclass still has a
    __dict__): the preview, the plan and the files all ask for the same per-job results."""
    cache = job.__dict__
    if name not in cache:
        cache[name] = make()
    return cache[name]


def part_of_job(job: Job, section: Mapping[str, Any]) -> bool:
    """A form (clauses/forms.yml) or life-cycle section (documents.yml) is made for this job: its condition holds
    and the article it belongs to (``requires_clause``) was selected."""
    return evaluate(section.get("applies_when"), job.context) and (
        not section.get("requires_clause") or section["requires_clause"] in {s.clause["id"] for s in job.selected})


def forms_left_out(job: Job) -> frozenset[str]:
    """Titles of the forms the job does not get: a checklist row does not ask to see one (an item's evidence
    names the form by its title; titles with a placeholder are never named so)."""
    return once(job, "_forms_left_out", lambda: frozenset(
        f["title"] for f in job.corpus.forms if "{{" not in f["title"] and not part_of_job(job, f)))


def job_context(corpus: Corpus, values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Decision]]:
    """What conditions see: answers, derived keys, one ``kind_<id>`` per kind of work, the ``place_…`` and
    ``device_…`` keys and one ``act_<id>`` per act."""
    context = {**values, **derived(values, corpus), **kind_keys(corpus, values)}
    context.update(place_keys(corpus.places, job_places(corpus.places, context)))
    context.update(device_keys(corpus.devices, job_devices(corpus.devices, context)))
    context["light_route"] = light_route(corpus, context)
    acts = decide(corpus.acts, context)
    context.update(context_keys(acts))
    return context, acts


def light_route(corpus: Corpus, context: Mapping[str, Any]) -> bool:
    """The answers show a low-risk job: the contractor's checklists are the short ones (issue 29.3)."""
    return light_eligible(corpus, context) and not context.get("full_checklists")


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
        places=job_places(corpus.places, context),
        devices=job_devices(corpus.devices, context),
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
