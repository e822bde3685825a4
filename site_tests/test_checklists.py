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
import re

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from itaku import model
from itaku.answers import validate
from itaku.checks import add_check
from itaku.job import build_job
from itaku.outputs import build_outputs
from itaku.render.xlsx import read_checklist

ROOT = pathlib.Path(__file__).resolve().parent.parent
READY_MS = 90_000
HOSTILE = "<img src=x onerror=alert(1)>"
FORMULA = "=1+1 要改善"
RUNTIME_FILES = ("assets/generator/runtime/", "pyodide")  # the runtime's files (loader.js)


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


def download(page: Page, name: str, saved_as: str = "") -> bytes:
    """The file behind ``data-output=name``; its saved name carries the job, phase and date (point 4)."""
    with page.expect_download(timeout=30_000) as info:
        page.click(f'#itaku-downloads [data-output="{name}"]')
    suggested = info.value.suggested_filename
    assert suggested.endswith("." + name.rsplit(".", 1)[1]) and suggested != name, suggested
    if saved_as:
        assert suggested == saved_as
    return pathlib.Path(info.value.path()).read_bytes()


def reset(page: Page) -> None:
    """「入力を消して最初からやり直す」 and confirm (point 5)."""
    page.click("#itaku-reset")
    page.click("#itaku-reset-ok")
    expect(page.locator("#itaku-undo")).to_be_visible()


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

@pytest.mark.parametrize("phase", ["selection", "before", "after"])
def test_static_item_lists(site_dir: pathlib.Path, corpus: model.Corpus, phase: str) -> None:
    text = (site_dir / f"checklists/{phase}/index.html").read_text(encoding="utf-8")
    expected = len(corpus.lists("selection")["items"]) if phase == "selection" else len(corpus.items)
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
    first_due = min(p["due"] for p in record["plan"] if p["kind"] in ("pre", "start"))  # the 契約前 check
    expect(page.locator('#itaku-job-info [data-fact="next-check"]')).to_contain_text(first_due)
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
                                          "note": "注記 " + HOSTILE, "due": "", "checked_on": "", "checker": ""}
    assert saved_record["answers"][b]["due"] == "2026-12-01" and saved_record["answers"][b]["checked_on"] == ""
    assert saved_record["answers"][c]["note"] == FORMULA
    assert json.loads(saved_job)["checks"][-1] == saved_record
    cells = [cell.value for row in workbook.worksheets[0].iter_rows() for cell in row]
    assert FORMULA in cells and "注記 " + HOSTILE in cells

    # Start over, then reopen the saved job record: every field comes back.
    reset(page)
    expect(page.locator("[data-item]:visible")).to_have_count(page.locator("[data-item]").count())  # every item of the phase
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
    page.click("#itaku-reset-ok")  # it replaces the answer typed for after[6]: asked first (issue 31)
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
    reset(page)
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


# ---------------------------------------------------------------- issue 19 (staff usability)

FIELDS = ("status", "evidence_seen", "note", "due", "checked_on", "checker")
CONTROLS = {"status": 'select[name="status"]', "evidence_seen": 'textarea[name="evidence"]',
            "note": 'textarea[name="note"]', "due": 'input[name="due"]', "checked_on": 'input[name="checked_on"]',
            "checker": 'input[name="checker"]'}


def fields(page: Page, item_id: str) -> dict[str, str]:
    node = item(page, item_id)
    return {f: node.locator(CONTROLS[f]).input_value() for f in FIELDS}


