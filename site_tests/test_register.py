"""The register page (委託台帳) over http and from file://.

Twenty job records are made with the CLI (`itaku generate`) from the worked
examples with shifted dates, departments and recorded checks (itaku.checks),
then loaded into the page; what the page shows is compared with what
`itaku register` computes for the same 基準日 (its workbook, and the same
itaku.register functions). No Python runs until files are chosen.
"""
from __future__ import annotations

import io
import json
import pathlib
import zipfile
from datetime import date, timedelta
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from itaku import cli, model, register
from itaku.checks import add_check
from itaku.outputs import to_json

ROOT = pathlib.Path(__file__).resolve().parent.parent
READY_MS = 90_000
AS_OF = "2026-12-01"
RUNTIME_FILES = ("assets/generator/runtime/", "pyodide")  # the runtime's files (loader.js)
DEPARTMENTS = ("市民部市民課", "福祉部高齢介護課", "=総務部(危機管理)")


def shifted(answers: dict[str, Any], days: int) -> dict[str, Any]:
    out = dict(answers)
    move = lambda day: (date.fromisoformat(str(day)) + timedelta(days=days)).isoformat()  # noqa: E731
    for key in ("contract_start", "contract_end", "created_on"):
        if key in out:
            out[key] = move(out[key])
    if out.get("work_events"):  # dated work moves with the period (validation keeps it inside)
        out["work_events"] = [{**row, "date": move(row["date"])} if row.get("date") else row for row in out["work_events"]]
    return out


def with_checks(rec: dict[str, Any], n: int) -> dict[str, Any]:
    """A different history per job: none, the pre-contract check, an on-site check with a 不適合, a late one…"""
    start = date.fromisoformat(rec["answers"]["contract_start"])

    def add(r: dict[str, Any], phase: str, day: date, method: str = "実地", bad: str = "", role: str = "受託者",
            company: str = "") -> dict[str, Any]:
        items = r["applicable_items"][phase]
        answers = {i: {"status": "適合", "evidence_seen": "記録を確認"} for i in items}
        if bad and bad in answers:
            answers[bad] = {"status": "不適合", "note": "<b>改善</b>：施錠する", "due": (day + timedelta(days=30)).isoformat()}
        return add_check(r, {"phase": phase, "date": day.isoformat(), "method": method, "checker": "監督員",
                             "role": role, "company": company, "answers": answers})

    kind = n % 5
    if kind >= 1:
        rec = add(rec, "before", start - timedelta(days=10 if n % 2 else -20))
    if kind >= 2:
        bad = next((i for i in rec["applicable_items"]["after"] if i.startswith("carry-out")), "")
        rec = add(rec, "after", start + timedelta(days=60), bad=bad)
    if kind >= 3:
        rec = add(rec, "after", start + timedelta(days=200), method="書面" if kind == 3 else "実地")
    if kind == 4 and rec["answers"].get("reoutsourcing") == "planned":
        rec = add(rec, "after", start + timedelta(days=90), method="書面", role="再委託先", company="株式会社再委託")
    return rec


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, bytes]]:
    corpus = model.load()
    examples = corpus.data["examples"]
    tmp = tmp_path_factory.mktemp("register")
    out: list[tuple[str, bytes]] = []
    for n in range(20):
        ex = examples[n % len(examples)]
        answers = shifted(ex["answers"], -400 + 45 * n)
        answers["department"] = DEPARTMENTS[n % len(DEPARTMENTS)]
        answers["work_name"] = f"{ex['answers']['work_name']}（{n + 1}）"
        path = tmp / f"answers{n}.json"
        path.write_text(json.dumps({"format": "itaku-answers", "schema_version": corpus.schema_version,
                                    "answers": answers}, ensure_ascii=False), encoding="utf-8")
        assert cli.main(["generate", str(path), "--out", str(tmp / f"job{n}")]) == 0
        rec = json.loads((tmp / f"job{n}" / "job.json").read_bytes())
        out.append((f"job{n + 1:02d}.json", to_json(with_checks(rec, n))))
    return out


