"""The download area as a person sees it (issue 23), over http and file://.

After a saved answers file is loaded, scrolling the heading 「ダウンロード」 into view shows every
download button whole, at 1366×768 and 1920×1080: its box lies inside the viewport and the point at
its centre is the button itself (nothing covers it, no inner scrolling needed). Then every file is
downloaded by clicking its button, one after another, without reloading the page.
The loader's messages show where the user is looking, from the first second.
"""
from __future__ import annotations

import functools
import pathlib
import zipfile
import io

import pytest
from playwright.sync_api import Page, expect

from itaku import model
from itaku.outputs import generate

PAGE = "generator/index.html"
READY_MS = 90_000
SIZES = [(1366, 768), (1920, 1080)]
EXAMPLE = "printing"  # re-outsourcing planned: the most files of the worked examples

# For every visible download button: is its box inside the viewport, and is the element at its
# centre the button (or something inside it)?
IN_VIEW = """() => [...document.querySelectorAll('#itaku-download-list [data-output]')]
  .filter((b) => b.offsetParent !== null)
  .map((b) => {
    const r = b.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { output: b.dataset.output, top: Math.round(r.top), bottom: Math.round(r.bottom),
             inside: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth,
             hit: Boolean(hit) && b.contains(hit) };
  })"""


@functools.lru_cache(maxsize=1)
def answers_file() -> bytes:
    corpus = model.load()
    example = next(e for e in corpus.data["examples"] if e["id"] == EXAMPLE)
    return generate(corpus, example["answers"])["answers.json"]


def choose_answers_file(page: Page) -> None:
    page.set_input_files("#itaku-answers-file", files=[{"name": "answers.json", "mimeType": "application/json",
                                                        "buffer": answers_file()}])


def in_view(page: Page) -> list[dict]:
    return page.evaluate(IN_VIEW)


def test_every_download_button_is_seen_whole_and_every_file_comes(generator_page: Page, site_url: str) -> None:
    page = generator_page  # shared, on a fresh form (conftest)
    page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
    page.wait_for_function("document.getElementById('generator').dataset.libraries === 'ready'", timeout=READY_MS)
    choose_answers_file(page)
    expect(page.locator("#itaku-load-message")).to_contain_text("回答ファイルを読み込みました", timeout=30_000)
    page.wait_for_function("!('pending' in document.getElementById('generator').dataset)", timeout=30_000)
    expect(page.locator('#itaku-download-list [data-output="specification.docx"]')).not_to_have_attribute(
        "aria-disabled", "true")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("document.getElementById('itaku-downloads-title').scrollIntoView({block: 'start'})")
        page.wait_for_timeout(200)  # one layout after the scroll (sticky column)
        heading = page.locator("#itaku-downloads-title").bounding_box()
        assert heading and 0 <= heading["y"] < height, (width, height, heading)
        buttons = in_view(page)
        assert buttons[0]["output"] == "documents.zip", buttons  # 文書一式 first
        assert len(buttons) >= 15, buttons
        hidden = [b for b in buttons if not (b["inside"] and b["hit"])]
        assert not hidden, f"{width}×{height}: buttons not seen whole: {hidden}"
        # The preview is still at hand: its heading is in the same column, below the buttons.
        expect(page.locator("#itaku-preview")).to_be_visible()

    # Every file, one click after another, no reload in between (a person's way of doing it).
    page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
    names = [b["output"] for b in in_view(page)]
    saved: dict[str, bytes] = {}
    saved_as: dict[str, str] = {}  # data-output → the name the browser saved the file under
    for name in names:
        button = page.locator(f'#itaku-download-list [data-output="{name}"]')
        with page.expect_download(timeout=30_000) as info:
            button.click()
        saved[name] = pathlib.Path(info.value.path()).read_bytes()
        saved_as[name] = info.value.suggested_filename
        assert info.value.suggested_filename.endswith("." + name.rsplit(".", 1)[1]), info.value.suggested_filename
    assert list(saved) == names
    # Inside 文書一式 each file has the name of its single download (「業務名_文書名.拡張子」).
    singles = {saved_as[n]: n for n in names if n != "documents.zip"}
    assert all(n.startswith(saved_as["documents.zip"].rsplit("_", 1)[0] + "_") for n in singles), singles
    with zipfile.ZipFile(io.BytesIO(saved["documents.zip"])) as z:
        inside = set(z.namelist())
        assert inside == set(singles), inside ^ set(singles)
        for member in inside:  # the zip holds the very files downloaded one by one, byte for byte
            assert z.read(member) == saved[singles[member]], member


def test_loader_messages_show_where_the_user_looks(page: Page, site_url: str) -> None:
    """A file chosen before Python is ready says at once that it waits (with the progress), in view."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(site_url + PAGE)
    page.wait_for_selector("#itaku-answers-file")
    # Scroll so that the loader's message box would be below the screen, as after reading the intro.
    page.evaluate("window.scrollTo(0, 0)")
    choose_answers_file(page)
    message = page.locator("#itaku-load-message")
    expect(message).not_to_be_empty(timeout=2_000)
    expect(message).to_be_in_viewport()
    if page.get_attribute("#generator", "data-state") == "loading":
        expect(message).to_contain_text("準備")
    expect(message).to_contain_text("回答ファイルを読み込みました", timeout=READY_MS)
    expect(message).to_be_in_viewport()
