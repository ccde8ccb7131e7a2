"""The cut-off rule (server/domain/cutoff.py): property tests over random hours, zones with DST,
waits and margins, and worked examples across midnight and the two DST nights."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain.cutoff import SEAM_S, closing_at, cutoff, is_past_cutoff
from server.domain.hours import DAYS, is_open

ZONES = ("Asia/Beirut", "Europe/London", "America/New_York", "Australia/Lord_Howe", "UTC")


@dataclass(frozen=True)
class W:
    days: tuple[str, ...]
    open: time
    close: time


def at(text: str, zone: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).timestamp()


def every_day(start: str, end: str) -> W:
    return W(DAYS, time.fromisoformat(start), time.fromisoformat(end))


@st.composite
def windows(draw: st.DrawFn) -> list[W]:
    out = []
    for _ in range(draw(st.integers(1, 3))):
        days = tuple(draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True)))
        start = draw(st.integers(0, 24 * 60 - 2))
        end = draw(st.integers(start + 1, 24 * 60 - 1))
        out.append(W(days, time(start // 60, start % 60), time(end // 60, end % 60)))
    return out


# 2026: both DST changes of every zone above fall inside this span
SPAN = (at("2026-01-01T00:00", "UTC"), at("2027-01-01T00:00", "UTC"))
DST_NIGHTS = [
    at(t, "UTC")
    for t in (
        "2026-03-29T00:30",  # London and Beirut forward
        "2026-10-25T00:30",  # London and Beirut back
        "2026-03-08T06:30",  # New York forward
        "2026-11-01T05:30",  # New York back
        "2026-04-04T14:30",  # Lord Howe back (half an hour)
        "2026-10-03T15:30",  # Lord Howe forward
    )
]
moments = st.one_of(
    st.floats(*SPAN),
    st.builds(
        lambda base, d: base + d, st.sampled_from(DST_NIGHTS), st.floats(-6 * 3600, 6 * 3600)
    ),
).map(lambda x: float(int(x)))


@settings(max_examples=300, deadline=None)
@given(
    hours=windows(),
    zone=st.sampled_from(ZONES),
    now=moments,
    wait=st.one_of(st.none(), st.floats(0, 6 * 3600)),
    margin=st.integers(0, 120).map(lambda m: m * 60.0),
)
def test_never_past_cutoff_before_close_minus_margin_and_always_after(
    hours, zone, now, wait, margin
):
    decision = cutoff(hours, now, zone, wait, margin)
    close = closing_at(hours, now, zone)
    assert decision.close_at == close
    if close is None:
        assert not decision.past_cutoff and decision.last_ticket_at is None
        return
    call_at = now + (wait or 0.0)
    if call_at <= close - margin:
        assert not decision.past_cutoff
    else:
        assert decision.past_cutoff
    # the last-ticket time is the formula, and "now is at or before it" is "not past the cut-off"
    assert decision.last_ticket_at == close - margin - (wait or 0.0)
    assert (now <= decision.last_ticket_at) == (not decision.past_cutoff)


@settings(max_examples=300, deadline=None)
@given(hours=windows(), zone=st.sampled_from(ZONES), now=moments, fraction=st.floats(0, 1))
def test_the_closing_time_ends_the_opening_that_holds_now(hours, zone, now, fraction):
    close = closing_at(hours, now, zone)
    if not is_open(hours, now, zone):
        assert close is None
        return
    if close is None:  # open beyond the horizon: only when every day is open nearly all day
        return
    assert close > now
    inside = now + fraction * (close - now - 1)
    # open all the way (a seam of at most a minute may split it), closed at the closing time
    assert is_open(hours, inside, zone) or any(
        is_open(hours, inside + s, zone) for s in range(1, int(SEAM_S) + 1)
    )
    assert not is_open(hours, close, zone)
    assert not is_open(hours, close + SEAM_S, zone) or not all(
        is_open(hours, close + s, zone) for s in range(0, int(SEAM_S) + 1)
    )


@given(
    now=st.floats(0, 1e10),
    wait=st.floats(0, 1e5),
    close=st.floats(0, 1e10),
    margin=st.floats(0, 1e4),
)
def test_a_shorter_wait_is_never_further_past_the_cutoff(now, wait, close, margin):
    if not is_past_cutoff(now, wait, close, margin):
        assert not is_past_cutoff(now, wait / 2, close, margin)
        assert not is_past_cutoff(now - 60, wait, close, margin)


def test_a_night_opening_runs_across_midnight():
    hours = [every_day("20:00", "23:59"), every_day("00:00", "02:00")]
    zone = "Asia/Beirut"
    now = at("2026-11-23T23:00", zone)
    assert closing_at(hours, now, zone) == at("2026-11-24T02:00", zone)
    # a 90-minute wait at 23:00 is called at 00:30: before 02:00 - 10 min
    decision = cutoff(hours, now, zone, 90 * 60, 600)
    assert not decision.past_cutoff
    assert decision.last_ticket_at == at("2026-11-24T00:20", zone)
    # called exactly at 01:50 (close - margin): still in time; a second later: past
    assert not cutoff(hours, now, zone, 170 * 60, 600).past_cutoff
    assert cutoff(hours, now, zone, 170 * 60 + 1, 600).past_cutoff
    # three hours' wait would be called at 02:00: past
    assert cutoff(hours, now, zone, 3 * 3600, 600).past_cutoff


def test_the_clocks_going_forward_shorten_the_day_by_an_hour():
    zone = "Europe/London"  # 2026-03-29 01:00 GMT → 02:00 BST
    hours = [every_day("00:00", "03:00")]
    now = at("2026-03-29T00:30", zone)
    close = closing_at(hours, now, zone)
    assert close == at("2026-03-29T03:00", zone)
    assert close - now == 90 * 60  # not 150: an hour never happened
    assert not cutoff(hours, now, zone, 79 * 60, 600).past_cutoff
    assert cutoff(hours, now, zone, 81 * 60, 600).past_cutoff


def test_a_closing_time_inside_the_missing_hour_closes_at_the_jump():
    zone = "Europe/London"
    hours = [every_day("00:00", "01:30")]  # 01:30 does not exist on 2026-03-29
    now = at("2026-03-29T00:30", zone)
    assert closing_at(hours, now, zone) - now == 30 * 60


def test_the_clocks_going_back_lengthen_the_day_by_an_hour():
    zone = "America/New_York"  # 2026-11-01 02:00 EDT → 01:00 EST
    hours = [every_day("00:00", "03:00")]
    now = at("2026-11-01T00:30", zone)
    assert closing_at(hours, now, zone) - now == 3.5 * 3600


def test_no_hours_or_closed_now_means_no_cutoff():
    zone = "Asia/Beirut"
    assert cutoff([], at("2026-11-23T10:00", zone), zone, 99999, 600).close_at is None
    hours = [W(("mon",), time(8), time(14))]
    closed = cutoff(hours, at("2026-11-23T15:00", zone), zone, 0, 600)
    assert closed.close_at is None and not closed.past_cutoff


def test_the_managers_override_keeps_issuing_until_the_close():
    zone = "Asia/Beirut"
    hours = [W(("mon",), time(8), time(14))]
    now = at("2026-11-23T13:30", zone)
    assert cutoff(hours, now, zone, 3600, 600).past_cutoff
    kept = cutoff(hours, now, zone, 3600, 600, overridden=True)
    assert not kept.past_cutoff and kept.overridden
    assert kept.last_ticket_at == at("2026-11-23T14:00", zone)
