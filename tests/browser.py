"""Headless Chromium for the browser tests: the fixtures every browser test uses (loaded for
the whole suite by tests/conftest.py) and the viewports they look at pages in.

The browser is Debian's Chromium, never one that Playwright downloads. One browser serves
a whole module; each test gets a fresh page, and `site` the live server over the seed data.
"""

import io
import os
import re

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDE = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

# Runs in every page before its own scripts: records what the Content-Security-Policy blocked.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # (seeding, reading claims) are plain synchronous code all the same.
    env = pytest.MonkeyPatch()
    env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright = sync_api.sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()
    env.undo()


class OneRequestAtATime(WSGIServer):
    """The live server, when the test database is SQLite held in memory: every request
    thread would share the test's one connection to it, and two requests at once (the
    embed page and the JSON it fetches, say) were seen to leave both waiting inside that
    connection until the run was killed. Answered in turn, they cannot meet there.

    Why they wait: Python's sqlite3 reads a row's values while holding the GIL, and each
    read takes the connection's mutex; a query that runs a Python function inside SQLite
    (the month counts' TruncMonth is Django's django_date_trunc) holds that mutex and
    waits for the GIL to call it. One thread holds each lock and waits for the other.
    PostgreSQL keeps the threaded server: each request thread has its own connection."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def live_server_for_the_database():
    if connection.vendor == "sqlite":  # its test database is held in memory
        LiveServerThread.server_class = OneRequestAtATime
    yield
    LiveServerThread.server_class = ThreadedWSGIServer


@pytest.fixture
def site(transactional_db, live_server, browser):
    """The live server's base URL, over the seed data (as `make run` leaves the database)."""
    call_command("seed", stdout=io.StringIO())
    return live_server.url


class Console:
    """Everything a page reported as wrong: console errors, uncaught exceptions, CSP blocks."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"uncaught: {exc}"))

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console error on {self.page.url}: {message.text}")

    def check(self):
        for violation in self.page.evaluate("window.__cspViolations || []"):
            self.problems.append(f"CSP on {self.page.url}: {violation}")
        return self.problems


@pytest.fixture(scope="module")
def contexts(browser):
    """One browser context per viewport for the module (they hold no state the tests use)."""
    made = {}

    def context_for(viewport):
        key = (viewport["width"], viewport["height"])
        if key not in made:
            made[key] = browser.new_context(viewport=viewport)
            made[key].add_init_script(RECORD_CSP_VIOLATIONS)
        return made[key]

    yield context_for
    for context in made.values():
        context.close()


@pytest.fixture
def open_page(contexts):
    """A page factory: a fresh page in the viewport's context, recording console and CSP."""
    pages = []

    def open_(viewport=WIDE):
        page = contexts(viewport).new_page()
        page.set_default_timeout(10_000)
        page.console = Console(page)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        page.close()


def sign_in(page, site: str, username: str, password: str) -> None:
    """Sign in to the admin through its own form, as an editor does."""
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))
