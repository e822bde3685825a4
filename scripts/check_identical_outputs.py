"""Every output of every worked example, hashed: proof that a refactoring changed no byte.

    .venv/bin/python scripts/check_identical_outputs.py --out /tmp/outputs --manifest /tmp/before.json
    .venv/bin/python scripts/check_identical_outputs.py --out /tmp/outputs --compare /tmp/before.json

Only the page API (``itaku.web``) is called, so the script runs unchanged on both sides of a
refactoring. Each worked example of ``clauses/examples.yml`` is generated in several variants
(as given; the other party style; every ``default_on`` clause removed; extra 遵守事項 added;
a prefecture edition with a local clause), plus the schema-2 fixture files: every file of
``generate`` (documents.zip included), and ``state``, ``record``, ``job_scope`` per phase as JSON.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from itaku import model, web

ROOT = Path(__file__).resolve().parents[1]
# The same edition as tests/test_edition.py: a prefecture with one local clause and item.
EDITION = {
    "org_name": "△△県", "org_type": "prefecture", "ordinance": "△△県個人情報の保護に関する法律施行条例",
    "rules": "△△県保有個人情報等安全管理規程", "privacy_section": "総務部県政情報課", "contact": "内線 1234",
    "clauses": [{"id": "local-backup", "title": "バックアップの保管", "inclusion": "default_on",
                 "text": "{{contractor}}は、バックアップを{{client}}が指定する場所に保管しなければならない。\n\n"
                         "前項の保管は、次のとおりとする。\n1. 暗号化すること。\n2. {{ref:local-backup}}の記録を残すこと。"}],
    "items": [{"id": "local-backup-01", "clause": "local-backup", "before": "保管場所を定めていますか。",
               "after": "指定の場所に保管しましたか。", "evidence": ["保管記録"], "answered_by": "受託者"}],
}
EXTRA_TERMS = [{"text": "受託者は、検針データを毎日の作業終了時に委託元のサーバへ送信し、端末から消去すること"},
               {"text": "作業の記録は第3条の定めにより保管する。"}]


def variants(corpus: model.Corpus) -> list[tuple[str, dict[str, Any], dict[str, str]]]:
    """(name, answers, removed) for the built-in edition."""
    removable = {c["id"]: "別の契約書で定めるため" for c in corpus.clauses if c["inclusion"] == "default_on"}
    out = []
    for e in corpus.data["examples"]:
        a = dict(e["answers"])
        other = "role" if a.get("party_style", "kouotsu") == "kouotsu" else "kouotsu"
        out += [(e["id"], a, {}), (f"{e['id']}+{other}", {**a, "party_style": other}, {}),
                (f"{e['id']}+removed", a, removable), (f"{e['id']}+extra", {**a, "extra_terms": EXTRA_TERMS}, {})]
    for path in sorted((ROOT / "tests/fixtures/schema2").glob("*.json")):
        loaded = web.load(path.read_bytes())
        out.append((f"schema2-{path.stem}", loaded["answers"], loaded["removed"]))
    return out


def dump(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1, default=str).encode("utf-8")


def outputs_of(answers: dict[str, Any], removed: dict[str, str]) -> dict[str, bytes]:
    made = web.generate(answers, removed)
    if "error" in made:
        raise SystemExit(f"invalid answers: {made}")
    files = dict(made["files"])
    files["_names.json"] = dump(made["names"])
    files["_state.json"] = dump(web.state(answers, removed))
    files["_record.json"] = dump(web.record(answers, removed))
    for phase in ("selection", "before", "after") if "job.json" in files else ():  # one set per counterparty:
        files[f"_scope-{phase}.json"] = dump(web.job_scope(files["job.json"], phase))  # job.json is in its zip
    return files


def run(out: Path) -> dict[str, str]:
    manifest: dict[str, str] = {}

    def keep(case: str, files: dict[str, bytes]) -> None:
        for name, data in files.items():
            path = out / case / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            manifest[f"{case}/{name}"] = hashlib.sha256(data).hexdigest()

    web.set_edition(None)
    for case, answers, removed in variants(web.corpus()):
        keep(f"builtin/{case}", outputs_of(answers, removed))
    keep("edition", {"_preview.json": dump(web.edition_preview({k: v for k, v in EDITION.items()
                                                                   if k not in ("clauses", "items")}))})
    web.set_edition({"status": "loaded", "text": json.dumps(EDITION, ensure_ascii=False)})
    for e in web.corpus().data["examples"]:
        keep(f"edition/{e['id']}", outputs_of(dict(e["answers"]), {}))
        keep(f"edition/{e['id']}+removed", outputs_of(dict(e["answers"]), {"local-backup": "不要"}))
    web.set_edition(None)
    return manifest


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, required=True, help="folder for the files")
    p.add_argument("--manifest", type=Path, help="write {path: sha256} here")
    p.add_argument("--compare", type=Path, help="compare with a manifest written before")
    args = p.parse_args(argv)
    manifest = run(args.out)
    if args.manifest:
        args.manifest.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    print(f"{len(manifest)} files")
    if args.compare:
        before = json.loads(args.compare.read_text())
        differ = sorted(k for k in before.keys() & manifest.keys() if before[k] != manifest[k])
        missing, extra = sorted(before.keys() - manifest.keys()), sorted(manifest.keys() - before.keys())
        for label, names in (("differ", differ), ("missing", missing), ("new", extra)):
            for name in names:
                print(f"{label}: {name}")
        if differ or missing or extra:
            return 1
        print(f"all {len(manifest)} files identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
