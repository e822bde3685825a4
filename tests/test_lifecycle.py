"""Life-cycle documents (itaku.lifecycle, clauses/documents.yml) and documents.zip."""
from __future__ import annotations

import dataclasses
import io
import json
import zipfile

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from office import HAVE_LIBREOFFICE, to_pdf
from strategies import answers, text_of

from itaku import lifecycle
from itaku.articles import kept_paragraphs
from itaku.answers import validate
from itaku.checklists import checklist_rows
from itaku.build.validate_documents import coverage_problems, form_labels
from itaku.contents import documents
from itaku.document import Heading, Paragraph, Table
from itaku.identify import identify
from itaku.job import build_job
from itaku.model import Corpus
from itaku.filenames import download_names
from itaku.outputs import ZIP_NAME, build_outputs, bundle, file_label, member_name, output_names

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DESIGNATED_FORBIDDEN = ("受託者", "委託元", "契約期間", "この契約")


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


def job_of(model: Corpus, raw: dict, removed: dict | None = None):
    return build_job(model, validate(model, raw, removed or {}))


def example(model: Corpus, eid: str) -> dict:
    return dict(next(e for e in model.data["examples"] if e["id"] == eid)["answers"])




def section_titles(doc) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]


def lifecycle_docs(job) -> dict:
    return {d.name: d for d in lifecycle.documents(job)}


# ---------------------------------------------------------------- structure

@given(data=st.data())
@SETTINGS
def test_every_file_and_section_begins_with_its_heading(model, data):
    raw, removed = data.draw(answers(model))
    job = job_of(model, raw, removed)
    files = {f["file"]: f for f in model.data["documents"]["files"]}
    for doc in lifecycle.documents(job):
        assert doc.title == lifecycle.Filler(job)(lifecycle.file_title(job, files[doc.name]))
        if files[doc.name].get("cover", True):
            assert isinstance(doc.blocks[0], Heading) and doc.blocks[0].level == 0 and doc.blocks[0].text == doc.title
        else:  # letters and forms sent out: no cover, the first page is the first letter (test_letters)
            assert not any(isinstance(b, Heading) and b.level == 0 for b in doc.blocks), doc.name
        headings = section_titles(doc)
        assert headings, doc.name
        starts = [0] + [i + 1 for i, b in enumerate(doc.blocks) if type(b).__name__ == "PageBreak"]
        for i in starts[0 if not files[doc.name].get("cover", True) else 1:]:
            # every section: (page break,) its Heading 1 — after a letter's number, date, addressee and sender
            head = next(j for j in range(i, len(doc.blocks)) if isinstance(doc.blocks[j], Heading))
            assert doc.blocks[head].level == 1 and head - i <= 4, (doc.name, doc.blocks[i:head + 1])
            assert all(isinstance(b, Paragraph) for b in doc.blocks[i:head]), doc.name
        assert "{{" not in text_of(doc), doc.name


def test_the_usual_files_are_always_there(model):
    for e in model.data["examples"]:
        names = set(lifecycle_docs(job_of(model, e["answers"])))
        assert {"internal-approval.docx", "notices.docx", "contract-clauses.docx", "forms.docx",
                "inspection.docx"} <= names, e["id"]


def test_output_names_match_the_rendered_set(model):
    for e in model.data["examples"]:
        job = job_of(model, e["answers"])
        out = build_outputs(job)
        assert output_names(job) == list(out), e["id"]
        assert set(lifecycle_docs(job)) <= set(out)
        assert [d.name for d in documents(job)] == [n for n in out if n.endswith(".docx")]


def test_one_onsite_record_per_onsite_check_of_the_plan(model):
    job = job_of(model, example(model, "system-maintenance"))
    doc = lifecycle_docs(job)["inspection.docx"]
    onsite = [e for e in job.plan if e.method == "実地"]
    records = [t for t in section_titles(doc) if t.startswith("実地調査記録票")]
    assert len(records) == len(onsite) > 1
    assert "情報管理責任者" in text_of(doc)


