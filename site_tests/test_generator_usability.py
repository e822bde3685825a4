"""Issue 19 on the generator page (仕様書を作る), over http and file://.

Points 4 (file names carry the job; who each download is for), 5 (start over asks and can be
undone), 6 (a Word file in the answers loader is named; an empty required date says 入力してください;
the download area lists the problems with links that move focus), 7 (disabled downloads say why
and do not react to the pointer) and 8 (one document at a time, no double numbering, plain reasons).
"""
from __future__ import annotations

import json
import pathlib
import re

from playwright.sync_api import Page, expect

from itaku import model
from itaku.answers import validate
from itaku.filenames import download_name
from itaku.job import build_job
from itaku.outputs import build_outputs

ROOT = pathlib.Path(__file__).resolve().parent.parent


def corpus() -> model.Corpus:
    return model.Corpus(json.loads((ROOT / "src/itaku/_data/corpus.json").read_text(encoding="utf-8")))


def settle(page: Page) -> None:
    page.wait_for_function("!('pending' in document.getElementById('generator').dataset)", timeout=30_000)


def load_example(page: Page, example_id: str) -> None:
    page.select_option("#itaku-example", example_id)
    page.click("#itaku-example-load")
    expect(page.locator("#itaku-load-message")).to_contain_text("記入例", timeout=30_000)
    settle(page)


def button(page: Page, name: str):  # noqa: ANN201
    return page.locator(f'#itaku-download-list [data-output="{name}"]')


def focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id || ''")


def test_downloads_are_named_for_the_job_and_say_who_they_are_for(generator_page: Page, site_url: str) -> None:
    c = corpus()
    example = next(e for e in c.data["examples"] if e["id"] == "printing")
    work = example["answers"]["work_name"]
    page = generator_page  # shared, on a fresh form (conftest)
    load_example(page, "printing")
    for name in ("specification.docx", "checklist-before.xlsx", "supervision-plan.docx", "job.json"):
        expect(button(page, name).locator(".itaku-filename")).to_have_text(download_name(name, work))
        expect(button(page, name).locator(".itaku-for")).not_to_be_empty()
    expect(button(page, "specification.docx").locator(".itaku-for")).to_contain_text("入札参加者に渡す")
    expect(button(page, "supervision-plan.docx").locator(".itaku-for")).to_contain_text("庁内で保管・決裁")
    expect(button(page, "checklist-after.xlsx").locator(".itaku-for")).to_contain_text("記入して返してもらう")
    with page.expect_download(timeout=30_000) as info:
        button(page, "specification.docx").click()
    assert info.value.suggested_filename == f"{work}_特記仕様書.docx"
    files = build_outputs(build_job(c, validate(c, example["answers"])))
    assert pathlib.Path(info.value.path()).read_bytes() == files["specification.docx"]


def test_start_over_asks_and_can_be_undone(generator_page: Page, site_url: str) -> None:
    page = generator_page  # shared, on a fresh form (conftest)
    load_example(page, "printing")
    page.fill("#q-work_name", "令和9年度 固定資産税納税通知書作成業務")
    settle(page)
    page.click("#itaku-reset")
    expect(page.locator("#itaku-reset-confirm")).to_be_visible()
    assert focused_id(page) == "itaku-reset-cancel"
    page.keyboard.press("Enter")  # やめる
    expect(page.locator("#itaku-reset-confirm")).to_be_hidden()
    assert page.input_value("#q-work_name") == "令和9年度 固定資産税納税通知書作成業務"
    page.click("#itaku-reset")
    page.click("#itaku-reset-ok")
    settle(page)
    assert page.input_value("#q-work_name") == ""
    expect(page.locator("#itaku-load-message")).to_contain_text("元に戻す")
    assert focused_id(page) == "itaku-undo"
    page.keyboard.press("Enter")
    settle(page)
    assert page.input_value("#q-work_name") == "令和9年度 固定資産税納税通知書作成業務"
    assert page.input_value("#q-reoutsourcing_scope") != ""
    expect(page.locator("#itaku-undo")).to_be_hidden()
    expect(button(page, "specification.docx")).not_to_have_attribute("aria-disabled", "true")


