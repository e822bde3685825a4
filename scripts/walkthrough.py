"""Staff time for a worked example, screen by screen (issue 30): the machine's waits measured in Chromium, the
person's reading and deciding estimated from what each screen shows.

    .venv/bin/python scripts/walkthrough.py care-needs-survey benefit-intake-centre [--http] [--shots DIR]

Opens the built site (file:// unless --http) at 1366x768 as a first-time user would: the home page (its lead,
above the first heading, is read), the link to
the generator, the kinds, every step of the questionnaire, the preview, the downloads, then next year's set. The
answers are the worked example's (restored through the page's autosave, so the step screens show what that user
would have entered). The form is restored as it stands when a first-time user has answered: only the decisions
(answers that differ from the default or the kinds' preset: tests/test_kinds.py counts them the same way) are the
user's own, so the kinds' presets show as such (compact, listed under 業務の類型). For each screen it counts the
questions shown, the decisions and the characters a person reads (labels, choices, the one-line help and the
list of preset answers; 「詳しく」 stays closed; a kept preset is read in that list only). The person's time is an estimate with stated
rates (READ_CPS, DECIDE_S, CONFIRM_S): change them to see how the total moves. It prints a Markdown table.
"""
from __future__ import annotations

import argparse
import http.server
import json
import pathlib
import sys
import threading
import time
from functools import partial
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from itaku import kinds, model  # noqa: E402
from itaku.answers import shown_questions, validate  # noqa: E402

READ_CPS = 8.0    # characters a person reads per second (about 480 a minute: careful reading of forms)
DECIDE_S = 20.0   # a question answered differently from what the page suggests: think, choose or type
CONFIRM_S = 3.0   # a question shown whose suggested answer is kept: glance and move on
STORAGE_KEY = "itaku-generator-answers"  # generator.js's autosave
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]
# The home page as a person reads it before choosing where to go: its lead, the text above the first section
# heading (the start links are there; the sections below are for looking things up later).
LEAD = """() => {
  const article = document.querySelector('article');
  const first = article.querySelector('h2');
  const range = document.createRange();
  range.setStart(article, 0);
  if (first) range.setEndBefore(first); else range.setEndAfter(article.lastChild);
  return range.toString().replace(/\\s+/g, '').replace(/¶/g, '').length;
}"""
SHOWN_TEXT = """step => {
  const root = document.getElementById(step);
  const seen = [...root.querySelectorAll('.itaku-q')].filter(q => q.offsetParent !== null);
  // A kept preset was confirmed in the list under 業務の類型 (read there, as one line); on its own step the person
  // passes it by its mark 「業務の類型から設定」.
  const kept = seen.filter(q => q.classList.contains('itaku-preset-kept'));
  // innerText: hidden marks (「業務の類型から設定」 when not preset) are not read; a follow-up question nested in
  // another is counted once, as its own.
  const text = seen.filter(q => !kept.includes(q))
      .map(q => [...q.querySelectorAll('label, legend, .itaku-help, th, .itaku-preset-summary')]
      .filter(e => e.offsetParent !== null && !e.closest('details') && e.closest('.itaku-q') === q)
      .map(e => e.innerText).join('')).join('');
  return {keys: seen.map(q => q.dataset.key), kept: kept.map(q => q.dataset.key),
          chars: text.replace(/\\s+/g, '').length};
}"""


# Answers the page fills in itself and a first-time user keeps: 作成日 starts as today (generator.js todayAsCreated),
# and the set is made the day the form is filled in; the example's fixed date stands for that day.
FORM_FILLED = {"created_on"}


def decisions(corpus: model.Corpus, raw: dict[str, Any]) -> set[str]:
    """The user's decisions as tests/test_kinds.py counts them (kinds.decisions), less the answers the page fills
    in (FORM_FILLED)."""
    values = validate(corpus, raw).values
    return set(kinds.decisions(corpus, raw, values, shown_questions(corpus, values))) - FORM_FILLED


def person(chars: int, shown: int, decided: int) -> float:
    return chars / READ_CPS + decided * DECIDE_S + (shown - decided) * CONFIRM_S


def timed(action: Any) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def settle(page: Page) -> None:
    page.wait_for_function("!('pending' in document.getElementById('generator').dataset)", timeout=60_000)


def download(page: Page, output: str) -> None:
    page.wait_for_selector('#generator[data-libraries="ready"]', timeout=180_000)
    button = page.locator(f'#itaku-download-list [data-output="{output}"]')
    if button.get_attribute("aria-disabled") == "true":
        raise SystemExit(f"{output} cannot be downloaded: " + page.locator("#itaku-download-why").inner_text())
    with page.expect_download(timeout=120_000) as info:
        page.click(f'#itaku-download-list [data-output="{output}"]')
    info.value.path()