def test_end_of_contract_check_lists_the_return_and_disposal_items(model):
    job = job_of(model, example(model, "system-maintenance"))
    end = [e for e in job.plan if e.method == "実地" and e.key[0] == "end"]
    assert end, "the example should witness the disposal"
    f = lifecycle.Filler(job, {"check_kind": "end"})
    section = next(s for s in model.data["documents"]["sections"] if s["id"] == "onsite-record")
    table = lifecycle._source_table(section["source_table"], job, f)
    # the items by the No. the contractor's 契約後 sheet prints (issue 30: not their internal ids)
    rows = {r.number: r for r in checklist_rows(job, "after")}
    ids = [rows[r[1]].item_id for r in table.rows]
    # what can be seen at the end (seen_at: end): the return and disposal items, and the records read then
    assert {"return-disposal-02", "return-disposal-03"} <= set(ids)
    assert all("end" in model.item(i)["seen_at"] for i in ids)


# ---------------------------------------------------------------- answers decide

def test_security_committee_step_only_for_risky_jobs(model):
    raw = example(model, "paper-office")
    assert "情報セキュリティ責任者等への協議票" not in section_titles(lifecycle_docs(job_of(model, raw))["internal-approval.docx"])
    for change in ({"specific_personal_info": True}, {"sensitive_info": True}, {"record_count": 1000}):
        doc = lifecycle_docs(job_of(model, {**raw, **change}))["internal-approval.docx"]
        assert "情報セキュリティ責任者等への協議票" in section_titles(doc), change


def test_internal_approval_carries_the_answers(model):
    raw = {**example(model, "paper-office"), "record_count": 12345, "specific_personal_info": True}
    text = text_of(lifecycle_docs(job_of(model, raw))["internal-approval.docx"])
    assert "12,345人" in text and "特定個人情報（マイナンバーを含む）\nはい" in text
    assert raw["work_name"] in text and "本庁舎1階" in text


def test_subcontractor_rows_follow_the_answers(model):
    raw = example(model, "call-centre")
    job = job_of(model, raw)
    forms = text_of(lifecycle_docs(job)["forms.docx"])
    assert "（再委託先）" in forms and "（再委託先）　情報管理責任者" in forms
    named = dataclasses.replace(job, context={**job.context, "subcontractors": [{"name": "株式会社サンプル封入"},
                                                                                {"name": "有限会社サンプル印字"}]})
    forms = text_of(lifecycle.document(named, {"id": "forms", "file": "forms.docx", "title": "様式集"}))
    assert "株式会社サンプル封入　情報管理責任者" in forms and "有限会社サンプル印字　作業責任者" in forms
    assert "（再委託先）" not in forms
    three = lifecycle.document(named, {"id": "inspection", "file": "inspection.docx", "title": "x"})
    assert text_of(three).count("有限会社サンプル印字") == 3
    none = job_of(model, example(model, "paper-office"))
    assert "（再委託先）" not in text_of(lifecycle_docs(none)["forms.docx"])


def test_three_points_contract_column_comes_from_the_specification(model):
    job = job_of(model, example(model, "paper-office"))
    table = next(b for b in lifecycle_docs(job)["inspection.docx"].blocks
                 if isinstance(b, Table) and "契約上の明記（0＝適・1＝不備）" in b.header)
    numbers = {s.clause["id"]: s.number for s in job.selected}
    assert table.rows[0][2] == f"第{numbers['subcontracting']}条" and table.rows[0][3] == "0"  # MIC 2007: 0 = 適
    removed = job_of(model, example(model, "paper-office"), {"carry-out": "庁舎内のみで持出しの余地がない"})
    table = next(b for b in lifecycle_docs(removed)["inspection.docx"].blocks
                 if isinstance(b, Table) and "契約上の明記（0＝適・1＝不備）" in b.header)
    assert table.rows[1][3] == "1"  # work place + carry-out: carry-out was removed (1 = 不備)


def test_deliverable_inspection_report_only_with_deliverables(model):
    raw = example(model, "printing")
    assert "検査調書（成果物・納品物）" in section_titles(lifecycle_docs(job_of(model, raw))["inspection.docx"])
    text = text_of(lifecycle_docs(job_of(model, raw))["inspection.docx"])
    assert ("損紙" in text) == bool(raw.get("mailing"))
    raw["deliverables"] = False
    assert "検査調書（成果物・納品物）" not in section_titles(lifecycle_docs(job_of(model, raw))["inspection.docx"])


