"""The places model: each place of a job with who controls it and whether staff can go there.

``clauses/places.yml`` lists the kinds of place the answers can name (作業場所 choices, a provider's
data centre, a delivery vehicle), each with its ``control`` and ``visit``. ``places`` gives the places of
one job; ``context_keys`` the derived keys (``place_contractor_controlled`` …) that conditions use, so
that premises duties follow control and the plan names one place per on-site row.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from itaku.conditions import evaluate

CONTROLS = ("contractor", "authority", "third_party", "provider", "vehicle")
VISITS = ("onsite", "accompany", "none")
PREFIX = "place_"


@dataclass(frozen=True)
class Place:
    id: str  # contractor_premises …
    label: str  # 受託者の事業所・施設
    control: str  # one of CONTROLS
    visit: str  # one of VISITS

    @property
    def inspectable(self) -> bool:
        """Staff can go and inspect the place itself (not only accompany the workers)."""
        return self.visit == "onsite"


def places(data: Mapping[str, Any], context: Mapping[str, Any]) -> tuple[Place, ...]:
    """The places of this job, in the order of places.yml."""
    return tuple(Place(p["id"], p["label"], p["control"], p["visit"])
                 for p in data.get("places") or [] if evaluate(p.get("when"), context))


def context_keys(data: Mapping[str, Any], chosen: tuple[Place, ...]) -> dict[str, bool]:
    """``{"place_contractor_controlled": True, …}`` for the condition context."""
    controls = {p.control for p in chosen}
    return {key: spec["control"] in controls for key, spec in (data.get("keys") or {}).items()}
