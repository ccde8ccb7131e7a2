"""The admin page in real headless Chromium: a service added and edited with what citizens see most
(required documents, opening hours, category), mistakes shown at the field in the page's language
before anything is sent, counters' services as checkboxes, and the change log in words."""

from __future__ import annotations

import pytest

from nafitha.client import ApiError
from nafitha.text import t
from tests.support.server import RunningServer
from tests.web.conftest import login_in_page, open_admin_tab

pytestmark = pytest.mark.browser


def open_admin(open_page, server: RunningServer, lang: str, tab: str = "services"):
    recorded = open_page(1400, 1000, locale="ar-LB" if lang == "ar" else "en-GB")
    page = recorded.page
    page.goto(f"{server.url}/admin?lang={lang}&tab={tab}")
    login_in_page(page, server, "admin")
    return recorded


def service(server: RunningServer, service_id: str) -> dict:
    catalog = server.login("admin").request("GET", "/api/v1/admin/catalog")
    return next(s for s in catalog["services"] if s["id"] == service_id)


def test_a_service_is_added_with_documents_hours_and_category_then_edited(
    demo_server: RunningServer, open_page
) -> None:
    page = open_admin(open_page, demo_server, "en").page
    page.wait_for_selector("#services tbody tr")
    page.click("#add-service")
    editor = page.locator("#service-editor")
    editor.locator("input[name=id]").fill("tax-certificate")
    editor.locator("input[name=prefix]").fill("tx")
    editor.locator("input[name=name_ar]").fill("شهادة براءة ذمة ضريبية")
    editor.locator("input[name=name_en]").fill("Tax clearance certificate")
    editor.locator("select[name=category]").select_option("vehicles")
    page.click("#add-document")
    page.locator("#documents li input[name=document_ar]").fill("صورة الهوية")
    page.locator("#documents li input[name=document_en]").fill("Copy of the ID card")
    page.click("#add-hours")  # Monday to Friday 08:00-14:00 to start with
    page.locator("#hours li label.check:has-text('Fri') input").uncheck()
    page.locator("#hours li input[name=close]").fill("13:30")
    editor.locator("button[type=submit]").click()
    page.wait_for_selector("#service-editor-status.ok")
    added = service(demo_server, "tax-certificate")
    assert added["prefix"] == "TX" and added["category"] == "vehicles"
    assert added["documents"] == [{"ar": "صورة الهوية", "en": "Copy of the ID card"}]
    assert added["hours"] == [
        {"days": ["mon", "tue", "wed", "thu"], "open": "08:00:00", "close": "13:30:00"}
    ]
    public = {s["id"]: s for s in demo_server.client().services()["services"]}
    assert public["tax-certificate"]["category"] == "vehicles"

    # Edit an existing service: another category, one document less, no set hours.
    before = service(demo_server, "civil-extract")
    assert len(before["documents"]) >= 1
    page.click('#services tr[data-id="civil-extract"] button.edit')
    editor.locator("select[name=category]").select_option("vehicles")
    page.locator("#documents li").first.locator("button").click()
    while page.locator("#hours li").count():
        page.locator("#hours li button").first.click()
    editor.locator("button[type=submit]").click()
    page.wait_for_selector("#service-editor-status.ok")
    after = service(demo_server, "civil-extract")
    assert after["category"] == "vehicles" and after["hours"] == []
    assert after["documents"] == before["documents"][1:]

    # The change log says it in words, in both languages.
    open_admin_tab(page, "audit")
    page.wait_for_selector("#audit tbody tr")
    log = page.inner_text("#audit")
    assert "Service «Tax clearance certificate» added (letter TX)" in log
    page.click("[data-switch-lang]")
    page.wait_for_function("document.documentElement.dir === 'rtl'")
    log = page.inner_text("#audit")
    assert "أُضيفت الخدمة «شهادة براءة ذمة ضريبية» (الحرف TX)" in log
    assert "service_saved" not in log and '"' not in log


