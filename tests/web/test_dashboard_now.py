"""The dashboard's "now" for a manager, in real headless Chromium: an alarm when citizens wait for
a service no open counter serves, device alerts in catalog words that can be cleared from the page,
the previous period's range isolated so it reads right in Arabic, and overdue files by reference."""

from __future__ import annotations

import sqlite3
import time
import uuid

import pytest

from nafitha.text import t
from tests.support.server import RunningServer
from tests.web.conftest import login_in_page

pytestmark = pytest.mark.browser


def open_dashboard(open_page, server: RunningServer, lang: str, query: str = ""):
    recorded = open_page(1400, 1000, locale="ar-LB" if lang == "ar" else "en-GB")
    page = recorded.page
    page.goto(f"{server.url}/dashboard?lang={lang}{query}")
    login_in_page(page, server, "manager")
    page.wait_for_function("document.body.dataset.statsLoaded !== undefined")
    return page


def test_an_alarm_when_citizens_wait_for_a_service_no_open_counter_serves(
    demo_server: RunningServer, open_page
) -> None:
    demo_server.client(demo_server.kiosk_token).issue_ticket(
        "vehicle-transfer", idempotency_key=str(uuid.uuid4())
    )  # only counter 6 serves it, and nobody opened it
    page = open_dashboard(open_page, demo_server, "ar")
    page.wait_for_selector("#no-counter-alarm:not(.hidden) li[data-service='vehicle-transfer']")
    alarm = page.inner_text("#no-counter-alarm")
    assert t("web.dash_alarm_title", "ar") in alarm
    # The alarm stands above the figures of "now".
    top = page.evaluate(
        "() => [document.getElementById('no-counter-alarm').getBoundingClientRect().top,"
        " document.getElementById('now-title').getBoundingClientRect().top]"
    )
    assert top[0] < top[1]
    # A clerk opens counter 6: the alarm goes by itself.
    demo_server.login("clerk6", counter="c6")
    page.wait_for_selector("#no-counter-alarm.hidden", state="attached", timeout=10000)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_device_alerts_read_in_catalog_words_and_are_resolved_from_the_page(
    demo_server: RunningServer, open_page, lang: str
) -> None:
    kiosk = demo_server.client(demo_server.kiosk_token)
    paper = kiosk.post_alert(
        "printer_paper_out", "Printer out of paper at the entrance / نفد الورق في طابعة المدخل"
    )
    odd = kiosk.post_alert("fan_noise", "")
    page = open_dashboard(open_page, demo_server, lang)
    item = page.wait_for_selector(f"#now-alerts-list li[data-alert='{paper['id']}']")
    text = item.inner_text()
    assert t("web.alert_printer_paper_out", lang) in text
    assert "printer_paper_out" not in text  # no raw code
    # Only the device's words in the page's language, isolated from the rest of the line.
    if lang == "ar":
        assert "نفد الورق في طابعة المدخل" in text and "entrance" not in text
    else:
        assert "entrance" in text and "نفد" not in text
    assert item.eval_on_selector_all("bdi", "els => els.length") >= 2  # device, time
    unknown = page.inner_text(f"#now-alerts-list li[data-alert='{odd['id']}']")
    assert t("web.alert_unknown", lang) in unknown and "fan_noise" in unknown

    item.eval_on_selector("button", "b => b.click()")
    page.wait_for_selector(f"#now-alerts-list li[data-alert='{paper['id']}']", state="detached")
    manager = demo_server.login("manager")
    left = [a["id"] for a in manager.request("GET", "/api/v1/alerts")]
    assert paper["id"] not in left and odd["id"] in left
    page.eval_on_selector(f"#now-alerts-list li[data-alert='{odd['id']}'] button", "b => b.click()")
    page.wait_for_selector(f"#now-alerts-list li[data-alert='{odd['id']}']", state="detached")


def test_the_previous_period_reads_in_order_in_arabic(
    demo_server: RunningServer, open_page
) -> None:
    page = open_dashboard(open_page, demo_server, "ar", "&from=2026-11-10&to=2026-11-16")
    page.wait_for_function("document.body.dataset.statsLoaded === '2026-11-10/2026-11-16'")
    parts = page.eval_on_selector_all(
        "#previous-range bdi", "els => els.map(e => [e.textContent, getComputedStyle(e).direction])"
    )
    assert parts == [["03/11/2026", "ltr"], ["09/11/2026", "ltr"]]
    assert page.inner_text("#previous-range") == "من 03/11/2026 إلى 09/11/2026"
    # Durations are words ("5 دقيقة", "1 س 05 د"): they keep the page's direction, where a
    # left-to-right box would show them backwards ("دقيقة 5"); never clock-like "61:11".
    page.wait_for_selector('[data-figure="overall.wait.mean"]')
    for selector in ('[data-figure="overall.wait.mean"]', "#now-longest"):
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).direction") == "rtl"
        assert ":" not in page.inner_text(selector)


def test_overdue_files_are_listed_by_reference(demo_server: RunningServer, open_page) -> None:
    opened = demo_server.login("clerk1").open_file("civil-extract", {"name": "Rania Haddad"}, [])
    with sqlite3.connect(demo_server.db, timeout=10) as conn:  # three days late
        conn.execute(
            "UPDATE files SET due_at = ? WHERE reference = ?",
            [time.time() - 3 * 86400, opened["reference"].replace("-", "")],
        )
    page = open_dashboard(open_page, demo_server, "en")
    row = page.wait_for_selector(f"#overdue-files tr[data-reference='{opened['reference']}']")
    text = row.inner_text()
    assert opened["reference"] in text
    assert row.eval_on_selector("td:last-child", "td => td.textContent").startswith("72 h ")
    assert "Rania" not in page.inner_text("#overdue-files")