def fill_all(workbook: bytes, answers: dict[str, dict[str, str]]) -> bytes:
    """A contractor fills all six answer columns (H..M) by the hidden id."""
    wb = openpyxl.load_workbook(io.BytesIO(workbook))
    ws = wb.worksheets[0]
    for row in ws.iter_rows():
        if row[0].value in answers:
            for cell, f in zip(row[7:13], FIELDS):
                cell.value = answers[row[0].value][f] or None
                cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_every_field_round_trips_page_record_xlsx_job_reload_import(page: Page, site_url: str,
                                                                   job_files: dict[str, bytes]) -> None:
    """Point 1: six distinct values per item through import → page → record.json → record.xlsx → job.json →
    reload → import again; 改善期限 never lands in 確認日."""
    record = json.loads(job_files["job.json"])
    ids = record["applicable_items"]["after"]
    sent = {item_id: {"status": ("適合", "不適合", "該当なし")[n % 3], "evidence_seen": f"根拠{n} " + HOSTILE,
                      "note": f"備考{n}", "due": f"2027-01-{n + 10:02d}", "checked_on": f"2026-09-{n + 10:02d}",
                      "checker": f"確認者{n}"} for n, item_id in enumerate(ids[:4])}
    typed_id = ids[5]
    typed = {"status": "不適合", "evidence_seen": "手入力の根拠", "note": "手入力の改善計画", "due": "2026-12-24",
             "checked_on": "2026-10-02", "checker": "手入力 確認者"}
    open_checklist(page, site_url, "after")
    load_job(page, job_files["job.json"])
    upload(page, "#itaku-import-file", "checklist-after.xlsx", fill_all(job_files["checklist-after.xlsx"], sent))
    expect(page.locator("#itaku-import-result")).to_contain_text("読み込みました")
    for item_id, row in sent.items():
        assert fields(page, item_id) == row  # import → page
    node = item(page, typed_id)
    node.locator(CONTROLS["status"]).select_option("不適合")
    for f in FIELDS[1:]:
        node.locator(CONTROLS[f]).fill(typed[f])
    expect(page.locator(f'#itaku-summary [data-improvement="{typed_id}"]')).to_contain_text("2026-12-24")
    page.fill("#itaku-date", "2026-10-01")
    page.select_option("#itaku-method", "実地")
    page.fill("#itaku-checker", "監督 花子")
    page.fill("#itaku-findings", "所見")
    page.fill("#itaku-follow-up", "対応")
    page.click("#itaku-save")
    expect(page.locator("#itaku-save-result")).to_contain_text("作成しました")
    work = record["work_name"]
    expected = {**sent, typed_id: typed}
    saved_record = json.loads(download(page, "record.json", f"{work}_確認記録_契約後_2026-10-01.json"))
    for item_id, row in expected.items():
        assert saved_record["answers"][item_id] == row  # page → record.json
    assert (saved_record["date"], saved_record["checker"]) == ("2026-10-01", "監督 花子")
    rows = read_checklist(download(page, "record.xlsx", f"{work}_実施状況確認記録_契約後_2026-10-01.xlsx"))["rows"]
    for item_id, row in expected.items():
        assert rows[item_id] == row  # record.json → record.xlsx
    blank = ids[6]
    assert rows[blank]["checked_on"] == "" and rows[blank]["status"] == ""
    saved_job = download(page, "job.json", f"{work}_業務記録_契約後_2026-10-01.json")
    assert json.loads(saved_job)["checks"][-1] == saved_record  # → job.json
    reset(page)
    page.reload()
    load_job(page, saved_job)
    for item_id, row in expected.items():
        assert fields(page, item_id) == row  # job.json → reload
    # …and the contractor's next workbook brings the same six fields back into the same controls.
    again = {item_id: {**row, "evidence_seen": row["evidence_seen"] + "（再）"} for item_id, row in sent.items()}
    upload(page, "#itaku-import-file", "checklist-after.xlsx", fill_all(job_files["checklist-after.xlsx"], again))
    expect(page.locator("#itaku-import-result")).to_contain_text("読み込みました")
    for item_id, row in again.items():
        assert fields(page, item_id) == row