def walk(page: Page, base: str, corpus: model.Corpus, eid: str, shots: pathlib.Path | None) -> list[tuple]:
    raw = next(e["answers"] for e in corpus.data["examples"] if e["id"] == eid)
    decided = decisions(corpus, raw)
    rows: list[tuple] = []  # (screen, what the person does, questions, decisions, person s, machine s)

    def shot(name: str) -> None:
        if shots:
            page.screenshot(path=str(shots / f"{eid}-{name}.png"), full_page=False)

    machine = timed(lambda: page.goto(base + "index.html"))
    home = page.evaluate(LEAD)
    rows.append(("ホーム", "冒頭（最初の見出しまで）を読み、「新しい委託の文書を作る」へ", 0, 0, home / READ_CPS, machine))
    shot("home")

    def open_generator() -> None:
        page.click("a.itaku-start[data-start=generator]")
        page.wait_for_selector('#generator[data-state="ready"]', timeout=180_000)

    machine = timed(open_generator)
    intro = page.evaluate("document.querySelector('#itaku-form-title').parentElement.querySelector('p')"
                          ".textContent.replace(/\\s+/g, '').length")
    rows.append(("生成ページ", "使い方の1段落を読む（その間に Python が起動）", 0, 0, intro / READ_CPS, machine))

    # The user's answers as the page keeps them while they are typed (its autosave): the decisions are the
    # user's own, every other answer is the kinds' preset or the default, so the page shows those as such.
    saved = json.dumps({"answers": raw, "removed": {}, "reworded": {}, "touched": sorted(decided), "typed": True},
                       ensure_ascii=False)

    def load() -> None:
        page.evaluate("([key, value]) => localStorage.setItem(key, value)", [STORAGE_KEY, saved])
        page.reload()
        page.wait_for_selector('#generator[data-state="ready"]', timeout=180_000)
        settle(page)

    load()
    machine = 0.0  # the restore is the walk's shortcut; typing the answers costs no measurable machine time
    for step in page.evaluate("[...document.querySelectorAll('fieldset.itaku-step[data-step]')].map(s => s.id)"):
        seen = page.evaluate(SHOWN_TEXT, step)
        keys = [k for k in seen["keys"]]
        n_dec = len([k for k in keys if k in decided])
        legend = page.evaluate(f"document.querySelector('#{step} > legend').textContent")
        page.locator(f"#{step}").scroll_into_view_if_needed()
        shot(step)
        rows.append((f"質問：{legend}", "、".join(k for k in keys if k in decided) or "（提案どおり）", len(keys), n_dec,
                     person(seen["chars"], len(keys) - len(seen["kept"]), n_dec), machine))
    rows.append(("プレビュー", "要約と変わった条文を確かめる", 0, 0, 120.0, 0.0))
    machine = timed(lambda: download(page, "documents.zip"))
    rows.append(("ダウンロード", "一式（documents.zip）を保存", 0, 0, 10.0, machine))
    shot("downloads")

    def next_year() -> None:
        page.click("#itaku-next-year")
        page.wait_for_selector("#itaku-next-year-confirm", state="visible", timeout=60_000)

    machine = timed(next_year)
    changes = page.evaluate("document.getElementById('itaku-next-year-confirm').innerText.replace(/\\s+/g, '').length")
    shot("next-year")

    def confirm() -> None:
        page.click("#itaku-next-year-ok")
        page.wait_for_selector("#itaku-load-message:has-text('来年度の回答にしました')", timeout=60_000)
        settle(page)

    machine += timed(confirm)
    rows.append(("来年度", "前年の answers.json を読み込み、変わる値を確かめて実行", 0, 0, 30.0 + changes / READ_CPS, machine))
    machine = timed(lambda: download(page, "documents.zip"))
    rows.append(("来年度のダウンロード", "一式を保存", 0, 0, 10.0, machine))
    return rows


def table(eid: str, rows: list[tuple]) -> str:
    out = [f"#### {eid}", "", "| 画面 | すること（決めた質問） | 質問 | 決定 | 人（推定） | 機械（計測） |",
           "|---|---|---|---|---|---|"]
    out += [f"| {s} | {w} | {q or ''} | {d or ''} | {p:.0f} s | {m:.1f} s |" for s, w, q, d, p, m in rows]
    first = [r for r in rows if not r[0].startswith("来年度")]
    again = [r for r in rows if r[0].startswith("来年度")]
    total = sum(r[4] + r[5] for r in first) / 60
    out.append(f"| 計 | 開いてから一式まで | {sum(r[2] for r in first)} | {sum(r[3] for r in first)} | "
               f"{sum(r[4] for r in first) / 60:.1f} min | {sum(r[5] for r in first):.1f} s |")
    out.append(f"| 計（来年度） | 読み込みから一式まで |  |  | {sum(r[4] for r in again) / 60:.1f} min | "
               f"{sum(r[5] for r in again):.1f} s |")
    out.append(f"\n合計（初回）{total:.1f} 分、来年度 {sum(r[4] + r[5] for r in again) / 60:.1f} 分"
               f"（読む速さ {READ_CPS:.0f} 字/秒、決定 {DECIDE_S:.0f} 秒、確認 {CONFIRM_S:.0f} 秒）")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("examples", nargs="+")
    parser.add_argument("--http", action="store_true", help="serve site/ over http instead of file://")
    parser.add_argument("--shots", type=pathlib.Path, help="save a screenshot of every screen here")
    args = parser.parse_args()
    corpus = model.load()
    site = ROOT / "site"
    base = site.as_uri() + "/"
    if args.http:
        handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for eid in args.examples:
            context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True,
                                          bypass_csp=True)  # Playwright waits evaluate strings
            print(table(eid, walk(context.new_page(), base, corpus, eid, args.shots)), "\n")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
