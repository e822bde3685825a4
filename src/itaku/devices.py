"""The devices and systems model: each terminal, system and service of a job with who provides and who
manages it.

``clauses/devices.yml`` lists the kinds of device the answers can name (the contractor's terminals, the
authority's lent terminals and system, a system the contractor operates, cloud services), each with
``provided_by`` and ``managed_by``. ``devices`` gives the devices of one job; ``context_keys`` the derived
keys (``device_contractor_managed`` …) that conditions use, so that configuration duties are written only for
what the contractor manages; ``duties_left_out`` the configuration duties a job does without, for the
条文の採否一覧.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from itaku.conditions import evaluate

PARTIES = ("contractor", "authority", "provider")
PREFIX = "device_"
NONE_KEY = "device_contractor_manages_none"  # the key duties_left_out reads (devices.yml keys)


@dataclass(frozen=True)
class Device:
    id: str  # contractor_devices …
    label: str  # 受託者が用意する端末・サーバ・記録媒体
    provided_by: str  # one of PARTIES
    managed_by: str  # one of PARTIES: who sets it up; configuration duties go to this party


def devices(data: Mapping[str, Any], context: Mapping[str, Any]) -> tuple[Device, ...]:
    """The devices and systems of this job, in the order of devices.yml."""
    return tuple(Device(d["id"], d["label"], d["provided_by"], d["managed_by"])
                 for d in data.get("devices") or [] if evaluate(d.get("when"), context))


def context_keys(data: Mapping[str, Any], chosen: tuple[Device, ...]) -> dict[str, bool]:
    """``{"device_contractor_managed": True, …}`` for the condition context."""
    managers, ids = {d.managed_by for d in chosen}, {d.id for d in chosen}
    out = {}
    for key, spec in (data.get("keys") or {}).items():
        if "managed_by" in spec:
            out[key] = spec["managed_by"] in managers
        elif "none_managed_by" in spec:  # devices there are, and none of them is this party's to set up
            out[key] = bool(chosen) and spec["none_managed_by"] not in managers
        else:
            out[key] = bool(ids & set(spec.get("devices") or []))
    return out


def duties_left_out(data: Mapping[str, Any], context: Mapping[str, Any],
                    clause_ids: set[str]) -> list[Mapping[str, Any]]:
    """The configuration duties (devices.yml ``duties``) of the job's articles that the job leaves out: all of
    them when the contractor manages none of the job's devices, else none."""
    if not context.get(NONE_KEY):
        return []
    return [d for d in data.get("duties") or [] if d["clause"] in clause_ids]
