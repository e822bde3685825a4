"""Static checks of the built pages against the corpus (no browser).

- every clause of src/itaku/_data/corpus.json has its page clauses/<id>.html
  whose heading holds the clause title;
- every checklist item has an anchor (element id) on its items page;
- every page shows the corpus version and the build date in the footer;
- every page has Material's skip link (「コンテンツにスキップ」), 404.html aside.
The browser tests (test_crawl.py) check that these pages load over http and
from file:// and that links to the anchors resolve.
"""
from __future__ import annotations

import html.parser
import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "src" / "itaku" / "_data" / "corpus.json"


class _Page(html.parser.HTMLParser):
    """Element ids, the text of the first h1, the footer stamp and the skip link."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.h1 = ""
        self.stamp: dict[str, str | None] | None = None
        self.stamp_text = ""
        self.skip = ""
        self._in: list[str] = []  # "h1", "stamp", "skip" while inside them
        self._depth: dict[str, int] = {}
        self._h1_done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        classes = (values.get("class") or "").split()
        if tag == "h1" and not self._h1_done:
            self._in.append("h1")
        elif "itaku-stamp" in classes:
            self.stamp = values
            self._in.append("stamp")
        elif tag == "a" and "md-skip" in classes:
            self._in.append("skip")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1" and "h1" in self._in:
            self._in.remove("h1")
            self._h1_done = True
        elif tag == "p" and "stamp" in self._in:
            self._in.remove("stamp")
        elif tag == "a" and "skip" in self._in:
            self._in.remove("skip")

    def handle_data(self, data: str) -> None:
        if "h1" in self._in:
            self.h1 += data
        if "stamp" in self._in:
            self.stamp_text += data
        if "skip" in self._in:
            self.skip += data


def parse(path: pathlib.Path) -> _Page:
    parser = _Page()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="session")
def corpus() -> dict:
    if not CORPUS.is_file():
        pytest.fail(f"{CORPUS} がありません。./scripts/build を実行してください / missing: run ./scripts/build",
                    pytrace=False)
    return json.loads(CORPUS.read_text(encoding="utf-8"))


def test_every_clause_has_its_page(site_dir: pathlib.Path, corpus: dict) -> None:
    assert corpus["clauses"], "コーパスに条文がありません / no clauses in the corpus"
    problems = []
    for clause in corpus["clauses"]:
        path = site_dir / "clauses" / f"{clause['id']}.html"
        if not path.is_file():
            problems.append(f"ページがありません / missing page: clauses/{clause['id']}.html")
        elif clause["title"] not in parse(path).h1:
            problems.append(f"clauses/{clause['id']}.html: 見出しに「{clause['title']}」がありません / title not in h1")
    assert not problems, "\n".join(problems)


def _item_lists(corpus: dict) -> dict[str, list[str]]:
    items = [i["id"] for i in corpus["items"]]
    lists = {"before": items, "after": items}
    for name, data in corpus["lists"].items():
        lists[name] = [i["id"] for i in data["items"]]
    return lists


def test_every_item_has_an_anchor(site_dir: pathlib.Path, corpus: dict) -> None:
    lists = _item_lists(corpus)
    assert {"before", "after", "selection", "self-check"} <= set(lists), sorted(lists)
    problems = []
    for name, item_ids in lists.items():
        assert item_ids, f"{name}: 項目がありません / no items"
        path = site_dir / "items" / f"{name}.html"
        if not path.is_file():
            problems.append(f"ページがありません / missing page: items/{name}.html")
            continue
        ids = parse(path).ids
        missing = [i for i in item_ids if i not in ids]
        if missing:
            problems.append(f"items/{name}.html: アンカーのない項目 / items without anchor: {missing}")
    assert not problems, "\n".join(problems)


def _pages(site_dir: pathlib.Path) -> list[pathlib.Path]:
    pages = sorted(site_dir.rglob("*.html"))
    assert pages, "site/ に HTML がありません / no HTML in site/"
    return pages


def test_every_page_shows_version_and_build_date(site_dir: pathlib.Path, corpus: dict) -> None:
    version = corpus["version"]
    want = re.compile(rf"^コーパス {re.escape(version)} ／ ビルド (\d{{4}}-\d{{2}}-\d{{2}})$")
    problems = []
    for path in _pages(site_dir):
        page = parse(path)
        rel = path.relative_to(site_dir)
        text = " ".join(page.stamp_text.split())
        match = want.match(text)
        if page.stamp is None or not match:
            problems.append(f"{rel}: フッターの版表示が違います / footer stamp: {text!r}")
        elif page.stamp.get("data-corpus-version") != version or page.stamp.get("data-build-date") != match.group(1):
            problems.append(f"{rel}: data 属性が表示と違います / data attributes differ: {page.stamp}")
    assert not problems, "\n".join(problems)


def test_every_page_has_the_skip_link(site_dir: pathlib.Path) -> None:
    # Material puts the skip link on pages with a table of contents; 404.html
    # (Material's own "not found" page, one heading and no content) has none.
    problems = []
    for path in _pages(site_dir):
        if path.name == "404.html" and path.parent == site_dir:
            continue
        page = parse(path)
        if page.skip.strip() != "コンテンツにスキップ":
            problems.append(f"{path.relative_to(site_dir)}: スキップリンクがありません / no skip link")
    assert not problems, "\n".join(problems)
