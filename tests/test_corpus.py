"""The corpus compiles, every cross-reference holds, and broken ones are caught."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from itaku.build.corpus import CorpusError, compile_corpus, dumps

COMMENTARY = ("趣旨", "解説", "記載例", "留意点", "よくある誤り", "関連する事故・監査の指摘")


def test_corpus_compiles(corpus):
    assert corpus["version"] == corpus["changelog"][0]["version"]  # the newest CHANGELOG entry
    assert len(corpus["clauses"]) >= 30
    assert corpus["lists"]["selection"]["items"]
    assert corpus["lists"]["self-check"]["items"]


def test_every_topic_maps_to_clause_ids(corpus):
    clause_topics = {t for c in corpus["clauses"] for t in c["topics"]}
    for topic in corpus["topics"]:
        assert topic["id"] in clause_topics, topic


def test_every_clause_has_items_with_both_wordings(corpus):
    items = {}
    for item in corpus["items"]:
        items.setdefault(item["clause"], []).append(item)
    for clause in corpus["clauses"]:
        assert items.get(clause["id"]), clause["id"]
        for item in items[clause["id"]]:
            assert item["before"].strip() and item["after"].strip()
            assert item["evidence"] and item["answered_by"]
        assert all(clause["commentary"][h].strip() for h in COMMENTARY), clause["id"]


def test_fukuoka_mandatory_and_mic_minimum_inclusions(corpus):
    by_id = {c["id"]: c for c in corpus["clauses"]}
    for cid in ("basic", "responsibility", "confidentiality", "training", "subcontracting",
                "return-disposal", "incident", "termination"):
        assert by_id[cid]["inclusion"] == "required", cid
    assert by_id["work-place"]["inclusion"] == "default_on"
    assert by_id["carry-out"]["inclusion"] == "default_on"


def test_compiled_json_is_stable(root):
    assert dumps(compile_corpus(root)) == dumps(compile_corpus(root))


@pytest.fixture()
def scratch(tmp_path: Path, root: Path) -> Path:
    """A copy of the corpus sources to break on purpose."""
    for name in ("clauses", "checklists"):
        shutil.copytree(root / name, tmp_path / name)
    shutil.copy(root / "edition.yml", tmp_path / "edition.yml")
    compile_corpus(tmp_path)  # the copy starts out valid
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(root: Path) -> str:
    with pytest.raises(CorpusError) as exc:
        compile_corpus(root)
    return "\n".join(exc.value.problems)


def test_broken_item_reference_is_caught(scratch):
    _edit(scratch / "clauses/12-carry-out.md", "checks: [carry-out-01,", "checks: [carry-out-99,")
    problems = _problems(scratch)
    assert "carry-out-99" in problems and "carry-out-01" in problems


def test_unknown_condition_key_is_caught(scratch):
    _edit(scratch / "clauses/12-carry-out.md", "when: {eq: [act_carry_out, approval]}", "when: {eq: [take_away, true]}")
    assert "take_away" in _problems(scratch)


def test_unknown_choice_value_is_caught(scratch):
    _edit(scratch / "checklists/items/12-carry-out.yml", "applies_when: {eq: [act_carry_out, approval]}",
          "applies_when: {eq: [processing, cloud]}")
    assert "cloud" in _problems(scratch)


def test_undefined_placeholder_is_caught(scratch):
    _edit(scratch / "clauses/12-carry-out.md", "{{contractor}}は、{{work}}に係る", "{{contractor}}は、{{job_title}}に係る")
    assert "job_title" in _problems(scratch)


def test_unchecked_article_number_is_caught(scratch):
    _edit(scratch / "clauses/12-carry-out.md", '"appi#第66条第2項"', '"appi#第999条"')
    assert "第999条" in _problems(scratch)


def test_empty_commentary_section_is_caught(scratch):
    path = scratch / "clauses/12-carry-out.md"
    text = path.read_text(encoding="utf-8")
    start = text.index("## 留意点\n") + len("## 留意点\n")
    end = text.index("## よくある誤り")
    path.write_text(text[:start] + "\n" + text[end:], encoding="utf-8")
    assert "留意点" in _problems(scratch)


def test_unmapped_topic_is_caught(scratch):
    _edit(scratch / "clauses/12-carry-out.md", "topics: [carry_out]", "topics: [copying]")
    assert "carry_out" in _problems(scratch)


def test_duplicate_item_id_is_caught(scratch):
    _edit(scratch / "checklists/items/12-carry-out.yml", "id: carry-out-02", "id: carry-out-01")
    assert "carry-out-01" in _problems(scratch)


def test_broken_clause_ref_is_caught(scratch):
    _edit(scratch / "clauses/12-carry-out.md", "{{ref:work-place}}", "{{ref:no-such-clause}}")
    assert "no-such-clause" in _problems(scratch)


def test_cli_check_reports_in_japanese(scratch):
    _edit(scratch / "clauses/12-carry-out.md", "inclusion: default_on", "inclusion: sometimes")
    run = subprocess.run([sys.executable, "-m", "itaku.build.corpus", "--check", "--root", str(scratch)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "inclusion" in run.stderr and "問題" in run.stderr


def test_sources_are_not_copied_from_seeds(root):
    tool = root.parent / "shared/tools/verbatim_check.py"
    if not tool.exists():
        pytest.skip("shared/tools/verbatim_check.py is not beside this checkout")
    run = subprocess.run([sys.executable, str(tool), str(root)], capture_output=True, text=True)
    assert run.stdout == "", run.stdout
