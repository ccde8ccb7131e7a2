"""The phone ticket page (/t/<token>) in real headless Chromium: "message me when my turn is near"
offered while the ticket waits on a server that sends messages, a refused number said in the
page's language, the masked number shown back, the choice remembered on reload; no form at all on
a server without ``[sms]``. Screenshots in tests/artifacts/sms/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nafitha.harness.server import RunningServer
from nafitha.paths import ROOT
from nafitha.text import t
from tests.support.server import running_server
from tests.web.conftest import browser, open_page  # noqa: F401 - the Chromium fixtures

pytestmark = pytest.mark.browser

SHOTS = ROOT / "tests" / "artifacts" / "sms"
SERVICE = "birth-registration"


@pytest.fixture(scope="module")
def sms_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    root = tmp_path_factory.mktemp("sms_page")
    config = root / "server.toml"
    config.write_text(f'[sms]\nmode = "folder"\nfolder = "{root / "modem"}"\n', "utf-8")
    with running_server(root / "server", extra_args=["--config", str(config)]) as server:
        yield server


def open_ticket(open_page, server: RunningServer, lang: str):  # noqa: F811
    ticket = server.client(server.kiosk_token).issue_ticket(SERVICE)
    recorded = open_page(390, 844, locale="ar-LB" if lang == "ar" else "en-US")
    page = recorded.page
    page.goto(f"{server.url}/t/{ticket['token']}?lang={lang}")
    page.wait_for_selector("#ticket:not(.hidden)")
    return page, ticket


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"phone_{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_form_refuses_a_landline_then_signs_up_a_mobile(
    sms_server: RunningServer,
    open_page,  # noqa: F811
    lang: str,
) -> None:
    page, ticket = open_ticket(open_page, sms_server, lang)
    page.wait_for_selector("#sms-box:not(.hidden)")
    assert page.text_content("#sms-title") == t("web.ticket_sms_title", lang)
    assert page.text_content("#sms-help") == t("web.ticket_sms_help", lang, ahead=3)
    shot(page, f"{lang}_form")
    page.fill("#sms-phone", "01 123 456")
    page.click("#sms-send")
    page.wait_for_function("document.getElementById('sms-error').textContent !== ''")
    error = page.text_content("#sms-error")
    reason = t("sms.phone_not_mobile", lang)
    assert error == t("sms.error_sms_phone_refused", lang, reason=reason)
    shot(page, f"{lang}_refused")
    page.fill("#sms-phone", "03 123 456")
    page.click("#sms-send")
    page.wait_for_selector("#sms-done:not(.hidden)")
    done = page.text_content("#sms-done")
    assert done == t("web.ticket_sms_done", lang, phone="+961…56")
    assert page.eval_on_selector("#sms-done bdi", "e => e.textContent") == "+961…56"
    assert page.is_hidden("#sms-form")
    shot(page, f"{lang}_done")
    status = sms_server.client().ticket_status(ticket["token"])
    assert status["sms"]["opted_in"] is True
    page.reload()
    page.wait_for_selector("#sms-done:not(.hidden)")
    assert page.text_content("#sms-done") == t("web.ticket_sms_on", lang)


def test_a_page_with_markup_in_the_answer_shows_it_as_text(
    sms_server: RunningServer,
    open_page,  # noqa: F811
) -> None:
    page, _ = open_ticket(open_page, sms_server, "en")
    page.wait_for_selector("#sms-box:not(.hidden)")
    page.fill("#sms-phone", "<img src=x onerror=alert(1)>")
    page.click("#sms-send")
    page.wait_for_function("document.getElementById('sms-error').textContent !== ''")
    assert page.eval_on_selector("#sms-error", "e => e.children.length") == 0
    assert "not a phone number" in page.text_content("#sms-error")


def test_no_form_on_a_server_without_messages(
    tmp_path: Path,
    open_page,  # noqa: F811
) -> None:
    with running_server(tmp_path / "plain") as server:
        page, _ = open_ticket(open_page, server, "ar")
        page.wait_for_function("document.getElementById('number').textContent !== ''")
        assert page.is_hidden("#sms-box")
