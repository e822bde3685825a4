"""Every output of realistic jobs opens in python-docx/openpyxl and converts with LibreOffice."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from office import HAVE_LIBREOFFICE, to_pdf

from itaku.answers import validate
from itaku.identify import identify
from itaku.job import build_job
from itaku.model import Corpus
from itaku.outputs import build_outputs
from itaku.render.xlsx import read_checklist

EXAMPLES = ["paper-office", "system-maintenance", "call-centre", "designated-manager", "printing", "home-visits",
            "meter-reading", "juki-maintenance", "callcentre-saas", "kenshin-entry", "community-centre",
            "passport-courier", "allergy-delivery", "tax-notice-printing", "media-disposal", "application-mailroom",
            "benefit-intake-centre", "tablet-survey", "nursery-saas", "care-needs-survey", "meter-reading-districts",
            "afterschool-club-intake", "cancer-screening", "record-digitisation"]


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


@pytest.fixture(scope="module")
def outputs(model) -> dict[str, dict[str, bytes]]:
    out = {}
    for example in model.data["examples"]:
        job = build_job(model, validate(model, example["answers"]))
        out[example["id"]] = build_outputs(job)
    return out


def test_examples_cover_the_realistic_jobs(model):
    assert [e["id"] for e in model.data["examples"]] == EXAMPLES


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_output_opens(outputs, example):
    files = outputs[example]
    for name, data in files.items():
        if name.endswith(".docx"):
            d = docx.Document(io.BytesIO(data))
            assert d.paragraphs[0].text, name
        elif name.endswith(".xlsx"):
            wb = openpyxl.load_workbook(io.BytesIO(data))
            assert wb.worksheets[0].protection.sheet
            rows = read_checklist(data)["rows"]
            assert rows, name
        elif name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as z:  # the files under their download names (test_lifecycle)
                assert sorted(z.read(n) for n in z.namelist()) == sorted(files[n] for n in files if n != name)
        else:
            json.loads(data)


def test_expected_outputs_per_job(outputs):
    assert "reoutsourcing-application.docx" in outputs["call-centre"]
    assert "reoutsourcing-approval.docx" in outputs["printing"]
    assert "reoutsourcing-application.docx" not in outputs["paper-office"]
    assert all("deviations.docx" in files for files in outputs.values())  # 条文の採否一覧: always
    spec = docx.Document(io.BytesIO(outputs["designated-manager"]["specification.docx"]))
    text = "\n".join(p.text for p in spec.paragraphs)
    assert "指定管理者" in text and "協定" in text and "{{" not in text


def test_job_record_lists_applicable_items_and_plan(outputs, model):
    record = json.loads(outputs["system-maintenance"]["job.json"])
    assert record["format"] == "itaku-job"
    items = set(record["applicable_items"]["after"])
    assert any(i.startswith("privileged-access-") for i in items)
    assert any(i.startswith("my-number-") for i in items)
    assert all(p["method"] == "実地" for p in record["plan"] if p["kind"] == "annual")
    assert len([p for p in record["plan"] if p["kind"] == "annual"]) == 5


def test_every_output_carries_the_stamp(outputs, model):
    files = outputs["printing"]
    hashes = set()
    for name, data in files.items():
        result = identify(model, data)
        assert result["up_to_date"], name
        hashes.add(result["stamp"]["answers_hash"])
    assert len(hashes) == 1


def test_cli_generate_matches_library(tmp_path, model, outputs):
    example = model.data["examples"][2]
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"format": "itaku-answers", "schema_version": model.schema_version,
                                   "answers": example["answers"], "removed_clauses": {}}, ensure_ascii=False),
                       encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "itaku.cli", "generate", str(answers), "--out", str(tmp_path / "out")],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    for name, data in outputs[example["id"]].items():
        assert (tmp_path / "out" / name).read_bytes() == data, name
    run = subprocess.run([sys.executable, "-m", "itaku.cli", "identify", str(tmp_path / "out/specification.docx")],
                         capture_output=True, text=True)
    assert run.returncode == 0 and model.version in run.stdout


def test_cli_reports_bad_answers_in_japanese(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "itaku-answers", "schema_version": 2,
                               "answers": {"work_name": "", "record_count": "たくさん"}}), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "itaku.cli", "generate", str(bad), "--out", str(tmp_path / "o")],
                         capture_output=True, text=True)
    assert run.returncode == 2
    assert "業務名" in run.stderr and "取扱件数" in run.stderr
    assert not (tmp_path / "o").exists()  # nothing is written half


def test_cli_questions_lists_every_question(model):
    run = subprocess.run([sys.executable, "-m", "itaku.cli", "questions"], capture_output=True, text=True)
    assert run.returncode == 0
    for q in model.questions():
        assert q["key"] in run.stdout


@pytest.mark.skipif(not HAVE_LIBREOFFICE, reason="LibreOffice is not installed")
@pytest.mark.parametrize("example", ["paper-office", "system-maintenance", "call-centre", "designated-manager",
                                     "printing"])
def test_libreoffice_converts_every_output(tmp_path, outputs, example):
    files = {n: d for n, d in outputs[example].items() if n.endswith((".docx", ".xlsx"))}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    texts = to_pdf([tmp_path / n for n in files], tmp_path / "pdf")
    expected = {"specification.docx": "個人情報取扱特記事項", "supervision-plan.docx": "監督計画", "forms.docx": "誓約書",
                # letters: no cover with the particulars (test_letters); their titles print
                "notices.docx": "周知文", "approvals.docx": "申請書", "reoutsourcing-application.docx": "申請書",
                "reoutsourcing-approval.docx": "通知書"}
    for source, text in texts.items():
        if text is not None:
            assert expected.get(source.name, "業務名") in text.replace(" ", ""), (source.name, text[:200])


def test_docx_parts_are_identical_between_runs(outputs, model):
    example = model.data["examples"][0]
    again = build_outputs(build_job(model, validate(model, example["answers"])))
    for name, data in again.items():
        if name.endswith((".docx", ".xlsx")):
            with zipfile.ZipFile(io.BytesIO(data)) as a, zipfile.ZipFile(io.BytesIO(outputs[example["id"]][name])) as b:
                assert {n: a.read(n) for n in a.namelist()} == {n: b.read(n) for n in b.namelist()}


def test_one_file_at_a_time_is_the_same_file(model):
    """The page asks for one file per click (build_outputs(job, only)); it must be byte-identical."""
    from itaku.outputs import ZIP_NAME, build_outputs, job_for

    example = next(e for e in model.data["examples"] if e["id"] == "callcentre-saas")
    job = job_for(model, example["answers"])
    everything = build_outputs(job)
    for name, data in everything.items():
        alone = build_outputs(job_for(model, example["answers"]), name)
        assert alone[name] == data, name
        assert set(alone) == ({name} if name != ZIP_NAME else set(everything)), name
