"""The generator page (仕様書を作る) over http and from file://, with Python (Pyodide) in the browser.

Every test uses the ``page`` fixture, so a request leaving the site or a
console error fails it. Downloads are compared with what the CLI's code path
(``itaku.outputs.generate``) makes in this process from the answers read back
from the downloaded answers.json: the unpacked zip parts must be identical.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import zipfile
from typing import Any

import docx
import openpyxl
import pytest
from playwright.sync_api import Page, expect

from itaku import model
from itaku.outputs import generate

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAGE = "generator/index.html"
READY_MS = 90_000
HOSTILE = ["<img src=x onerror=alert(1)>", "=cmd|' /C calc'!A0", "個人情報😀🏢"]
ALWAYS = ["specification.docx", "checklist-before.xlsx", "checklist-after.xlsx", "checklist-selection.xlsx",
          "supervision-plan.docx", "forms.docx", "answers.json", "job.json"]
REOUTSOURCING = ["reoutsourcing-application.docx", "reoutsourcing-approval.docx"]


@pytest.fixture(scope="module")
def corpus() -> model.Corpus:
    return model.Corpus(json.loads((ROOT / "src/itaku/_data/corpus.json").read_text(encoding="utf-8")))


# ---------------------------------------------------------------- helpers

def open_generator(page: Page, site_url: str, query: str = "") -> None:
    page.goto(site_url + PAGE + query)
    page.wait_for_function("document.getElementById('generator').dataset.state !== 'loading'", timeout=READY_MS)
    state = page.get_attribute("#generator", "data-state")
    assert state == "ready", page.inner_text("#generator")


def settle(page: Page) -> None:
    """Wait until the preview shows the latest input (the page clears data-pending then)."""
    page.wait_for_function("!('pending' in document.getElementById('generator').dataset)", timeout=30_000)


def fill_basics(page: Page, work_name: str, department: str, created_on: str, start: str, end: str,
                records: str) -> None:
    """The job's first answers, typed: 業務名, 担当課, 作成日, the contract period and the number of people."""
    for key, value in (("work_name", work_name), ("department", department), ("created_on", created_on),
                       ("contract_start", start), ("contract_end", end), ("record_count", records)):
        page.fill(f"#q-{key}", value)


def value_of(page: Page, key: str) -> Any:
    return page.evaluate(
        """key => {
            const radios = [...document.querySelectorAll(`input[name="${key}"]`)];
            if (radios.length && radios[0].type === 'radio') return (radios.find(r => r.checked) || {}).value || '';
            if (radios.length > 1 || (radios.length && radios[0].id.match(/-\\d+$/)))
                return radios.filter(r => r.checked).map(r => r.value);
            const input = document.getElementById('q-' + key);
            return input.type === 'checkbox' ? input.checked : input.value;
        }""", key)


def download(page: Page, name: str) -> bytes:
    button = page.locator(f'#itaku-download-list [data-output="{name}"]')
    expect(button).to_be_visible()
    expect(button).to_be_enabled()
    with page.expect_download(timeout=30_000) as info:
        button.click()
    # Saved under 「業務名_文書名.拡張子」 (issue 19); data-output stays the page contract.
    assert info.value.suggested_filename.endswith("." + name.rsplit(".", 1)[1])
    return pathlib.Path(info.value.path()).read_bytes()


