"""The replica on the manager's dashboard, in real headless Chromium: a replica Litestream cannot
write shows as failing with its error, and its alert reads in the catalog's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from nafitha.harness.server import start_server
from nafitha.text import t
from tests.web.conftest import browser, login_in_page, open_page  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_a_failing_replica_shows_on_the_dashboard_with_its_alert(
    tmp_path: Path,
    open_page,  # noqa: F811 - the fixture
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the replica's folder should be")
    server = start_server(tmp_path / "center", extra_args=["--replica", f"file://{blocker}/c"])
    try:
        page = open_page(1400, 1000, locale="ar-LB").page
        page.goto(f"{server.url}/dashboard?lang=ar")
        login_in_page(page, server, "manager")
        status = page.wait_for_selector(
            "#replica:not(.hidden) #replica-status[data-status='failing']", timeout=30000
        )
        assert status.inner_text() == t("web.dash_replica_status_failing", "ar")
        assert page.inner_text("#replica-url") == f"file://{blocker}/c"
        assert "not a directory" in page.inner_text("#replica-error")
        alert = page.wait_for_selector(
            "#now-alerts-list li[data-kind='replica_failing']", timeout=15000
        )
        assert t("web.alert_replica_failing", "ar") in alert.inner_text()
    finally:
        server.stop()