# ---------------------------------------------------------------- coverage mapping

def test_coverage_mapping_is_in_the_corpus_and_holds(model):
    data = model.data["documents"]
    assert {c["form"] for c in data["coverage"]} >= {"handling-record", "carry-log", "disposal-certificate",
                                                       "inspection-report", "reoutsourcing-application"}
    by_id = {f["id"]: f for f in model.forms} | {s["id"]: s for s in data["sections"]}
    clauses = {c["id"]: c for c in model.clauses}
    for entry in data["coverage"]:
        assert coverage_problems(entry, by_id, clauses, data["approvals"]) == [], entry["form"]


def test_coverage_check_fails_on_a_missing_column(model):
    """Planted fault: drop one column the handling-record article asks for."""
    data = model.data["documents"]
    by_id = {f["id"]: f for f in model.forms} | {s["id"]: s for s in data["sections"]}
    form = json.loads(json.dumps(by_id["handling-record"]))
    form["table"]["header"] = [h for h in form["table"]["header"] if h != "作業者"]
    entry = next(c for c in data["coverage"] if c["form"] == "handling-record")
    problems = coverage_problems(entry, {**by_id, "handling-record": form}, {c["id"]: c for c in model.clauses})
    assert problems and "作業者" in problems[0]


@given(data=st.data())
@SETTINGS
def test_generated_forms_carry_every_field_their_article_requires(model, data):
    raw, removed = data.draw(answers(model))
    job = job_of(model, raw, removed)
    included = {s.clause["id"]: s.variant for s in job.selected}
    # The article's text as this job keeps it (paragraphs and items by their conditions, before filling): a term
    # in a paragraph or item the job leaves out (e.g. 再委託先 when re-outsourcing is banned) needs no field.
    kept_text = {s.clause["id"]: "\n".join(t + "\n" + "\n".join(items) for t, items in
                                           kept_paragraphs(s.clause["texts"][s.variant], job.context))
                 for s in job.selected}
    docs = lifecycle.documents(job)
    by_id = {f["id"]: f for f in model.forms} | {s["id"]: s for s in model.data["documents"]["sections"]}
    approvals = model.data["documents"]["approvals"]
    for entry in model.data["documents"]["coverage"]:
        if included.get(entry["clause"]) != entry.get("variant", ""):
            continue  # the article (in that wording) is not in this job's specification
        form = by_id[entry["form"]]
        if entry.get("approval"):
            if job.acts[entry["approval"]].value != "approval":
                continue
            form = {**form, "fields": form["fields"] + approvals[entry["approval"]]["application_fields"]}
            # the act's own copy (its label and consent word: 承諾, 承認, 承認・許諾)
            f = next(c for c in lifecycle.copies(job, form) if c.job.values.get("act_id") == entry["approval"])
            title = f(form["title"])
        else:
            title = lifecycle.Filler(job)(form["title"])
        holder = [d for d in docs if title in section_titles(d)]
        if not holder:
            assert not entry.get("approval") and not lifecycle._applies(job, {**form, "file": ""}), (
                entry["form"], "form missing")
            continue
        text = text_of(holder[0])
        for req in entry["requires"]:
            if req["term"] not in kept_text[entry["clause"]]:
                continue
            for field in req["fields"]:
                assert lifecycle.Filler(job)(field) in text, (entry["form"], field)
        assert set(req["fields"]) <= form_labels(form)


# ---------------------------------------------------------------- 承諾申請書・承諾書 ⇔ acts

@given(data=st.data())
@SETTINGS
def test_approval_forms_exist_exactly_for_acts_needing_approval(model, data):
    raw, removed = data.draw(answers(model))
    job = job_of(model, raw, removed)
    docs = lifecycle_docs(job)
    approvals = model.data["documents"]["approvals"]
    titles = section_titles(docs["approvals.docx"]) if "approvals.docx" in docs else []
    expected = []
    for act_id, decision in job.acts.items():
        if act_id in approvals and decision.value == "approval":
            # the word of the act's article (再々委託: 承認), with the 番号法第10条 許諾 where 特定個人情報
            word = approvals[act_id].get("consent", "承諾")
            if approvals[act_id].get("mynumber") and job.context.get("specific_personal_info") is True:
                word += "・許諾"
            expected += [approvals[act_id]["label"] + word + "申請書", approvals[act_id]["label"] + word + "書"]  # in pairs
    assert titles == expected, (titles, expected)
    names = set(d.name for d in documents(job))
    reoutsourcing = job.acts["reoutsourcing"].value == "approval"
    assert ("reoutsourcing-application.docx" in names) == reoutsourcing
    assert ("reoutsourcing-approval.docx" in names) == reoutsourcing
    assert ("approvals.docx" in names) == bool(expected)
    assert ("approvals.docx" in output_names(job)) == bool(expected)


