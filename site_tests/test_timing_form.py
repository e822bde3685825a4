"""Issue 25 item 5 on the generator page: busy months and dated work, drawn inside 契約期間, with date
inputs in the list of dated work, reach the supervision plan (the same bytes as the CLI); the place of dated
work offers only the ticked work places."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from test_generator import assert_same_as_cli, corpus, docx_text, download, settle  # noqa: F401


def test_busy_months_and_dated_work(generator_page: Page, site_url: str, corpus) -> None:  # noqa: F811
    page = generator_page  # shared, on a fresh form (conftest)
    page.select_option("#itaku-example", "kenshin-entry")
    page.click("#itaku-example-load")
    settle(page)

    # Both questions are follow-ups of the contract period; the example's dated work is drawn as date inputs.
    expect(page.locator("#wrap-contract_start .itaku-followups #wrap-peak_months")).to_be_visible()
    expect(page.locator("#wrap-contract_start .itaku-followups #wrap-work_events")).to_be_visible()
    dates = page.locator("#rows-work_events [data-column=date]")
    expect(dates).to_have_count(2)
    expect(dates.first).to_have_attribute("type", "date")
    expect(dates.first).to_have_value("2027-06-15")

    # Another dated piece of work: a disposal in December.
    page.locator('[data-add-row="work_events"]').click()
    row = page.locator("#rows-work_events tr").nth(2)
    row.locator("[data-column=date]").fill("2027-12-10")
    row.locator("[data-column=what]").select_option("destruction")
    settle(page)
    preview = page.locator("#itaku-preview")
    expect(preview).to_contain_text("作業が集中する月（回答）：10月・11月")
    expect(preview).to_contain_text("令和9年12月10日 資料等の廃棄・消去")
    expect(preview).to_contain_text("資料等の廃棄・消去の立会い（")

    # A date outside the contract is refused in Japanese, naming the question.
    row.locator("[data-column=date]").fill("2028-04-01")
    settle(page)
    expect(page.locator("#err-work_events")).to_contain_text("3行目の日付は、契約期間の中で作成日以後の日")
    row.locator("[data-column=date]").fill("2027-12-10")
    settle(page)

    # The place of dated work offers only the places ticked under 作業場所 (here the contractor's premises),
    # and follows the ticks; the blank choice (主な作業場所) is always open.
    place = row.locator("[data-column=place]")
    enabled = lambda: place.evaluate("s => [...s.options].filter(o => !o.disabled).map(o => o.value)")  # noqa: E731
    assert enabled() == ["", "contractor_premises"]
    visits = page.locator('#q-work_places input[value="visits"]')
    visits.check()
    expect(place.locator('option[value="visits"]')).to_be_enabled()
    assert enabled() == ["", "contractor_premises", "visits"]
    visits.uncheck()
    expect(place.locator('option[value="visits"]')).to_be_disabled()
    settle(page)

    files = {name: download(page, name) for name in ("answers.json", "supervision-plan.docx")}
    doc = assert_same_as_cli(corpus, files)
    assert doc["answers"]["work_events"][2] == {"date": "2027-12-10", "what": "destruction", "note": ""}
    assert "資料等の廃棄・消去の立会い" in docx_text(files["supervision-plan.docx"])
