"""The checklist pages (委託先を確認する) over http and from file://.

The item list is static (overrides/hooks/checklist_pages.py); Python (Pyodide)
starts only when a job record or a workbook is loaded. Job records and filled
workbooks are made in this process with the library (itaku.outputs,
itaku.checks.add_check, openpyxl), as a department and a contractor would.
Every test uses the ``page`` fixture: a request leaving the site or a console
error fails it.
"""
from __future__ import annotations

import io
import json
import pathlib

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from itaku import model
from itaku.answers import validate
from itaku.checks import add_check
from itaku.generate import build_job
from itaku.outputs import build_outputs

ROOT = pathlib.Path(__file__).resolve().parent.parent
READY_MS = 90_000
HOSTILE = "<img src=x onerror=alert(1)>"
FORMULA = "=1+1 要改善"
RUNTIME_FILES = ("pyodide", "assets/generator/file/", "assets/generator/wheels/", "worker.js")


@pytest.fixture(scope="module")
def corpus() -> model.Corpus:
    return model.Corpus(json.loads((ROOT / "src/itaku/_data/corpus.json").read_text(encoding="utf-8")))


def outputs(corpus: model.Corpus, example_id: str) -> dict[str, bytes]:
    example = next(e for e in corpus.data["examples"] if e["id"] == example_id)
    return build_outputs(build_job(corpus, validate(corpus, example["answers"])))


@pytest.fixture(scope="module")
def job_files(corpus: model.Corpus) -> dict[str, bytes]:
    return outputs(corpus, "call-centre")


@pytest.fixture(scope="module")
def other_files(corpus: model.Corpus) -> dict[str, bytes]:
    return outputs(corpus, "printing")


def fill(workbook: bytes, answers: dict[str, tuple[str, str, str]]) -> bytes:
    """Fill a generated checklist like a contractor would: by the hidden id in column A (H, I, J)."""
    wb = openpyxl.load_workbook(io.BytesIO(workbook))
    ws = wb.worksheets[0]
    for row in ws.iter_rows():
        item_id = row[0].value
        if item_id in answers:
            for cell, value in zip(row[7:10], answers[item_id]):
                cell.value = value or None
                if value:
                    cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- helpers

def open_checklist(page: Page, site_url: str, phase: str, query: str = "") -> None:
    page.goto(f"{site_url}checklists/{phase}/index.html{query}")
    expect(page.locator("#checklist")).to_have_attribute("data-state", "idle")
    expect(page.locator("#checklist")).to_have_attribute("data-phase", phase)


def upload(page: Page, selector: str, name: str, data: bytes) -> None:
    page.set_input_files(selector, files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}])


def load_job(page: Page, data: bytes) -> None:
    upload(page, "#itaku-job-file", "job.json", data)
    page.wait_for_function("['ready', 'error'].includes(document.getElementById('checklist').dataset.state)",
                           timeout=READY_MS)
    expect(page.locator("#checklist")).to_have_attribute("data-state", "ready")
    expect(page.locator("#itaku-message")).to_contain_text("読み込みました")


def item(page: Page, item_id: str):  # noqa: ANN201
    return page.locator(f'[data-item="{item_id}"]')


def answer(page: Page, item_id: str, status: str, evidence: str = "", note: str = "") -> None:
    node = item(page, item_id)
    node.locator('select[name="status"]').select_option(status)
    node.locator('textarea[name="evidence"]').fill(evidence)
    node.locator('textarea[name="note"]').fill(note)


def values(page: Page, item_id: str) -> tuple[str, str, str]:
    node = item(page, item_id)
    return (node.locator('select[name="status"]').input_value(), node.locator('textarea[name="evidence"]').input_value(),
            node.locator('textarea[name="note"]').input_value())


