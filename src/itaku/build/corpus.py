"""Load, validate and compile the corpus (clauses/, checklists/, edition.yml).

``python -m itaku.build.corpus`` writes ``src/itaku/_data/corpus.json``;
``--check`` only validates. Every problem is reported in Japanese with the
file it is in, and nothing is written when there is one.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from itaku.build.validate import validate
from itaku.clausetext import parse_paragraphs
from itaku.build.validate_documents import validate_documents
from itaku.build.validate_kinds import fill_choices

COMMENTARY = ("趣旨", "解説", "記載例", "留意点", "よくある誤り", "関連する事故・監査の指摘")
TEXT_HEADING = "条文"
DEFAULT_OUT = Path("src/itaku/_data/corpus.json")


class CorpusError(Exception):
    """One or more problems in the corpus; ``problems`` holds them all."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def load(root: Path) -> dict[str, Any]:
    """Read every corpus file under ``root`` into one dict (not yet validated)."""
    problems: list[str] = []
    corpus: dict[str, Any] = {
        "questions": _yaml(root / "clauses/questions.yml", problems) or {},
        "topics": (_yaml(root / "clauses/topics.yml", problems) or {}).get("topics", []),
        "sources": (_yaml(root / "clauses/sources.yml", problems) or {}).get("documents", []),
        "plan_rules": (_yaml(root / "clauses/sources.yml", problems) or {}).get("plan_rules", []),
        "changelog": (_yaml(root / "clauses/CHANGELOG.yml", problems) or {}).get("versions", []),
        "edition": _yaml(root / "edition.yml", problems) or {},
        "edition_fields": _yaml(root / "clauses/edition_fields.yml", problems) or {},
        "forms": (_yaml(root / "clauses/forms.yml", problems) or {}).get("forms", []),
        "examples": (_yaml(root / "clauses/examples.yml", problems) or {}).get("examples", []),
        "documents": _yaml(root / "clauses/documents.yml", problems) or {},
        "acts": _yaml(root / "clauses/acts.yml", problems) or {},
        "places": _yaml(root / "clauses/places.yml", problems) or {},
        "devices": _yaml(root / "clauses/devices.yml", problems) or {},
        "kinds": _yaml(root / "clauses/kinds.yml", problems) or {},
        "wording": _yaml(root / "clauses/wording.yml", problems) or {},
        "light_route": _yaml(root / "checklists/light.yml", problems) or {},
        "coverage": (_yaml(root / "checklists/coverage.yml", problems) or {}).get("paragraphs", []),
        "clauses": [],
        "items": [],
        "lists": {},
    }
    clause_files = sorted((root / "clauses").glob("[0-9][0-9]-*.md"))
    clause_files += sorted((root / "clauses/local").glob("*.md"))
    for path in clause_files:
        clause = parse_clause(path, root, problems)
        if clause is not None:
            corpus["clauses"].append(clause)
    for path in sorted((root / "checklists/items").glob("*.yml")):
        data = _yaml(path, problems)
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            problems.append(f"{_rel(path, root)}: 「clause」と「items」（リスト）が必要です")
            continue
        for item in data["items"]:
            if not isinstance(item, dict):
                problems.append(f"{_rel(path, root)}: 項目は対応表で書いてください: {item!r}")
                continue
            item = dict(item)
            item.setdefault("clause", data.get("clause"))
            if item["clause"] != data.get("clause"):
                problems.append(f"{_rel(path, root)}: 項目 {item.get('id')} の clause がファイルの clause と異なります")
            item["file"] = _rel(path, root)
            # the file's seen_at is the default of its 実地 items; a 書面 item is seen at a visit only when it says so
            item.setdefault("seen_at", data.get("seen_at", []) if item.get("method") == "実地" else [])
            corpus["items"].append(item)
    for name in ("selection", "self-check"):
        path = root / f"checklists/{name}.yml"
        data = _yaml(path, problems) if path.exists() else None  # absence is reported by validate()
        if isinstance(data, dict):
            data["file"] = _rel(path, root)
            corpus["lists"][name] = data
    if problems:
        raise CorpusError(problems)
    corpus["clauses"].sort(key=lambda c: (c.get("order", 0), c.get("id", "")))
    return corpus


def parse_clause(path: Path, root: Path, problems: list[str]) -> dict[str, Any] | None:
    """Split a clause file into front matter, texts (default + variants) and commentary."""
    rel = _rel(path, root)
    raw = path.read_text(encoding="utf-8")
    m = re.match(r"^---\n(.*?)\n---\n(.*)$", raw, re.S)
    if not m:
        problems.append(f"{rel}: 先頭に --- で囲んだフロントマターが必要です")
        return None
    try:
        meta = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as exc:
        problems.append(f"{rel}: フロントマターの YAML を読めません: {exc}")
        return None
    if not isinstance(meta, dict):
        problems.append(f"{rel}: フロントマターは対応表にしてください")
        return None
    sections: list[tuple[str, str]] = []
    for block in re.split(r"^## ", m.group(2), flags=re.M)[1:]:
        heading, _, body = block.partition("\n")
        sections.append((heading.strip(), body.strip()))
    clause = dict(meta)
    clause["file"] = rel
    clause["local"] = "local" in path.relative_to(root).parts
    clause["texts"] = {}
    clause["commentary"] = {}
    clause["section_order"] = [h for h, _ in sections]
    for heading, body in sections:
        if heading == TEXT_HEADING or heading.startswith(TEXT_HEADING + ":"):
            variant = heading[len(TEXT_HEADING) + 1:].strip() if ":" in heading else ""
            clause["texts"][variant] = parse_text(body, problems, rel)
        else:
            clause["commentary"][heading] = body
    return clause


