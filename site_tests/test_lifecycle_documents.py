"""The life-cycle documents and documents.zip on the generator page, over http and file://.

Each download is opened with python-docx (Title first, one Heading 1 per form),
equals what the CLI makes for the same answers (unpacked parts), converts with
LibreOffice to a PDF holding its Japanese title, and documents.zip holds exactly
the CLI's files.
"""
from __future__ import annotations

import io
import json
import pathlib
import sys
import tempfile
import zipfile

import docx
import pytest
from playwright.sync_api import Page, expect
from test_generator import cli_outputs, download, parts, settle

from itaku import model

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from office import HAVE_LIBREOFFICE, to_pdf  # noqa: E402 - the unit tests' LibreOffice helper

LIFECYCLE = ["internal-approval.docx", "notices.docx", "contract-clauses.docx", "forms.docx", "inspection.docx"]
TITLES = {"internal-approval.docx": "前の協議・承認（庁内）",  # 委託前 / 指定前 (指定管理)
          "notices.docx": "事業者への通知文",
          "contract-clauses.docx": "本文の条文例", "forms.docx": "様式集", "inspection.docx": "確認・検査の記録",
          "reoutsourcing-application.docx": "再委託承認申請書"}
COVERLESS = {"事業者への通知文", "再委託承認申請書"}  # files of letters and forms sent out (documents.yml cover: false)


@pytest.fixture(scope="module")
def corpus() -> model.Corpus:
    return model.Corpus(json.loads((ROOT / "src/itaku/_data/corpus.json").read_text(encoding="utf-8")))


def load_example(page: Page, example_id: str) -> None:
    page.select_option("#itaku-example", example_id)
    page.click("#itaku-example-load")
    settle(page)
    expect(page.locator("#itaku-load-message")).to_contain_text("記入例")


def check_docx(data: bytes, title: str) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    first = document.paragraphs[0]
    if title in COVERLESS:  # letters: no cover; the first page is the first letter (number, date, addressee)
        assert first.style.name != "Title" and title in document.core_properties.title, first.text
    else:
        assert first.style.name == "Title" and title in first.text, first.text
    heads = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert heads
    return heads


@pytest.mark.parametrize("example_id", ["call-centre", "designated-manager"])
def test_lifecycle_downloads_and_documents_zip(generator_page: Page, site_url: str, example_id: str) -> None:
    page = generator_page  # shared, on a fresh form (conftest)
    load_example(page, example_id)
    for name in LIFECYCLE:
        expect(page.locator(f'#itaku-download-list [data-output="{name}"]')).to_be_visible()
    zip_button = page.locator('#itaku-download-list [data-output="documents.zip"]')
    expect(zip_button).to_contain_text("まとめて")
    reoutsourcing = example_id == "call-centre"
    names = LIFECYCLE + (["reoutsourcing-application.docx"] if reoutsourcing else [])
    files = {name: download(page, name) for name in names + ["answers.json", "documents.zip"]}
    expected = cli_outputs(files["answers.json"])

    heads = {}
    for name in names:
        heads[name] = check_docx(files[name], TITLES[name])
        assert parts(files[name]) == parts(expected[name]), name
    if example_id == "designated-manager":
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(files["contract-clauses.docx"])).paragraphs)
        assert "協定書" in text and "指定の取消し" in text and "受託者" not in text

    # Members are named as the single downloads (「業務名_文書名.拡張子」), the CLI's zip the same way.
    with zipfile.ZipFile(io.BytesIO(files["documents.zip"])) as z, \
            zipfile.ZipFile(io.BytesIO(expected["documents.zip"])) as want:
        assert z.namelist() == want.namelist()
        assert len(z.namelist()) == len(expected) - 1
        assert json.loads(z.comment)["phase"] == "documents"
        for name in z.namelist():
            got = z.read(name)
            if name.endswith((".docx", ".xlsx")):
                assert parts(got) == parts(want.read(name)), name
            else:
                assert got == want.read(name), name

    if HAVE_LIBREOFFICE:
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for name in names:
                (pathlib.Path(tmp) / name).write_bytes(files[name])
                paths.append(pathlib.Path(tmp) / name)
            for source, text in to_pdf(paths, pathlib.Path(tmp) / "pdf").items():
                if text is not None:
                    flat = text.replace(" ", "").replace("\n", "")
                    assert TITLES[source.name] in flat or TITLES[source.name] in COVERLESS, source.name
                    for head in heads[source.name]:
                        assert head.replace(" ", "") in flat, (source.name, head)
