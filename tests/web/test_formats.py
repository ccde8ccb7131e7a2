"""The pages' JavaScript formatting (``server/web/static/common.js``) writes every date, time,
duration and wait exactly as ``nafitha/formats.py`` does, in the center's zone, whatever the zone
of the browser showing the page. Run in real headless Chromium."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from nafitha.formats import (
    format_date,
    format_datetime,
    format_duration,
    format_time,
    format_wait,
)
from tests.support.server import RunningServer

pytestmark = pytest.mark.browser

ZONES = ("Asia/Beirut", "UTC", "America/New_York", "Asia/Kolkata")
MOMENTS = (
    datetime(2026, 11, 29, 21, 30, 5, tzinfo=UTC),  # already the next day in Beirut
    datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # Beirut's spring change
    datetime(2026, 10, 24, 21, 0, tzinfo=UTC),  # Beirut's autumn change
    datetime(2027, 1, 1, 0, 0, tzinfo=UTC),
    datetime(2026, 7, 4, 23, 59, 59, tzinfo=UTC),
)
SECONDS = (0, 0.4, 0.5, 1.5, 2.5, 59.4, 59.5, 89, 90, 150, 3569, 3570, 3599, 3600, 3629, 3671)
SECONDS_LONG = (5430, 7290, 86399, 100000.5)
WAITS = (None, 0, 1, 5, 45, 59, 60, 75, 135)


def open_in(open_page, server: RunningServer, browser_zone: str):
    recorded = open_page(390, 844, locale="ar-LB", timezone_id=browser_zone)
    recorded.page.goto(f"{server.url}/f/ZZZZ")
    recorded.page.wait_for_function(
        "typeof NF !== 'undefined' && document.readyState === 'complete'"
    )
    return recorded.page


def test_dates_and_times_equal_the_python_formats_in_any_browser_zone(
    demo_server: RunningServer, open_page
) -> None:
    page = open_in(open_page, demo_server, "Pacific/Auckland")  # far from every zone tested
    assert page.evaluate("NF.timezone") == "Asia/Beirut"
    for zone in ZONES:
        for moment in MOMENTS:
            iso = moment.astimezone(datetime.now().astimezone().tzinfo).isoformat()
            got = page.evaluate(
                "([v, z]) => [NF.formatDate(v, z), NF.formatTime(v, z), NF.formatDatetime(v, z)]",
                [iso, zone],
            )
            want = [format_date(iso, zone), format_time(iso, zone), format_datetime(iso, zone)]
            assert got == want, (iso, zone)
            # Unix seconds too, and the page's own default zone is the center's.
            unix = moment.timestamp()
            assert page.evaluate("v => NF.formatDatetime(v)", unix) == format_datetime(
                unix, "Asia/Beirut"
            )


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_durations_and_waits_equal_the_python_formats(
    demo_server: RunningServer, open_page, lang: str
) -> None:
    page = open_in(open_page, demo_server, "UTC")
    for seconds in (*SECONDS, *SECONDS_LONG):
        got = page.evaluate("([s, l]) => NF.formatDuration(s, l)", [seconds, lang])
        assert got == format_duration(seconds, lang), seconds
    for minutes in WAITS:
        got = page.evaluate("([m, l]) => NF.formatWait(m, l)", [minutes, lang])
        assert got == format_wait(minutes, lang), minutes
    # Past an hour a duration never reads like a clock time ("61:11 د").
    assert ":" not in page.evaluate("NF.formatDuration(3671, 'ar')")
