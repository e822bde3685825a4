"""Issue 30.2 in the browser (1366×768, over http and file://): a paragraph reworded in the generator page, with its
reason, survives save answers.json → reload → load that file → regenerate, and is in specification.docx and in
the 条文の採否一覧 (deviations.docx) beside the model text; a rewording whose paragraph is gone is kept and said."""
from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from itaku import model
from test_generator import READY_MS, assert_same_as_cli, docx_text, download, settle

KEY = "confidentiality/1"
NEW = '<img src=x onerror="alert(1)">乙は、業務上知り得た秘密を○○市契約約款第12条のとおり守らなければならない。'
REASON = "団体の契約約款と<b>同じ</b>文言にするため"


def test_reworded_paragraph_survives_save_reload_load_and_regenerate(generator_page: Page, site_url: str) -> None:
    corpus = model.load()
    page = generator_page  # shared, on a fresh form (conftest); the reload below starts Python again
    page.set_viewport_size({"width": 1366, "height": 768})
    page.select_option("#itaku-example", "printing")
    page.click("#itaku-example-load")
    expect(page.locator("#itaku-load-message")).to_contain_text("読み込みました", timeout=READY_MS)
    settle(page)

    # Keyboard only: choose the paragraph, press the labelled button, type into the labelled text areas.
    select = page.get_by_label("文言を変える項・号")
    expect(select.locator(f'option[value="{KEY}"]')).to_have_count(1)
    select.focus()
    select.select_option(KEY)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "itaku-reword-add"
    page.keyboard.press("Enter")
    entry = page.locator(f'[data-reword="{KEY}"]')
    expect(entry).to_be_visible()
    text = entry.get_by_label("の変更後の文言")
    expect(text).to_be_focused()
    model_text = text.input_value()
    assert model_text.startswith("乙は") and "秘密" in model_text  # starts as the model text, filled
    expect(entry.locator("[data-reword-model]")).to_have_text(model_text)
    expect(select.locator(f'option[value="{KEY}"]')).to_have_count(0)  # offered once
    text.fill(NEW)
    settle(page)
    reason = entry.get_by_label("の文言を変える理由")
    expect(reason).to_have_attribute("aria-invalid", "true")  # no reason yet: named at the field
    expect(page.locator(f"#err-reworded-reason-{KEY.replace('/', '_')}")).to_contain_text("理由を入力してください")
    expect(text).not_to_have_attribute("aria-invalid", "true")
    reason.focus()
    page.keyboard.type(REASON)
    settle(page)
    expect(reason).not_to_have_attribute("aria-invalid", "true")

    # The preview shows it as text (never as markup) and says the article was reworded.
    preview = page.locator("#itaku-preview")
    expect(preview).to_contain_text("○○市契約約款第12条のとおり守らなければならない")
    expect(preview).to_contain_text("文言を変えた項：第1項（この業務で変更）")
    assert preview.locator("img").count() == 0
    saved = download(page, "answers.json")
    doc = json.loads(saved)
    assert doc["schema_version"] >= 4 and doc["reworded_paragraphs"] == {KEY: {"text": NEW, "reason": REASON}}

    # Reload: the autosave brings it back; start over clears it; loading the saved file restores it.
    page.reload()
    page.wait_for_selector("#generator[data-state=ready]", timeout=READY_MS)
    settle(page)
    expect(page.locator(f'[data-reword="{KEY}"] [data-reword-text]')).to_have_value(NEW)
    page.click("#itaku-reset")
    page.click("#itaku-reset-ok")
    settle(page)
    expect(page.locator("[data-reword]")).to_have_count(0)
    page.set_input_files("#itaku-answers-file", files=[{"name": "answers.json", "mimeType": "application/json",
                                                        "buffer": saved}])
    expect(page.locator("#itaku-load-message")).to_contain_text("読み込みました", timeout=READY_MS)
    settle(page)
    entry = page.locator(f'[data-reword="{KEY}"]')
    expect(entry.locator("[data-reword-text]")).to_have_value(NEW)
    expect(entry.locator("[data-reword-reason]")).to_have_value(REASON)

    # Regenerate: the specification has the new wording; the 採否一覧 has the model text beside it.
    files = {name: download(page, name) for name in ("answers.json", "specification.docx", "deviations.docx")}
    assert json.loads(files["answers.json"])["reworded_paragraphs"] == doc["reworded_paragraphs"]
    assert_same_as_cli(corpus, files)  # the CLI makes the same bytes from the saved answers
    spec = docx_text(files["specification.docx"])
    assert NEW in spec and model_text not in spec
    deviations = docx_text(files["deviations.docx"])
    assert "条文の文言の変更" in deviations
    assert model_text in deviations and NEW in deviations and f"理由：「{REASON}」" in deviations

    # A rewording whose paragraph the kit no longer has: said on loading, kept in the form and in the file.
    gone = {**doc, "reworded_paragraphs": {**doc["reworded_paragraphs"],
                                           "basic/99": {"text": "前の版で変えた文言", "reason": "前の版の理由"}}}
    page.set_input_files("#itaku-answers-file", files=[{"name": "old.json", "mimeType": "application/json",
                                                        "buffer": json.dumps(gone, ensure_ascii=False).encode()}])
    expect(page.locator("#itaku-load-message")).to_contain_text("その項がなくなったため", timeout=READY_MS)
    settle(page)
    expect(page.locator("#itaku-reword-notes")).to_contain_text("「基本的事項」の第99項の文言の変更は")
    expect(page.locator('[data-reword="basic/99"]')).to_have_attribute("data-used", "false")
    again = json.loads(download(page, "answers.json"))
    assert again["reworded_paragraphs"]["basic/99"] == {"text": "前の版で変えた文言", "reason": "前の版の理由"}

    # モデルの文言に戻す: the entry goes, the paragraph is offered again.
    page.locator(f'[data-reword-remove="{KEY}"]').focus()
    page.keyboard.press("Enter")
    settle(page)
    expect(page.locator(f'[data-reword="{KEY}"]')).to_have_count(0)
    expect(select.locator(f'option[value="{KEY}"]')).to_have_count(1)
    expect(select).to_be_focused()
