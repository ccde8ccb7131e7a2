"""The portal's booking and complaint pages in headless Chromium, on the real network of
``test_portal_forward.py`` (hub, leaves, centers): book in English (the QR code opens the
center's own booking page), cancel; the link cut → the refusal shown, nothing booked; a complaint
filed and followed in Arabic. Screenshots under ``tests/artifacts/portal/``.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from nafitha.client import Client
from nafitha.formats import format_time, format_wait
from tests.portal.test_portal_forward import Net, net
from tests.web.conftest import browser

__all__ = ["browser", "net"]

pytestmark = [pytest.mark.slow, pytest.mark.browser]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "portal"


def _page(browser, lang: str):
    context = browser.new_context(viewport={"width": 390, "height": 900}, locale=lang)
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )  # a failed load is told by the response below, with its address
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, errors


def _choose_slot(page) -> None:
    # (the page's CSP forbids eval: wait_for_function's string predicates; locators instead)
    page.locator("#service option").first.wait_for(state="attached")
    page.locator("#slot option").first.wait_for(state="attached")


def _until(page, what: str, check) -> None:
    for _ in range(100):
        if check():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {what}")


def _decode_qr(png: bytes) -> list[str]:
    import zxingcpp
    from PIL import Image

    return [c.text for c in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))]


def test_booking_on_the_portal_page_in_english_then_cancel(net: Net, browser) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    net.fresh_bucket()
    context, page, errors = _page(browser, "en")
    try:
        page.goto(f"{net.url}/centers/c1/book?lang=en")
        assert page.locator("html").get_attribute("dir") == "ltr"
        _choose_slot(page)
        assert page.locator("#phone").is_visible()  # the demo center asks for a phone (optional)
        assert page.locator("#notify-box").is_hidden()  # no messages at this center
        page.fill("#phone", "+961 70 123 456")
        page.screenshot(path=str(ARTIFACTS / "forward-book-en.png"), full_page=True)
        page.click("#book")
        page.wait_for_selector("#booking:not([hidden])")
        code = page.text_content("#booking-code") or ""
        canonical = code.replace("-", "")
        assert net.rows(
            "c1", "SELECT by, status, phone FROM bookings WHERE code = ?", canonical
        ) == [("portal", "booked", "+96170123456")]
        center_page = f"{net.net.centers['c1'].url}/a/{code}"
        assert page.get_attribute("#booking-link", "href") == center_page
        qr = page.locator("#booking-qr")
        _until(page, "the QR code", lambda: qr.evaluate("img => img.naturalWidth") > 0)
        assert _decode_qr(page.locator("#booking-qr").screenshot()) == [center_page]
        assert page.text_content("#booking-status") == "Booked"
        page.screenshot(path=str(ARTIFACTS / "forward-booked-en.png"), full_page=True)
        page.locator("#move-slot option").first.wait_for(state="attached")
        day, start = (page.input_value("#move-slot")).split(" ")
        page.click("#move")
        shown_day = "/".join(reversed(day.split("-")))  # 29/11/2026: one date format
        expect(page.locator("#booking-when")).to_contain_text(f"{shown_day} {start}")
        assert net.rows("c1", "SELECT day, start FROM bookings WHERE code = ?", canonical) == [
            (day, start)
        ]
        page.click("#cancel")
        expect(page.locator("#booking-status")).to_have_text("Cancelled")
        assert net.rows("c1", "SELECT status FROM bookings WHERE code = ?", canonical) == [
            ("cancelled",)
        ]
        assert errors == []
    finally:
        context.close()


def test_a_cut_link_shows_the_refusal_and_books_nothing(net: Net, browser) -> None:
    net.fresh_bucket()
    context, page, _ = _page(browser, "ar")
    try:
        page.goto(f"{net.url}/centers/c2/book?lang=ar")
        assert page.locator("html").get_attribute("dir") == "rtl"
        _choose_slot(page)
        before = net.rows("c2", "SELECT count(*) FROM bookings")[0][0]
        net.links["c2"].cut()
        try:
            page.click("#book")
            page.wait_for_selector("#error:not([hidden])", timeout=20_000)
            assert "راجع المركز" in (page.text_content("#error") or "")
            assert page.locator("#booking").is_hidden()
            page.screenshot(path=str(ARTIFACTS / "forward-cut-ar.png"), full_page=True)
        finally:
            net.links["c2"].restore()
        assert net.rows("c2", "SELECT count(*) FROM bookings")[0][0] == before
        net.wait_for("c2 answering again", lambda: net.answering("c2"))
    finally:
        context.close()


@pytest.mark.parametrize(("lang", "phone"), [("ar", "03 777 001"), ("en", "03 777 002")])
def test_a_place_in_todays_queue_taken_on_the_portal_page(
    net: Net, browser, lang: str, phone: str
) -> None:
    """The join page lists the center's services with its own figures; the place's page tells
    the come-back and confirm-by times in the center's zone and shows the QR the kiosk scans."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    net.fresh_bucket()
    center = net.net.centers["c1"]
    clerk = Client(center.url, timeout=10)
    clerk.login("clerk8", "demo", "c8")  # counter 8 serves work permits: places can be taken
    clerk.request("POST", "/api/v1/tickets", json_body={"service": "work-permit"})
    context, page, errors = _page(browser, lang)
    try:
        page.goto(f"{net.url}/centers/c1/join?lang={lang}")
        page.locator("#j-service option").first.wait_for(state="attached")
        page.select_option("#j-service", "work-permit")
        queue = next(s["queue"] for s in clerk.services()["services"] if s["id"] == "work-permit")
        label = page.locator("#j-service option:checked").text_content() or ""
        assert format_wait(queue["wait_minutes"], lang) in label, label
        expect(page.locator("#j-figures")).to_contain_text(format_wait(queue["wait_minutes"], lang))
        page.fill("#j-phone", phone)
        page.screenshot(path=str(ARTIFACTS / f"forward-join-{lang}.png"), full_page=True)
        page.click("#join")
        page.wait_for_url("**/centers/c1/places/**")
        expect(page.locator("#place")).to_be_visible()
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        token = page.url.split("/places/", 1)[1].split("?", 1)[0]
        place = requests.get(f"{net.api('c1')}/places/{token}", timeout=15).json()
        zone = place["timezone"]
        expect(page.locator("#p-back")).to_have_text(format_time(place["come_back_at"], zone))
        confirm_by = page.locator("#p-confirm-by").text_content() or ""
        assert format_time(place["expires_at"], zone) in confirm_by
        expect(page.locator("#p-ahead")).to_have_text(str(place["people_ahead"]))
        expect(page.locator("#p-wait")).to_have_text(format_wait(place["wait_minutes"], lang))
        qr = page.locator("#p-qr")
        expect(qr).to_be_visible()
        _until(page, "the QR drawn", lambda: qr.evaluate("img => img.naturalWidth") > 0)
        assert _decode_qr(qr.screenshot()) == [f"{center.url}/p/{token}"]  # the kiosk's scan
        page.screenshot(path=str(ARTIFACTS / f"forward-place-{lang}.png"), full_page=True)
        clerk.confirm_place(token)  # scanned at the kiosk: the page says the ticket's number
        page.reload()
        expect(page.locator("#p-state")).to_contain_text(
            clerk.confirm_place(token)["ticket"]["number"]
        )
        assert page.locator("#p-qr-box").is_hidden()
        assert errors == []
    finally:
        context.close()


