"""Checks that follow the job (issue 29): the 採否一覧's labels and acts, the three-point sheet,
the 契約前 sheet's header, contracts without a 契約書, the 監督 clause and the periodic report."""
from __future__ import annotations

import pytest

from itaku.answers import validate
from itaku.deviations import act_rows, adoption_rows
from itaku.job import build_job
from itaku.model import Corpus


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


def example(model: Corpus, eid: str) -> dict:
    return dict(next(e for e in model.data["examples"] if e["id"] == eid)["answers"])


def job_of(model: Corpus, raw: dict, removed: dict | None = None):
    return build_job(model, validate(model, raw, removed or {}))


# ---------------------------------------------------------------- A. 条文の採否一覧

def test_variant_labels_are_those_of_their_own_clause(model):
    """Two clauses share the variant id ``with-approval``: copying must not read 「再委託を予定している場合」."""
    raw = {**example(model, "paper-office"), "copying": True, "reoutsourcing": "planned",
           "reoutsourcing_scope": "封入封緘作業のうち機械封入の部分"}
    rows = {title: wording for title, _, wording, _ in adoption_rows(job_of(model, raw))}
    copying = model.clause("copying")
    subcontracting = model.clause("subcontracting")
    # The copying wording is one of the copying clause's own (approval or, since issue 25, routine).
    assert rows[copying["title"]] in {v["label"] for v in copying["variants"]}
    assert "再委託" not in rows[copying["title"]]
    assert rows[subcontracting["title"]] == next(v["label"] for v in subcontracting["variants"]
                                                 if v["id"] == "with-approval")


def test_acts_table_says_an_article_was_removed_not_forbidden(model):
    reason = "庁舎内の端末でのみ作業し持出しの余地がない"
    job = job_of(model, example(model, "paper-office"), {"carry-out": reason})
    row = next(r for r in act_rows(job) if r[0] == job.acts["carry_out"].label)
    assert row[1] != "禁止" and "外した" in row[1]
    assert reason in row[2] and "持出しの禁止" in row[2]
    kept = next(r for r in act_rows(job_of(model, example(model, "paper-office"))) if r[0] == row[0])
    assert kept[1] == "禁止"


# ---------------------------------------------------------------- B. 三点の確認票

def _three_points(job):
    from itaku import lifecycle
    from itaku.document import Table
    doc = next(d for d in lifecycle.documents(job) if d.name == "inspection.docx")
    return next(b for b in doc.blocks if isinstance(b, Table) and any("契約上の明記" in h for h in b.header))


def _application_text(job) -> str:
    from itaku import lifecycle
    from itaku.document import Heading, Paragraph, Table
    doc = next(d for d in lifecycle.documents(job) if d.name == "reoutsourcing-application.docx")
    out = []
    for b in doc.blocks:
        if isinstance(b, (Heading, Paragraph)):
            out.append(b.text)
        elif isinstance(b, Table):
            out += [c for row in (b.header,) + b.rows for c in row]
    return "\n".join(out)


PLANNED = {"reoutsourcing": "planned", "reoutsourcing_scope": "封入封緘作業のうち機械封入の部分"}


def test_three_points_use_the_mic_coding(model):
    table = _three_points(job_of(model, example(model, "paper-office")))
    assert any("0＝適・1＝不備" in h for h in table.header)
    assert [r[3] for r in table.rows] == ["0", "0", "0"]  # every point written in the specification: 適
    removed = _three_points(job_of(model, example(model, "paper-office"), {"carry-out": "庁舎内だけで作業する"}))
    assert [r[3] for r in removed.rows] == ["0", "1", "0"]


def test_three_point_rows_follow_the_subcontracting_decision(model):
    banned = _three_points(job_of(model, {**example(model, "paper-office"), "reoutsourcing": "none"}))
    labels = [r[1] for r in banned.rows]
    assert labels[0] == "再委託の禁止" and not any("承認" in x or "再々委託" in x for x in labels)
    planned = job_of(model, {**example(model, "paper-office"), **PLANNED, "subreoutsourcing": False})
    labels = [r[1] for r in _three_points(planned).rows]
    assert "承認" in labels[0]
    assert any(x.startswith("再々委託の禁止") for x in labels) and not any("再々委託の事前" in x for x in labels)
    allowed = job_of(model, {**example(model, "paper-office"), **PLANNED, "subreoutsourcing": True})
    labels = [r[1] for r in _three_points(allowed).rows]
    assert any(x.startswith("再々委託の事前の書面による承認") for x in labels)
    assert not any(x.startswith("再々委託の禁止") for x in labels)


