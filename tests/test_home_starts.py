"""The home page's 委託台帳 start appears only once the register page is in the build (issue 19, point 3)."""
from __future__ import annotations

import importlib.util
import pathlib
from types import SimpleNamespace

ROOT = pathlib.Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("home_starts", ROOT / "overrides/hooks/home_starts.py")
home_starts = importlib.util.module_from_spec(spec)
spec.loader.exec_module(home_starts)  # type: ignore[union-attr]

HOME = ('<nav class="itaku-starts"><p><a class="itaku-start" data-start="generator" href="generator/index.html">'
        '新しい委託の文書を作る<span>…</span></a>\n<a class="itaku-start" data-start="checklists" '
        'href="checklists/index.html">委託先を確認する<span class="itaku-start-desc">…</span></a></p></nav>')


class Files:
    def __init__(self, paths: set[str]):
        self.paths = paths

    def get_file_from_path(self, path: str):  # noqa: ANN201
        return object() if path in self.paths else None


def page(uri: str) -> SimpleNamespace:
    return SimpleNamespace(file=SimpleNamespace(src_uri=uri))


def test_no_register_page_no_start():
    assert home_starts.on_page_content(HOME, page("index.md"), None, Files({"index.md"})) == HOME


def test_register_start_follows_the_checklists_start():
    out = home_starts.on_page_content(HOME, page("index.md"), None, Files({"index.md", "register/index.md"}))
    assert out.count('data-start="register"') == 1
    assert out.index('data-start="checklists"') < out.index('data-start="register"') < out.index("</p></nav>")
    assert 'href="register/index.html"' in out and "委託台帳" in out
    again = home_starts.on_page_content(out, page("index.md"), None, Files({"register/index.md"}))
    assert again == out
    other = home_starts.on_page_content(HOME, page("about.md"), None, Files({"register/index.md"}))
    assert other == HOME
