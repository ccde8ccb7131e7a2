"""Fixtures of the web tests: headless Chromium (Debian's, driven by Playwright) and pages that
record every request they make, so a test can check nothing left the server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from nafitha.harness.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.server import RunningServer, demo_server  # noqa: F401 - a fixture


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium for one test module. Never for the session: Playwright's sync API keeps
    an event loop running in the main thread while it lives, so any later test in the same process
    calling ``asyncio.run`` (the national and hub tests) would fail, and a second sync Playwright
    (another module's) could not start; with ``pytest -n`` modules of every folder interleave."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Recorded:
    """A browser page and every URL it asked for."""

    page: object
    requests: list[str] = field(default_factory=list)

    def outside(self, server_url: str) -> list[str]:
        home = urlsplit(server_url).netloc
        return [
            u
            for u in self.requests
            if not u.startswith(("data:", "blob:")) and urlsplit(u).netloc != home
        ]


@pytest.fixture
def open_page(browser: object) -> Iterator[object]:
    """``open_page(width, height, locale, timezone_id, enforce_csp)`` → a :class:`Recorded` page
    in a fresh context; ``timezone_id`` is the browser's own zone (phones are often in UTC)."""
    contexts = []

    def make(
        width: int = 1280,
        height: int = 900,
        locale: str = "ar-LB",
        timezone_id: str = "UTC",
        enforce_csp: bool = False,
    ) -> Recorded:
        # Playwright's wait_for_function polls with eval, which the pages' CSP (script-src 'self')
        # forbids; tests bypass it unless they check the policy itself (tests/web/test_csp.py).
        context = browser.new_context(  # type: ignore[attr-defined]
            viewport={"width": width, "height": height},
            locale=locale,
            timezone_id=timezone_id,
            bypass_csp=not enforce_csp,
        )
        contexts.append(context)
        page = context.new_page()
        recorded = Recorded(page)
        page.on("request", lambda request: recorded.requests.append(request.url))
        return recorded

    yield make
    for context in contexts:
        context.close()


def login_in_page(page: object, server: RunningServer, username: str) -> None:
    """Sign in through the page's own form."""
    page.fill("#login-form input[name=username]", username)  # type: ignore[attr-defined]
    page.fill("#login-form input[name=password]", server.password)  # type: ignore[attr-defined]
    page.click("#login-form button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("#content:not(.hidden)")  # type: ignore[attr-defined]


def open_admin_tab(page: object, tab: str) -> None:
    """Open one of the admin page's tabs and wait until its rows are fetched again.

    The rows are replaced when the fetch answers, so typing into them before that is lost.
    """
    page.click(f"[data-tab={tab}]")  # type: ignore[attr-defined]
    page.wait_for_selector(f"#tab-{tab}:not(.hidden):not([aria-busy])")  # type: ignore[attr-defined]
