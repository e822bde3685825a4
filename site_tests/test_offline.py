"""Static checks of the built site: nothing it loads comes from outside.

The browser tests catch requests that actually happen; these checks catch
references on pages the browser tests do not open.
"""
from __future__ import annotations

import html.parser
import pathlib
import re

import pytest

CDN = re.compile(
    r"(unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|"
    r"fonts\.gstatic\.com|googletagmanager\.com|google-analytics\.com)"
)
# Material's bundle names two CDN scripts it loads only on demand: a
# ResizeObserver polyfill (every supported browser has ResizeObserver) and
# Mermaid (only for ```mermaid blocks, which the site must not use).
# (Written without the scheme, so the repository holds no CDN URL.)
DORMANT_IN_BUNDLE = {
    "unpkg.com/resize-observer-polyfill",
    "unpkg.com/mermaid@11/dist/mermaid.min.js",
}
RESOURCE_ATTRS = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
}


class _Resources(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self.mermaid = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in RESOURCE_ATTRS.get(tag, ()):
            if values.get(name):
                self.urls.append(values[name] or "")
        if tag == "script" and values.get("src"):
            self.scripts.append(values["src"] or "")
        if "mermaid" in (values.get("class") or "").split():
            self.mermaid = True


def _remote(url: str) -> bool:
    return bool(re.match(r"^\s*([a-z][a-z0-9+.-]*:)?//", url, re.I))


def _pages(site_dir: pathlib.Path) -> list[pathlib.Path]:
    pages = sorted(site_dir.rglob("*.html"))
    assert pages, "site/ に HTML がありません / no HTML in site/"
    return pages


def test_pages_load_nothing_from_outside(site_dir: pathlib.Path) -> None:
    problems = []
    for path in _pages(site_dir):
        text = path.read_text(encoding="utf-8")
        parser = _Resources()
        parser.feed(text)
        rel = path.relative_to(site_dir)
        problems += [f"{rel}: {url}" for url in parser.urls if _remote(url)]
        problems += [f"{rel}: CDN {m.group(0)}" for m in CDN.finditer(text)]
        if parser.mermaid:
            problems.append(f"{rel}: mermaid (Material would load it from unpkg.com)")
    assert not problems, problems


def test_every_page_loads_the_local_search_polyfill(site_dir: pathlib.Path) -> None:
    assert (site_dir / "assets/vendor/iframe-worker/shim.js").is_file()
    missing = []
    for path in _pages(site_dir):
        parser = _Resources()
        parser.feed(path.read_text(encoding="utf-8"))
        if not any(src.endswith("assets/vendor/iframe-worker/shim.js") for src in parser.scripts):
            missing.append(str(path.relative_to(site_dir)))
    assert not missing, missing


@pytest.mark.parametrize("suffix", ["css", "js"])
def test_assets_name_no_cdn(site_dir: pathlib.Path, suffix: str) -> None:
    problems = []
    for path in sorted(site_dir.rglob(f"*.{suffix}")):
        text = path.read_text(encoding="utf-8", errors="replace")
        rel = path.relative_to(site_dir)
        if suffix == "css":
            problems += [f"{rel}: {u}" for u in re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", text)]
            problems += [f"{rel}: @import {u}" for u in re.findall(r"@import\s+['\"]((?:https?:)?//[^'\"]+)", text)]
        for match in CDN.finditer(text):
            url = re.match(r"https?://[^\"'`\s)]+", text[max(0, match.start() - 8):])
            found = url.group(0) if url else match.group(0)
            bare = re.sub(r"^https?://", "", found)
            if rel.parts[:2] == ("assets", "javascripts") and bare in DORMANT_IN_BUNDLE:
                continue
            problems.append(f"{rel}: {found}")
    assert not problems, problems