def test_every_act_that_can_need_approval_has_its_forms(model):
    data = model.data["documents"]
    for act in model.data["acts"]["acts"]:
        if any(d["value"] == "approval" for d in act["decisions"]):
            assert act["id"] in data["approvals"] or act["id"] in data["approvals_in_forms"], act["id"]


# Home visits without the visits and with electronic data only: no answer tells that the carry-out and the copying
# are routine (issue 25), so both need approval per occasion.
NOT_ROUTINE = {"work_places": ["contractor_premises"], "processing": "electronic", "contractor_collects": False}


def test_approval_forms_name_the_article_and_the_conditions(model):
    raw = {**example(model, "home-visits"), **NOT_ROUTINE, "carry_out": True, "copying": True, "cloud": True}
    job = job_of(model, raw)
    text = text_of(lifecycle_docs(job)["approvals.docx"])
    numbers = {s.clause["id"]: s.number for s in job.selected}
    assert f"個人情報取扱特記事項第{numbers['carry-out']}条の定めにより" in text
    assert "持出・搬送記録簿に記録" in text and "消去を証明する書面" in text
    assert "作成する部数" in text and "再処理者" in text


def test_approval_check_fails_when_an_act_loses_its_forms(model):
    """Planted fault: without carry_out's texts, a job that needs approval for it gets no 持出し forms."""
    data = json.loads(json.dumps(model.data))
    del data["documents"]["approvals"]["carry_out"]
    job = job_of(Corpus(data), {**example(model, "home-visits"), **NOT_ROUTINE, "carry_out": True})
    assert job.acts["carry_out"].value == "approval"
    titles = [t for d in lifecycle.documents(job) for t in section_titles(d)]
    assert "持出し承諾申請書" not in titles
    from itaku.build.validate_documents import validate_documents
    assert any("carry_out" in p for p in validate_documents(data))


def test_routine_acts_get_no_approval_forms(model):
    """Visits are the work (issue 25): the carry-out is approved once in the specification, never by a 承諾申請書."""
    job = job_of(model, {**example(model, "home-visits"), "copying": True})
    assert job.acts["carry_out"].value == "routine" and job.acts["copying"].value == "routine"
    titles = [t for d in lifecycle.documents(job) for t in section_titles(d)]
    assert not [t for t in titles if "持出し承諾申請書" in t or "複写・複製承諾申請書" in t or "複製承諾申請書" in t]


# ---------------------------------------------------------------- 指定管理

@given(data=st.data())
@SETTINGS
def test_designated_jobs_use_designated_wording(model, data):
    raw, removed = data.draw(answers(model))
    raw = {**raw, "contract_type": "designated_manager"}
    job = job_of(model, raw, removed)
    for doc in lifecycle.documents(job):
        text = text_of(doc)
        for word in DESIGNATED_FORBIDDEN:
            assert word not in text.replace(raw["work_name"], "").replace(raw.get("contractor_name", ""), ""), (
                doc.name, word)
        named = f"{job.values['contractor_name']}　代表者" in text  # a letter's addressee (the name as cleaned)
        assert "指定管理者" in text or job.values["contractor"] in text or named, doc.name
    clauses = text_of(lifecycle_docs(job)["contract-clauses.docx"])
    assert "協定" in clauses and "指定の取消し" in clauses and "代金の減額" not in clauses


def test_designated_wording_check_fails_without_the_term_map(model):
    """Planted fault: with no designated_terms and no wording.yml pairs the forms keep 受託者."""
    raw = {**example(model, "designated-manager")}
    data = json.loads(json.dumps(model.data))
    data["documents"]["designated_terms"] = []
    data["wording"]["designated"] = []
    job = job_of(Corpus(data), raw)
    assert any("受託者" in text_of(d) for d in lifecycle.documents(job))