def test_one_number_per_item(page: Page, site_url: str, job_files: dict[str, bytes]) -> None:
    """Point 2: no number without a job; with one, the No. of the job's Excel sheet, without gaps."""
    record = json.loads(job_files["job.json"])
    open_checklist(page, site_url, "before")
    expect(page.locator(".itaku-item-no:visible")).to_have_count(0)
    first = page.locator("[data-item]").first
    expect(first.locator(".itaku-item-id")).to_contain_text("項目ID")
    answer(page, record["applicable_items"]["before"][0], "")
    expect(page.locator("#itaku-summary .itaku-open li").first).to_have_text(re.compile(r"^項目ID "))

    load_job(page, job_files["job.json"])
    wb = openpyxl.load_workbook(io.BytesIO(job_files["checklist-before.xlsx"]))
    sheet_no = {row[0].value: f"No. {row[1].value}" for row in wb.worksheets[0].iter_rows()
                if row[0].value in set(record["applicable_items"]["before"])}
    shown = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('[data-item]:not([hidden])')]
        .map(n => [n.dataset.item, n.querySelector('.itaku-item-no').textContent.trim()]))""")
    assert shown == sheet_no
    order = [int(v.split()[1]) for v in shown.values()]
    assert order == list(range(1, len(order) + 1))  # in page order, no gaps
    some = record["applicable_items"]["before"][63]
    expect(page.locator(f'#itaku-summary a[href="#item-{some}"]')).to_have_text(f"No. 64（{some}）")


def test_reset_asks_and_can_be_undone(page: Page, site_url: str, job_files: dict[str, bytes]) -> None:
    """Point 5: the reset asks first; 「やめる」 keeps everything; after 「消す」, 「元に戻す」 restores it all."""
    record = json.loads(job_files["job.json"])
    a = record["applicable_items"]["after"][2]
    open_checklist(page, site_url, "after")
    load_job(page, job_files["job.json"])
    answer(page, a, "不適合", "名簿", "計画")
    item(page, a).locator('input[name="due"]').fill("2026-12-01")
    page.fill("#itaku-checker", "監督 花子")
    page.click("#itaku-reset")
    confirm = page.locator("#itaku-reset-confirm")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("回答 1 件")
    assert focused_id(page) == "itaku-reset-cancel"
    page.keyboard.press("Enter")  # やめる
    expect(confirm).to_be_hidden()
    assert values(page, a) == ("不適合", "名簿", "計画")
    page.click("#itaku-reset")
    page.click("#itaku-reset-ok")
    expect(page.locator("[data-item]:visible")).to_have_count(page.locator("[data-item]").count())  # every item of the phase
    assert values(page, a) == ("", "", "") and page.locator("#itaku-checker").input_value() == ""
    expect(page.locator("#itaku-message")).to_contain_text("元に戻す")
    assert focused_id(page) == "itaku-undo"
    page.keyboard.press("Enter")
    expect(page.locator("#itaku-message")).to_contain_text("元に戻しました")
    expect(page.locator("[data-item]:visible")).to_have_count(len(record["applicable_items"]["after"]))
    assert values(page, a) == ("不適合", "名簿", "計画")
    assert item(page, a).locator('input[name="due"]').input_value() == "2026-12-01"
    assert page.locator("#itaku-checker").input_value() == "監督 花子"
    expect(page.locator("#itaku-undo")).to_be_hidden()
    page.click("#itaku-save")  # the job is back too: the record can be made
    expect(page.locator("#itaku-save-result [role=alert]")).to_contain_text("確認日を入力してください")


def test_messages_say_what_to_do(page: Page, site_url: str, job_files: dict[str, bytes]) -> None:
    """Point 6: a Word file is named as such; an empty date says 入力してください and links to the field;
    each download says who it is for."""
    open_checklist(page, site_url, "after")
    for name, audience in [("record.xlsx", "庁内で保管・決裁"), ("job.json", "庁内で保管")]:
        expect(page.locator(f'[id="for-{name}"]')).to_contain_text(audience)
    upload(page, "#itaku-job-file", "仕様書.docx", job_files["specification.docx"])
    page.wait_for_function("document.getElementById('checklist').dataset.state === 'ready'", timeout=READY_MS)
    expect(page.locator("#itaku-message [role=alert]")).to_contain_text("これは Word 文書")
    expect(page.locator("#itaku-message [role=alert]")).to_contain_text("業務記録ファイル（job.json）を選んでください")
    upload(page, "#itaku-job-file", "answers.json", job_files["answers.json"])
    expect(page.locator("#itaku-message [role=alert]")).to_contain_text("これは回答ファイル")
    load_job(page, job_files["job.json"])
    upload(page, "#itaku-import-file", "様式集.docx", job_files["forms.docx"])
    expect(page.locator("#itaku-import-result [role=alert]")).to_contain_text("これは Word 文書")
    page.fill("#itaku-checker", "監督")
    page.click("#itaku-save")
    expect(page.locator("#itaku-save-result [role=alert]")).to_have_text("確認日を入力してください。（入力した内容はそのままです。）")
    page.click('#itaku-save-result [data-fix="date"]')
    assert focused_id(page) == "itaku-date"
    a = json.loads(job_files["job.json"])["applicable_items"]["after"][1]
    page.fill("#itaku-date", "2026-10-01")
    answer(page, a, "不適合", "名簿", "")
    page.click("#itaku-save")
    expect(page.locator("#itaku-save-result [role=alert]")).to_contain_text("改善計画")
    page.click(f'#itaku-save-result [data-fix="{a}"]')
    assert focused_id(page) == f"n-{a}"


def test_links_to_items_move_focus(page: Page, site_url: str) -> None:
    """Point 6: the list of open items links to each item and moves focus to its 状況."""
    open_checklist(page, site_url, "selection")
    link = page.locator('#itaku-summary .itaku-open a[href="#item-sel-03"]')
    page.locator("#itaku-summary .itaku-open summary").click()
    expect(link).to_have_text("項目ID sel-03")
    link.click()
    assert focused_id(page) == "s-sel-03"
