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


@pytest.fixture
def page(browser: Browser, site_url: str) -> Iterator[Page]:
    # bypass_csp: Playwright's own polling (wait_for_function) compiles its predicate with eval, which
    # the pages' Content-Security-Policy refuses. test_hostile_pages.py runs the site under the policy
    # (no bypass): the Pyodide pages work and requests outside the site are refused.
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(15_000)
    requests: list[str] = []
    outside: list[str] = []
    errors: list[str] = []

    def on_request(req: Request) -> None:
        requests.append(req.url)
        if not is_inside_site(req.url, site_url):
            outside.append(req.url)

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            errors.append(f"console.error: {msg.text} ({msg.location.get('url', '')})")

    context.on("request", on_request)
    page = context.new_page()
    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.requests = requests  # type: ignore[attr-defined] - for tests that inspect them
    try:
        yield page
    finally:
        context.close()
    assert not outside, f"サイトの外へのリクエスト / requests outside the site ({site_url}): {outside}"
    assert not errors, f"コンソールのエラー / console errors: {errors}"
