"""Issue 12 on the generator page: list questions (rows added, filled, removed with the keyboard),
follow-up questions drawn inside their question, and schema-2 files saved by the previous release."""
from __future__ import annotations

import io
import json
import pathlib
import zipfile

from playwright.sync_api import Page, expect

from test_generator import (HOSTILE, assert_same_as_cli, corpus, docx_text, download, download_all,  # noqa: F401
                            settle)

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "tests/fixtures/schema2"


def rows_of(page: Page, key: str) -> list[dict[str, str]]:
    return page.evaluate("""key => [...document.querySelectorAll(`#rows-${key} tr`)].map(tr =>
        Object.fromEntries([...tr.querySelectorAll('[data-column]')].map(i => [i.dataset.column, i.value])))""", key)


def test_list_questions_and_follow_ups(generator_page: Page, site_url: str, corpus) -> None:  # noqa: F811
    page = generator_page  # shared, on a fresh form (conftest)
    page.select_option("#itaku-example", "call-centre")
    page.click("#itaku-example-load")
    settle(page)

    # Follow-ups sit inside the question they elaborate and appear only when it makes them relevant.
    expect(page.locator("#wrap-reoutsourcing .itaku-followups #wrap-subcontractors")).to_be_visible()
    expect(page.locator("#wrap-cloud .itaku-followups #wrap-cloud_services")).to_be_visible()
    expect(page.locator("#wrap-data_purpose")).to_be_hidden()  # no items listed yet

    # Items of personal information: add rows with the keyboard, fill them, leave one blank row.
    add = page.locator('[data-add-row="data_items"]')
    add.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#rows-data_items [data-column=item]").first).to_be_focused()
    page.keyboard.type("氏名")
    page.keyboard.press("Tab")
    page.keyboard.type(HOSTILE[0])
    for _ in range(2):
        add.click()
    page.locator("#rows-data_items tr").nth(1).locator("[data-column=item]").fill("口座番号")
    settle(page)
    expect(page.locator("#wrap-data_purpose")).to_be_visible()
    page.fill("#q-data_purpose", "給付金の支給のため")
    # A subcontractor and a client-contracted cloud service abroad.
    page.locator('[data-add-row="subcontractors"]').click()
    row = page.locator("#rows-subcontractors tr").first
    row.locator("[data-column=name]").fill("株式会社夜間受付")
    row.locator("[data-column=location]").fill("福岡市")
    page.locator('[data-add-row="cloud_services"]').click()
    row = page.locator("#rows-cloud_services tr").first
    row.locator("[data-column=name]").fill("サンプルクラウド")
    row.locator("[data-column=provided_by]").select_option("client")
    row.locator("[data-column=location]").select_option("foreign")
    row.locator("[data-column=country]").fill("シンガポール")
    settle(page)
    preview = page.locator("#itaku-preview")
    expect(preview).to_contain_text("別表　取り扱う個人情報の項目及び利用目的")
    expect(preview).to_contain_text(HOSTILE[0])
    expect(preview).to_contain_text("委託元のクラウドサービスは、「サンプルクラウド」")
    expect(preview).to_contain_text("シンガポール")
    expect(preview.locator(".itaku-why", has_text="条件付きの項").first).to_be_visible()
    assert page.locator("img[src=x]").count() == 0

    # Remove the first item row with the keyboard: the rest renumber, focus stays in the table.
    remove = page.locator('#rows-data_items [data-remove-row="data_items"]').first
    remove.focus()
    page.keyboard.press("Enter")
    settle(page)
    assert [r["item"] for r in rows_of(page, "data_items")] == ["口座番号", ""]
    expect(page.locator("#rows-data_items [data-column=item]").first).to_have_attribute("aria-label", "項目（1行目）")

    files = download_all(page, ["reoutsourcing-application.docx", "reoutsourcing-approval.docx"])
    doc = assert_same_as_cli(corpus, files)
    assert doc["answers"]["data_items"] == [{"item": "口座番号", "note": ""}]  # the blank row is dropped
    assert doc["answers"]["subcontractors"][0]["name"] == "株式会社夜間受付"
    assert "口座番号" in docx_text(files["specification.docx"])
    assert "株式会社夜間受付" in docx_text(files["reoutsourcing-application.docx"])
    assert "株式会社夜間受付" in docx_text(files["forms.docx"])  # emergency contacts, staff list

    # A required cell left empty: a Japanese message naming the row.
    page.locator("#rows-subcontractors [data-column=name]").first.fill("")
    settle(page)
    expect(page.locator("#err-subcontractors")).to_contain_text("1行目の「名称」")