WHEN_PREFIX = "[when:"


def split_condition(text: str, problems: list[str] | None = None, where: str = "") -> tuple[Any, str]:
    """``[when: COND] text`` → (COND, text); text without the marker → (None, text).

    COND is YAML flow syntax (the grammar of ``applies_when``); brackets are
    matched so that ``{eq: [medium, paper]}`` may contain ``]``.
    """
    if not text.startswith(WHEN_PREFIX):
        return None, text
    depth, end = 1, None
    for i in range(len(WHEN_PREFIX), len(text)):
        ch = text[i]
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                end = i
                break
    if end is None:
        if problems is not None:
            problems.append(f"{where}: 条件「[when: …]」の閉じ括弧がありません: {text[:40]}")
        return None, text
    source = text[len(WHEN_PREFIX):end].strip()
    try:
        cond = yaml.safe_load(source)
    except yaml.YAMLError:
        cond = None
    if not isinstance(cond, dict):
        if problems is not None:
            problems.append(f"{where}: 条件「[when: {source}]」を読めません（{{eq: [キー, 値]}} の形で書きます）")
        cond = {"unreadable": source}
    return cond, text[end + 1:].lstrip()


def parse_text(body: str, problems: list[str] | None = None, where: str = "") -> list[dict[str, Any]]:
    """Clause text → 項 list (itaku.clausetext); a 項 or 号 may begin with ``[when: COND] ``."""
    return parse_paragraphs(body, lambda text: split_condition(text, problems, where))


_FOLD_RE = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")


def unfold(value: Any) -> Any:
    """Drop the spaces YAML's folded blocks (>-) put between two Japanese characters."""
    if isinstance(value, str):
        return _FOLD_RE.sub("", value)
    if isinstance(value, list):
        return [unfold(v) for v in value]
    if isinstance(value, dict):
        return {k: unfold(v) for k, v in value.items()}
    return value


def compile_corpus(root: Path) -> dict[str, Any]:
    """Load and validate; raise CorpusError listing every problem."""
    corpus = load(root)
    for entry in corpus["changelog"]:  # "all": every clause (the first version, or a full revision)
        if entry.get("clauses") == "all":
            entry["clauses"] = [c.get("id") for c in corpus["clauses"]]
    for key in ("items", "lists", "questions", "forms", "topics", "acts", "places", "devices", "kinds", "documents"):
        corpus[key] = unfold(corpus[key])
    fill_choices(corpus)  # work_kinds: its choices are the kinds (clauses/kinds.yml)
    problems = validate(corpus) + validate_documents(corpus)
    if problems:
        raise CorpusError(problems)
    newest = corpus["changelog"][0]
    corpus["version"] = str(newest["version"])
    corpus["date"] = str(newest["date"])
    corpus = json.loads(dumps(corpus))  # dates → ISO strings, exactly as corpus.json will hold them
    problems = check_examples(corpus)
    if problems:
        raise CorpusError(problems)
    corpus["edition"] = builtin_edition(corpus)
    for clause in corpus["clauses"]:
        clause.pop("section_order", None)
    return corpus


def check_examples(corpus: dict[str, Any]) -> list[str]:
    """Every worked example must pass the runtime's own answer validation."""
    from itaku.answers import AnswersError, validate as validate_answers
    from itaku.model import Corpus

    model = Corpus(corpus)
    problems, seen = [], set()
    for example in corpus.get("examples", []):
        eid = example.get("id")
        if eid in seen or not example.get("title"):
            problems.append(f"clauses/examples.yml: {eid}: id の重複か title の不足があります")
        seen.add(eid)
        try:
            validate_answers(model, example.get("answers") or {})
        except AnswersError as exc:
            problems += [f"clauses/examples.yml: {eid}: {m}" for m in exc.errors.values()]
    return problems


def builtin_edition(corpus: dict[str, Any]) -> dict[str, Any]:
    """edition.yml, validated by the runtime's own rules (itaku.edition) and normalised."""
    from itaku.edition import EditionError, compile_builtin

    try:
        return compile_builtin(corpus)
    except EditionError as exc:
        raise CorpusError([f"edition.yml: {m}" for m in exc.problems]) from None


def dumps(corpus: dict[str, Any]) -> str:
    """Canonical JSON text (stable across runs)."""
    return json.dumps(corpus, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _yaml(path: Path, problems: list[str]) -> Any:
    if not path.exists():
        problems.append(f"{path.name}: ファイルがありません（{path}）")
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        problems.append(f"{path}: YAML を読めません: {exc}")
        return None


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate and compile the itaku corpus.")
    parser.add_argument("--root", type=Path, default=Path.cwd())
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--check", action="store_true", help="validate only")
    args = parser.parse_args(argv)
    try:
        corpus = compile_corpus(args.root)
    except CorpusError as exc:
        print(f"コーパスに {len(exc.problems)} 件の問題があります / corpus has {len(exc.problems)} problem(s):", file=sys.stderr)
        for p in exc.problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    summary = f"{len(corpus['clauses'])} clauses, {len(corpus['items'])} items, version {corpus['version']}"
    if args.check:
        print(f"corpus OK: {summary}")
        return 0
    out = args.out or args.root / DEFAULT_OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    text = dumps(corpus)
    if not out.exists() or out.read_text(encoding="utf-8") != text:
        # Whole or not at all: scripts/test compiles it in the unit tests and in the site build at once.
        part = out.with_name(f"{out.name}.{os.getpid()}.part")
        part.write_text(text, encoding="utf-8")
        os.replace(part, out)
    print(f"corpus compiled: {summary} -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