def counts(page: Page) -> dict[str, int]:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#itaku-summary [data-count]')]
        .map(n => [n.dataset.count, Number(n.textContent)]))""")


def download(page: Page, name: str) -> bytes:
    with page.expect_download(timeout=30_000) as info:
        page.click(f'#itaku-downloads [data-output="{name}"]')
    assert info.value.suggested_filename == name
    return pathlib.Path(info.value.path()).read_bytes()


def runtime_requests(page: Page) -> list[str]:
    return [u for u in page.requests if any(part in u for part in RUNTIME_FILES)]  # type: ignore[attr-defined]


def focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id || ''")


def tab_to(page: Page, element_id: str, key: str = "Tab", limit: int = 400) -> None:
    for _ in range(limit):
        if focused_id(page) == element_id:
            return
        page.keyboard.press(key)
    raise AssertionError(f"{key} never reached #{element_id}")


# ---------------------------------------------------------------- tests

@pytest.mark.parametrize("phase,expected", [("selection", 16), ("before", 150), ("after", 150)])
def test_static_item_lists(site_dir: pathlib.Path, corpus: model.Corpus, phase: str, expected: int) -> None:
    text = (site_dir / f"checklists/{phase}/index.html").read_text(encoding="utf-8")
    assert text.count('data-item="') == expected
    assert text.count('name="status"') == expected and text.count("<summary>項目解説</summary>") == expected
    for name in ("record.json", "record.xlsx", "job.json"):
        assert f'data-output="{name}"' in text
    assert 'data-input="answers"' in text and 'data-input="checklist-xlsx"' in text


def test_answer_by_mouse_and_keyboard_without_python(page: Page, site_url: str, corpus: model.Corpus) -> None:
    open_checklist(page, site_url, "before")
    ids = [i["id"] for i in corpus.items]
    expect(page.locator("[data-item]:visible")).to_have_count(len(ids))
    assert counts(page) == {"適合": 0, "不適合": 0, "該当なし": 0, "未確認": len(ids), "total": len(ids)}

    answer(page, ids[0], "適合", "社内規程")
    answer(page, ids[1], "該当なし")
    answer(page, ids[2], "不適合", "名簿")
    hint = page.locator(f"#nh-{ids[2]}")
    expect(hint).to_contain_text("改善計画")
    expect(item(page, ids[2]).locator('input[name="due"]')).to_be_visible()
    item(page, ids[2]).locator('textarea[name="note"]').fill("11月末までに名簿を整備" + HOSTILE)
    item(page, ids[2]).locator('input[name="due"]').fill("2026-11-30")
    expect(hint).to_be_hidden()
    assert counts(page) == {"適合": 1, "不適合": 1, "該当なし": 1, "未確認": len(ids) - 3, "total": len(ids)}
    improvement = page.locator(f'#itaku-summary [data-improvement="{ids[2]}"]')
    expect(improvement).to_contain_text("11月末までに名簿を整備" + HOSTILE)
    expect(improvement).to_contain_text("2026-11-30")
    assert page.locator("img[src=x]").count() == 0

    # The explanation is one click away.
    details = item(page, ids[0]).locator("details.itaku-item-help")
    expect(details.locator("p")).to_be_hidden()
    details.locator("summary").click()
    expect(details.locator("p")).to_be_visible()

    # Keyboard only: reach an item's status with Tab, answer with the arrow key and typing.
    page.locator("body").focus()
    tab_to(page, f"s-{ids[3]}")
    page.keyboard.press("ArrowDown")  # 未確認 → 適合
    page.keyboard.press("Tab")
    assert focused_id(page) == f"e-{ids[3]}"
    page.keyboard.type("持出記録 " + HOSTILE)
    page.keyboard.press("Tab")
    assert focused_id(page) == f"n-{ids[3]}"
    page.keyboard.type("キーボードで入力")
    assert values(page, ids[3]) == ("適合", "持出記録 " + HOSTILE, "キーボードで入力")
    assert counts(page)["適合"] == 2
    # … then back to the in-page links, jump to the record and Tab to the save button.
    tab_to(page, "itaku-skip-record", key="Shift+Tab")
    page.keyboard.press("Enter")
    tab_to(page, "itaku-checker")
    page.keyboard.type("確認 太郎")
    tab_to(page, "itaku-save")
    page.keyboard.press("Enter")
    expect(page.locator("#itaku-save-result [role=alert]")).to_contain_text("業務記録ファイル")

    # A checklist cannot be imported before a job record: said clearly, nothing lost.
    upload(page, "#itaku-import-file", "checklist.xlsx", b"PK\x03\x04")
    expect(page.locator("#itaku-import-result [role=alert]")).to_contain_text("先に")
    assert values(page, ids[3])[0] == "適合"

    # Autosave: a reload keeps the answers; no Python was ever loaded.
    page.wait_for_timeout(400)
    page.reload()
    expect(page.locator("#checklist")).to_have_attribute("data-state", "idle")
    if page.evaluate("(() => { try { return localStorage.getItem('itaku-checklist-before') !== null } "
                     "catch (e) { return false } })()"):
        assert values(page, ids[2]) == ("不適合", "名簿", "11月末までに名簿を整備" + HOSTILE)
        assert page.locator("#itaku-checker").input_value() == "確認 太郎"
    assert not runtime_requests(page), runtime_requests(page)


def test_job_scope_save_and_reopen_round_trip(page: Page, site_url: str, job_files: dict[str, bytes]) -> None:
    record = json.loads(job_files["job.json"])
    scope = record["applicable_items"]["before"]
    open_checklist(page, site_url, "before")
    assert not runtime_requests(page)
    load_job(page, job_files["job.json"])
    expect(page.locator('#itaku-job-info [data-fact="work-name"]')).to_have_text(record["work_name"])
    expect(page.locator('#itaku-job-info [data-fact="next-check"]')).to_contain_text("2026-05-15")
    expect(page.locator("[data-item]:visible")).to_have_count(len(scope))
    assert counts(page)["total"] == len(scope)

    a, b, c = scope[0], scope[1], scope[2]
    answer(page, a, "適合", "規程 " + HOSTILE, "注記 " + HOSTILE)
    answer(page, b, "不適合", "名簿", "")
    answer(page, c, "該当なし", "", FORMULA)
    page.fill("#itaku-date", "2026-04-20")
    page.select_option("#itaku-method", "実地")
    page.fill("#itaku-checker", "監督 " + HOSTILE)
    page.fill("#itaku-findings", "所見 " + HOSTILE)
    page.fill("#itaku-follow-up", "改善を指示した")

    # A broken or foreign job record: a clear message, nothing entered is lost.
    for data in [job_files["job.json"][:100], job_files["answers.json"]]:
        upload(page, "#itaku-job-file", "job.json", data)
        expect(page.locator("#itaku-message [role=alert]")).to_contain_text("job.json")
        assert values(page, c) == ("該当なし", "", FORMULA)
        expect(page.locator("[data-item]:visible")).to_have_count(len(scope))

    # 不適合 without an improvement plan: Python refuses it, in Japanese.
    page.click("#itaku-save")
    expect(page.locator("#itaku-save-result [role=alert]")).to_contain_text("改善計画")
    item(page, b).locator('textarea[name="note"]').fill("改善計画：12月までに名簿を更新")
    item(page, b).locator('input[name="due"]').fill("2026-12-01")
    page.click("#itaku-save")
    expect(page.locator("#itaku-save-result")).to_contain_text("作成しました")
    saved_job = download(page, "job.json")
    saved_record = json.loads(download(page, "record.json"))
    workbook = openpyxl.load_workbook(io.BytesIO(download(page, "record.xlsx")))
    assert page.locator("img[src=x]").count() == 0

    assert saved_record["method"] == "実地" and saved_record["date"] == "2026-04-20"
    assert saved_record["checker"] == "監督 " + HOSTILE and saved_record["findings"] == "所見 " + HOSTILE
    assert saved_record["answers"][a] == {"status": "適合", "evidence_seen": "規程 " + HOSTILE,
                                          "note": "注記 " + HOSTILE, "checked_on": "", "checker": ""}
    assert saved_record["answers"][b]["checked_on"] == "2026-12-01"
    assert saved_record["answers"][c]["note"] == FORMULA
    assert json.loads(saved_job)["checks"][-1] == saved_record
    cells = [cell.value for row in workbook.worksheets[0].iter_rows() for cell in row]
    assert FORMULA in cells and "注記 " + HOSTILE in cells

    # Start over, then reopen the saved job record: every field comes back.
    page.click("#itaku-reset")
    expect(page.locator("[data-item]:visible")).to_have_count(150)
    assert values(page, a) == ("", "", "") and page.locator("#itaku-checker").input_value() == ""
    page.reload()
    expect(page.locator("#checklist")).to_have_attribute("data-state", "idle")
    assert values(page, a) == ("", "", "")
    load_job(page, saved_job)
    assert values(page, a) == ("適合", "規程 " + HOSTILE, "注記 " + HOSTILE)
    assert values(page, b) == ("不適合", "名簿", "改善計画：12月までに名簿を更新")
    assert item(page, b).locator('input[name="due"]').input_value() == "2026-12-01"
    assert values(page, c) == ("該当なし", "", FORMULA)
    assert page.locator("#itaku-date").input_value() == "2026-04-20"
    assert page.locator("#itaku-method").input_value() == "実地"
    assert page.locator("#itaku-checker").input_value() == "監督 " + HOSTILE
    assert page.locator("#itaku-findings").input_value() == "所見 " + HOSTILE
    assert page.locator("#itaku-follow-up").input_value() == "改善を指示した"
    assert counts(page) == {"適合": 1, "不適合": 1, "該当なし": 1, "未確認": len(scope) - 3, "total": len(scope)}
    assert page.locator("img[src=x]").count() == 0

    # Printable: the controls go, the items in scope stay.
    page.emulate_media(media="print")
    expect(page.locator("#itaku-save")).to_be_hidden()
    expect(page.locator("#itaku-job-file")).to_be_hidden()
    expect(item(page, a)).to_be_visible()
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    page.emulate_media(media="screen")

    # axe-core with a job loaded.
    page.add_script_tag(content=(ROOT / "node_modules/axe-core/axe.min.js").read_text(encoding="utf-8"))
    result = page.evaluate(
        "() => axe.run(document, {preload: false, runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})")
    serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert not serious, serious


def test_import_flags_foreign_files_and_subcontractors(page: Page, site_url: str, job_files: dict[str, bytes],
                                                       other_files: dict[str, bytes]) -> None:
    record = json.loads(job_files["job.json"])
    after = record["applicable_items"]["after"]
    record = add_check(record, {"phase": "before", "date": "2026-04-10", "method": "書面", "checker": "市民 太郎",
                                "answers": {after[0]: {"status": "適合", "evidence_seen": "規程"},
                                            after[3]: {"status": "該当なし"}}})
    open_checklist(page, site_url, "after")
    load_job(page, json.dumps(record, ensure_ascii=False).encode("utf-8"))
    answer(page, after[6], "適合", "手で入力した根拠", "手入力")

    # Another job's workbook, a workbook of another phase and a broken file: a message, nothing lost.
    for name, data, words in [("other.xlsx", other_files["checklist-after.xlsx"], "別の業務"),
                              ("before.xlsx", job_files["checklist-before.xlsx"], "契約前"),
                              ("broken.xlsx", b"PK\x03\x04broken", "")]:
        upload(page, "#itaku-import-file", name, data)
        alert = page.locator("#itaku-import-result [role=alert]")
        expect(alert).to_be_visible()
        expect(alert).to_contain_text(words)
        expect(alert).to_contain_text("そのまま")
        assert values(page, after[6]) == ("適合", "手で入力した根拠", "手入力")

    filled = fill(job_files["checklist-after.xlsx"], {
        after[0]: ("不適合", "規程", FORMULA),  # contradiction with 契約前 (適合 → 不適合)
        after[1]: ("適合", "", ""),  # 適合 without evidence
        after[2]: ("不適合", "名簿", ""),  # 不適合 without an improvement plan
        after[3]: ("適合", "記録簿", ""),  # 該当なし before, 適合 after
    })
    upload(page, "#itaku-import-file", "checklist-after.xlsx", filled)
    expect(page.locator("#itaku-import-result")).to_contain_text("読み込みました")
    expected = [(after[0], "contradiction"), (after[0], "nonconforming"), (after[1], "no_evidence"),
                (after[2], "nonconforming"), (after[3], "contradiction"), (after[5], "unanswered")]
    for item_id, kind in expected:
        expect(page.locator(f'#itaku-import-result [data-flag-item="{item_id}"][data-flag="{kind}"]')).to_be_visible()
        expect(page.locator(f'#f-{item_id} [data-flag="{kind}"]')).to_be_visible()
        expect(item(page, item_id)).to_have_class("itaku-item itaku-flagged")
    assert values(page, after[0]) == ("不適合", "規程", FORMULA)
    assert counts(page)["不適合"] == 2

    # A subcontractor's checklist: a name is needed; its answers are kept apart.
    page.select_option("#itaku-import-role", "再委託先")
    upload(page, "#itaku-import-file", "sub.xlsx", filled)
    expect(page.locator("#itaku-import-result [role=alert]")).to_contain_text("事業者名")
    page.fill("#itaku-import-company", "株式会社下請" + HOSTILE)
    upload(page, "#itaku-import-file", "sub.xlsx",
           fill(job_files["checklist-after.xlsx"], {after[0]: ("適合", "再委託先の規程", "")}))
    expect(page.locator("#itaku-import-result")).to_contain_text("再委託先：株式会社下請" + HOSTILE)
    expect(page.locator("#itaku-company option")).to_have_count(2)
    assert values(page, after[0]) == ("適合", "再委託先の規程", "")
    expect(page.locator(f'#f-{after[0]} [data-flag="contradiction"]')).to_be_hidden()
    page.select_option("#itaku-company", "")
    assert values(page, after[0]) == ("不適合", "規程", FORMULA)
    expect(page.locator(f'#f-{after[0]} [data-flag="contradiction"]')).to_be_visible()
    sub = "株式会社下請" + HOSTILE
    page.select_option("#itaku-company", sub)
    assert values(page, after[0]) == ("適合", "再委託先の規程", "")
    assert page.locator("img[src=x]").count() == 0

    # One record per company, both in the job record; reopening brings back both answer sets.
    page.fill("#itaku-date", "2026-10-01")
    page.fill("#itaku-checker", "監督 花子")
    page.click("#itaku-save")
    expect(page.locator("#itaku-save-result")).to_contain_text("作成しました")
    page.select_option("#itaku-company", "")
    item(page, after[2]).locator('textarea[name="note"]').fill("改善計画：11月末まで")
    saved = json.loads(download(page, "job.json"))
    checks = [c for c in saved["checks"] if c["phase"] == "after"]
    assert [(c["company"], c["role"]) for c in checks] == [(sub, "再委託先"), (record["stamp"]["company"], "受託者")]
    assert checks[1]["answers"][after[0]]["note"] == FORMULA
    page.click("#itaku-reset")
    load_job(page, json.dumps(saved, ensure_ascii=False).encode("utf-8"))
    expect(page.locator("#itaku-company option")).to_have_count(2)
    assert values(page, after[2]) == ("不適合", "名簿", "改善計画：11月末まで")
    page.select_option("#itaku-company", sub)
    assert values(page, after[0]) == ("適合", "再委託先の規程", "")


def test_runtime_failure_sets_error_and_keeps_answers(page: Page, site_url: str, job_files: dict[str, bytes]) -> None:
    open_checklist(page, site_url, "selection", "?timeout=1")
    answer(page, "sel-01", "適合", "体制図")
    upload(page, "#itaku-job-file", "job.json", job_files["job.json"])
    expect(page.locator("#checklist")).to_have_attribute("data-state", "error", timeout=30_000)
    expect(page.locator("#itaku-message [role=alert]")).to_contain_text("Python")
    assert values(page, "sel-01") == ("適合", "体制図", "")
