"""Every page works under the server's Content-Security-Policy (scripts, styles and fetches from
the server only; no inline script or style): opened in Chromium with the policy enforced, each page
renders and the browser reports no violation."""

from __future__ import annotations

import uuid

import pytest

from tests.support.server import RunningServer
from tests.web.conftest import login_in_page

pytestmark = pytest.mark.browser


def test_every_page_runs_under_the_content_security_policy(
    demo_server: RunningServer, open_page
) -> None:
    ticket = demo_server.client(demo_server.kiosk_token).issue_ticket(
        "civil-extract", idempotency_key=str(uuid.uuid4())
    )
    opened = demo_server.login("clerk1").open_file("civil-extract", {"name": "Rania Haddad"}, [])
    pages = [
        ("/board?lang=ar", None, "#waiting li"),
        ("/integrity?lang=ar", None, "#report:not(.hidden)"),
        (f"/t/{ticket['status_url'].rsplit('/', 1)[-1]}", None, "#ticket:not(.hidden)"),
        (f"/f/{opened['reference']}", None, "#file:not(.hidden)"),
        ("/f/AAAA-AAAA-A", None, "#lookup:not(.hidden)"),
        ("/dashboard?lang=ar", "manager", "#tiles .tile"),
        ("/admin?lang=en", "admin", "#services tbody tr"),
    ]
    for path, who, ready in pages:
        recorded = open_page(1280, 900, enforce_csp=True)
        page = recorded.page
        violations: list[str] = []
        page.on(
            "console",
            lambda message, seen=violations: (
                seen.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        answer = page.goto(f"{demo_server.url}{path}")
        assert "script-src 'self'" in answer.headers["content-security-policy"]
        if who:
            login_in_page(page, demo_server, who)
        page.wait_for_selector(ready, state="attached")
        assert violations == [], (path, violations)
