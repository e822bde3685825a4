"""Browser tests of the built site, each run over http and from file://.

Fixtures:
- ``site_dir``: the built ``site/`` (fails clearly if it has not been built);
- ``http_base``: ``site/`` served over http on a free port (session);
- ``site_url``: parametrized ``http`` / ``file``, the base URL ending in ``/``;
- ``page``: a fresh Chromium page that records every request and every console
  error; after the test it fails if any request left the site or the console
  reported an error.

Chromium is Debian's ``/usr/bin/chromium`` (``playwright install`` cannot
download browsers here); ``CHROMIUM`` overrides the path.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENPYXL_LXML", "False")  # same XML as Pyodide (see itaku/__init__.py)

import functools
import http.server
import os
import pathlib
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Request, expect, sync_playwright

ROOT = pathlib.Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Never let a stray request reach the network: every host name but the test server's fails to resolve, and
    # an IP address goes to a closed proxy port. (A context.route did it per request, but Playwright's routing
    # turns the HTTP cache off: a test that navigates several pages or reloads fetched every script again.)
    # The page fixture still fails a test that made such a request.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",  # IP literals too: to a closed port (loopback is never proxied)
]
# The suite runs on two workers (pytest-xdist, scripts/test) on a two-core machine: an assertion waits
# as long as an action may (15 s) rather than Playwright's 5 s, so a busy machine is slow, not wrong.
expect.set_options(timeout=15_000)
# Schemes that never leave the page.
LOCAL_SCHEMES = ("blob:", "data:")


@pytest.fixture(scope="session")
def site_dir() -> pathlib.Path:
    if not (SITE / "index.html").is_file():
        pytest.fail(
            f"{SITE}/index.html がありません。先に ./scripts/build でサイトをビルドしてください / "
            f"{SITE}/index.html is missing: build the site first with ./scripts/build",
            pytrace=False,
        )
    return SITE


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@pytest.fixture(scope="session")
def http_base(site_dir: pathlib.Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(params=["http", "file"], ids=["http", "file"])
def site_url(request: pytest.FixtureRequest, site_dir: pathlib.Path) -> str:
    if request.param == "http":
        return request.getfixturevalue("http_base")
    return site_dir.as_uri() + "/"


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium がありません ({CHROMIUM})。./scripts/test が apt でインストールします / "
            f"Chromium not found at {CHROMIUM}: ./scripts/test installs it with apt",
            pytrace=False,
        )
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    try:
        yield browser
    finally:
        browser.close()


def is_inside_site(url: str, base: str) -> bool:
    return url.startswith(base) or url.startswith(LOCAL_SCHEMES)


VIEWPORT = {"width": 1280, "height": 900}


class Watched:
    """A page in its own browser context, with what it requested and the errors its console reported."""

    def __init__(self, browser: Browser, site_url: str) -> None:
        # bypass_csp: Playwright's own polling (wait_for_function) compiles its predicate with eval, which
        # the pages' Content-Security-Policy refuses. test_hostile_pages.py runs the site under the policy
        # (no bypass): the Pyodide pages work and requests outside the site are refused.
        self.site_url = site_url
        self.context = browser.new_context(locale="ja-JP", viewport=VIEWPORT, bypass_csp=True)
        self.context.set_default_timeout(15_000)
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", self._on_request)
        self.page = self.context.new_page()
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.requests = self.requests  # type: ignore[attr-defined] - for tests that inspect them

    def _on_request(self, req: Request) -> None:
        self.requests.append(req.url)
        if not is_inside_site(req.url, self.site_url):
            self.outside.append(req.url)

    def _on_console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self.errors.append(f"console.error: {msg.text} ({msg.location.get('url', '')})")

    def forget(self) -> None:
        """Start a new test's record (a reused page)."""
        self.requests.clear()
        self.outside.clear()
        self.errors.clear()

    def assert_clean(self) -> None:
        assert not self.outside, f"サイトの外へのリクエスト / requests outside the site ({self.site_url}): {self.outside}"
        assert not self.errors, f"コンソールのエラー / console errors: {self.errors}"


@pytest.fixture
def page(browser: Browser, site_url: str) -> Iterator[Page]:
    watched = Watched(browser, site_url)
    try:
        yield watched.page
    finally:
        watched.context.close()
    watched.assert_clean()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, "report_" + report.when, report)  # the fixtures below read whether the test failed


