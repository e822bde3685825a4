"""The local edition (itaku.edition): validation, wording by org_type, local clauses, stamp, CLI, page API."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example as also, given, settings, strategies as st

from itaku import edition as editions, model, web
from itaku.answers import validate
from itaku.checklists import checklist_rows
from itaku.cli import main as cli
from itaku.deviations import deviations
from itaku.header import stamp
from itaku.job import build_job
from itaku.outputs import build_outputs
from itaku.specification import specification
from itaku.supervision import plan_rows

ROOT = Path(__file__).resolve().parents[1]
PREFECTURE = {
    "org_name": "△△県", "org_type": "prefecture", "ordinance": "△△県個人情報の保護に関する法律施行条例",
    "rules": "△△県保有個人情報等安全管理規程", "privacy_section": "総務部県政情報課", "contact": "内線 1234",
}
LOCAL = {
    "clauses": [{"id": "local-backup", "title": "バックアップの保管", "inclusion": "default_on",
                 "text": "{{contractor}}は、バックアップを{{client}}が指定する場所に保管しなければならない。\n\n"
                         "前項の保管は、次のとおりとする。\n1. 暗号化すること。\n2. {{ref:local-backup}}の記録を残すこと。"}],
    "items": [{"id": "local-backup-01", "clause": "local-backup", "before": "保管場所を定めていますか。",
               "after": "指定の場所に保管しましたか。", "evidence": ["保管記録"], "answered_by": "受託者"}],
}


def example(corpus: model.Corpus, example_id: str = "call-centre") -> dict[str, Any]:
    return next(e for e in corpus.data["examples"] if e["id"] == example_id)["answers"]


def job_for(corpus: model.Corpus, answers: dict[str, Any], removed: dict[str, str] | None = None):  # noqa: ANN201
    return build_job(corpus, validate(corpus, answers, removed or {}))


def all_text(job) -> str:  # noqa: ANN001
    from itaku.contents import documents, sheets
    from itaku.render.html import preview_html

    return preview_html(documents(job), sheets(job))


# ---------------------------------------------------------------- the built-in edition

def test_builtin_edition_is_normalised_and_hashed() -> None:
    e = model.load().edition
    assert e["source"] == "builtin"
    assert e["hash"] == editions.edition_hash(e["raw"]) and e["short_hash"] == e["hash"][:8]
    assert (e["org_type"], e["head_title"], e["outside_area"]) == ("city", "市長", "市外")


# ---------------------------------------------------------------- wording by the kind of body

@pytest.mark.parametrize("name,org_type,head,outside", [
    ("△△県", "prefecture", "知事", "県外"), ("東京都", "prefecture", "知事", "都外"), ("北海道", "prefecture", "知事", "道外"),
    ("□□町", "town", "町長", "町外"), ("□□村", "village", "村長", "村外"), ("□□区", "special_ward", "区長", "区外"),
    ("□□広域連合", "association", "管理者", "区域外"), ("□□市", "city", "市長", "市外"),
])
def test_org_type_gives_head_title_and_area_wording(name: str, org_type: str, head: str, outside: str) -> None:
    corpus = editions.apply(model.load(), {**PREFECTURE, "org_name": name, "org_type": org_type})
    job = job_for(corpus, example(corpus))
    assert (job.values["head_title"], job.values["outside_area"]) == (head, outside)
    plan = " ".join(r[3] for r in plan_rows(job))
    assert f"作業場所が{outside}にあることも" in plan  # the call-centre example triggers on-site checks
    text = all_text(job)
    from itaku.placeholders import head_name
    assert head_name(name, head) in text  # the approval notice is issued by the head (「□□町長」, never 「□□町町長」)
    assert f"{name}{head}" not in text or not head.endswith("長") or not name.endswith(head[:-1])
    assert "○○市" not in text
    if org_type != "city":
        assert "市外" not in text and "市長" not in text


def test_head_title_can_be_given() -> None:
    corpus = editions.apply(model.load(), {**PREFECTURE, "org_name": "□□広域連合", "org_type": "association",
                                           "head_title": "広域連合長"})
    text = all_text(job_for(corpus, example(corpus)))
    assert "□□広域連合長" in text and "□□広域連合広域連合長" not in text  # the title once, as a title


def test_party_style_sets_the_questionnaire_default() -> None:
    corpus = editions.apply(model.load(), {**PREFECTURE, "party_style": "role"})
    assert web.defaults(corpus)["party_style"] == "role"


# ---------------------------------------------------------------- validation names the field

@pytest.mark.parametrize("raw,field", [
    ({**PREFECTURE, "org_type": "metropolis"}, "org_type（団体の種類）"),
    ({k: v for k, v in PREFECTURE.items() if k != "org_name"}, "org_name（団体名）"),
    ({**PREFECTURE, "org_name": 3}, "org_name（団体名）"),
    ({**PREFECTURE, "colour": "blue"}, "colour"),
    ({**PREFECTURE, "org_name": "x" * 61}, "org_name（団体名）"),
    ({**PREFECTURE, "contact": "a\x07b"}, "contact（担当課の連絡先）"),
    ({**PREFECTURE, "party_style": "kou"}, "party_style"),
    ({**PREFECTURE, "clauses": [{"id": "basic", "title": "t", "text": "x"}]}, "clauses[1]"),
    ({**PREFECTURE, "clauses": [{"id": "local-a", "title": "t", "text": "{{mayor}}"}]}, "{{mayor}}"),
    ({**PREFECTURE, "clauses": [{"id": "local-a", "title": "t", "text": "x", "order": 1}]}, "order"),
    ({**PREFECTURE, "clauses": [{"id": "local-a", "title": "t", "text": "{{ref:nothing}}"}]}, "ref:nothing"),
    ({**PREFECTURE, "clauses": [{"id": "local-a", "title": "t", "text": "[when: {eq: [a, b]}] x"}]}, "[when:"),
    ({**PREFECTURE, "items": [{"id": "local-a-01", "clause": "nothing", "before": "b", "after": "a"}]}, "items[1].clause"),
    ({**PREFECTURE, "items": [{"id": "basic-01", "clause": "basic", "before": "b", "after": "a"}]}, "items[1].id"),
    ({**PREFECTURE, "items": [{"id": "local-a-01", "clause": "basic", "before": "{{client}}", "after": "a"}]}, "before"),
    ([PREFECTURE], "対応表"),
])
def test_invalid_editions_name_the_field(raw: Any, field: str) -> None:
    with pytest.raises(editions.EditionError) as info:
        editions.apply(model.load(), raw)
    assert any(field in p for p in info.value.problems), info.value.problems


def test_page_status_messages() -> None:
    base = model.load()
    builtin = base.edition["org_name"]
    assert editions.from_page(base, "missing", None).message == ""
    broken = editions.from_page(base, "broken", None, "SyntaxError")
    assert broken.corpus is base and "edition.js" in broken.message and f"組み込みの版（{builtin}）" in broken.message
    invalid = editions.from_page(base, "loaded", json.dumps({**PREFECTURE, "org_type": "x"}))
    assert invalid.corpus is base and "edition.js" in invalid.message and "org_type（団体の種類）" in invalid.message
    good = editions.from_page(base, "loaded", json.dumps(PREFECTURE))
    assert good.message == "" and good.corpus.edition["org_name"] == "△△県"


# ---------------------------------------------------------------- local clauses and items

def test_local_clauses_and_items_reach_every_document() -> None:
    corpus = editions.apply(model.load(), {**PREFECTURE, **LOCAL})
    job = job_for(corpus, example(corpus))
    last = job.selected[-1]
    assert last.clause["id"] == "local-backup"
    spec = specification(job)
    article = spec.blocks[-1]  # the last article ends the body (no branding line after it)
    assert article.caption == "（バックアップの保管）"
    assert article.clauses[0].text == "受託者は、バックアップを委託者が指定する場所に保管しなければならない。"
    assert [t for _, t in article.clauses[1].items] == ["暗号化すること。", f"第{last.number}条の記録を残すこと。"]
    for phase in ("before", "after"):
        rows = [r for r in checklist_rows(job, phase) if r.item_id == "local-backup-01"]
        assert rows and rows[0].question == LOCAL["items"][0][phase]
    text = all_text(job)
    assert "団体が追加した条文" in text and f"第{last.number}条として採用" in text
    # removable like any default_on clause, with the reason in the 採否一覧
    job2 = job_for(corpus, example(corpus), {"local-backup": "本業務ではバックアップを取らない"})
    assert "local-backup" not in [s.clause["id"] for s in job2.selected]
    doc = deviations(job2)
    assert doc is not None and "本業務ではバックアップを取らない" in all_text(job2)


def test_stamp_and_outputs_carry_the_edition() -> None:
    corpus = editions.apply(model.load(), PREFECTURE)
    job = job_for(corpus, example(corpus))
    s = json.loads(stamp(job, "specification"))
    assert s["edition_hash"] == editions.edition_hash(PREFECTURE) and s["edition_name"] == "△△県"
    files = build_outputs(job)
    assert json.loads(files["answers.json"])["edition"] == {"name": "△△県", "hash": s["edition_hash"]}
    assert json.loads(files["job.json"])["stamp"]["edition_hash"] == s["edition_hash"]
    builtin = build_outputs(job_for(model.load(), example(model.load())))
    assert builtin["specification.docx"] != files["specification.docx"]


# ---------------------------------------------------------------- the file and the CLI

@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(st.sampled_from(["org_name", "ordinance", "rules", "privacy_section", "contact"]),
                       st.text(min_size=1, max_size=30)))
def test_js_text_reads_back(values: dict[str, str]) -> None:
    raw = {**PREFECTURE, **values}
    assert editions.read_file(editions.js_text(raw).encode("utf-8")) == raw


def test_cli_edition_matches_the_page_api(tmp_path: Path) -> None:
    base = model.load()
    raw = {**PREFECTURE, **LOCAL}
    (tmp_path / "edition.js").write_text(editions.js_text(raw), encoding="utf-8")
    (tmp_path / "edition.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    answers = {"format": "itaku-answers", "schema_version": base.schema_version, "answers": example(base),
               "removed_clauses": {}}
    (tmp_path / "answers.json").write_text(json.dumps(answers, ensure_ascii=False, default=str), encoding="utf-8")
    for name in ("edition.js", "edition.json"):
        assert cli(["generate", str(tmp_path / "answers.json"), "--out", str(tmp_path / f"out-{name}"),
                    "--edition", str(tmp_path / name)]) == 0
    web.set_edition({"status": "loaded", "text": json.dumps(raw)})
    try:
        result = web.generate(example(base))
    finally:
        web.set_edition(None)
    for name, data in result["files"].items():
        assert (tmp_path / "out-edition.js" / name).read_bytes() == data, name
        assert (tmp_path / "out-edition.json" / name).read_bytes() == data, name


def test_cli_rejects_a_bad_edition_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "edition.js").write_text('globalThis.ITAKU_EDITION = {"org_name": "△△県", "org_type": "x"};',
                                         encoding="utf-8")
    (tmp_path / "answers.json").write_text("{}", encoding="utf-8")
    assert cli(["generate", str(tmp_path / "answers.json"), "--out", str(tmp_path / "out"),
                "--edition", str(tmp_path / "edition.js")]) == 2
    err = capsys.readouterr().err
    assert "edition.js" in err and "org_type（団体の種類）" in err and not (tmp_path / "out").exists()


def test_identify_reports_the_edition(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = editions.apply(model.load(), PREFECTURE)
    (tmp_path / "spec.docx").write_bytes(build_outputs(job_for(corpus, example(corpus)))["specification.docx"])
    assert cli(["identify", str(tmp_path / "spec.docx")]) == 0
    assert f"団体の設定: △△県（版 {editions.edition_hash(PREFECTURE)[:8]}）" in capsys.readouterr().out


# ---------------------------------------------------------------- the page API

def test_settings_preview() -> None:
    good = web.edition_preview(PREFECTURE)
    assert good["valid"] and good["edition"]["short_hash"] == editions.edition_hash(PREFECTURE)[:8]
    assert "△△県個人情報の保護に関する法律施行条例" in good["preview"] and "個人情報取扱特記事項" in good["preview"]
    assert editions.read_file(good["text"]) == PREFECTURE
    bad = web.edition_preview({**PREFECTURE, "org_name": ""})
    assert not bad["valid"] and any("org_name（団体名）" in e for e in bad["errors"])


def test_set_edition_changes_what_the_page_uses() -> None:
    try:
        summary = web.set_edition({"status": "loaded", "text": json.dumps({**PREFECTURE, **LOCAL})})
        assert summary["name"] == "△△県" and summary["message"] == "" and summary["local_clauses"] == ["local-backup"]
        q = web.questionnaire()
        assert q["edition"]["name"] == "△△県"
        assert {"id": "local-backup", "title": "バックアップの保管"} in q["removable"]
        # the page adds a removal box for it (the built form has the corpus's own boxes only)
        assert summary["removable_local"] == ["local-backup"]
        assert summary["removable_html"].count('data-remove="') == 1
        assert '「バックアップの保管」の条文を外す' in summary["removable_html"]
        tricky = {**LOCAL, "clauses": [{**LOCAL["clauses"][0], "title": '<b>"保管"</b>'}]}
        html_text = web.set_edition({"status": "loaded", "text": json.dumps({**PREFECTURE, **tricky})})["removable_html"]
        assert "<b>" not in html_text and "&lt;b&gt;&quot;保管&quot;&lt;/b&gt;" in html_text
        summary = web.set_edition({"status": "broken", "text": None, "error": "SyntaxError"})
        assert summary["source"] == "builtin" and "edition.js" in summary["message"]
        assert summary["removable_local"] == [] and summary["removable_html"] == ""
    finally:
        web.set_edition(None)
    assert web.questionnaire()["edition"]["message"] == ""


# ---------------------------------------------------------------- the same hash in the browser

@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@also([{"\ufada": None, "\U00010000": None}])  # keys sorted by code point, not UTF-16 unit
@also([{"org_name": "\u304b\u3099\u5e02", "b": {"z": 1, "a": [True, None, "\n\"\x01\u2028"]}, "a": "😀"}])
@given(st.lists(st.dictionaries(st.text(max_size=6), st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8), max_size=6), min_size=1, max_size=20))
def test_footer_hash_in_javascript_equals_python(values: list[dict[str, Any]]) -> None:
    """docs/assets/common/edition.js (run by node) hashes every object as itaku.edition does."""
    script = (ROOT / "docs/assets/common/edition.js").read_text(encoding="utf-8")
    harness = ("globalThis.window = {addEventListener() {}, removeEventListener() {}};"
               "globalThis.document = {readyState: 'complete', getElementById() { return null; }};"
               + script + ";const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
               "process.stdout.write(JSON.stringify(input.map((v) => ItakuEdition.hash(v))));")
    text = json.dumps(values, ensure_ascii=False)
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        return  # lone surrogates cannot be UTF-8; Python rejects such an edition
    out = subprocess.run(["node", "-e", harness], input=text.encode("utf-8"), capture_output=True, check=True)
    assert json.loads(out.stdout) == [editions.edition_hash(v) for v in values]
