"""The admin page's "Calling" tab in real headless Chromium: the center's default calling profile
and one counter's own profile and helping services set through the page, in both languages, a
mistake shown at the field, and each change in the change log in words."""

from __future__ import annotations

import pytest

from nafitha.text import t
from tests.support.server import RunningServer
from tests.web.conftest import login_in_page, open_admin_tab

pytestmark = pytest.mark.browser


def open_calling(open_page, server: RunningServer, lang: str, username: str):
    recorded = open_page(1500, 1000, locale="ar-LB" if lang == "ar" else "en-GB", enforce_csp=True)
    page = recorded.page
    page.goto(f"{server.url}/admin?lang={lang}&tab=calling")
    login_in_page(page, server, username)
    page.wait_for_selector("#counter-profiles tbody tr")
    return page


@pytest.mark.parametrize(("lang", "username"), [("en", "admin"), ("ar", "manager")])
def test_the_manager_sets_the_default_and_a_counter_s_rule_on_the_page(
    demo_server: RunningServer, open_page, lang: str, username: str
) -> None:
    page = open_calling(open_page, demo_server, lang, username)
    # a manager has this tab only; the admin has every tab
    assert page.locator("[data-tab=services]").is_visible() == (username == "admin")
    assert page.locator("[data-tab=calling]").is_visible()
    assert t("web.admin_center_profile", lang) in page.inner_text("#tab-calling")
    center = page.locator("#center-profile")
    center.locator("select[name=priority]").select_option("ratio")
    center.locator("input[name=normal_per_priority]").fill("0")  # out of 1-100: refused here
    page.click("#save-center-profile")
    message = t("web.admin_error_range", lang, min=1, max=100)
    assert message in center.inner_text()
    center.locator("input[name=normal_per_priority]").fill("3")
    page.click("#save-center-profile")
    page.wait_for_selector("#center-profile-status.ok")
    manager = demo_server.login("manager")
    profile = manager.request("GET", "/api/v1/admin/center/profile")["profile"]
    assert (profile["priority"], profile["normal_per_priority"]) == ("ratio", 3)

    row = page.locator("#counter-profiles tr[data-id=c9]")
    row.locator("input[name=own]").check()
    row.locator("select[name=priority]").select_option("capped")
    row.locator("input[name=max_priority_run]").fill("2")
    row.locator("input[name=help][value=passport-renewal]").check()
    row.locator("button").click()
    page.wait_for_selector("#counter-profiles tr[data-id=c9] .row-status.ok")
    counter = manager.request("GET", "/api/v1/admin/counters/c9/profile")
    assert counter["profile"]["priority"] == "capped"
    assert counter["profile"]["max_priority_run"] == 2
    assert counter["helps"] == ["passport-renewal"]
    # the page shows what was saved after reloading it
    row = page.locator("#counter-profiles tr[data-id=c9]")
    assert row.locator("input[name=own]").is_checked()
    assert row.locator("input[name=help][value=passport-renewal]").is_checked()

    # back to the center's rule, no help: both recorded in the change log, in words
    row.locator("input[name=own]").uncheck()
    row.locator("input[name=help][value=passport-renewal]").uncheck()
    row.locator("button").click()
    page.wait_for_selector("#counter-profiles tr[data-id=c9] .row-status.ok")
    assert manager.request("GET", "/api/v1/admin/counters/c9/profile")["profile"] is None
    if username == "admin":  # the change log is the admin's
        open_admin_tab(page, "audit")
        page.wait_for_selector("#audit tbody tr")
        log = page.inner_text("#audit")
        ratio = t("web.priority_ratio", lang)
        assert t("web.audit_call_profile_center", lang, priority=ratio) in log
        capped = t("web.priority_capped", lang)
        assert t("web.audit_call_profile_counter", lang, counter=9, priority=capped, helps=1) in log
    actors = demo_server.login("admin").request("GET", "/api/v1/admin/events?limit=20")
    saved = [e for e in actors if e["kind"] == "call_profile_saved"]
    assert saved and {e["actor"] for e in saved[:3]} == {username}
    manager.request("PUT", "/api/v1/admin/center/profile", json_body={})  # leave the default
