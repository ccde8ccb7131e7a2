"""The dashboard's text messages in headless Chromium, Arabic and English (docs/sms.md): the
period's messages sent, delivered, failed and given up and the opt-in rate (a ticket's holder
asking at the kiosk or on the phone page), per day, and the modem's state, which turns to "not
connected" within seconds of the modem going and back when it returns. Screenshots in
``tests/artifacts/sms/``."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from nafitha.harness.server import RunningServer, running_server
from nafitha.text import t
from server.store import outbox
from server.store.database import Database
from tests.web import conftest as web
from tests.web.conftest import login_in_page

browser = web.browser  # the web tests' fixtures: headless Chromium and its pages
open_page = web.open_page

pytestmark = pytest.mark.browser

PHONE = "+9613123456"


@pytest.fixture(scope="module")
def sms_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningServer, Path]]:
    folder = tmp_path_factory.mktemp("modem") / "sms"
    config = folder.parent / "server.toml"
    config.write_text(
        f'[sms]\nmode = "folder"\nfolder = "{folder}"\nquiet_start = 00:00:00\n'
        "quiet_end = 00:00:00\npoll_s = 0.05\n",
        encoding="utf-8",
    )
    data = tmp_path_factory.mktemp("server")
    with running_server(data, extra_args=["--config", str(config)]) as server:
        yield server, folder


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def a_day_of_messages(server: RunningServer) -> None:
    """Four tickets, one of whose holders asks for messages; two messages sent, one given up."""
    kiosk = server.client(server.kiosk_token)
    tickets = [kiosk.issue_ticket("civil-extract") for _ in range(4)]
    kiosk.ticket_notify(tickets[0]["token"], "03 123 456", "ar")
    db = Database(server.db)
    try:
        now = time.time()
        with db.write() as tx:
            for number in ("A-101", "A-102"):
                params = {"center": "Demo", "number": number, "counter": 2}
                outbox.queue_message(tx, "called", PHONE, "ar", params, now)
            given_up = outbox.queue_message(tx, "track_help", "+9613765432", "en", {}, now)
            tx.execute(
                "UPDATE sms_outbox SET state = 'failed', failed_at = ?, error = 'CMS 500',"
                " tries = 5 WHERE id = ?",
                [now, given_up],
            )
        wait_until(
            lambda: outbox.counts(db.read(), now - 60).get("delivered", 0) >= 2, 30, "the sending"
        )
    finally:
        db.close()


def open_dashboard(open_page, server: RunningServer, lang: str):
    recorded = open_page(1400, 1000, locale="ar-LB" if lang == "ar" else "en-GB")
    page = recorded.page
    page.goto(f"{server.url}/dashboard?lang={lang}")
    login_in_page(page, server, "manager")
    page.wait_for_function("document.body.dataset.smsLoaded !== undefined")
    return page


def figure(page, key: str) -> str:
    return page.get_attribute(f"#sms-tiles [data-figure='{key}']", "data-value")


def test_the_dashboard_shows_the_periods_messages_and_the_modem(
    sms_server,
    open_page,
    artifacts: Path,
) -> None:
    server, modem = sms_server
    a_day_of_messages(server)
    shots = artifacts / "sms"
    shots.mkdir(exist_ok=True)
    for lang in ("ar", "en"):
        page = open_dashboard(open_page, server, lang)
        assert page.is_visible("#sms")
        assert page.get_attribute("#sms-modem", "data-state") == "connected"
        assert page.inner_text("#sms-modem") == t("web.dash_sms_state_connected", lang)
        assert (figure(page, "sent"), figure(page, "delivered")) == ("2", "2")
        assert (figure(page, "failed"), figure(page, "given_up")) == ("1", "1")
        assert float(figure(page, "opt_in_rate")) == pytest.approx(0.25)
        assert page.inner_text("#sms-tiles [data-figure='opt_in_rate']") == "25%"
        today = page.query_selector("#sms-days tbody tr:last-child")
        assert today.inner_text().split("\t")[-2:] == ["1 / 4", "25%"]
        assert t("web.dash_sms_opt_in_rate", lang) in page.inner_text("#sms-days thead")
        page.locator("#sms").screenshot(path=str(shots / f"dashboard-sms-{lang}.png"))

    # the modem goes (its folder replaced by a file): the state turns within seconds
    away = modem.with_name("sms-away")
    shutil.move(modem, away)
    modem.write_text("not a folder", encoding="utf-8")
    try:
        began = time.monotonic()
        page.wait_for_selector("#sms-modem[data-state='fault:absent']", timeout=20000)
        print(f"the dashboard showed the modem gone after {time.monotonic() - began:.1f} s")
        assert page.inner_text("#sms-modem") == t("web.dash_sms_state_absent", "en")
        page.wait_for_selector("#now-alerts-list li[data-kind='sms_modem_absent']", timeout=20000)
        page.locator("#sms").screenshot(path=str(shots / "dashboard-sms-absent-en.png"))
    finally:
        modem.unlink()
        shutil.move(away, modem)
    page.wait_for_selector("#sms-modem[data-state='connected']", timeout=20000)


def test_without_messages_the_dashboard_has_no_messages_section(
    tmp_path: Path,
    open_page,
) -> None:
    with running_server(tmp_path) as server:
        page = open_dashboard_plain(open_page, server)
        page.wait_for_function("document.body.dataset.smsLoaded === 'none'")
        assert not page.is_visible("#sms")


def open_dashboard_plain(open_page, server: RunningServer):
    recorded = open_page(1400, 1000, locale="en-GB")
    page = recorded.page
    page.goto(f"{server.url}/dashboard?lang=en")
    login_in_page(page, server, "manager")
    return page