# ---------------------------------------------------------------- documents.zip

@given(data=st.data())
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_documents_zip_holds_exactly_the_job_files_and_is_reproducible(model, data):
    raw, removed = data.draw(answers(model))
    first = build_outputs(job_of(model, raw, removed))
    again = build_outputs(job_of(model, json.loads(json.dumps(raw)), dict(removed)))
    assert first[ZIP_NAME] == again[ZIP_NAME]
    job = job_of(model, raw, removed)
    named = {member_name(job, n): n for n in first if n != ZIP_NAME}  # the single downloads' names
    assert len(named) == len(first) - 1
    with zipfile.ZipFile(io.BytesIO(first[ZIP_NAME])) as z:
        assert z.namelist() == sorted(named)
        for info in z.infolist():
            assert z.read(info) == first[named[info.filename]]
            assert info.date_time[:3] == (max(int(raw["created_on"][:4]), 1980), int(raw["created_on"][5:7]),
                                          int(raw["created_on"][8:10]))
        stamp = json.loads(z.comment)
    assert stamp["phase"] == "documents" and stamp["answers_hash"] == json.loads(first["job.json"])["answers_hash"]
    assert identify(model, first[ZIP_NAME])["stamp"] == stamp


def test_documents_zip_differs_when_answers_differ(model):
    raw = example(model, "paper-office")
    a = build_outputs(job_of(model, raw))[ZIP_NAME]
    b = build_outputs(job_of(model, {**raw, "record_count": raw["record_count"] + 1}))[ZIP_NAME]
    assert a != b


def test_bundle_ignores_an_existing_zip_entry(model):
    job = job_of(model, example(model, "paper-office"))
    assert zipfile.ZipFile(io.BytesIO(bundle(job, {"a.txt": b"1", ZIP_NAME: b"x"}))).namelist() == [
        member_name(job, "a.txt")]


def test_documents_zip_members_carry_the_single_downloads_names(model):
    """Inside 文書一式 each file has the name its own download is saved under: 「業務名_文書名.拡張子」."""
    raw = example(model, "paper-office")
    job = job_of(model, raw)
    files = build_outputs(job)
    names = download_names([n for n in files if n != ZIP_NAME], file_label(job.answers))
    with zipfile.ZipFile(io.BytesIO(files[ZIP_NAME])) as z:
        assert z.namelist() == sorted(names.values())
        for output, saved in names.items():
            assert saved.startswith(raw["work_name"] + "_") or "年度_" in saved, saved
            assert z.read(saved) == files[output], output
        assert z.getinfo(names["specification.docx"]).flag_bits & 0x800  # UTF-8 names: Explorer shows them right


# ---------------------------------------------------------------- Word and LibreOffice

@pytest.mark.skipif(not HAVE_LIBREOFFICE, reason="LibreOffice is not installed")
@pytest.mark.parametrize("eid", ["call-centre", "designated-manager"])
def test_each_file_opens_in_word_terms_and_prints_its_title(tmp_path, model, eid):
    job = job_of(model, example(model, eid))
    out = build_outputs(job)
    docs = lifecycle_docs(job)
    for name, doc in docs.items():
        (tmp_path / name).write_bytes(out[name])
        d = docx.Document(io.BytesIO(out[name]))
        if any(isinstance(b, Heading) and b.level == 0 for b in doc.blocks):
            assert d.paragraphs[0].style.name == "Title" and d.paragraphs[0].text == doc.title
        else:  # a file of letters: no cover; Word still knows its title
            assert d.core_properties.title == doc.title and "Title" not in {p.style.name for p in d.paragraphs}
        heads = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
        assert heads == section_titles(doc), name
    texts = to_pdf([tmp_path / n for n in docs], tmp_path / "pdf")
    for source, text in texts.items():
        if text is not None:
            flat = text.replace(" ", "").replace("\n", "")
            if any(isinstance(b, Heading) and b.level == 0 for b in docs[source.name].blocks):  # printed on the cover
                assert docs[source.name].title.replace(" ", "") in flat, source.name
            for title in section_titles(docs[source.name]):
                assert title.replace(" ", "") in flat, (source.name, title)