@pytest.fixture(scope="module")
def expected(jobs: list[tuple[str, bytes]], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What `itaku register` computes for the same files and 基準日 (its workbook and its table)."""
    tmp = tmp_path_factory.mktemp("cli")
    paths = []
    for name, data in jobs:
        (tmp / name).write_bytes(data)
        paths.append(str(tmp / name))
    out = tmp / "register.xlsx"
    assert cli.main(["register", *paths, "--as-of", AS_OF, "--out", str(out)]) == 0
    corpus = model.load()
    reg, _ = register.load(corpus, jobs)
    tab = register.tabulate(corpus, reg.records.values(), date.fromisoformat(AS_OF))
    wb = openpyxl.load_workbook(out)
    ws = wb["台帳"]
    overdue = {r[-1]: r[-2] == "期限超過" for r in ws.iter_rows(min_row=4, values_only=True)}
    return {"xlsx": out.read_bytes(), "tab": tab, "overdue": overdue}


def open_register(page: Page, site_url: str, query: str = "") -> None:
    page.goto(f"{site_url}register/index.html{query}")
    expect(page.locator("#register")).to_have_attribute("data-state", "idle")


def runtime_requests(page: Page) -> list[str]:
    return [u for u in page.requests if any(part in u for part in RUNTIME_FILES)]  # type: ignore[attr-defined]


def load(page: Page, files: list[tuple[str, bytes]]) -> None:
    page.set_input_files('input[type=file][data-input="jobs"]',
                         files=[{"name": n, "mimeType": "application/json", "buffer": b} for n, b in files])
    page.wait_for_function("['ready', 'error'].includes(document.getElementById('register').dataset.state)",
                           timeout=READY_MS)
    expect(page.locator("#register")).to_have_attribute("data-state", "ready")


def set_as_of(page: Page, day: str) -> None:
    page.fill('input[name="as-of"]', day)
    page.dispatch_event('input[name="as-of"]', "change")


def shown_jobs(page: Page) -> list[str]:
    return page.evaluate("() => [...document.querySelectorAll('#itaku-rows tr[data-job]')].filter(r => !r.hidden)"
                         ".map(r => r.dataset.job)")


def test_register_rows_match_the_cli(page: Page, site_url: str, jobs: list[tuple[str, bytes]],
                                     expected: dict[str, Any]) -> None:
    open_register(page, site_url)
    page.wait_for_timeout(300)
    assert runtime_requests(page) == []  # nothing before files are chosen
    set_as_of(page, AS_OF)
    broken = ("broken.json", jobs[0][1][: len(jobs[0][1]) // 3])
    load(page, jobs[:10] + [broken] + jobs[10:])
    assert runtime_requests(page)  # … and the runtime's files once they are (the check above can fail)
    tab = expected["tab"]
    rows = page.locator("#itaku-rows tr[data-job]")
    expect(rows).to_have_count(20)
    # The broken file is refused by name; the others loaded.
    refused = page.locator('#itaku-outcomes [data-outcome="refused"]')
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("broken.json")
    expect(page.locator("#itaku-message")).to_contain_text("21 件のファイルのうち 20 件")
    # Rows, next due and overdue marks: as `itaku register` computed them.
    got = page.evaluate("""() => [...document.querySelectorAll('#itaku-rows tr[data-job]')].map(r => ({
        job: r.dataset.job, overdue: r.dataset.overdue,
        due: r.querySelector('[data-field="next-due"]').dataset.due,
        late: r.querySelectorAll('[data-overdue-check]').length,
        text: r.querySelector('[data-field="work-name"]').textContent}))""")
    assert [g["job"] for g in got] == [r["job"] for r in tab["rows"]]
    assert {g["job"]: g["overdue"] == "true" for g in got} == expected["overdue"]
    assert any(expected["overdue"].values()) and not all(expected["overdue"].values())
    for g, r in zip(got, tab["rows"]):
        assert g["due"] == (r["next_due"]["due"] if r["next_due"] else "")
        assert g["late"] == len(r["overdue_checks"])
        assert r["work_name"] in g["text"]
    assert page.locator('#itaku-rows tr[data-overdue="true"]').count() == tab["counts"]["overdue"]
    expect(page.locator('[data-count="jobs"]')).to_have_text("20")
    # The 三点 table's totals.
    for point, totals in tab["three_points"]["totals"].items():
        for part in ("written", "kept"):
            expect(page.locator(f'#itaku-three [data-total="{point}-{part}"]')).to_have_text(str(totals[part]))
    assert 0 < tab["three_points"]["totals"]["place"]["kept"] < 20
    # Formula-looking and HTML-looking text is shown as text.
    expect(page.locator('#itaku-rows [data-field="department"]', has_text="=総務部(危機管理)").first).to_be_visible()
    expect(page.locator("#itaku-rows b")).to_have_count(0)

    # Filters: department, overdue only, risk; counts per department.
    page.select_option("#itaku-filter-department", DEPARTMENTS[1])
    want = [r["job"] for r in tab["rows"] if r["department"] == DEPARTMENTS[1]]
    assert sorted(shown_jobs(page)) == sorted(want)
    expect(page.locator(f'#itaku-departments [data-department-row="{DEPARTMENTS[1]}"] td').first).to_have_text(str(len(want)))
    page.select_option("#itaku-filter-department", "")
    page.check("#itaku-filter-overdue")
    assert sorted(shown_jobs(page)) == sorted(j for j, late in expected["overdue"].items() if late)
    page.uncheck("#itaku-filter-overdue")
    page.select_option("#itaku-filter-risk", "specific")
    assert sorted(shown_jobs(page)) == sorted(r["job"] for r in tab["rows"] if "specific" in r["risks"])
    page.select_option("#itaku-filter-risk", "")
    page.select_option("#itaku-sort", "due")
    dues = [d or "9999-12-31" for d in page.evaluate(
        "() => [...document.querySelectorAll('#itaku-rows tr[data-job]')].map(r => r.dataset.due)")]
    assert dues == sorted(dues)

    # register.xlsx: opens with openpyxl and matches the CLI's workbook part for part.
    with page.expect_download(timeout=30_000) as info:
        page.click('[data-output="register.xlsx"]')
    assert info.value.suggested_filename == "register.xlsx"
    data = pathlib.Path(info.value.path()).read_bytes()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["台帳", "期限超過", "改善指示", "部署別", "三点の確認表"]
    with zipfile.ZipFile(io.BytesIO(data)) as got_zip, zipfile.ZipFile(io.BytesIO(expected["xlsx"])) as want_zip:
        assert got_zip.namelist() == want_zip.namelist()
        for name in want_zip.namelist():
            assert got_zip.read(name) == want_zip.read(name), name

    # Another 基準日 changes what is overdue, as the CLI computes it.
    set_as_of(page, "2028-06-01")
    later = register.tabulate(model.load(), register.load(model.load(), jobs)[0].records.values(), date(2028, 6, 1))
    expect(page.locator('[data-count="overdue"]')).to_have_text(str(later["counts"]["overdue"]))
    assert later["counts"]["overdue"] != tab["counts"]["overdue"]


def test_duplicates_replacement_autosave_and_checklist_link(page: Page, site_url: str,
                                                            jobs: list[tuple[str, bytes]]) -> None:
    open_register(page, site_url)
    set_as_of(page, AS_OF)
    load(page, jobs[:3])
    expect(page.locator("#itaku-rows tr[data-job]")).to_have_count(3)
    # The same files again: reported as duplicates, not counted twice.
    page.set_input_files('input[data-input="jobs"]', files=[
        {"name": "again.json", "mimeType": "application/json", "buffer": jobs[1][1]}])
    expect(page.locator('#itaku-outcomes [data-outcome="duplicate"]')).to_contain_text("again.json")
    expect(page.locator("#itaku-rows tr[data-job]")).to_have_count(3)
    # A newer copy of the same job (one more check) replaces the older one.
    rec = json.loads(jobs[0][1])
    newer = add_check(rec, {"phase": "after", "date": "2026-11-30", "method": "実地", "checker": "監督員",
                            "answers": {}})
    page.set_input_files('input[data-input="jobs"]', files=[
        {"name": "newer.json", "mimeType": "application/json", "buffer": to_json(newer)}])
    expect(page.locator('#itaku-outcomes [data-outcome="replaced"]')).to_contain_text("newer.json")
    row = page.locator(f'#itaku-rows tr[data-job="{rec["answers_hash"]}"]')
    expect(row.locator('[data-field="last-check"]')).to_contain_text("2026-11-30")

    # Reloading the page: nothing runs until the saved records are reopened.
    page.reload()
    expect(page.locator("#register")).to_have_attribute("data-state", "idle")
    expect(page.locator("#itaku-restore")).to_contain_text("3 件")
    page.click("#itaku-restore")
    expect(page.locator("#register")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    expect(page.locator("#itaku-rows tr[data-job]")).to_have_count(3)
    expect(row.locator('[data-field="last-check"]')).to_contain_text("2026-11-30")

    # Removing a job; the per-job link opens the checklist page scoped to that job.
    page.click(f'#itaku-rows tr[data-job="{json.loads(jobs[2][1])["answers_hash"]}"] button[data-remove]')
    expect(page.locator("#itaku-rows tr[data-job]")).to_have_count(2)
    link = row.locator("a[data-open]")
    phase = "after" if "/after/" in link.get_attribute("href") else "before"
    link.click()
    expect(page.locator("#checklist")).to_have_attribute("data-phase", phase)
    expect(page.locator("#checklist")).to_have_attribute("data-state", "ready", timeout=READY_MS)
    expect(page.locator('#itaku-job-info [data-fact="work-name"]')).to_have_text(rec["work_name"])


def test_folder_and_drop(page: Page, site_url: str, jobs: list[tuple[str, bytes]], tmp_path: pathlib.Path) -> None:
    """A whole folder (job.json files among other outputs) and files dropped on the page."""
    for n, (name, data) in enumerate(jobs[:4]):
        folder = tmp_path / "jobs" / f"job{n}"
        folder.mkdir(parents=True)
        (folder / "job.json").write_bytes(data)
        (folder / "specification.docx").write_bytes(b"PK\x03\x04 not read")
    open_register(page, site_url)
    set_as_of(page, AS_OF)
    page.set_input_files('input[data-input="jobs-folder"]', tmp_path / "jobs")
    page.wait_for_function("document.getElementById('register').dataset.state === 'ready'", timeout=READY_MS)
    expect(page.locator("#itaku-rows tr[data-job]")).to_have_count(4)
    expect(page.locator("#itaku-message")).to_contain_text("4 件のファイルのうち 4 件")
    # Drag and drop two more files (one of them already loaded).
    page.evaluate("""([files]) => {
        const dt = new DataTransfer();
        for (const [name, text] of files) dt.items.add(new File([text], name, {type: 'application/json'}));
        document.getElementById('itaku-drop').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
    }""", [[[name, data.decode("utf-8")] for name, data in jobs[3:5]]])
    expect(page.locator("#itaku-rows tr[data-job]")).to_have_count(5)
    expect(page.locator('#itaku-outcomes [data-outcome="duplicate"]')).to_have_count(1)


def test_accessibility_and_keyboard(page: Page, site_url: str, jobs: list[tuple[str, bytes]]) -> None:
    open_register(page, site_url)
    # Keyboard: the file input, the 基準日 and the filters are reachable with Tab, labelled.
    page.locator("body").focus()
    reached = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement && document.activeElement.id || ''"))
        if {"itaku-jobs-file", "itaku-as-of", "itaku-filter-overdue"} <= reached:
            break
    assert {"itaku-jobs-file", "itaku-as-of", "itaku-filter-overdue"} <= reached
    set_as_of(page, AS_OF)
    load(page, jobs[:6])
    # Keyboard-only filtering: focus the checkbox and press Space.
    page.focus("#itaku-filter-overdue")
    page.keyboard.press("Space")
    assert all(page.evaluate(f"() => document.querySelector('tr[data-job=\"{j}\"]').dataset.overdue") == "true"
               for j in shown_jobs(page))
    page.keyboard.press("Space")
    page.add_script_tag(content=(ROOT / "node_modules/axe-core/axe.min.js").read_text(encoding="utf-8"))
    result = page.evaluate(
        "() => axe.run(document, {preload: false, runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})")
    serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    # Print: A4 landscape, the table without the action links.
    page.emulate_media(media="print")
    expect(page.locator('[data-field="actions"]').first).to_be_hidden()
    pdf = page.pdf(prefer_css_page_size=True)
    box = pdf.split(b"/MediaBox")[1][:60].decode("latin-1")
    width, height = [float(x) for x in box.split("[")[1].split("]")[0].split()[2:4]]
    assert width > height and abs(width - 841.9) < 3


def test_runtime_failure_sets_error_and_says_so(page: Page, site_url: str, jobs: list[tuple[str, bytes]]) -> None:
    open_register(page, site_url, "?timeout=1")
    page.set_input_files('input[data-input="jobs"]', files=[
        {"name": jobs[0][0], "mimeType": "application/json", "buffer": jobs[0][1]}])
    expect(page.locator("#register")).to_have_attribute("data-state", "error", timeout=30_000)
    expect(page.locator("#itaku-message [role=alert]")).to_contain_text("Python")
    expect(page.locator("#itaku-rows tr")).to_have_count(0)