def test_a_complaint_filed_and_followed_in_arabic(net: Net, browser) -> None:
    net.fresh_bucket()
    context, page, errors = _page(browser, "ar")
    try:
        page.goto(f"{net.url}/centers/c1/complaint?lang=ar")
        page.locator("#kind option").first.wait_for(state="attached")
        text = 'لا توجد مقاعد كافية في قاعة الانتظار <b>bold?</b> "RLO\u202e"'
        page.fill("#text", text)
        page.screenshot(path=str(ARTIFACTS / "forward-complaint-ar.png"), full_page=True)
        page.click("#send")
        page.wait_for_selector("#filed:not([hidden])")
        reference = page.text_content("#filed-reference") or ""
        assert net.rows(
            "c1", "SELECT channel FROM complaints WHERE reference = ?", reference.replace("-", "")
        ) == [("portal",)]
        page.click("#follow")
        page.wait_for_selector("#complaint:not([hidden])")
        assert page.text_content("#c-reference") == reference
        shown = page.text_content("#c-text") or ""
        assert "<b>bold?</b>" in shown  # shown as text, never as markup
        assert page.locator("#c-text b").count() == 0
        assert page.text_content("#c-status")
        page.screenshot(path=str(ARTIFACTS / "forward-follow-ar.png"), full_page=True)
        assert errors == []
    finally:
        context.close()


