"""Issue 19, points 4 and 6: a wrong file is named for what it is; downloads are named for the job."""
from __future__ import annotations

import io
import json

import openpyxl
import pytest

from itaku import web
from itaku.answers import AnswersFileError, load_file
from itaku.filekind import kind, wrong_file
from itaku.filenames import audience, download_name, safe_part
from itaku.model import Corpus


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


@pytest.fixture(scope="module")
def files(model) -> dict[str, bytes]:
    from itaku.answers import validate
    from itaku.job import build_job
    from itaku.outputs import build_outputs
    example = next(e for e in model.data["examples"] if e["id"] == "printing")
    return build_outputs(build_job(model, validate(model, example["answers"])))


def _xlsx() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


def test_kinds(files):
    assert kind(files["specification.docx"]) == "docx"
    assert kind(files["checklist-before.xlsx"]) == "xlsx" and kind(_xlsx()) == "xlsx"
    assert kind(files["answers.json"]) == "answers" and kind(files["job.json"]) == "job"
    assert kind(b"%PDF-1.7 ...") == "pdf" and kind(b"\x89PNG\r\n\x1a\n") == "image"
    assert kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") == "ole" and kind(b"PK\x03\x04broken") == "zip"
    assert kind(b"[1, 2]") == "json" and kind(b"plain text") == "" and kind(b"") == ""


def test_answers_loader_names_a_word_or_excel_file(model, files):
    for data, words in [(files["specification.docx"], "これは Word 文書"), (files["checklist-after.xlsx"], "これは Excel"),
                        (b"%PDF-1.4", "これは PDF")]:
        with pytest.raises(AnswersFileError) as caught:
            load_file(model, data)
        message = str(caught.value)
        assert message.startswith(words), message
        assert message.endswith("回答ファイル（answers.json）または業務記録ファイル（job.json）を選んでください。")
        assert web.load(data) == {"error": message}
    assert web.load(files["answers.json"])["answers"]


def test_job_loader_explains_an_answers_file_and_names_office_files(files):
    assert "これは回答ファイル（answers.json）です" in web.job_scope(files["answers.json"], "after")["error"]
    assert web.job_scope(files["forms.docx"], "after")["error"].startswith("これは Word 文書")
    assert web.job_scope(files["job.json"], "after")["items"]


def test_checklist_import_names_a_word_file_or_a_job_record(files):
    record = json.loads(files["job.json"])
    assert web.import_checklist(files["forms.docx"], record, "after")["error"].startswith("これは Word 文書")
    message = web.import_checklist(files["job.json"], record, "after")["error"]
    assert message.startswith("これは業務記録ファイル（job.json）です。") and "確認表（.xlsx）" in message


def test_wrong_file_leaves_unknown_kinds_to_the_caller():
    assert wrong_file(b"not json", ("answers",), "x") is None
    assert wrong_file(b"{}", ("answers",), "x") is None


def test_download_names_are_safe_for_windows():
    assert download_name("specification.docx", "令和9年度 住民税 通知書 印刷業務") == \
        "令和9年度 住民税 通知書 印刷業務_特記仕様書.docx"
    assert download_name("specification.docx") == "特記仕様書.docx"
    assert download_name("other.docx", "業務") == "業務_other.docx"
    assert safe_part('a\\b/c:d*e?f"g<h>i|j\x00k. ') == "a_b_c_d_e_f_g_h_i_j_k"
    assert len(safe_part("長" * 200)) == 60
    assert audience("specification.docx").startswith("入札参加者に渡す")
    assert audience("record.xlsx") == "庁内で保管・決裁" and audience("unknown.docx") == ""


def test_generate_and_state_name_every_download(files):
    from itaku import web as w
    answers = w.example("printing")["answers"]
    generated = w.generate(answers)
    work = answers["work_name"]
    assert set(generated["names"]) == set(generated["files"])
    for output, name in generated["names"].items():
        assert name.startswith(work + "_") and name.endswith("." + output.rsplit(".", 1)[1]), name
    assert generated["names"]["specification.docx"] == f"{work}_特記仕様書.docx"
    state = w.state(answers)
    assert [d["output"] for d in state["downloads"]] == state["outputs"]
    assert all(d["for"] for d in state["downloads"]), state["downloads"]