def test_schema2_answers_file_loads_with_new_questions_flagged(generator_page: Page, site_url: str,
                                                              corpus) -> None:  # noqa: F811
    page = generator_page  # shared, on a fresh form (conftest)
    data = (FIXTURES / "call-centre.answers.json").read_bytes()
    page.set_input_files("#itaku-answers-file", files=[{"name": "answers.json", "mimeType": "application/json",
                                                        "buffer": data}])
    expect(page.locator("#itaku-load-message")).to_contain_text("印を付けました")
    settle(page)
    for key in ("secrecy", "data_items", "subcontractors", "cloud_services"):
        expect(page.locator(f"#flag-{key}")).to_contain_text("新しい質問")
    old = json.loads(data)["answers"]
    assert page.input_value("#q-work_name") == old["work_name"]
    expect(page.locator("#itaku-error-summary")).to_be_hidden()
    spec = download(page, "specification.docx")
    assert old["work_name"] in docx_text(spec)


def test_several_counterparties_get_one_set_each(generator_page: Page, site_url: str) -> None:
    """Issue 26.5: one contract with several counterparties gives one set per counterparty (its name in the
    documents and the file name); the single-set buttons give way to the sets and come back without the list."""
    page = generator_page  # shared, on a fresh form (conftest)
    page.select_option("#itaku-example", "meter-reading-districts")
    page.click("#itaku-example-load")
    settle(page)
    names = [r["name"] for r in rows_of(page, "counterparties")]
    assert len(names) == 3
    expect(page.locator("#itaku-preview .itaku-parties-note")).to_contain_text(names[0])
    buttons = page.locator("#itaku-download-list [data-output]:visible")
    assert sorted(buttons.evaluate_all("bs => bs.map(b => b.dataset.output)")) == sorted(
        ["documents.zip", "answers.json", "party-1.zip", "party-2.zip", "party-3.zip"])
    expect(page.locator('#itaku-download-list [data-output="party-2.zip"]')).to_contain_text(names[1])
    expect(page.locator('#itaku-download-list [data-output="specification.docx"]')).to_be_hidden()

    # The second counterparty's set: its own name in the file name and in every document of the set.
    with page.expect_download() as info:
        page.click('#itaku-download-list [data-output="party-2.zip"]')
    assert names[1] in info.value.suggested_filename
    with zipfile.ZipFile(info.value.path()) as z:
        docs = {n: z.read(n) for n in z.namelist() if n.endswith(".docx")}
    assert docs and all(names[1] in docx_text(d) and names[0] not in docx_text(d)
                        for n, d in docs.items() if "特記仕様書" in n)
    # The whole set: one folder per counterparty.
    with zipfile.ZipFile(io.BytesIO(download(page, "documents.zip"))) as z:
        folders = {n.split("/")[0] for n in z.namelist() if "/" in n}
    assert len(folders) == 3 and all(any(name in f for f in folders) for name in names)

    # One row left: a Japanese message under the question; no rows: the single set's buttons are back.
    for _ in range(2):
        page.locator('#rows-counterparties [data-remove-row="counterparties"]').last.click()
    settle(page)
    expect(page.locator("#err-counterparties")).to_contain_text("1者だけ")
    page.locator('#rows-counterparties [data-remove-row="counterparties"]').last.click()
    settle(page)
    expect(page.locator('#itaku-download-list [data-output="specification.docx"]')).to_be_visible()
    expect(page.locator('#itaku-download-list [data-output="party-1.zip"]')).to_be_hidden()
    expect(page.locator("#itaku-preview .itaku-parties-note")).to_have_count(0)


def test_volumes_per_year_in_the_plan(generator_page: Page, site_url: str) -> None:
    """Issue 26.6: a multi-year contract lists people per 年度; the plan states the count each year's rules used;
    the question goes away for a one-year contract, and a sum that disagrees is named in Japanese."""
    page = generator_page  # shared, on a fresh form (conftest)
    page.select_option("#itaku-example", "afterschool-club-intake")
    page.click("#itaku-example-load")
    settle(page)
    expect(page.locator("#wrap-record_counts_by_year")).to_be_visible()
    assert len(rows_of(page, "record_counts_by_year")) == 5
    plan = docx_text(download(page, "supervision-plan.docx"))
    assert "年度ごとの取扱件数" in plan and "累計" in plan and "1,000" in plan

    page.locator("#rows-record_counts_by_year tr").first.locator("[data-column=count]").fill("1")
    settle(page)
    expect(page.locator("#err-record_counts_by_year")).to_contain_text("合計")
    page.fill("#q-contract_end", page.input_value("#q-contract_start")[:4] + "-12-31")
    settle(page)
    expect(page.locator("#wrap-record_counts_by_year")).to_be_hidden()
