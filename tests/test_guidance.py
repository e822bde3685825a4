"""Guidance the seeds ask for has a place in the site and in the corpus (issue: guidance gaps)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from itaku.build.corpus import CorpusError, compile_corpus
from itaku.model import Corpus

# Each point of guidance → (page, anchor) where a reader finds it.
PLACES = {
    "proportionate effort": ("docs/manual/proportionate.md", "minimum"),
    "recording relaxations": ("docs/manual/proportionate.md", "record-relaxation"),
    "roles inside the municipality": ("docs/manual/organisation.md", "roles"),
    "keeping the kit current": ("docs/manual/organisation.md", "review-cycle"),
    "existing contracts with missing terms": ("docs/manual/organisation.md", "fix-existing"),
    "selection depth tied to risk": ("docs/manual/proportionate.md", "selection-depth"),
    "heavier procedure": ("docs/manual/proportionate.md", "heavier-procedure"),
    "security plan outline": ("docs/manual/proportionate.md", "security-plan"),
    "measures against outsiders": ("docs/manual/4-monitoring.md", "outsiders"),
    "direct confirmation at on-site checks": ("docs/manual/4-monitoring.md", "direct-confirmation"),
    "direct confirmation at the end": ("docs/manual/5-termination.md", "direct-confirmation"),
    "backups and physical protection": ("docs/manual/4-monitoring.md", "backup-disaster"),
    "periodic report content": ("docs/manual/4-monitoring.md", "report-content"),
    "procurement wording": ("docs/manual/procurement.md", "spec-wording"),
    "briefing for bidders": ("docs/manual/procurement.md", "briefing"),
}

# Points that live in the corpus as checklist items (both wordings) → item id.
ITEMS = {
    "measures against outsiders": "security-10",
    "backups": "security-11",
    "fire/disaster-proof storage": "work-place-07",
    "direct confirmation at the end": "return-disposal-07",
    "direct confirmation at on-site checks": "audit-06",
    "progress and hours in the periodic report": "reporting-06",
}


@pytest.mark.parametrize("point", sorted(PLACES))
def test_each_point_has_a_page_and_anchor(root: Path, point: str) -> None:
    page, anchor = PLACES[point]
    text = (root / page).read_text(encoding="utf-8")
    assert re.search(r"^#+ .*\{#" + re.escape(anchor) + r"\}", text, re.M), (point, page, anchor)


def test_new_pages_are_in_the_navigation(root: Path) -> None:
    nav = (root / "mkdocs.yml").read_text(encoding="utf-8")
    for page in ("manual/proportionate.md", "manual/procurement.md", "manual/organisation.md"):
        assert page in nav, page


@pytest.mark.parametrize("point", sorted(ITEMS))
def test_points_are_checklist_items_with_both_wordings(corpus: dict, point: str) -> None:
    item = next(i for i in corpus["items"] if i["id"] == ITEMS[point])
    assert item["before"].strip() and item["after"].strip() and item["sources"], point
    clause = next(c for c in corpus["clauses"] if c["id"] == item["clause"])
    assert item["id"] in clause["checks"], point


def test_existing_contract_fix_is_in_the_self_check(corpus: dict) -> None:
    texts = [i["text"] for i in corpus["lists"]["self-check"]["items"]]
    assert any("変更契約" in t for t in texts)


def test_every_checklist_item_has_its_own_source(corpus: dict) -> None:
    registered = {d["id"] for d in corpus["sources"]}
    every = corpus["items"] + [i for data in corpus["lists"].values() for i in data["items"]]
    assert len(every) > 150
    for item in every:
        assert item.get("sources"), item["id"]
        assert all(s.partition("#")[0] in registered for s in item["sources"]), item["id"]


def test_an_item_without_a_source_is_caught(tmp_path: Path, root: Path) -> None:
    for name in ("clauses", "checklists"):
        shutil.copytree(root / name, tmp_path / name)
    shutil.copy(root / "edition.yml", tmp_path / "edition.yml")
    path = tmp_path / "checklists/items/23-reporting.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('    sources: ["mic-jyuki-standard#3(6)"]\n', "", 1), encoding="utf-8")
    with pytest.raises(CorpusError) as exc:
        compile_corpus(tmp_path)
    assert any("reporting-06" in p and "出典" in p for p in exc.value.problems)


def test_traceability_lists_item_sources(corpus: dict) -> None:
    from itaku.build.traceability import render_traceability

    table = render_traceability(corpus)
    assert "| `security-10` |" in table and "福岡県の通知 5広第1237号" in table


def test_glossary_defines_new_terms(root: Path) -> None:
    glossary = (root / "docs/glossary.md").read_text(encoding="utf-8")
    for term in ("秘匿性", "委託候補", "セキュリティ計画", "部外者", "変更契約"):
        assert f"**{term}" in glossary, term


def test_preview_summary_says_what_the_job_needs(corpus: dict) -> None:
    from itaku import web

    example = next(e for e in corpus["examples"])
    state = web.state(example["answers"])
    assert state["valid"], state["errors"]
    summary = state["summary"]
    assert summary["articles"]["total"] == len(state["articles"])
    assert summary["checks"]["after"] == state["counts"]["after"]
    assert "この業務に最低限必要なもの" in state["preview"]
    assert f"{summary['articles']['total']}条" in state["preview"]


def test_preview_summary_escapes_removal_reasons() -> None:
    from itaku.summary import summary_html

    html = summary_html({"articles": {"total": 1, "required": 1, "default_on": 0, "conditional": 0},
                         "checks": {"before": 1, "after": 1, "selection": 1}, "plan": {"total": 1, "onsite": 1},
                         "onsite_required": False, "drivers": [],
                         "removed": [{"title": "持出しの禁止", "reason": "<script>alert(1)</script>"}]})
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_plan_reasons_cite_the_rule_and_section(corpus: dict) -> None:
    """Every 根拠 names the section it rests on (久喜市基準 4(4), 福岡県 監査の結果2(2), 事務対応ガイド 4-8-9(3))
    or, for the specification's own rules, the article (特記事項第N条)."""
    from itaku.outputs import job_for
    from itaku.supervision import plan_rows, rule_citation

    model = Corpus(corpus)
    labels = {r["label"] for r in corpus["plan_rules"]}
    seen = []
    for example in corpus["examples"]:
        job = job_for(model, example["answers"], example.get("removed"))
        for e in job.plan:
            assert set(e.rules) <= labels, e.rules
            cited = rule_citation(job, e)
            seen.append(cited)
            for label in e.rules:
                if label == "本キットの方針":
                    continue
                assert re.search(re.escape(label) + r"(（[^）]+|第\d+条)", cited), (label, cited)
        assert all(not why.startswith("・") for *_, why in plan_rows(job))
    assert any("国の指針（事務対応ガイド 4-8-9(3)" in c for c in seen)
    assert any("久喜市基準（4(4)）" in c for c in seen)
    assert any("福岡県の通知・監査（福岡県の通知 5広第824号" in c for c in seen)
    assert any(re.search(r"特記事項第\d+条", c) for c in seen)
