"""Reworded paragraphs (issue 29.9, 30.2): the edition's 約款 wording, a job's rewordings in answers.json
(an optional field of schema 4), schema-4 files without it, the 条文の採否一覧 lines and the text in specification.docx."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from itaku import edition as editions, model, rewording, schema, web
from itaku.answers import AnswersError, answers_hash, load_file, validate
from itaku.articles import paragraph_entries
from itaku.contents import documents
from itaku.deviations import deviations, wording_rows
from itaku.document import Article, Table
from itaku.job import build_job
from itaku.outputs import build_outputs, generate
from itaku.specification import specification

from strategies import answers as drawn_answers

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = '乙は<script>alert("x")</script> & =SUM(A1) {{contractor}} の\u202e文言\x07に従う。'
CITY = {"org_name": "○○市", "org_type": "city", "ordinance": "○○市個人情報保護法施行条例",
        "rules": "○○市安全管理規程", "privacy_section": "総務課", "contact": "内線 1"}


@pytest.fixture(scope="module")
def base() -> model.Corpus:
    return model.load()


def example(corpus: model.Corpus, example_id: str = "printing") -> dict[str, Any]:
    return next(e for e in corpus.data["examples"] if e["id"] == example_id)["answers"]


def job(corpus: model.Corpus, raw: dict[str, Any], reworded: dict[str, Any] | None = None, removed: Any = None):  # noqa: ANN201
    return build_job(corpus, validate(corpus, raw, removed or {}, reworded or {}))


def article_texts(doc: Any, clause_id: str) -> list[str]:
    for block in doc.blocks:
        if isinstance(block, Article) and block.clause_id == clause_id:
            return [t for c in block.clauses for t in (c.text, *(text for _, text in c.items))]
    raise AssertionError(clause_id)


def docx_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").decode("utf-8")


# ---------------------------------------------------------------- keys

def test_keys_name_paragraphs_and_items(base: model.Corpus) -> None:
    assert rewording.parse_key("carry-out/2") == ("carry-out", "", 2, None)
    assert rewording.parse_key("carry-out@routine/3/1") == ("carry-out", "routine", 3, 1)
    for bad in ("carry-out", "carry-out/0", "Carry/1", "carry-out/1/2/3", "../x/1", 5, None, "a/1\n"):
        assert rewording.parse_key(bad) is None
    assert rewording.locate(base, "carry-out/1")[1] == base.clause("carry-out")["texts"][""][0]["text"]
    assert rewording.locate(base, "carry-out/99") is None and rewording.locate(base, "no-such/1") is None
    assert rewording.locate(base, "carry-out@no-such/1") is None



def test_the_settings_pickers_choices_are_exactly_the_keys_that_locate(base: model.Corpus) -> None:
    """assets/settings/wording.js lists every 項・号 a 約款 wording may replace, with the model text it replaces."""
    choices = rewording.paragraph_choices(base.clauses)
    keys = [c["key"] for c in choices]
    assert len(keys) == len(set(keys))
    for c in choices:
        assert rewording.locate(base, c["key"])[1] == c["text"], c["key"]
        assert c["label"].endswith("項") or c["label"].endswith("号")
    assert "carry-out@routine/2" in keys and any(k.count("/") == 2 for k in keys)  # variants and 号 are offered
    # Every key that locates is offered: walk each clause text one beyond its ends.
    for clause in base.clauses:
        for variant, paragraphs in clause["texts"].items():
            for p in range(1, len(paragraphs) + 2):
                for i in [None, *range(1, len(paragraphs[p - 1]["items"]) + 2)] if p <= len(paragraphs) else [None]:
                    key = rewording.make_key(clause["id"], variant, p, i)
                    assert (rewording.locate(base, key) is not None) == (key in keys), key


# ---------------------------------------------------------------- a job's rewording

def test_rewording_replaces_the_text_only(base: model.Corpus) -> None:
    raw = example(base)
    plain = job(base, raw)
    s = next(s for s in plain.selected if s.clause["id"] == "confidentiality")
    entry = paragraph_entries(plain, s)[0]
    changed = job(base, raw, {entry["key"]: {"text": "乙は、業務上知り得た秘密を漏らしてはならない。\n契約の終了後も同様とする。",
                                             "reason": "団体の契約約款の文言に合わせるため"}})
    texts = article_texts(specification(changed), "confidentiality")
    assert texts[0] == "乙は、業務上知り得た秘密を漏らしてはならない。契約の終了後も同様とする。"  # one line
    assert texts[1:] == article_texts(specification(plain), "confidentiality")[1:]
    # text only: acts, items, plan and article numbers stay as derived
    assert changed.acts == plain.acts and changed.plan == plain.plan
    assert [(x.clause["id"], x.number) for x in changed.selected] == [(x.clause["id"], x.number) for x in plain.selected]
    from itaku.checklists import checklist_rows
    assert all(checklist_rows(changed, p) == checklist_rows(plain, p) for p in ("before", "after", "selection"))
    assert answers_hash(changed.answers) != answers_hash(plain.answers)  # the record shows the change


def test_rewording_is_never_filled_and_is_escaped(base: model.Corpus) -> None:
    raw = example(base)
    key = "basic/1"
    j = job(base, raw, {key: {"text": HOSTILE, "reason": "<b>理由</b>"}})
    text = article_texts(specification(j), "basic")[0]
    assert "{{contractor}}" in text and "\u202e" not in text and "\x07" not in text  # as typed, controls removed
    files = build_outputs(j, None)
    xml = docx_xml(files["specification.docx"])
    assert "&lt;script&gt;alert(" in xml and "<script>" not in xml
    dev = docx_xml(files["deviations.docx"])
    assert "&lt;script&gt;" in dev and "&lt;b&gt;理由&lt;/b&gt;" in dev
    preview = web.state(raw, {}, None, None, {key: {"text": HOSTILE, "reason": "x"}})["preview"]
    assert "<script>" not in preview and "&lt;script&gt;" in preview


def test_rewording_problems_are_named(base: model.Corpus) -> None:
    raw = example(base)
    with pytest.raises(AnswersError) as exc:
        validate(base, raw, {}, {"basic/1": {"text": "", "reason": "x"}, "basic/2": {"text": "y", "reason": " "},
                                 "basic/3": {"text": "あ" * 2001, "reason": "x"}})
    errors = exc.value.errors
    assert "変更後の文言を入力" in errors["reworded:basic/1"] and "「基本的事項」の第1項" in errors["reworded:basic/1"]
    assert "理由を入力" in errors["reworded-reason:basic/2"] and "reworded:basic/2" not in errors
    assert "2000文字以内" in errors["reworded:basic/3"]
    with pytest.raises(AnswersError) as exc:
        validate(base, raw, {}, {"../etc/1": {"text": "x", "reason": "y"}, "basic/4": "text"})
    assert set(exc.value.errors) == {"reworded_paragraphs"}
    with pytest.raises(AnswersError):
        validate(base, raw, {}, ["basic/1"])  # type: ignore[arg-type]


def test_a_rewording_whose_paragraph_is_gone_is_kept_and_said(base: model.Corpus) -> None:
    raw = example(base)
    gone = {"basic/99": {"text": "古い文言", "reason": "前の版で変えた"},
            "no-such-clause/1": {"text": "古い文言", "reason": "前の版で変えた"}}
    answers = validate(base, raw, {}, gone)
    assert dict(answers.reworded) == gone  # kept, not lost
    j = build_job(base, answers)
    assert article_texts(specification(j), "basic") == article_texts(specification(job(base, raw)), "basic")
    notes = rewording.unplaced(base, gone)
    assert len(notes) == 2 and all("なくなったため、文書には使っていません" in n for n in notes)
    text = "\n".join(getattr(b, "text", "") for b in deviations(j).blocks)
    assert "「基本的事項」の第99項の文言の変更は" in text
    state = web.state(raw, {}, None, None, gone)
    assert state["valid"] and len(state["reword_notes"]) == 2
    doc = json.loads(build_outputs(j, "answers.json")["answers.json"])
    assert doc["reworded_paragraphs"] == gone and doc["schema_version"] >= 4
    back = web.load(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    assert back["reworded"] == gone and len(back["reword_notes"]) == 2


def test_a_rewording_of_a_paragraph_not_in_this_job_is_listed_as_unused(base: model.Corpus) -> None:
    raw = example(base, "paper-office")
    plain = job(base, raw)
    absent = next(c for c in base.clauses if c["id"] not in {s.clause["id"] for s in plain.selected})
    key = rewording.make_key(absent["id"], "", 1)
    j = job(base, raw, {key: {"text": "別の文言", "reason": "理由"}})
    text = "\n".join(getattr(b, "text", "") for b in deviations(j).blocks)
    assert f"{rewording.label(base, key)}。" in text and "入らない項のもの" in text


# ---------------------------------------------------------------- 条文の採否一覧

def test_adoption_list_shows_model_beside_the_rewording(base: model.Corpus) -> None:
    raw = example(base)
    plain = job(base, raw)
    s = next(s for s in plain.selected if s.clause["id"] == "carry-out")
    entries = paragraph_entries(plain, s)
    target = entries[1]
    j = job(base, raw, {target["key"]: {"text": "変更後の文言。", "reason": "団体の慣行"}})
    assert wording_rows(j) == [(target["label"], "この業務で変更。理由：「団体の慣行」", target["model"], "変更後の文言。", "")]
    doc = deviations(j)
    tables = [b for b in doc.blocks if isinstance(b, Table) and b.header[0] == "条・項"]
    assert len(tables) == 1 and tables[0].header[2:4] == ("モデルの文言", "この業務の文言")
    adoption = next(b for b in doc.blocks if isinstance(b, Table) and b.header[0] == "条文")
    row = next(r for r in adoption.rows if r[0] == s.clause["title"])
    assert f"{target['label'].split('条', 1)[1]}はこの業務で変更" in row[2]
    assert deviations(plain).blocks == tuple(b for b in deviations(plain).blocks)  # unchanged without rewordings
    assert not wording_rows(plain)


# ---------------------------------------------------------------- the edition's 約款

def test_edition_wording_replaces_the_model_for_every_job(base: model.Corpus) -> None:
    model_text = base.clause("confidentiality")["texts"][""][0]["text"]
    raw = {**CITY, "wording": [{"paragraph": "confidentiality/1",
                                "text": "{{contractor}}は、{{org_name}}契約約款第10条により、秘密を守らなければならない。"}]}
    c = editions.apply(base, raw)
    assert c.clause("confidentiality")["texts"][""][0]["text"].startswith("{{contractor}}は、{{org_name}}契約約款")
    assert c.clause("confidentiality")["model_texts"] == {"confidentiality/1": model_text}
    assert base.clause("confidentiality")["texts"][""][0]["text"] == model_text  # the base corpus is untouched
    assert editions.summary(c)["wording"] == ["confidentiality/1"]
    for eid in ("printing", "paper-office"):
        j = job(c, example(c, eid))
        assert article_texts(specification(j), "confidentiality")[0].endswith("○○市契約約款第10条により、秘密を守らなければならない。")
        label, kind, original, text, _ = wording_rows(j)[0]
        assert kind == "団体の約款の文言" and original.startswith(j.values["contractor"]) and "約款第10条" in text
    # a job's rewording replaces the 約款 for that job; the 採否一覧 shows the 約款 as its model
    j = job(c, example(c), {"confidentiality/1": {"text": "この業務だけの文言。", "reason": "委託の内容に合わせる"}})
    assert article_texts(specification(j), "confidentiality")[0] == "この業務だけの文言。"
    label, kind, model_shown, text, _ = wording_rows(j)[0]
    assert kind.startswith("この業務で変更（団体の約款の文言を置き換え）") and "約款第10条" in model_shown


@pytest.mark.parametrize(("wording", "expected"), [
    ("x", "wording（団体の約款の文言）：リスト"),
    (["x"], "wording[1]（団体の約款の文言）：対応表"),
    ([{"paragraph": "carry-out", "text": "x"}], "wording[1].paragraph（置き換える項）：「条文id/項の番号」"),
    ([{"paragraph": "carry-out/99", "text": "x"}], "「carry-out/99」にあたる項はキットの条文にありません"),
    ([{"paragraph": "basic/1", "text": "{{nope}}は守る。"}], "wording[1].text（約款の文言）：差込み項目 {{nope}} はありません"),
    ([{"paragraph": "basic/1", "text": "{{ref:nope}}による。"}], "{{ref:nope}} の条文 id はありません"),
    ([{"paragraph": "basic/1", "text": ""}], "wording[1].text（約款の文言）：入力が必要です"),
    ([{"paragraph": "basic/1", "text": "あ" * 2001}], "2000文字以内"),
    ([{"paragraph": "basic/1", "text": "制御\x07文字"}], "制御文字は使えません"),
    ([{"paragraph": "basic/1", "text": "[when: x] 文"}], "条件 [when: …] は使えません"),
    ([{"paragraph": "basic/1", "text": "a", "when": "x"}], "未知の項目「when」"),
    ([{"paragraph": "basic/1", "text": "a"}, {"paragraph": "basic/1", "text": "b"}], "既に置き換えています"),
])
def test_edition_wording_is_validated(base: model.Corpus, wording: Any, expected: str) -> None:
    with pytest.raises(editions.EditionError) as exc:
        editions.apply(base, {**CITY, "wording": wording})
    assert any(expected in p for p in exc.value.problems), exc.value.problems


def test_edition_wording_is_escaped_not_evaluated(base: model.Corpus) -> None:
    text = '<img src=x onerror="alert(1)"> & ${globalThis} の約款による。'
    c = editions.apply(base, {**CITY, "wording": [{"paragraph": "basic/1", "text": text}]})
    j = job(c, example(c))
    files = build_outputs(j, None)
    assert "&lt;img src=x onerror=" in docx_xml(files["specification.docx"])
    assert "<img" not in web_preview(c, example(c))
    status = editions.from_page(base, "loaded", json.dumps({**CITY, "wording": [{"paragraph": "basic/1", "text": text}]}))
    assert status.message == "" and status.corpus.clause("basic")["model_texts"]


def web_preview(c: model.Corpus, raw: dict[str, Any]) -> str:
    from itaku.render.html import preview_html
    from itaku.contents import sheets

    j = job(c, raw)
    return preview_html(documents(j), sheets(j))


def test_builtin_edition_may_not_reword(base: model.Corpus) -> None:
    data = dict(base.data)
    data["edition"] = {**CITY, "wording": [{"paragraph": "basic/1", "text": "x"}]}
    with pytest.raises(editions.EditionError):
        editions.compile_builtin(data)


# ---------------------------------------------------------------- schema-4 files saved before rewording existed

@pytest.mark.parametrize("path", sorted((FIXTURES / "schema4").glob("*.json")), ids=lambda p: p.name)
def test_schema4_files_load_unchanged(base: model.Corpus, path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["schema_version"] == 4 and "reworded_paragraphs" not in doc
    loaded = load_file(base, path.read_bytes())
    assert base.schema_version >= 4 and loaded.schema_version == 4
    # only questions newer than schema 4 may be flagged (issue 26: the destruction media, absent = none)
    newer = {q["key"] for q in base.questions() if q.get("since", 1) > 4}
    assert set(loaded.flagged) == newer and loaded.reworded == {} and loaded.answers == doc["answers"]
    answers = validate(base, loaded.answers, loaded.removed, loaded.reworded)
    assert answers_hash(answers) == doc["answers_hash"]  # same job id, same register key
    if doc["format"] == "itaku-job":
        assert schema.hash_matches(doc) and not schema.job_problems(doc)
    files = generate(base, loaded.answers, loaded.removed, loaded.ids, loaded.reworded)
    same = generate(base, doc["answers"], doc["removed_clauses"], loaded.ids)
    assert files == same  # the documents the schema-4 answers make
    new = json.loads(files["answers.json"])
    assert new["schema_version"] == base.schema_version and new["reworded_paragraphs"] == {} and new["answers_hash"] == doc["answers_hash"]
    assert new["job_id"] == doc["job_id"]


def test_record_with_rewording_round_trips(base: model.Corpus) -> None:
    raw = example(base)
    reworded = {"basic/1": {"text": "別の文言。", "reason": "理由"}}
    files = generate(base, raw, {}, None, reworded)
    rec = json.loads(files["job.json"])
    assert rec["reworded_paragraphs"] == reworded
    assert schema.hash_matches(rec) and not schema.job_problems(rec)
    assert not schema.hash_matches({**rec, "reworded_paragraphs": {"basic/1": {"text": "改ざん", "reason": "理由"}}})
    bad = {**rec, "reworded_paragraphs": {"basic/1": {"text": 5}}}
    assert "reworded_paragraphs.basic/1.text" in schema.job_problems(bad)
    loaded = load_file(base, files["answers.json"])
    assert loaded.reworded == reworded
    assert generate(base, loaded.answers, loaded.removed, loaded.ids, loaded.reworded) == files
    with pytest.raises(Exception, match="reworded_paragraphs"):
        load_file(base, json.dumps({**json.loads(files["answers.json"]), "reworded_paragraphs": ["x"]}))


# ---------------------------------------------------------------- property: over the answer space

@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_any_adopted_paragraph_can_be_reworded_as_text_only(data: st.DataObject) -> None:
    base = model.load()
    raw, removed = data.draw(drawn_answers(base))
    plain = job(base, raw, removed=removed)
    entries = [e for s in plain.selected for e in paragraph_entries(plain, s)]
    entry = data.draw(st.sampled_from(entries))
    new = data.draw(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80)
                    .map(lambda t: t.replace("\u202e", "")).filter(lambda t: t.strip())) + "。"
    changed = job(base, raw, {entry["key"]: {"text": new, "reason": "理由"}}, removed)
    kept = changed.answers.reworded[entry["key"]]["text"]
    spec_texts = [t for b in specification(changed).blocks if isinstance(b, Article) for c in b.clauses
                  for t in (c.text, *(x for _, x in c.items))]
    assert kept in spec_texts
    assert changed.acts == plain.acts and changed.plan == plain.plan
    rows = wording_rows(changed)
    assert [(r[0], r[2], r[3]) for r in rows if r[1].startswith("この業務で変更")] == [(entry["label"], entry["model"], kept)]
