"""Issue 30 in the browser (1366×768, over http and file://): next year's set from loaded answers, one job
after the contractor's name is added, and a contractor's 「はい」「いいえ」 in an imported checklist."""
from __future__ import annotations

import io
import json
import pathlib
import re

import openpyxl
from playwright.sync_api import Page, expect

from itaku import model
from itaku.answers import validate
from itaku.job import build_job
from itaku.outputs import build_outputs

READY_MS = 90_000


def example() -> dict:
    return dict(next(e for e in model.load().data["examples"] if e["id"] == "printing")["answers"])


SMALL = {"width": 1366, "height": 768}


def settle(page: Page) -> None:
    page.wait_for_function("!('pending' in document.getElementById('generator').dataset)", timeout=30_000)


def load_answers(page: Page, answers: dict) -> None:
    doc = {"format": "itaku-answers", "schema_version": 4, "answers": answers}
    page.set_input_files("#itaku-answers-file", files=[{"name": "answers.json", "mimeType": "application/json",
                                                        "buffer": json.dumps(doc, ensure_ascii=False).encode()}])
    expect(page.locator("#itaku-load-message")).to_contain_text("読み込みました", timeout=30_000)
    settle(page)


def download_job(page: Page) -> dict:
    with page.expect_download(timeout=60_000) as info:
        page.locator('#itaku-download-list [data-output="job.json"]').click()
    return json.loads(pathlib.Path(info.value.path()).read_text(encoding="utf-8"))


def open_register(page: Page, site_url: str, files: list[tuple[str, dict]]) -> None:
    page.goto(site_url + "register/index.html")
    expect(page.locator("#register")).to_have_attribute("data-state", "idle")
    page.set_input_files('input[type=file][data-input="jobs"]', files=[
        {"name": n, "mimeType": "application/json", "buffer": json.dumps(d, ensure_ascii=False).encode()}
        for n, d in files])
    page.wait_for_function("['ready', 'error'].includes(document.getElementById('register').dataset.state)",
                           timeout=READY_MS)
    expect(page.locator("#register")).to_have_attribute("data-state", "ready")


def test_next_years_set_moves_the_period_and_is_linked_in_the_register(generator_page: Page, site_url: str) -> None:
    page = generator_page  # shared, on a fresh form (conftest)
    page.set_viewport_size(SMALL)
    load_answers(page, {**example(), "contractor_name": "株式会社サンプル印刷"})
    last = download_job(page)
    assert page.get_attribute("#generator", "data-job-id") == last["job_id"]

    page.click("#itaku-next-year")
    box = page.locator("#itaku-next-year-confirm")
    expect(box).to_be_visible(timeout=30_000)  # Python may still be loading openpyxl on a busy machine
    for key in ("contract_start", "contract_end", "created_on", "work_name", "contractor_name"):
        expect(box.locator(f'[data-change="{key}"]')).to_be_visible()
    expect(box.locator('[data-change="work_name"]')).to_contain_text("令和9年度")
    expect(page.locator("#itaku-retender")).to_be_checked()
    page.click("#itaku-next-year-ok")
    expect(page.locator("#itaku-load-message")).to_contain_text("来年度の回答にしました", timeout=30_000)
    settle(page)
    assert page.input_value("#q-contract_start") == "2027-04-15"
    assert page.input_value("#q-contract_end") == "2027-07-31"
    assert page.input_value("#q-work_name").startswith("令和9年度")
    assert page.input_value("#q-created_on") > last["answers"]["created_on"]
    assert page.input_value("#q-contractor_name") == ""
    assert page.get_attribute("#generator", "data-previous-job-id") == last["job_id"]
    expect(page.locator('#itaku-download-list [data-output="job.json"] .itaku-filename')).to_have_text(
        re.compile("^令和9年度"))
    new = download_job(page)
    assert new["previous_job_id"] == last["job_id"] != new["job_id"]

    # 「来年度にする前の回答に戻す」 brings this year's answers and id back.
    page.click("#itaku-undo")
    settle(page)
    assert page.input_value("#q-contract_start") == "2026-04-15"
    assert page.get_attribute("#generator", "data-job-id") == last["job_id"]

    open_register(page, site_url, [("last.json", last), ("new.json", new)])
    row = page.locator(f'tr[data-job="{new["job_id"]}"]')
    expect(row.locator(f'[data-previous="{last["job_id"]}"]')).to_contain_text("前の契約：令和8年度")
    expect(page.locator(f'tr[data-job="{last["job_id"]}"] [data-next="{new["job_id"]}"]')).to_contain_text("次の契約")
    # the register table fits the screen at 1366×768
    wrap = page.evaluate("(() => { const w = document.querySelector('#itaku-table').closest('.itaku-table-wrap');"
                         " return [w.scrollWidth, w.clientWidth, w.getBoundingClientRect().right]; })()")
    assert wrap[0] <= wrap[1] + 1 and wrap[2] <= 1366, wrap