# ---------------------------------------------------------------- one generator page per worker and mode
# Starting Python in a page costs ~10 s of CPU (Pyodide, our wheel, openpyxl, the warm-up): most of the
# browser suite's time. Tests that begin on a fresh form and never reload it share one generator page per
# worker and way of opening (http, file): between them the page is brought back to a fresh form with the
# user's own 「最初からやり直す」; a test that failed leaves its page to be closed, not reused.
GENERATOR_READY_MS = 90_000


def start_over(page: Page) -> None:
    """Bring the generator back to a fresh form, as 「最初からやり直す」 does, and clear what that leaves
    on screen (the undo offer, messages) so the next test sees what a fresh page shows."""
    if not page.url.endswith("generator/index.html"):  # the last test went on to another page
        raise RuntimeError(f"not on the generator page: {page.url}")
    page.set_viewport_size(VIEWPORT)
    page.wait_for_function("!('pending' in document.getElementById('generator').dataset)", timeout=30_000)
    for dialog, cancel in (("#itaku-reset-confirm", "#itaku-reset-cancel"),
                           ("#itaku-next-year-confirm", "#itaku-next-year-cancel")):
        if page.locator(dialog).is_visible():
            page.click(cancel)
    page.click("#itaku-reset")
    page.click("#itaku-reset-ok")
    page.wait_for_function("!('pending' in document.getElementById('generator').dataset)", timeout=30_000)
    page.evaluate("""() => {
        document.getElementById('itaku-undo').hidden = true;
        for (const id of ['itaku-load-message', 'itaku-identify-result']) {
            const node = document.getElementById(id);
            if (node) node.replaceChildren();
        }
        if (document.activeElement) document.activeElement.blur();
        window.scrollTo(0, 0);
    }""")


@pytest.fixture(scope="session")
def _shared_pages() -> Iterator[dict[tuple[str, str], Watched]]:
    """The pages kept between tests, by (kind, site_url): "generator" and "reading"."""
    pages: dict[tuple[str, str], Watched] = {}
    yield pages
    for watched in pages.values():
        watched.context.close()


@pytest.fixture
def generator_page(request: pytest.FixtureRequest, browser: Browser, site_url: str,
                   _shared_pages: dict[tuple[str, str], Watched]) -> Iterator[Page]:
    """The generator page on a fresh form, ready (Python started): shared by the tests of a worker."""
    watched = _shared_pages.pop(("generator", site_url), None)
    if watched is not None:
        try:
            start_over(watched.page)
        except Exception:  # noqa: BLE001 - a page the last test left unusable is replaced
            watched.context.close()
            watched = None
    if watched is None:
        watched = Watched(browser, site_url)
        watched.page.goto(site_url + "generator/index.html")
        watched.page.wait_for_function("document.getElementById('generator').dataset.state !== 'loading'",
                                       timeout=GENERATOR_READY_MS)
        assert watched.page.get_attribute("#generator", "data-state") == "ready", watched.page.inner_text("#generator")
    watched.forget()
    yield watched.page
    _keep_or_close(request, watched, _shared_pages, "generator")


def _keep_or_close(request: pytest.FixtureRequest, watched: Watched, store: dict[tuple[str, str], Watched],
                   kind: str) -> None:
    """After a test on a shared page: keep the page for the next test if this one passed cleanly, else close
    it (a failed test never hands its page on); then fail on requests outside the site or console errors."""
    report = getattr(request.node, "report_call", None)
    if report is not None and report.passed and not watched.outside and not watched.errors:
        store[(kind, watched.site_url)] = watched
    else:
        watched.context.close()
    watched.assert_clean()


# ---------------------------------------------------------------- one reading page per worker and mode
# A fresh browser context costs ~0.7 s of CPU (a renderer process, empty caches): 8 pages read in fresh
# contexts took 9.4 s of CPU, in one context 4.0 s. Tests that only go to pages and read them (axe, links)
# share one context per worker and way of opening; they change nothing a later test reads (no typing,
# no storage), and each starts from a navigation of its own.


@pytest.fixture
def reading_page(request: pytest.FixtureRequest, browser: Browser, site_url: str,
                 _shared_pages: dict[tuple[str, str], Watched]) -> Iterator[Page]:
    """A page for a test that only navigates and reads: shared by such tests of a worker (same checks as
    ``page``: requests outside the site and console errors fail the test)."""
    watched = _shared_pages.pop(("reading", site_url), None) or Watched(browser, site_url)
    watched.page.set_viewport_size(VIEWPORT)
    watched.forget()
    yield watched.page
    _keep_or_close(request, watched, _shared_pages, "reading")