def download_all(page: Page, extra: list[str] = ()) -> dict[str, bytes]:  # type: ignore[assignment]
    settle(page)
    return {name: download(page, name) for name in ALWAYS + list(extra)}


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def cli_outputs(answers_json: bytes) -> dict[str, bytes]:
    """What ``itaku generate answers.json --out DIR`` writes, run as a separate process.

    openpyxl writes with lxml when it is importable (python-docx brings it into
    the test environment) and with the standard library otherwise, as in
    Pyodide and in a plain ``pip install itaku``; the XML differs in namespace
    order, so the CLI runs with OPENPYXL_LXML=False, as a user's install would.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "answers.json"
        path.write_bytes(answers_json)
        env = {**os.environ, "OPENPYXL_LXML": "False"}
        subprocess.run([sys.executable, "-m", "itaku.cli", "generate", str(path), "--out", f"{tmp}/out"],
                       check=True, capture_output=True, env=env, cwd=ROOT)
        return {p.name: p.read_bytes() for p in (pathlib.Path(tmp) / "out").iterdir()}


def assert_same_as_cli(corpus: model.Corpus, files: dict[str, bytes]) -> dict[str, Any]:
    """Each download opens (python-docx / openpyxl) and equals the CLI's output for the same answers."""
    doc = json.loads(files["answers.json"])
    expected = cli_outputs(files["answers.json"])
    assert set(files) <= set(expected)
    for name, data in files.items():
        if name.endswith(".docx"):
            docx.Document(io.BytesIO(data))
            assert parts(data) == parts(expected[name]), name
        elif name.endswith(".xlsx"):
            openpyxl.load_workbook(io.BytesIO(data))
            assert parts(data) == parts(expected[name]), name
        else:
            assert data == expected[name], name
    return doc


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    text = [p.text for p in document.paragraphs]
    for table in document.tables:
        text += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(text)


