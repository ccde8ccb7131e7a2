"""The pure slot and capacity rules (server/domain/appointments.py), property-tested."""

from __future__ import annotations

from datetime import date, time, timedelta
from math import floor

from hypothesis import given
from hypothesis import strategies as st

from server.domain import appointments as rules
from server.domain.hours import DAYS

TZ = "Asia/Beirut"


class Window:
    def __init__(self, days: list[str], open_: time, close: time) -> None:
        self.days, self.open, self.close = days, open_, close


windows = st.builds(
    lambda days, start, length: Window(
        days, time(start // 60, start % 60), time((start + length) // 60, (start + length) % 60)
    ),
    st.lists(st.sampled_from(DAYS), min_size=1, max_size=7, unique=True),
    st.integers(0, 20 * 60),
    st.integers(1, 4 * 60 - 1),
)
days = st.dates(date(2026, 1, 1), date(2027, 12, 31))


@given(st.lists(windows, max_size=3), days, st.sampled_from([5, 10, 15, 20, 30, 45, 60]))
def test_slots_lie_inside_a_window_of_that_weekday_and_never_overlap_a_start(
    hours: list[Window], day: date, slot_min: int
) -> None:
    slots = rules.day_slots(hours, day, TZ, slot_min)
    weekday = DAYS[day.weekday()]
    starts = [s.start for s in slots]
    assert len(starts) == len(set(starts))
    assert [s.at for s in slots] == sorted(s.at for s in slots)
    for slot in slots:
        hh, mm = (int(x) for x in slot.start.split(":"))
        begin = time(hh, mm)
        assert any(
            weekday in w.days
            and w.open <= begin
            and (hh * 60 + mm + slot_min) <= w.close.hour * 60 + w.close.minute
            and ((hh * 60 + mm) - (w.open.hour * 60 + w.open.minute)) % slot_min == 0
            for w in hours
        )
    if not any(weekday in w.days for w in hours):
        assert slots == []


@given(windows, days, st.sampled_from([5, 15, 30, 60]))
def test_a_window_yields_every_whole_slot_from_its_opening(
    window: Window, day: date, slot_min: int
) -> None:
    window.days = list(DAYS)
    length = (window.close.hour * 60 + window.close.minute) - (
        window.open.hour * 60 + window.open.minute
    )
    slots = rules.day_slots([window], day, TZ, slot_min)
    assert len(slots) == length // slot_min


def test_a_weekday_outside_the_hours_is_closed_unless_always_open() -> None:
    window = Window(["mon"], time(8), time(9))
    sunday = date(2026, 11, 29)
    assert rules.day_slots([window], sunday, TZ, 15) == []
    around = rules.day_slots([window], sunday, TZ, 60, always_open=True)
    assert [s.start for s in around] == [f"{hour:02d}:00" for hour in range(24)]
    assert around[-1].end == "00:00"  # the last slot ends at the midnight after the day
    assert around[-1].end_at - around[-1].at == 3600
    assert around[0].at == rules.moment_of(sunday, "00:00", TZ)


shares = st.floats(0, 20, allow_nan=False)
slot_lengths = st.integers(60, 4 * 3600)
means = st.floats(5, 4 * 3600, allow_nan=False)
walk_ins = st.floats(0, 1, allow_nan=False)


@given(shares, slot_lengths, means, walk_ins)
def test_capacity_is_the_floor_of_the_formula_and_never_negative(
    share: float, slot_s: int, mean: float, walk_in: float
) -> None:
    got = rules.capacity(share, slot_s, mean, walk_in)
    exact = share * slot_s / mean * (1 - walk_in)
    assert got >= 0
    assert got == floor(exact + rules.EPSILON) or (share == 0 and got == 0)
    assert got <= exact + 1e-6


@given(shares, shares, slot_lengths, means, walk_ins, walk_ins)
def test_capacity_grows_with_counters_and_shrinks_with_the_walk_in_share(
    a: float, b: float, slot_s: int, mean: float, w1: float, w2: float
) -> None:
    low, high = sorted((a, b))
    assert rules.capacity(low, slot_s, mean, w1) <= rules.capacity(high, slot_s, mean, w1)
    kept_more, kept_less = sorted((w1, w2))
    assert rules.capacity(a, slot_s, mean, kept_less) <= rules.capacity(a, slot_s, mean, kept_more)


def test_all_for_walk_ins_or_no_counter_books_nothing() -> None:
    assert rules.capacity(3, 1800, 300, 1.0) == 0
    assert rules.capacity(0, 1800, 300, 0.0) == 0
    assert rules.capacity(2, 900, 300, 0.5) == 3  # 2 × 900 ÷ 300 × 0.5: exactly 3, not 2


@given(st.floats(10, 7200), st.floats(5, 14400), st.integers(0, 500))
def test_the_mean_is_shrunk_to_the_prior_and_lies_between_them(
    prior: float, measured: float, count: int
) -> None:
    mean = rules.mean_service_s(prior, measured, count)
    low, high = sorted((prior, measured))
    assert low - 1e-9 <= mean <= high + 1e-9
    if count == 0:
        assert mean == prior
    assert rules.mean_service_s(prior, None, count) == prior


@given(
    st.dictionaries(
        st.sampled_from([f"c{i}" for i in range(6)]),
        st.frozensets(st.sampled_from(["a", "b", "c", "d"]), min_size=1),
    ),
    st.frozensets(st.sampled_from(["a", "b", "c", "d"])),
)
def test_each_counters_time_is_shared_among_its_open_services(
    serves: dict[str, frozenset[str]], open_services: frozenset[str]
) -> None:
    total = sum(rules.counter_share(s, serves, open_services) for s in open_services)
    counters_with_open = sum(1 for services in serves.values() if services & open_services)
    assert abs(total - counters_with_open) < 1e-9  # no counter is counted twice
    for service in "abcd":
        share = rules.counter_share(service, serves, open_services)
        assert 0 <= share <= sum(1 for s in serves.values() if service in s)


slot_states = st.builds(
    lambda at, cap, booked, closed: rules.SlotState(
        rules.Slot("10:00", "10:15", at, at + 900), cap, booked, closed
    ),
    st.floats(0, 1e6),
    st.integers(0, 10),
    st.integers(0, 12),
    st.booleans(),
)


@given(
    st.booleans(),
    days,
    st.integers(-3, 20),
    st.booleans(),
    st.none() | slot_states,
    st.floats(0, 1e6),
)
def test_a_booking_is_refused_exactly_when_a_rule_is_broken(
    bookable: bool,
    today: date,
    offset: int,
    day_closed: bool,
    slot: rules.SlotState | None,
    now: float,
) -> None:
    day = today + timedelta(days=offset)
    code = rules.refusal(
        bookable=bookable,
        day=day,
        today=today,
        horizon_days=14,
        day_closed=day_closed,
        slot=slot,
        now=now,
    )
    fine = (
        bookable
        and 0 <= offset < 14
        and not day_closed
        and slot is not None
        and not slot.closed
        and slot.slot.at > now
        and slot.booked < slot.capacity
    )
    assert (code is None) == fine
    if slot is not None and code is None:
        assert slot.free > 0