def test_a_complaint_about_a_visit_names_the_ticket_printed_on_the_paper_in_english(
    net: Net, browser
) -> None:
    from nafitha.client import Client

    net.fresh_bucket()
    kiosk = Client(net.net.centers["c2"].url, token="demo-kiosk-1", timeout=10)
    ticket = kiosk.issue_ticket("passport-new")
    typed = ticket["number"].replace("-", " ").lower()  # as people type it: "p 007"
    context, page, errors = _page(browser, "en")
    try:
        page.goto(f"{net.url}/centers/c2/complaint?lang=en")
        page.locator("#about option").first.wait_for(state="attached")
        assert page.input_value("#about") == "service" and page.is_visible("#c-service")
        page.select_option("#about", "center")  # about the center: no service, no ticket
        assert page.is_hidden("#service-box") and page.is_hidden("#visit-box")
        page.select_option("#about", "visit")
        assert page.is_visible("#ticket-number") and page.is_visible("#c-service")
        page.select_option("#topic", "long_wait")
        page.fill("#ticket-number", "nothing like a number")  # a typo: told at once, nothing filed
        assert not page.is_checked("#anonymous")  # a ticket named is not anonymous
        page.click("#send")
        page.wait_for_selector("#error:not([hidden])")
        assert "printed on your ticket" in (page.text_content("#error") or "")
        page.fill("#ticket-number", typed)
        page.screenshot(path=str(ARTIFACTS / "forward-complaint-visit-en.png"), full_page=True)
        page.click("#send")
        page.wait_for_selector("#filed:not([hidden])")
        reference = (page.text_content("#filed-reference") or "").replace("-", "")
        row = net.rows(
            "c2",
            "SELECT about, service, ticket_id, channel, topic FROM complaints WHERE reference = ?",
            reference,
        )
        assert row == [("visit", "passport-new", ticket["id"], "portal", "long_wait")]
        assert [e for e in errors if not e.startswith("422 ")] == []  # the typo's refusal only
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_pages_have_no_serious_accessibility_violation(net: Net, browser, lang: str) -> None:
    from types import SimpleNamespace

    from tests.web.test_pages import check_accessibility

    net.fresh_bucket()
    Client(net.net.centers["c2"].url, timeout=10).login("clerk8", "demo", "c8")  # places open
    body = {
        "service": "work-permit",
        "phone": f"03 777 10{['ar', 'en'].index(lang)}",
        "lang": lang,
    }
    joined = requests.post(net.api("c2") + "/places", json=body, timeout=15)
    assert joined.status_code == 201, joined.text
    # axe is injected as an inline script: this context alone bypasses the pages' CSP
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    try:
        page = context.new_page()
        for path, ready in (
            ("/centers/c1/book", "#slot option"),
            ("/centers/c2/complaint", "#kind option"),
            ("/centers/c2/join", "#j-service option"),
            (f"/centers/c2/places/{joined.json()['token']}", "#place:not([hidden])"),
        ):
            page.goto(f"{net.url}{path}?lang={lang}")
            page.locator(ready).first.wait_for(state="attached")
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
            check_accessibility(SimpleNamespace(page=page))
    finally:
        context.close()
