"""The compiled corpus (``itaku/_data/corpus.json``) as read-only lookups."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Mapping

FORM_HINT = "（複数選択可）"  # the end of a multi-select question's label on the form (clauses/questions.yml)


@dataclass(frozen=True)
class Corpus:
    """Thin typed view over corpus.json; the dicts stay as compiled."""

    data: Mapping[str, Any]

    @property
    def version(self) -> str:
        return str(self.data["version"])

    @property
    def schema_version(self) -> int:
        return int(self.data["questions"]["schema_version"])

    @property
    def edition(self) -> Mapping[str, Any]:
        return self.data["edition"]

    @property
    def clauses(self) -> list[Mapping[str, Any]]:
        return self.data["clauses"]

    @property
    def items(self) -> list[Mapping[str, Any]]:
        return self.data["items"]

    @property
    def changelog(self) -> list[Mapping[str, Any]]:
        return self.data["changelog"]

    def lists(self, name: str) -> Mapping[str, Any]:
        return self.data["lists"][name]

    @property
    def acts(self) -> Mapping[str, Any]:
        """clauses/acts.yml: ``{"values": {value: label}, "acts": [...]}``."""
        return self.data.get("acts") or {}

    @property
    def places(self) -> Mapping[str, Any]:
        """clauses/places.yml: ``{"controls": …, "places": [...], "keys": {key: {control, label}}}``."""
        return self.data.get("places") or {}

    @property
    def devices(self) -> Mapping[str, Any]:
        """clauses/devices.yml: ``{"parties": …, "devices": [...], "keys": {…}, "duties": [...]}``."""
        return self.data.get("devices") or {}

    @property
    def forms(self) -> list[Mapping[str, Any]]:
        return self.data.get("forms", [])

    def questions(self) -> list[Mapping[str, Any]]:
        return [q for step in self.data["questions"]["steps"] for q in step["questions"]]

    @property
    def steps(self) -> list[Mapping[str, Any]]:
        return self.data["questions"]["steps"]

    def question(self, key: str) -> Mapping[str, Any]:
        return _index(self)[0][key]

    def clause(self, clause_id: str) -> Mapping[str, Any]:
        return _index(self)[1][clause_id]

    def item(self, item_id: str) -> Mapping[str, Any]:
        return _index(self)[2][item_id]

    def row_items(self, item: Mapping[str, Any], values: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        """An item with ``per_row`` becomes one item per row of its list answer (each extra term checked on its
        own row, quoting it: ids ``<id>-r1``, ``-r2`` …); without rows, or without ``per_row``, the item itself."""
        spec = item.get("per_row")
        rows = [" ".join(str(r.get(spec["column"], "")).split()) for r in values.get(spec["answer"]) or []
                if isinstance(r, Mapping)] if spec else []
        texts = [t.rstrip("。") for t in rows if t.rstrip("。")]  # quoted inside a sentence: no 「。」 of its own
        made = [{**item, "id": f"{item['id']}-r{n}", "before": spec["before"].replace("{row}", text),
                 "after": spec["after"].replace("{row}", text), "row_text": text}
                for n, text in enumerate(texts, start=1)]
        return made or [item]

    def item_for(self, item_id: str, values: Mapping[str, Any]) -> Mapping[str, Any]:
        """An item by id, also one made from a list answer's row (``row_items``); KeyError when neither."""
        index = _index(self)[2]
        if item_id in index:
            return index[item_id]
        base, _, n = item_id.rpartition("-r")
        if base in index and n.isdigit():
            made = {i["id"]: i for i in self.row_items(index[base], values)}
            if item_id in made:
                return made[item_id]
        raise KeyError(item_id)

    def labels(self) -> dict[str, str]:
        """Question and derived-key labels, for reading conditions aloud (built once; do not modify)."""
        if "_labels" in self.__dict__:
            return self.__dict__["_labels"]
        # 「（複数選択可）」 tells the form's user how to answer; a document quoting the question leaves it out
        out = self.__dict__["_labels"] = {q["key"]: q["label"].removesuffix(FORM_HINT) for q in self.questions()}
        out.update({d["key"]: d["label"] for d in self.data["questions"].get("derived", [])})
        out.update({f"act_{a['id']}": f"{a['label']}の扱い" for a in self.acts.get("acts", [])})
        out.update({k: v["label"] for k, v in (self.places.get("keys") or {}).items()})
        out.update({k: v["label"] for k, v in (self.devices.get("keys") or {}).items()})
        out.update({f"kind_{k['id']}": f"業務の類型：{k['label']}" for k in (self.data.get("kinds") or {}).get("kinds", [])})
        return out

    def choice_labels(self) -> dict[str, dict[Any, str]]:
        """Choice value → label per question (built once; do not modify)."""
        if "_choice_labels" in self.__dict__:
            return self.__dict__["_choice_labels"]
        out = self.__dict__["_choice_labels"] = {q["key"]: {c["value"]: c["label"] for c in q.get("choices", [])}
                                                 for q in self.questions()}
        out.update({d["key"]: dict(d["value_labels"]) for d in self.data["questions"].get("derived", [])
                    if d.get("value_labels")})
        names = dict(self.acts.get("values") or {})
        out.update({f"act_{a['id']}": names for a in self.acts.get("acts", [])})
        return out

    def __hash__(self) -> int:  # identity: one Corpus object per loaded file
        return id(self)


@lru_cache(maxsize=None)
def _index(corpus: Corpus) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    return (
        {q["key"]: q for q in corpus.questions()},
        {c["id"]: c for c in corpus.clauses},
        {i["id"]: i for i in corpus.items},
    )


@lru_cache(maxsize=1)
def load() -> Corpus:
    """The corpus shipped inside the package (compiled at build time)."""
    text = resources.files("itaku").joinpath("_data/corpus.json").read_text(encoding="utf-8")
    return Corpus(json.loads(text))


def from_json(text: str) -> Corpus:
    return Corpus(json.loads(text))
