"""Issue 25 on the generator page: the kinds of work preset answers for the user to confirm
(「業務の類型から設定」), never over an answer the user gave, and the files equal the CLI's."""
from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from test_generator import (assert_same_as_cli, fill_basics, corpus, docx_text, download_all, settle,  # noqa: F401
                            value_of)


def kind(page: Page, kind_id: str):
    return page.locator(f'input[name="work_kinds"][value="{kind_id}"]')


def test_kinds_preset_answers_without_overriding_the_user(generator_page: Page, site_url: str, corpus) -> None:  # noqa: F811
    page = generator_page  # shared, on a fresh form (conftest)
    fill_basics(page, "令和9年度 訪問調査及び結果通知発送業務", "保健福祉部健康づくり課", "2027-03-01", "2027-04-01", "2028-03-31", "900")
    page.check("#q-copying")
    page.uncheck("#q-copying")  # the user answered 「いいえ」 themselves
    settle(page)

    # A kind's help line shows once it is ticked; every kind's help is under the question's 「詳しく」 (issue 30).
    visits_help = next(k["help"] for k in corpus.data["kinds"]["kinds"] if k["id"] == "visits")
    expect(page.locator("#wrap-work_kinds .itaku-choice", has=kind(page, "visits")).locator(".itaku-choice-help")).to_be_hidden()
    page.locator("#wrap-work_kinds > details.itaku-more > summary").click()
    expect(page.locator("#wrap-work_kinds > details.itaku-more")).to_contain_text(visits_help)
    kind(page, "visits").check()
    settle(page)
    expect(page.locator("#wrap-work_kinds .itaku-choice", has=kind(page, "visits")).locator(".itaku-choice-help")).to_be_visible()
    assert value_of(page, "carry_out") is True
    assert value_of(page, "work_places") == ["visits"]
    expect(page.locator("#preset-carry_out")).to_be_visible()
    expect(page.locator("#preset-carry_out")).to_have_text("業務の類型から設定")
    # A kept preset is drawn compact (no help line) and listed with its answer under 業務の類型 (issue 30).
    summary = page.locator("#itaku-preset-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("持出し：はい")
    expect(summary).to_contain_text("作業場所：訪問先・屋外（家庭訪問、調査など）")
    expect(page.locator("#help-carry_out")).to_be_hidden()
    expect(page.locator("#help-copying")).to_be_visible()  # the user's own answer keeps its help
    summary.get_by_role("link", name="持出し", exact=True).click()
    assert page.evaluate("location.hash") == "#wrap-carry_out"

    kind(page, "print_mail").check()  # kinds combine: places unioned, booleans towards the need
    settle(page)
    assert value_of(page, "work_places") == ["contractor_premises", "visits"]
    assert value_of(page, "mailing") is True and value_of(page, "mailing_methods") == ["print", "post"]
    assert value_of(page, "copying") is False  # the user's own answer stays
    expect(page.locator("#preset-copying")).to_be_hidden()

    expect(summary).to_contain_text("発送・送信・掲載：はい")
    page.uncheck("#q-mailing")  # the user changes a preset answer: it is theirs from now on
    settle(page)
    expect(page.locator("#preset-mailing")).to_be_hidden()
    expect(page.locator("#help-mailing")).to_be_visible()
    expect(summary).not_to_contain_text("発送・送信・掲載")
    kind(page, "visits").uncheck()  # unticking a kind undoes only its own presets
    settle(page)
    assert value_of(page, "carry_out") is False and value_of(page, "mailing") is False
    assert value_of(page, "work_places") == ["contractor_premises"]
    expect(page.locator("#preset-carry_out")).to_be_hidden()
    expect(page.locator("#preset-work_places")).to_be_visible()

    files = download_all(page, ["deviations.docx"])
    doc = assert_same_as_cli(corpus, files)
    answers = json.loads(files["answers.json"])["answers"]
    assert answers["work_kinds"] == ["print_mail"] and answers["copying"] is False and answers["mailing"] is False
    assert doc["schema_version"] == 4
    text = docx_text(files["deviations.docx"])  # 条文の採否一覧: the kind chosen and what it preset
    assert "この業務の類型：印刷・封入封緘・発送" in text and "変更：いいえ" in text


def test_a_destruction_job_gets_its_own_documents(generator_page: Page, site_url: str, corpus) -> None:  # noqa: F811
    """Issue 26 item 1: the kind 記録・媒体の廃棄 asks for the media; once they are named the form stops asking the form
    of processing and sending; the specification has the destruction article, the 採否一覧 the duties left out."""
    page = generator_page  # shared, on a fresh form (conftest)
    fill_basics(page, "令和9年度 記録媒体廃棄処理業務", "総務部総務課", "2027-03-01", "2027-04-01", "2028-03-31", "50000")
    settle(page)
    expect(page.locator("#wrap-disposal_media")).to_be_hidden()
    expect(page.locator("#wrap-processing")).to_be_visible()

    kind(page, "disposal").check()
    settle(page)
    expect(page.locator("#wrap-disposal_media")).to_be_visible()
    assert value_of(page, "disposal_media") == []  # no kind presets the media: the user names them
    expect(page.locator("#wrap-processing")).to_be_visible()
    for medium in ("paper", "hdd", "ssd"):
        page.locator(f'input[name="disposal_media"][value="{medium}"]').check()
    settle(page)
    expect(page.locator("#wrap-processing")).to_be_hidden()
    expect(page.locator("#wrap-mailing")).to_be_hidden()

    files = download_all(page, ["deviations.docx"])
    assert_same_as_cli(corpus, files)
    answers = json.loads(files["answers.json"])["answers"]
    assert answers["disposal_media"] == ["paper", "hdd", "ssd"] and "processing" not in answers
    spec = docx_text(files["specification.docx"])
    assert "記録媒体等の廃棄処理" in spec and "消磁によって処理してはならない" in spec
    assert "不正プログラム対策ソフトウェア" not in spec and "予備の複製" not in spec
    text = docx_text(files["deviations.docx"])
    assert "記録・媒体の廃棄の業務" in text and "バックアップの作成と管理" in text