def test_messages_say_what_to_do(generator_page: Page, site_url: str) -> None:
    c = corpus()
    example = next(e for e in c.data["examples"] if e["id"] == "printing")
    files = build_outputs(build_job(c, validate(c, example["answers"])))
    page = generator_page  # shared, on a fresh form (conftest)
    load_example(page, "printing")
    page.set_input_files("#itaku-answers-file", files=[{"name": "特記仕様書.docx", "mimeType": "application/octet-stream",
                                                        "buffer": files["specification.docx"]}])
    alert = page.locator("#itaku-load-message [role=alert]")
    expect(alert).to_be_visible(timeout=30_000)
    expect(alert).to_contain_text("これは Word 文書（.docx）です。回答ファイル（answers.json）または業務記録ファイル（job.json）を選んでください。")
    assert "文字コード" not in alert.inner_text()
    page.fill("#q-contract_start", "")
    settle(page)
    expect(page.locator("#err-contract_start")).to_contain_text("入力してください")
    assert "形で入力" not in page.inner_text("#err-contract_start")
    why = page.locator("#itaku-download-why")
    expect(why).to_contain_text("直すところが 1 件")
    link = why.locator('a[data-problem="contract_start"]')
    expect(link).to_contain_text("入力してください")
    link.click()
    assert focused_id(page) == "q-contract_start"


def test_disabled_downloads_look_disabled_and_say_why(generator_page: Page, site_url: str) -> None:
    page = generator_page  # shared, on a fresh form (conftest)
    load_example(page, "printing")
    page.fill("#q-work_name", "")
    settle(page)
    spec = button(page, "specification.docx")
    expect(spec).to_have_attribute("aria-disabled", "true")
    assert spec.get_attribute("aria-describedby") == "itaku-download-why"
    expect(page.locator("#itaku-download-why")).to_contain_text("業務名")
    colour = "(n => { const s = getComputedStyle(n); return [s.backgroundColor, s.color, s.cursor] })"
    page.mouse.move(0, 0)
    page.wait_for_timeout(400)  # Material's colour transition after the state change
    before = spec.evaluate(colour)
    spec.hover()
    page.wait_for_timeout(300)  # Material's transition
    assert spec.evaluate(colour) == before, before
    assert before[2] == "not-allowed"
    page.fill("#q-work_name", "令和9年度 通知書作成業務")
    settle(page)
    expect(spec).not_to_have_attribute("aria-disabled", "true")
    page.mouse.move(0, 0)
    page.wait_for_timeout(400)
    idle = spec.evaluate(colour)
    spec.hover()
    page.wait_for_timeout(300)
    assert spec.evaluate(colour) != idle  # an enabled button reacts


def test_preview_one_document_at_a_time(generator_page: Page, site_url: str) -> None:
    page = generator_page  # shared, on a fresh form (conftest)
    load_example(page, "home-visits")
    panels = page.locator("#itaku-preview details.itaku-doc-panel")
    assert panels.count() >= 6
    expect(page.locator("#itaku-preview details.itaku-doc-panel[open]")).to_have_count(1)
    expect(panels.first).to_have_attribute("data-doc", "specification.docx")
    assert page.locator("#itaku-preview ol, #itaku-preview li.itaku-gou").count() == 0  # no 「1. （１）」
    gou = page.locator("#itaku-preview .itaku-gou").first
    expect(gou).to_have_text(re.compile(r"^（[０-９0-9]+）"))
    assert gou.evaluate("n => getComputedStyle(n).display") != "list-item"
    reasons = page.evaluate("[...document.querySelectorAll('#itaku-preview details[open] .itaku-why')]"
                            ".map(n => n.textContent)")  # textContent: parts out of view are not laid out
    assert any("と答えたため" in r for r in reasons) and any("常に含めています" in r for r in reasons)
    assert not any(re.search(r"適用条件|[{}=]", r) for r in reasons), reasons
    forms = page.locator('#itaku-preview details[data-doc="forms.docx"] > summary')
    # The preview lays out only what is on screen (content-visibility): bring the title into view and let
    # the parts around it take their real height before clicking, or the click can land where it was.
    forms.scroll_into_view_if_needed()
    page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    forms.click()
    expect(page.locator("#itaku-preview details.itaku-doc-panel[open]")).to_have_attribute("data-doc", "forms.docx")
    page.fill("#q-department", "健康づくり課（変更）")  # redrawn: the reader stays on the same document
    settle(page)
    expect(page.locator("#itaku-preview details.itaku-doc-panel[open]")).to_have_count(1)
    expect(page.locator("#itaku-preview details.itaku-doc-panel[open]")).to_have_attribute("data-doc", "forms.docx")
    # Keyboard: the summaries are reachable and open a document with Enter.
    page.locator('#itaku-preview details[data-doc="supervision-plan.docx"] > summary').focus()
    page.keyboard.press("Enter")
    expect(page.locator("#itaku-preview details.itaku-doc-panel[open]")).to_have_attribute("data-doc",
                                                                                           "supervision-plan.docx")
