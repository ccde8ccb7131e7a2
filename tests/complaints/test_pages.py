"""The complaint phone pages and the manager's page in real headless Chromium, both languages.

Screenshots go to tests/artifacts/complaints/. A script, an HTML tag or a direction override
typed by a citizen is shown as inert text on the phone page and on the manager's page.
"""

from __future__ import annotations

import uuid

import pytest

from nafitha.reference import kind_of
from nafitha.text import t
from tests.complaints.conftest import ARTIFACTS
from tests.support.server import RunningServer

pytestmark = pytest.mark.browser

XSS = (
    '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
    '\u202eevil\u202c <a href="javascript:window.__xss=3">click</a>'
)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def file_by_kiosk(server: RunningServer, text: str) -> str:
    answer = server.client(server.kiosk_token).request(
        "POST",
        "/api/v1/complaints",
        json_body={"kind": "complaint", "about": "center", "topic": "staff_conduct", "text": text},
    )
    return answer["reference"]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_citizen_files_from_the_phone_and_follows_it_to_the_answer(
    demo_server: RunningServer, open_page, lang: str
) -> None:
    page = open_page(390, 844, locale="ar-LB" if lang == "ar" else "en-US").page
    page.goto(f"{demo_server.url}/c?lang={lang}")
    page.wait_for_selector("#topics input")
    assert page.inner_text("h1") == t("complaints.c_new_title", lang)
    page.check("input[name=kind][value=complaint]")
    page.check("input[name=about][value=service]")
    page.select_option("#service", "civil-extract")
    page.check("input[name=topic][value=long_wait]")
    words = "انتظرت ساعتين والشاشة متوقفة" if lang == "ar" else "Two hours and the board froze"
    page.fill("#text", words)
    shot(page, f"new-{lang}.png")
    page.click("#send")
    page.wait_for_selector("#sent:not(.hidden)")
    reference = page.inner_text("#sent-reference")
    assert kind_of(reference) == "complaint"
    assert t("complaints.reference_label", lang) in page.inner_text("#sent")
    shot(page, f"sent-{lang}.png")
    manager = demo_server.login("manager")
    manager.request(
        "POST",
        f"/api/v1/complaints/{reference}/answer",
        json_body={
            "text": "سنضيف موظفاً." if lang == "ar" else "We are adding a clerk.",
            "lang": lang,
        },
    )
    page.click("#sent-link")
    page.wait_for_selector("#complaint:not(.hidden)")
    assert page.inner_text("#reference") == reference
    assert page.inner_text("#status") == t("complaints.status_answered", lang)
    assert page.inner_text("#text") == words
    assert page.inner_text("#answer") in ("سنضيف موظفاً.", "We are adding a clerk.")
    assert page.is_hidden("#no-answer")
    shot(page, f"follow-{lang}.png")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_file_reference_on_the_complaint_page_reads_as_mistyped(
    demo_server: RunningServer, open_page, lang: str
) -> None:
    from nafitha.reference import new_reference

    page = open_page(390, 844).page
    page.goto(f"{demo_server.url}/c/{new_reference(kind='file').printed}?lang={lang}")
    page.wait_for_selector("#problem-box:not(.hidden)")
    assert page.inner_text("#problem") == t("complaints.c_mistyped", lang)
    assert page.is_visible("#lookup-input")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_scripts_and_overrides_are_inert_on_the_phone_and_the_managers_page(
    demo_server: RunningServer, open_page, lang: str
) -> None:
    reference = file_by_kiosk(demo_server, f"{XSS} {uuid.uuid4().hex[:6]}")
    phone = open_page(390, 844).page
    phone.goto(f"{demo_server.url}/c/{reference}?lang={lang}")
    phone.wait_for_selector("#complaint:not(.hidden)")
    shown = phone.inner_text("#text")
    assert shown.startswith('<img src=x onerror="window.__xss=1"><script>')
    assert "\u202e" not in shown and "evil" in shown
    assert phone.evaluate("document.querySelectorAll('#text *').length") == 0
    assert phone.evaluate("window.__xss") is None
    shot(phone, f"xss-phone-{lang}.png")

    desk = open_page(1280, 900).page
    desk.goto(f"{demo_server.url}/complaints-admin?lang={lang}")
    desk.fill("#login-form input[name=username]", "manager")
    desk.fill("#login-form input[name=password]", "demo")
    desk.click("#login-form button[type=submit]")
    row = f'tr[data-reference="{reference}"]'
    desk.wait_for_selector(row)
    desk.click(row)
    desk.wait_for_selector("#detail [data-field=text]")
    assert desk.inner_text("#detail [data-field=text]") == shown
    assert desk.evaluate("document.querySelectorAll('#detail [data-field=text] *').length") == 0
    # the manager reviews and answers from the page; the answer is plain text too
    desk.click("#detail [data-action=review]")
    desk.wait_for_function("document.querySelector('#detail [data-action=review]') === null")
    desk.fill("#answer-text", "<b>bold</b> \u2066answer\u2069")
    desk.click("#detail [data-action=answer]")
    desk.wait_for_selector("#detail [data-field=answer]")
    assert desk.inner_text("#detail [data-field=answer]") == "<b>bold</b> answer"
    assert desk.evaluate("window.__xss") is None
    shot(desk, f"admin-{lang}.png")
    public = demo_server.client().request("GET", f"/api/v1/complaints/{reference}")
    assert public["status"] == "answered" and public["answer"] == "<b>bold</b> answer"


def test_the_ticket_page_links_a_complaint_to_the_visit(
    demo_server: RunningServer, open_page
) -> None:
    ticket = demo_server.client(demo_server.kiosk_token).issue_ticket(
        "civil-extract", idempotency_key=str(uuid.uuid4())
    )
    token = ticket["status_url"].rsplit("/", 1)[-1]
    page = open_page(390, 844, locale="en-US").page
    page.goto(f"{demo_server.url}/t/{token}?lang=en")
    page.wait_for_selector("#ticket:not(.hidden)")
    assert page.get_attribute("#complaint-link", "href") == f"/c?t={token}"
    page.click("#complaint-link")
    page.wait_for_selector("#topics input")
    assert page.is_checked("input[name=about][value=visit]")
    page.uncheck("#anonymous")
    assert page.is_visible("#visit-linked")
    page.check("input[name=topic][value=skipped_turn]")
    page.click("#send")
    page.wait_for_selector("#sent:not(.hidden)")
    reference = page.inner_text("#sent-reference")
    staff = demo_server.login("manager").request("GET", f"/api/v1/complaints/{reference}")
    assert staff["ticket_id"] == ticket["id"] and staff["about"] == "visit"