def tab_to(page: Page, element_id: str, limit: int = 400) -> None:
    """Press Tab until the element has focus (keyboard only; the check only reads the focus)."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def date_typist(page: Page):  # noqa: ANN201
    """Keystrokes for a date input: its segment order follows the browser's locale (m/d/y here).

    Found once on a scratch page of the same browser context, so the generator page only gets keys.
    """
    scratch = page.context.new_page()
    try:
        scratch.set_content("<input id=a><input type=date id=d>")
        scratch.focus("#a")
        scratch.keyboard.press("Tab")
        scratch.keyboard.type("01022026")
        month_first = scratch.eval_on_selector("#d", "e => e.value") == "2026-01-02"
    finally:
        scratch.close()

    def type_date(iso: str) -> None:
        y, m, d = iso.split("-")
        if month_first:
            page.keyboard.type(m + d + y)
        else:  # y/m/d: the year segment takes up to 6 digits, so Tab to the month
            page.keyboard.type(y)
            page.keyboard.press("Tab")
            page.keyboard.type(m + d)
    return type_date


def watch_dialogs(page: Page) -> list[str]:
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:  # noqa: ANN001
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


# ---------------------------------------------------------------- tests

def test_jobs_filled_through_the_form_match_the_cli(page: Page, site_url: str, corpus: model.Corpus) -> None:
    dialogs = watch_dialogs(page)
    open_generator(page, site_url)
    expect(page.locator("#itaku-progress")).to_be_hidden()
    assert page.get_attribute("#generator", "data-mode") == "worker"
    # The browser's own Worker (kept before the file:// search shim ran), never one borrowed from a hidden frame.
    assert page.locator('iframe[title^="Python"]').count() == 0

    # A first visit shows no errors until a question is touched or a download is tried.
    settle(page)
    expect(page.locator("#itaku-error-summary")).to_be_hidden()
    expect(page.locator("#itaku-preview-status")).to_contain_text("必須の質問")
    spec_button = page.locator('#itaku-download-list [data-output="specification.docx"]')
    expect(spec_button).to_be_disabled()
    spec_button.focus()  # still focusable (aria-disabled); Enter shows what is missing
    page.keyboard.press("Enter")
    expect(page.locator("#itaku-error-summary")).to_contain_text("業務名")
    expect(page.locator("#err-work_name")).to_be_visible()
    expect(page.locator("#q-work_name")).to_have_attribute("aria-invalid", "true")

    # Job 1 (mouse and typing): paper office work, hostile text in every text field.
    page.fill("#q-work_name", "窓口業務" + HOSTILE[0])
    page.fill("#q-department", HOSTILE[1])
    page.fill("#q-contractor_name", HOSTILE[2])
    page.fill("#q-created_on", "2026-03-02")
    page.fill("#q-contract_start", "2026-04-01")
    page.fill("#q-contract_end", "2027-03-31")
    page.fill("#q-record_count", "１，２００")  # full width, normalised by Python
    page.check("#q-work_places-1")
    page.fill("#q-work_place_detail", " ".join(HOSTILE))
    page.check("#q-sensitive_info")
    settle(page)
    expect(page.locator("#itaku-error-summary")).to_be_hidden()
    preview = page.locator("#itaku-preview")
    expect(preview.locator(".itaku-why").first).to_be_visible()
    expect(preview).to_contain_text(HOSTILE[0])
    assert preview.locator("img").count() == 0 and page.locator("img[src=x]").count() == 0
    expect(preview.locator('[data-preview-of="checklist-before.xlsx"]')).to_have_count(1)
    expect(page.locator('#itaku-download-list [data-output="deviations.docx"]')).to_be_visible()  # 条文の採否一覧: always
    expect(page.locator('#itaku-download-list [data-output="reoutsourcing-application.docx"]')).to_be_hidden()
    files = download_all(page)
    doc = assert_same_as_cli(corpus, files)
    assert doc["answers"]["record_count"] == 1200
    assert doc["answers"]["department"] == HOSTILE[1] and doc["answers"]["contractor_name"] == HOSTILE[2]
    assert "窓口業務" + HOSTILE[0] in docx_text(files["specification.docx"])
    sheet = openpyxl.load_workbook(io.BytesIO(files["checklist-before.xlsx"])).active
    cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(HOSTILE[1] in c for c in cells) or any(HOSTILE[0] in c for c in cells)

    # Validation: an end date before the start shows a Japanese message next to the field.
    page.fill("#q-contract_end", "2026-01-01")
    settle(page)
    expect(page.locator("#err-contract_end")).to_contain_text("開始日より後")
    expect(page.locator("#q-contract_end")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#itaku-error-summary")).to_be_visible()
    expect(page.locator('#itaku-download-list [data-output="specification.docx"]')).to_be_disabled()

    # Job 2 (worked example): call centre with re-outsourcing; remove a default clause (reason required).
    # Answers were typed: loading asks first (issue 31), and 置き換える replaces them.
    page.select_option("#itaku-example", "call-centre")
    page.click("#itaku-example-load")
    expect(page.locator("#itaku-reset-confirm")).to_be_visible()
    expect(page.locator("#itaku-reset-confirm")).to_contain_text("置き換えます")
    page.click("#itaku-reset-ok")
    settle(page)
    expect(page.locator("#itaku-load-message")).to_contain_text("記入例")
    expect(page.locator("#wrap-reoutsourcing_scope")).to_be_visible()
    page.fill("#q-reoutsourcing_scope", "夜間の一次受付" + HOSTILE[0])
    page.check("#remove-work-place")
    settle(page)
    expect(page.locator("#err-removed-work-place")).to_contain_text("理由")
    expect(page.locator('#itaku-download-list [data-output="specification.docx"]')).to_be_disabled()
    page.fill("#reason-work-place", "庁舎外で作業しないため" + HOSTILE[1])
    settle(page)
    expect(page.locator("#err-removed-work-place")).to_be_hidden()
    files = download_all(page, REOUTSOURCING + ["deviations.docx"])
    doc = assert_same_as_cli(corpus, files)
    assert doc["removed_clauses"] == {"work-place": "庁舎外で作業しないため" + HOSTILE[1]}
    assert "庁舎外で作業しないため" in docx_text(files["deviations.docx"])

    # Job 3 (keyboard alone: Tab, typing, Space, Enter): reset, then answer.
    type_date = date_typist(page)
    tab_to(page, "itaku-reset")
    page.keyboard.press("Enter")  # asks first (issue 19): focus on 「やめる」; Shift+Tab to 「消す」
    assert page.evaluate("document.activeElement.id") == "itaku-reset-cancel"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "itaku-reset-ok"
    page.keyboard.press("Enter")
    settle(page)
    assert value_of(page, "work_name") == ""
    tab_to(page, "q-work_name")
    # Tab goes on to the next field; a help text's 「詳しく」 (issue 30) may come first.
    page.keyboard.type("令和8年度 健診結果通知発送業務")
    tab_to(page, "q-department", limit=3)
    page.keyboard.type("健康福祉部健康増進課")
    tab_to(page, "q-contractor_name", limit=10)  # past the contact, the sender and the contracting body (issue 27)
    page.keyboard.type("株式会社サンプル印刷")
    tab_to(page, "q-created_on", limit=6)  # past the counterparties list (its 「詳しく」 and add button, issue 26.5)
    type_date("2026-03-02")
    tab_to(page, "q-contract_start")
    type_date("2026-06-01")
    tab_to(page, "q-contract_end")
    type_date("2026-11-30")
    tab_to(page, "q-record_count")
    page.keyboard.type("30000")
    tab_to(page, "q-sensitive_info")
    page.keyboard.press("Space")
    tab_to(page, "q-work_places-0")  # no place is ticked at first (issue 30): 委託元の庁舎・施設内
    page.keyboard.press("Space")
    tab_to(page, "q-mailing")
    page.keyboard.press("Space")
    tab_to(page, "remove-carry-out")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "reason-carry-out"
    page.keyboard.type("持出しが生じない業務のため")
    settle(page)
    expect(page.locator("#itaku-error-summary")).to_be_hidden()
    page.evaluate("""() => document.querySelector('#itaku-download-list [data-output="specification.docx"]')
                                .id = 'dl-spec'""")  # a name for tab_to's focus check only
    tab_to(page, "dl-spec")
    with page.expect_download(timeout=30_000) as info:
        page.keyboard.press("Enter")
    spec = pathlib.Path(info.value.path()).read_bytes()
    files = download_all(page, ["deviations.docx"])
    assert parts(spec) == parts(files["specification.docx"])
    doc = assert_same_as_cli(corpus, files)
    assert doc["answers"]["work_name"] == "令和8年度 健診結果通知発送業務"
    assert doc["answers"]["contract_start"] == "2026-06-01" and doc["answers"]["record_count"] == 30000
    assert doc["answers"]["sensitive_info"] is True and doc["answers"]["mailing"] is True
    assert doc["removed_clauses"] == {"carry-out": "持出しが生じない業務のため"}
    assert not dialogs, dialogs


def test_answers_round_trip_migration_errors_and_identify(generator_page: Page, site_url: str,
                                                          corpus: model.Corpus) -> None:
    page = generator_page  # shared, on a fresh form (conftest)
    page.select_option("#itaku-example", "system-maintenance")
    page.click("#itaku-example-load")
    # Typed only once the example is in (typing first would make the load ask before replacing it).
    expect(page.locator("#itaku-load-message")).to_contain_text("読み込みました", timeout=READY_MS)
    page.fill("#q-work_place_detail", HOSTILE[0])
    settle(page)
    saved = download(page, "answers.json")
    job = download(page, "job.json")
    spec = download(page, "specification.docx")
    keys = [q["key"] for q in corpus.questions()]
    before = {k: value_of(page, k) for k in keys}

    # Reload: autosave restores; reset, then load the saved file: the same values.
    page.reload()
    page.wait_for_selector("#generator[data-state=ready]", timeout=READY_MS)
    settle(page)
    assert value_of(page, "work_name") == before["work_name"]
    page.click("#itaku-reset")
    page.click("#itaku-reset-ok")
    settle(page)
    assert value_of(page, "work_name") == ""
    page.set_input_files("#itaku-answers-file", files=[{"name": "answers.json", "mimeType": "application/json",
                                                        "buffer": saved}])
    expect(page.locator("#itaku-load-message")).to_contain_text("読み込みました")
    settle(page)
    assert {k: value_of(page, k) for k in keys} == before
    assert page.locator(".itaku-flagged").count() == 0

    # A corrupted file and a foreign one: a clear message, the answers stay.
    for name, data in [("answers.json", saved[: len(saved) // 2]), ("photo.json", b"\x89PNG\r\n\x1a\n\x00\x00")]:
        page.set_input_files("#itaku-answers-file", files=[{"name": name, "mimeType": "application/json",
                                                            "buffer": data}])
        expect(page.locator("#itaku-load-message [role=alert]")).to_be_visible()
        expect(page.locator("#itaku-load-message")).to_contain_text("今の回答はそのままです")
        settle(page)
        assert {k: value_of(page, k) for k in keys} == before

    # An answers file of schema version 1 migrates; new and changed questions are highlighted.
    old = {"format": "itaku-answers", "schema_version": 1, "corpus_version": "0.9.0",
           "answers": {"work_name": "旧版の業務", "department": "総務課", "created_on": "2025-03-01",
                       "contract_start": "2025-04-01", "contract_end": "2026-03-31", "record_count": 50,
                       "work_place": "contractor_premises", "subcontract": True}}
    page.set_input_files("#itaku-answers-file", files=[{"name": "old.json", "mimeType": "application/json",
                                                        "buffer": json.dumps(old).encode()}])
    expect(page.locator("#itaku-load-message")).to_contain_text("印を付けました", timeout=READY_MS)
    settle(page)
    assert value_of(page, "work_name") == "旧版の業務"
    assert value_of(page, "work_places") == ["contractor_premises"]
    assert value_of(page, "reoutsourcing") == "planned"
    for key, note in [("work_places", "変更された質問"), ("reoutsourcing", "変更された質問"),
                      ("past_incident", "新しい質問"), ("mailing", "新しい質問")]:
        expect(page.locator(f"#wrap-{key}")).to_have_class(re.compile("itaku-flagged"))
        expect(page.locator(f"#flag-{key}")).to_contain_text(note)
    expect(page.locator("#err-reoutsourcing_scope")).to_contain_text("入力してください")

    # Identify: a current document is up to date; a record stamped 0.9.0 lists what changed since.
    page.set_input_files("#itaku-identify-file", files=[{"name": "specification.docx", "mimeType":
                                                         "application/octet-stream", "buffer": spec}])
    expect(page.locator('#itaku-identify-result [data-result="up-to-date"]')).to_be_visible()
    record = json.loads(job)
    record["stamp"]["corpus_version"] = "0.9.0"
    page.set_input_files("#itaku-identify-file", files=[{"name": "job.json", "mimeType": "application/json",
                                                         "buffer": json.dumps(record).encode()}])
    result = page.locator("#itaku-identify-result")
    expect(result.locator('[data-result="outdated"]')).to_be_visible()
    expect(result).to_contain_text("0.9.0")
    assert any(entry.get("clauses") for entry in corpus.changelog)  # a changed clause is reported
    for entry in corpus.changelog:
        item = result.locator(f'li[data-version="{entry["version"]}"]')
        expect(item).to_be_visible()
        for cid in entry.get("clauses", []):
            expect(item).to_contain_text(corpus.clause(cid)["title"])
    page.set_input_files("#itaku-identify-file", files=[{"name": "x.docx", "mimeType": "application/octet-stream",
                                                         "buffer": b"PK\x03\x04broken"}])
    expect(page.locator("#itaku-identify-result [role=alert]")).to_be_visible()


def test_main_thread_fallback_works_and_passes_axe(page: Page, site_url: str, corpus: model.Corpus) -> None:
    open_generator(page, site_url, "?worker=0")
    assert page.get_attribute("#generator", "data-mode") == "main"
    page.select_option("#itaku-example", "printing")
    page.click("#itaku-example-load")
    settle(page)
    expect(page.locator("#itaku-preview .itaku-why").first).to_be_visible()
    files = {name: download(page, name) for name in ["answers.json", "checklist-before.xlsx", *REOUTSOURCING]}
    assert_same_as_cli(corpus, files)
    page.emulate_media(media="print")  # the print view: the documents only
    expect(page.locator("#itaku-preview .itaku-doc").first).to_be_visible()
    expect(page.locator("#itaku-form")).to_be_hidden()
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    page.emulate_media(media="screen")
    axe = ROOT / "node_modules/axe-core/axe.min.js"
    page.add_script_tag(content=axe.read_text(encoding="utf-8"))
    result = page.evaluate(
        "() => axe.run(document, {preload: false, runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})")
    serious = [(v["id"], [(n["target"], n.get("failureSummary", "")[:300]) for n in v["nodes"]][:3])
               for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert not serious, serious


def test_timeout_shows_error_and_ready_made_sets(page: Page, site_url: str) -> None:
    page.goto(site_url + PAGE + "?timeout=1")
    expect(page.locator("#generator")).to_have_attribute("data-state", "error", timeout=30_000)
    expect(page.locator("#itaku-fatal")).to_be_visible()
    expect(page.locator("#itaku-fatal")).to_contain_text("Python の準備が")
    fallback = page.locator("#itaku-fallback")
    expect(fallback).to_have_attribute("open", "")
    links = fallback.locator("a[download]")
    assert links.count() >= 5 * len(ALWAYS)
    expect(fallback.locator('a[href="examples/call-centre/specification.docx"]')).to_be_visible()


def test_ready_made_sets_equal_the_cli(site_dir: pathlib.Path, corpus: model.Corpus) -> None:
    examples = [e for e in corpus.data["examples"] if e.get("fallback")]
    assert len(examples) >= 5
    for example in examples:
        folder = site_dir / "generator/examples" / example["id"]
        expected = generate(corpus, example["answers"])
        assert sorted(p.name for p in folder.iterdir()) == sorted(expected)
        for name, data in expected.items():
            got = (folder / name).read_bytes()
            assert (parts(got) == parts(data)) if name.endswith((".docx", ".xlsx")) else got == data, name


def _runtime_part(site_dir: pathlib.Path, part: str) -> dict[str, bytes]:
    """The strings a runtime/*.js script sets (ITAKU_FILE[name] = base64 of gzip), decoded."""
    text = (site_dir / "assets/generator/runtime" / part).read_text(encoding="ascii")
    found = re.findall(r'\(globalThis\.ITAKU_FILE = globalThis\.ITAKU_FILE \|\| \{\}\)\[("[^"]+")\] = "([A-Za-z0-9+/=]*)";', text)
    assert found and len(found) == text.count("\n"), part
    return {json.loads(name): gzip.decompress(base64.b64decode(data)) for name, data in found}


def _same_or_compiled(pinned: zipfile.ZipFile, shipped: bytes) -> dict[str, bytes]:
    """Check a shipped zip against the pinned one (see the test below); its .pyc entries → magic number.

    Every .pyc is hash-based and unchecked, with one magic number (the page itself proves it is
    Pyodide's: with the source gone, any other would fail the import)."""
    with pinned, zipfile.ZipFile(io.BytesIO(shipped)) as got:
        want = set(pinned.namelist())
        assert {i.compress_type for i in got.infolist()} == {zipfile.ZIP_STORED}
        compiled = {}
        for name in got.namelist():
            if name in want:
                assert got.read(name) == pinned.read(name), name
            else:
                assert name.endswith(".pyc") and name[:-1] in want and name[:-1] not in got.namelist(), name
                header = got.read(name)[:8]
                assert header[4:8] == b"\x01\0\0\0", name
                compiled[name] = header[:4]
    return compiled


def test_runtime_is_the_pinned_pyodide_compressed_without_raw_copies(site_dir: pathlib.Path) -> None:
    lock = json.loads((ROOT / "overrides/hooks/generator_assets.lock.json").read_text(encoding="utf-8"))
    pins = lock["pyodide"]["files"]
    npm = ROOT / lock["pyodide"]["source"]
    sha = lambda data: hashlib.sha256(data).hexdigest()  # noqa: E731
    assert sha(_runtime_part(site_dir, "wasm.js")["wasm"]) == pins["pyodide.asm.wasm"]
    runtime = _runtime_part(site_dir, "runtime.js")
    assert sha(runtime["lock"]) == pins["pyodide-lock.json"]
    source = runtime["runtime"].decode("utf-8")
    assert "import.meta" not in source and "globalThis.__itakuRuntime" in source and "cdn.jsdelivr" not in source
    # The stdlib and the wheels as scripts/compile_runtime.py left them: every shipped entry is the
    # pinned one, or its bytecode in its place (a hash-based .pyc of this Pyodide's magic number, made
    # without checking a source); stored entries; nothing else added.
    assert sha((npm / "python_stdlib.zip").read_bytes()) == pins["python_stdlib.zip"]
    stdlib = _runtime_part(site_dir, "stdlib.js")["stdlib"]
    compiled = _same_or_compiled(zipfile.ZipFile(npm / "python_stdlib.zip"), stdlib)
    assert {"typing.pyc", "json/__init__.pyc", "_pyodide/_base.pyc"} <= set(compiled)
    wheels = _runtime_part(site_dir, "wheels.js")
    for name, pin in lock["wheels"].items():
        assert sha((ROOT / ".cache/wheels" / name).read_bytes()) == pin["sha256"]
        compiled.update(_same_or_compiled(zipfile.ZipFile(ROOT / ".cache/wheels" / name), wheels["wheel:" + name]))
    assert "openpyxl/workbook/workbook.pyc" in compiled and len(set(compiled.values())) == 1
    own = [n for n in wheels if n.startswith("wheel:itaku-")]
    assert len(own) == 1
    with zipfile.ZipFile(io.BytesIO(wheels[own[0]])) as z:
        names = z.namelist()
    assert "itaku/web.pyc" in names and "itaku/_data/corpus.json" in names
    assert not [n for n in names if n.startswith("itaku/build/")]  # build-time code stays out of the browser
    # Nothing the site never loads: no raw Pyodide copy, no source maps, no hook files, no separate worker.js.
    assert not (site_dir / "assets/vendor/pyodide").exists() and not (site_dir / "assets/generator/wheels").exists()
    assert not list(site_dir.rglob("*.map")) and not (site_dir / "hooks").exists()
    assert not (site_dir / "assets/generator/worker.js").exists()


def test_without_webassembly_the_page_says_so_and_offers_ready_made_sets(page: Page, site_url: str) -> None:
    page.add_init_script("delete globalThis.WebAssembly")
    page.goto(site_url + PAGE)
    expect(page.locator("#generator")).to_have_attribute("data-state", "error")
    expect(page.locator("#itaku-fatal")).to_contain_text("WebAssembly")
    expect(page.locator('#itaku-fallback a[href="examples/paper-office/answers.json"]')).to_be_visible()


# ---------------------------------------------------------------- instant page (issue 16)

# Holds back runtime/wasm.js until window.__release() so that a test can answer while Python is not ready.
HOLD_PYTHON = """(() => {
  const held = [];
  const append = Node.prototype.appendChild;
  Node.prototype.appendChild = function (node) {
    if (!window.__released && node && node.tagName === "SCRIPT" && /runtime\\/wasm\\.js$/.test(node.src || "")) {
      held.push([this, node]);
      return node;
    }
    return append.call(this, node);
  };
  window.__release = () => { window.__released = true; for (const [parent, node] of held) append.call(parent, node); };
})();"""


def axe_serious(page: Page) -> list[Any]:
    page.add_script_tag(content=(ROOT / "node_modules/axe-core/axe.min.js").read_text(encoding="utf-8"))
    result = page.evaluate(
        "() => axe.run(document, {preload: false, runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})")
    return [(v["id"], [(n["target"], n.get("failureSummary", "")[:300]) for n in v["nodes"]][:3])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_answers_typed_before_python_is_ready_are_kept_and_validated(page: Page, site_url: str,
                                                                     corpus: model.Corpus) -> None:
    page.add_init_script(HOLD_PYTHON)
    page.goto(site_url + PAGE)
    # The whole questionnaire is in the built HTML: a control for every question, before Python.
    expect(page.locator("#q-work_name")).to_be_visible()
    for q in corpus.questions():
        assert page.locator(f'#itaku-form [name="{q["key"]}"]').count() >= 1, q["key"]
    assert page.get_attribute("#generator", "data-state") == "loading"
    expect(page.locator("#itaku-runtime")).to_contain_text("プレビューと文書の作成を準備しています")
    expect(page.locator("#wrap-reoutsourcing_scope")).to_be_hidden()  # what the defaults imply
    page.fill("#q-work_name", "準備中に入力した業務" + HOSTILE[0])
    page.fill("#q-department", "総務課")
    page.fill("#q-created_on", "2026-03-02")
    page.fill("#q-contract_start", "2026-04-01")
    page.fill("#q-contract_end", "2026-01-01")  # before the start: Python will say so
    page.fill("#q-record_count", "120")
    page.check('#itaku-form input[name="reoutsourcing"][value="planned"]')
    page.focus('#itaku-download-list [data-output="specification.docx"]')  # aria-disabled: focusable, says why
    page.keyboard.press("Enter")
    expect(page.locator("#itaku-download-status")).to_contain_text("準備しています")
    assert page.get_attribute("#generator", "data-state") == "loading"

    page.evaluate("window.__release()")
    expect(page.locator("#generator")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    settle(page)
    expect(page.locator("#itaku-runtime")).to_be_hidden()
    assert value_of(page, "work_name") == "準備中に入力した業務" + HOSTILE[0]
    assert value_of(page, "reoutsourcing") == "planned" and value_of(page, "contract_end") == "2026-01-01"
    expect(page.locator("#wrap-reoutsourcing_scope")).to_be_visible()  # now Python's visible_keys
    expect(page.locator("#err-contract_end")).to_contain_text("開始日より後")
    summary = page.locator("#itaku-error-summary")
    expect(summary).to_contain_text("開始日より後")
    assert summary.get_attribute("aria-live") == "polite" and summary.get_attribute("role") is None
    page.fill("#q-contract_end", "2027-03-31")
    page.fill("#q-reoutsourcing_scope", "封入封緘")
    page.check("#q-work_places-0")  # no place is ticked at first (issue 30)
    settle(page)
    expect(summary).to_be_hidden()
    spec = download(page, "specification.docx")
    assert "準備中に入力した業務" + HOSTILE[0] in docx_text(spec)


def test_preview_beside_the_form_on_wide_screens_and_below_on_narrow_ones(page: Page, site_url: str) -> None:
    for width in (1440, 800):
        page.set_viewport_size({"width": width, "height": 900})
        open_generator(page, site_url)
        page.select_option("#itaku-example", "paper-office")
        page.click("#itaku-example-load")
        if width == 800:  # the answer checked at 1440 was restored (autosave): loading asks first
            expect(page.locator("#itaku-reset-confirm")).to_be_visible(timeout=READY_MS)
            page.click("#itaku-reset-ok")
        settle(page)
        form = page.locator("#itaku-form").bounding_box()
        preview = page.locator("#itaku-preview").bounding_box()
        assert form and preview
        if width == 1440:
            expect(page.locator(".md-sidebar--primary")).to_be_hidden()
            expect(page.locator(".md-sidebar--secondary")).to_be_hidden()
            assert preview["x"] >= form["x"] + form["width"], (form, preview)
            assert preview["y"] < 900 and preview["width"] >= 400
            # Sticky: with the page scrolled to the last questions the preview is still on screen.
            page.locator("#q-same_contractor_every_year").scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, 400)")
            box = page.locator("#itaku-preview").bounding_box()
            assert box and box["y"] >= 0 and box["y"] + 200 <= 900, box
        else:
            assert preview["y"] >= form["y"] + form["height"], (form, preview)
        # The preview follows the last answer: it scrolls to the article that changed.
        page.check("#q-mailing")
        settle(page)
        changed = page.locator("#itaku-preview .itaku-changed")
        expect(changed).to_have_count(1)
        inside = page.evaluate("""() => {
            const p = document.getElementById('itaku-preview').getBoundingClientRect();
            const c = document.querySelector('#itaku-preview .itaku-changed').getBoundingClientRect();
            return c.top >= p.top - 1 && c.top < p.bottom; }""")
        assert inside, page.get_attribute("#generator", "data-changed")
        # Keyboard only: from the last tool above the questions, Tab to the jump link, Enter: the focus is
        # in the preview (on screen), and Tab from the last question also reaches the downloads and preview.
        page.focus("#itaku-reset")
        tab_to(page, "itaku-jump-preview", limit=5)
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "itaku-preview"
        expect(page.locator("#itaku-preview")).to_be_in_viewport()
        page.focus("#reason-carry-out" if page.is_visible("#reason-carry-out") else "#remove-carry-out")
        tab_to(page, "itaku-preview", limit=40)
        assert not axe_serious(page), width