def test_mistakes_are_shown_at_the_field_in_the_pages_language(
    demo_server: RunningServer, open_page
) -> None:
    recorded = open_admin(open_page, demo_server, "ar")
    page = recorded.page
    page.wait_for_selector("#services tbody tr")
    puts: list[str] = []
    page.on("request", lambda r: puts.append(r.url) if r.method == "PUT" else None)
    page.click("#add-service")
    editor = page.locator("#service-editor")
    editor.locator("input[name=id]").fill("Bad Id")
    editor.locator("input[name=prefix]").fill("1")
    editor.locator("input[name=target_wait_min]").fill("0")
    page.click("#add-hours")
    page.locator("#hours li input[name=open]").fill("15:00")
    editor.locator("button[type=submit]").click()
    page.wait_for_selector("#service-editor .field-error")

    def error_of(selector: str) -> str:
        field = page.locator(selector)
        assert field.get_attribute("aria-invalid") == "true", selector
        return page.locator(f"#{field.get_attribute('aria-describedby')}").inner_text()

    assert error_of("#service-editor input[name=id]") == t("web.admin_error_id", "ar")
    assert error_of("#service-editor input[name=prefix]") == t("web.admin_error_prefix", "ar")
    assert error_of("#service-editor input[name=name_ar]") == t("web.admin_error_required", "ar")
    assert error_of("#service-editor input[name=target_wait_min]") == t(
        "web.admin_error_range", "ar", min=1, max=600
    )
    assert error_of("#hours li input[name=close]") == t("web.admin_error_hours_order", "ar")
    assert puts == []  # nothing was sent
    assert page.inner_text("#status") == ""  # nothing at the top of the page
    # Each message sits right after its own field, not in one list elsewhere.
    assert page.evaluate(
        """() => [...document.querySelectorAll('#service-editor .field-error')].every(e =>
             e.parentElement.querySelector(':scope > [aria-invalid]')
             || (e.previousElementSibling && e.previousElementSibling.matches('[aria-invalid]')))"""
    )
    # The switch translates the messages where they stand.
    page.click("[data-switch-lang]")
    page.wait_for_function("document.documentElement.dir === 'ltr'")
    assert error_of("#service-editor input[name=prefix]") == t("web.admin_error_prefix", "en")


def test_what_only_the_server_can_refuse_comes_in_catalog_words(
    demo_server: RunningServer,
) -> None:
    admin = demo_server.login("admin")
    counters = admin.request("GET", "/api/v1/admin/catalog")["counters"]
    c3 = next(c for c in counters if c["id"] == "c3")
    with pytest.raises(ApiError) as refused:
        admin.request("PUT", "/api/v1/admin/counters/c3", json_body={**c3, "number": 1})
    message = refused.value.message
    assert t("web.admin_error_number_taken", "ar", number=1) in message["ar"]
    assert t("web.admin_error_number_taken", "en", number=1) in message["en"]
    assert "duplicate" not in message["ar"] and "counters" not in message["ar"]


def test_counter_services_are_a_checkbox_list(demo_server: RunningServer, open_page) -> None:
    page = open_admin(open_page, demo_server, "en", "counters").page
    row = page.wait_for_selector('#counters tr[data-id="c2"]')
    assert page.locator("select[multiple]").count() == 0
    boxes = row.query_selector_all("input[type=checkbox][name=service]")
    assert len(boxes) == len(demo_server.client().services()["services"])
    row.query_selector("input[value='criminal-record']").check()
    row.query_selector("input[value='document-legalization']").uncheck()
    row.query_selector("button").click()
    page.wait_for_selector("#status.ok")
    counters = demo_server.login("admin").request("GET", "/api/v1/admin/catalog")["counters"]
    served = next(c for c in counters if c["id"] == "c2")["services"]
    assert "criminal-record" in served and "document-legalization" not in served

    # A counter with no service, or another counter's number, is refused at the field.
    row = page.locator('#counters tr[data-id="c2"]')
    while row.locator("input[type=checkbox]:checked").count():
        row.locator("input[type=checkbox]:checked").first.uncheck()
    row.locator("input[name=number]").fill("1")
    row.locator("button").click()
    page.wait_for_selector('#counters tr[data-id="c2"] .field-error')
    text = row.inner_text()
    assert t("web.admin_error_no_services", "en") in text
    assert t("web.admin_error_number_taken", "en", number=1) in text


def test_revoke_is_translated_as_revoking_access(demo_server: RunningServer, open_page) -> None:
    page = open_admin(open_page, demo_server, "ar", "devices").page
    button = page.wait_for_selector("#devices button.revoke")
    assert button.inner_text() == "سحب الصلاحية"
    assert "إلغاء" not in page.inner_text("#devices")
