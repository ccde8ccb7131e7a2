"""The one home of dates, times and waits: what every surface shows."""

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from nafitha.formats import (
    format_date,
    format_datetime,
    format_duration,
    format_time,
    format_wait,
    wait_minutes,
)

MOMENT = datetime(2026, 11, 29, 22, 30, tzinfo=UTC)  # already the 30th in Beirut


def test_times_are_in_the_centers_zone_not_the_pcs():
    assert format_date(MOMENT, "Asia/Beirut") == "30/11/2026"
    assert format_time(MOMENT, "Asia/Beirut") == "00:30"
    assert format_datetime(MOMENT.timestamp(), "Asia/Baghdad") == "30/11/2026 01:30"
    assert format_datetime("2026-11-29T22:30:00+00:00", "UTC") == "29/11/2026 22:30"


def test_wait_rounds_up_once():
    assert wait_minutes(None) is None
    assert wait_minutes(0) == 0
    assert wait_minutes(1) == 1
    assert wait_minutes(600) == 10
    assert wait_minutes(601) == 15
    assert wait_minutes(12 * 60 + 10) == 15
    assert wait_minutes(3600) == 60
    assert wait_minutes(3601) == 75


@given(st.floats(min_value=0.001, max_value=10 * 3600))
def test_a_positive_wait_is_never_shown_shorter_than_estimated(seconds):
    assert wait_minutes(seconds) * 60 >= seconds
    assert wait_minutes(seconds) > 0


def test_durations_past_an_hour_do_not_look_like_clock_times():
    assert format_duration(61 * 60 + 11, "en") == "1 h 01 min"
    assert format_duration(61 * 60 + 11, "ar") == "1 س 01 د"
    assert format_duration(42, "en") == "42 s"
    assert format_wait(25, "ar") == "حوالي 25 دقيقة"
    assert format_wait(0, "en") == "any moment now"  # never "about 0 min"
    assert format_wait(0, "ar") == "خلال لحظات"
    assert format_wait(75, "en") == "about 1 h 15 min"
    assert format_wait(None, "en") == ""