def test_adding_the_contractor_after_the_award_leaves_one_job(generator_page: Page, site_url: str) -> None:
    page = generator_page  # shared, on a fresh form (conftest)
    page.set_viewport_size(SMALL)
    load_answers(page, {**example(), "contractor_name": ""})
    unnamed = download_job(page)
    page.fill("#q-contractor_name", "株式会社落札")
    settle(page)
    named = download_job(page)
    assert named["job_id"] == unnamed["job_id"] and named["answers_hash"] != unnamed["answers_hash"]
    open_register(page, site_url, [("unnamed.json", unnamed), ("named.json", named)])
    expect(page.locator("tr[data-job]")).to_have_count(1)
    expect(page.locator(f'tr[data-job="{named["job_id"]}"]')).to_contain_text("株式会社落札")
    expect(page.locator('#itaku-outcomes [data-outcome="replaced"]')).to_contain_text("同じ業務として1件")


def _workbook(files: dict[str, bytes], record: dict, words: dict[int, str]) -> bytes:
    wanted = {record["applicable_items"]["before"][n]: w for n, w in words.items()}
    wb = openpyxl.load_workbook(io.BytesIO(files["checklist-before.xlsx"]))
    for row in wb.worksheets[0].iter_rows():
        if row[0].value in wanted:
            row[7].value = wanted[row[0].value]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_contractors_yes_and_no_are_mapped_or_refused_by_name(page: Page, site_url: str) -> None:
    corpus = model.load()
    files = build_outputs(build_job(corpus, validate(corpus, example())))
    record = json.loads(files["job.json"])
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(site_url + "checklists/before/index.html")
    expect(page.locator("#checklist")).to_have_attribute("data-state", "idle")
    page.set_input_files("#itaku-job-file", files=[{"name": "job.json", "mimeType": "application/json",
                                                    "buffer": files["job.json"]}])
    expect(page.locator("#checklist")).to_have_attribute("data-state", "ready", timeout=READY_MS)

    upload = lambda data: page.set_input_files("#itaku-import-file", files=[  # noqa: E731
        {"name": "checklist-before.xlsx", "mimeType": "application/octet-stream", "buffer": data}])
    upload(_workbook(files, record, {0: "たぶん"}))
    expect(page.locator("#itaku-import-result [role=alert]")).to_contain_text("No. 1「たぶん」", timeout=30_000)
    upload(_workbook(files, record, {0: "はい", 1: "いいえ"}))
    result = page.locator("#itaku-import-result")
    expect(result.locator('[data-import-note="mapped"]').first).to_contain_text("「はい」を「適合」", timeout=30_000)
    expect(result).to_contain_text("「いいえ」を「不適合」")
    expect(result).to_contain_text("不適合 1 件")
    first = record["applicable_items"]["before"][0]
    assert page.locator(f'[data-item="{first}"] select[name="status"]').input_value() == "適合"
    # 不適合 first in the list
    expect(result.locator("li[data-flag]").first).to_have_attribute("data-flag", "nonconforming")
