"""Every page in both languages: screenshots to look at, an axe-core check run in the page,
right-to-left Arabic, and no request to any address outside the server."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.support.server import RunningServer
from tests.web.conftest import Recorded, login_in_page, open_admin_tab

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
LANGS = ("ar", "en")


def check_accessibility(recorded: Recorded) -> None:
    """axe-core, run inside the page: no serious or critical violation."""
    page = recorded.page
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert bad == [], bad


def check_page(recorded: Recorded, server: RunningServer, lang: str, shot: Path) -> None:
    page = recorded.page
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
    # The page's own font is in use (served by the server, not the system's).
    assert page.evaluate("document.fonts.check('16px Vazirmatn')")
    page.screenshot(path=str(shot), full_page=True)
    check_accessibility(recorded)
    assert recorded.outside(server.url) == []


def issue(server: RunningServer, service: str) -> dict:
    kiosk = server.client(server.kiosk_token)
    return kiosk.issue_ticket(service, idempotency_key=str(uuid.uuid4()))


def token_of(ticket: dict) -> str:
    return ticket["status_url"].rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def called_token(demo_server: RunningServer) -> str:
    """A birth registration ticket called to counter 3 (which serves it)."""
    ticket = issue(demo_server, "birth-registration")
    called = demo_server.login("clerk3", counter="c3").call_next("c3")
    assert called is not None and called["number"] == ticket["number"]
    return token_of(ticket)


@pytest.mark.parametrize("lang", LANGS)
def test_board_page(demo_server: RunningServer, open_page, artifacts: Path, lang: str) -> None:
    recorded = open_page(1920, 1080)
    recorded.page.goto(f"{demo_server.url}/board?lang={lang}")
    recorded.page.wait_for_function("window.NFBoard && window.NFBoard.Board.stream !== null")
    check_page(recorded, demo_server, lang, artifacts / f"web-page-board-{lang}.png")


@pytest.mark.parametrize("lang", LANGS)
def test_ticket_page_live_on_a_phone(
    demo_server: RunningServer, open_page, artifacts: Path, lang: str
) -> None:
    issue(demo_server, "work-permit")
    mine = issue(demo_server, "work-permit")
    recorded = open_page(360, 740, locale="ar-LB" if lang == "ar" else "en-US")
    page = recorded.page
    page.goto(f"{demo_server.url}/t/{token_of(mine)}")
    page.wait_for_selector("#ticket:not(.hidden)")
    ahead = int(page.inner_text("#ahead"))
    assert ahead >= 1
    check_page(recorded, demo_server, lang, artifacts / f"web-page-ticket-{lang}.png")
    # Live: the citizen ahead is called (counter 8 serves work permits); one fewer, no reload.
    clerk = demo_server.login("clerk8", counter="c8")
    called = clerk.call_next("c8")
    clerk.ticket_action(called["id"], "finish")
    page.wait_for_function(
        "n => document.getElementById('ahead').textContent === String(n)", arg=ahead - 1
    )


def test_called_ticket_shows_the_counter_big(
    demo_server: RunningServer, called_token: str, open_page, artifacts: Path
) -> None:
    recorded = open_page(360, 740, locale="ar")
    page = recorded.page
    page.goto(f"{demo_server.url}/t/{called_token}")
    page.wait_for_selector("#called:not(.hidden)")
    assert page.inner_text("#counter-name").strip() != ""
    check_page(recorded, demo_server, "ar", artifacts / "web-page-ticket-called-ar.png")
    page.click("[data-switch-lang]")
    page.wait_for_function("document.documentElement.dir === 'ltr'")
    assert "Counter" in page.inner_text("#counter-name")
    page.screenshot(path=str(artifacts / "web-page-ticket-called-en.png"))


@pytest.mark.parametrize("lang", LANGS)
def test_file_page_as_the_kiosk_shows_it(
    demo_server: RunningServer, open_page, artifacts: Path, lang: str
) -> None:
    clerk = demo_server.login("clerk1")
    opened = clerk.open_file(
        "civil-extract", {"name": "Rania Haddad", "national_id": "123456", "phone": "03123456"}, []
    )
    recorded = open_page(360, 740, locale="ar-LB" if lang == "ar" else "en-US")
    page = recorded.page
    page.goto(f"{demo_server.url}/f/{opened['reference']}")
    page.wait_for_selector("#file:not(.hidden)")
    assert page.inner_text("#reference") == opened["reference"]
    assert not page.is_hidden("#missing-card")  # no document was handed in
    text = page.inner_text("body")
    assert "Rania" not in text and "123456" not in text  # no personal data on the public page
    check_page(recorded, demo_server, lang, artifacts / f"web-page-file-{lang}.png")
    # A mistyped reference is told apart from an unknown one.
    wrong = opened["reference"][:-1] + ("X" if opened["reference"][-1] != "X" else "Y")
    page.goto(f"{demo_server.url}/f/{wrong}")
    page.wait_for_selector("#problem-box:not(.hidden)")
    assert page.get_attribute("#problem", "data-t") in ("web.file_mistyped", "web.file_not_found")


@pytest.mark.parametrize("lang", LANGS)
def test_dashboard_page(demo_server: RunningServer, open_page, artifacts: Path, lang: str) -> None:
    recorded = open_page(1400, 1000)
    page = recorded.page
    page.goto(f"{demo_server.url}/dashboard?lang={lang}")
    page.wait_for_selector("#login:not(.hidden)")
    page.screenshot(path=str(artifacts / f"web-page-login-{lang}.png"))
    check_accessibility(recorded)
    login_in_page(page, demo_server, "manager")
    page.wait_for_function("document.body.dataset.statsLoaded !== undefined")
    check_page(recorded, demo_server, lang, artifacts / f"web-page-dashboard-{lang}.png")


def test_dashboard_refuses_a_clerk(demo_server: RunningServer, open_page) -> None:
    page = open_page().page
    page.goto(f"{demo_server.url}/dashboard?lang=en")
    page.fill("#login-form input[name=username]", "clerk2")
    page.fill("#login-form input[name=password]", demo_server.password)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#login-error:has-text('may not open')")
    assert page.is_hidden("#content")


@pytest.mark.parametrize("lang", LANGS)
def test_admin_pages(demo_server: RunningServer, open_page, artifacts: Path, lang: str) -> None:
    recorded = open_page(1400, 1000)
    page = recorded.page
    page.goto(f"{demo_server.url}/admin?lang={lang}")
    login_in_page(page, demo_server, "admin")
    page.wait_for_selector("#services tbody tr")
    check_page(recorded, demo_server, lang, artifacts / f"web-page-admin-services-{lang}.png")
    for tab in ("categories", "counters", "people", "devices", "audit"):
        open_admin_tab(page, tab)
        page.wait_for_selector(f"#tab-{tab}:not(.hidden) tbody tr")
        page.screenshot(path=str(artifacts / f"web-page-admin-{tab}-{lang}.png"), full_page=True)
        check_accessibility(recorded)
    assert recorded.outside(demo_server.url) == []


def test_admin_edits_are_saved_and_audited(demo_server: RunningServer, open_page) -> None:
    page = open_page().page
    page.goto(f"{demo_server.url}/admin?lang=en")
    login_in_page(page, demo_server, "admin")
    page.click('#services tr[data-id="criminal-record"] button.edit')
    page.fill("#service-editor input[name=name_en]", "Criminal record certificate (Form 1)")
    page.click("#service-editor button[type=submit]")
    page.wait_for_selector("#service-editor-status.ok")
    names = {s["id"]: s["name"]["en"] for s in demo_server.client().services()["services"]}
    assert names["criminal-record"] == "Criminal record certificate (Form 1)"

    open_admin_tab(page, "categories")
    category = page.locator('#categories tr[data-id="vehicles"]')
    category.locator("input[name=name_en]").fill("Vehicles and driving licences")
    category.locator("button").click()
    page.wait_for_selector("#status.ok")
    names = {c["id"]: c["name"]["en"] for c in demo_server.client().services()["categories"]}
    assert names["vehicles"] == "Vehicles and driving licences"

    open_admin_tab(page, "people")
    page.fill("#person-form input[name=username]", "newclerk")
    page.fill("#person-form input[name=password]", "s3cret-pass")
    page.click("#person-form button[type=submit]")
    page.wait_for_selector('#people tr[data-id="newclerk"]')
    demo_server.client().login("newclerk", "s3cret-pass")

    open_admin_tab(page, "audit")
    page.wait_for_selector("#audit tbody tr")
    log = page.inner_text("#audit")
    assert "Service «Criminal record certificate (Form 1)» changed" in log
    assert "Category «Vehicles and driving licences» changed" in log
    assert "Account newclerk added as clerk" in log
    assert "s3cret-pass" not in log and "_saved" not in log and "{" not in log
