"""Issue 25 on the generator page: devices and systems by owner. The kind 「委託元が貸与する端末での訪問・調査」
presets the authority's terminals; the documents then ask the contractor to keep the authority's settings and to
report a loss at once, carry none of the configuration duties, and the 採否一覧 says why; the files equal the CLI's."""
from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from test_generator import (assert_same_as_cli, fill_basics, corpus, docx_text, download_all, settle,  # noqa: F401
                            value_of)


def test_lent_tablets_move_the_configuration_duties_to_the_authority(generator_page: Page, site_url: str, corpus) -> None:  # noqa: F811
    page = generator_page  # shared, on a fresh form (conftest)
    fill_basics(page, "令和9年度 高齢者実態把握訪問調査業務", "福祉部高齢者支援課", "2027-02-20", "2027-05-01", "2027-12-28", "2400")
    settle(page)
    assert value_of(page, "devices") == ["contractor_devices"]  # the default: the contractor's own

    page.locator('input[name="work_kinds"][value="lent_tablets"]').check()
    settle(page)
    assert value_of(page, "devices") == ["authority_devices"]
    expect(page.locator("#preset-devices")).to_be_visible()

    files = download_all(page, ["deviations.docx"])
    assert_same_as_cli(corpus, files)
    assert json.loads(files["answers.json"])["answers"]["devices"] == ["authority_devices"]
    assert json.loads(files["job.json"])["job_schema"] == 2  # job.json's own version
    spec = docx_text(files["specification.docx"])
    assert "遠隔によるデータの消去" in spec and "不正プログラム対策ソフトウェア" not in spec
    text = docx_text(files["deviations.docx"])
    assert "端末・システムと設定の義務" in text and "設定・管理するのは委託元で、受託者ではないため" in text