def test_reoutsourcing_application_follows_the_subreoutsourcing_decision(model):
    banned = _application_text(job_of(model, {**example(model, "paper-office"), **PLANNED, "subreoutsourcing": False}))
    assert "同じ申請が事前に必要" not in banned and "段階ごと" not in banned
    assert "再々委託は認められていません" in banned
    allowed = _application_text(job_of(model, {**example(model, "paper-office"), **PLANNED, "subreoutsourcing": True}))
    assert "段階ごと" in allowed and "再々委託は認められていません" not in allowed


# ---------------------------------------------------------------- C. 遵守確認表（契約前）

def _workbook(model, raw: dict, phase: str):
    import io

    import openpyxl

    from itaku.checklists import checklist
    from itaku.render.xlsx import render_checklist
    return openpyxl.load_workbook(io.BytesIO(render_checklist(checklist(job_of(model, raw), phase)))).worksheets[0]


def _label_row(ws, text: str) -> int | None:
    return next((c.row for row in ws.iter_rows(max_col=3) for c in row if c.value == text), None)


def test_before_sheet_has_the_after_sheets_sign_fields(model):
    raw = example(model, "paper-office")
    before, after = _workbook(model, raw, "before"), _workbook(model, raw, "after")
    for label in ("点検日", "責任者（職・氏名）", "点検者"):
        for ws in (before, after):
            row = _label_row(ws, label)
            assert row is not None, label
            assert ws.cell(row=row, column=4).protection.locked is False, label


def test_before_sheet_leaves_the_contractor_open_for_each_bidder(model):
    raw = {k: v for k, v in example(model, "paper-office").items() if k != "contractor_name"}
    ws = _workbook(model, raw, "before")
    cell = ws.cell(row=_label_row(ws, "受託者"), column=4)
    assert cell.value in (None, "") and cell.protection.locked is False
    named = _workbook(model, {**raw, "contractor_name": "株式会社サンプル"}, "before")
    cell = named.cell(row=_label_row(named, "受託者"), column=4)
    assert cell.value == "株式会社サンプル" and cell.protection.locked is True


def test_contractor_is_asked_about_termination_and_damages(model):
    from itaku.checklists import checklist_rows
    job = job_of(model, example(model, "paper-office"))
    clause = {s.clause["id"]: s for s in job.selected}["termination"]
    rows = [r for r in checklist_rows(job, "before") if model.item(r.item_id)["clause"] == clause.clause["id"]]
    asked = [r.question for r in rows if r.answered_by == "受託者"]
    assert any("解除" in q and "賠償" in q for q in asked), asked


# ---------------------------------------------------------------- D, E. 契約書本文の条文例（契約書を作らない契約）, 監督, 定期報告

def _doc_text(job, name: str) -> str:
    from itaku import lifecycle
    from itaku.document import Article, Heading, Paragraph, Table
    doc = next(d for d in lifecycle.documents(job) if d.name == name)
    out = []
    for b in doc.blocks:
        if isinstance(b, (Heading, Paragraph)):
            out.append(b.text)
        elif isinstance(b, Table):
            out += [c for row in (b.header,) + b.rows for c in row]
        elif isinstance(b, Article):
            out += [b.caption] + [c.text for c in b.clauses]
    return "\n".join(out)


def test_without_a_contract_document_the_contract_papers_speak_of_the_ukesho(model):
    raw = {**example(model, "paper-office"), "contract_type": "outsourcing", "contract_document": "simple"}
    job = job_of(model, raw)
    text = _doc_text(job, "contract-clauses.docx")
    numbers = {s.clause["id"]: s.number for s in job.selected}
    assert "請書" in text and f"第{numbers['contract-basis']}条" in text and f"第{numbers['termination']}条" in text
    for phrase in ("契約書本文に置く条文の例", "契約書本文に個人情報の保護の条があり", "本文で引用されている",
                   "契約書本文の条文例"):
        assert phrase not in text, phrase
    with_contract = _doc_text(job_of(model, {**raw, "contract_document": "contract"}), "contract-clauses.docx")
    assert "契約書本文に置く条文の例" in with_contract and "請書に記載する事項の例" not in with_contract


def test_contract_body_examples_have_a_supervision_clause_and_its_check(model):
    text = _doc_text(job_of(model, example(model, "paper-office")), "contract-clauses.docx")
    assert "（監督）" in text and "監督員" in text and "協力し" in text
    assert "監督（監督員の立会いと指示、受託者の協力）の条がある" in text


def test_periodic_report_has_the_rows_the_reporting_article_requires(model):
    text = _doc_text(job_of(model, example(model, "paper-office")), "forms.docx")
    assert "作業の進捗状況" in text and "作業従事者が作業に従事した日と時間の実績" in text
    entry = next(c for c in model.data["documents"]["coverage"] if c["form"] == "periodic-report")
    assert {r["term"] for r in entry["requires"]} >= {"作業の進捗状況", "従事者が作業に従事した日及び時間の実績"}
