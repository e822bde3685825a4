"""Crawl the whole site from index.html, over http and from file://.

One browser page per mode visits every page once (``page`` fixture: any
request outside the site or console error fails the test). From each page's
DOM it collects every ``a[href]`` and every ``id``; then it checks that
- every internal link to a page leads to a page that loads (HTTP 200 / the
  file exists) and ends in ``.html`` (folder links break on file://);
- every ``#anchor`` names an element id on the target page;
- every other internal file linked (``.zip``, ``.docx``, …) exists;
- every HTML page of site/ is reachable (404.html aside).
"""
from __future__ import annotations

import pathlib
import urllib.parse

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

# What a page tells the crawler: its element ids and its links (raw and resolved).
COLLECT = """() => ({
  ids: [...document.querySelectorAll('[id]')].map(e => e.id)
       .concat([...document.querySelectorAll('a[name]')].map(e => e.name)),
  links: [...document.querySelectorAll('a[href]')].map(a => [a.getAttribute('href'), a.href]),
})"""
NOT_CRAWLED = {"404.html"}  # shown by a web server for a missing page; nothing links to it


def _split(url: str) -> tuple[str, str]:
    target, _, fragment = url.partition("#")
    return target, urllib.parse.unquote(fragment)


def test_every_link_and_anchor_resolves(page: Page, site_url: str, site_dir: pathlib.Path) -> None:
    start = site_url + "index.html"
    queue = [start]
    ids: dict[str, set[str]] = {}  # page URL -> element ids
    anchors: list[tuple[str, str, str, str]] = []  # (from page, raw href, target page, fragment)
    assets: dict[str, str] = {}  # asset URL -> first page linking to it
    problems: list[str] = []

    def rel(url: str) -> str:
        return urllib.parse.unquote(url[len(site_url):]) if url.startswith(site_url) else url

    while queue:
        url = queue.pop(0)
        if url in ids:
            continue
        ids[url] = set()
        try:
            response = page.goto(url, wait_until="load")
        except PlaywrightError as exc:  # file:// : net::ERR_FILE_NOT_FOUND
            problems.append(f"{rel(url)}: 開けません / cannot open: {exc.message.splitlines()[0]}")
            continue
        if site_url.startswith("http") and (response is None or response.status != 200):
            problems.append(f"{rel(url)}: HTTP {response.status if response else '?'}")
            continue
        if not (site_dir / rel(url)).is_file():
            problems.append(f"{rel(url)}: site/ にファイルがありません / no such file in site/")
            continue
        found = page.evaluate(COLLECT)
        ids[url] = set(found["ids"])
        for raw, resolved in found["links"]:
            if not resolved.startswith(site_url):
                continue  # outside the site (mailto:, an external reference): never followed
            target, fragment = _split(resolved)
            path = rel(target)
            if path == "" or path.endswith("/"):
                problems.append(f"{rel(url)}: フォルダへのリンク（file:// で開けない）/ folder link: {raw}")
            elif path.endswith(".html"):
                if target not in ids:
                    queue.append(target)
                if fragment:
                    anchors.append((rel(url), raw, target, fragment))
            else:
                assets.setdefault(target, rel(url))

    for source, raw, target, fragment in anchors:
        if target in ids and ids[target] and fragment not in ids[target]:
            problems.append(f"{source}: アンカーがありません / missing anchor: {raw} (#{fragment} in {rel(target)})")

    for asset, source in sorted(assets.items()):
        path = rel(asset)
        if not (site_dir / path).is_file():
            problems.append(f"{source}: ファイルがありません / missing file: {path}")
        elif site_url.startswith("http"):
            status = page.request.head(asset).status
            if status != 200:
                problems.append(f"{source}: HTTP {status}: {path}")

    pages = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html")}
    unreached = sorted(pages - {rel(u) for u in ids} - NOT_CRAWLED)
    if unreached:
        problems.append(f"どこからもリンクされていないページ / pages no link reaches: {unreached}")

    assert not problems, "\n".join(problems)
    assert len(ids) >= 10, sorted(ids)  # the crawl really walked the site
