"""Appointment slots and their capacity: pure rules, no clock, no I/O (docs/appointments.md).

**Slots.** A bookable service's day is cut into slots of ``slot_min`` minutes from the opening of
each of its opening windows that day (the service's ``hours``, in the center's zone); a slot that
would end after the window's close is not offered. A day without a window is closed.

**Capacity of a slot.** ``floor(share × slot_s ÷ mean_s × (1 − walk_in_share))``, never negative:

- ``share``: the counters serving the service (as a main service), each counted as
  ``1 / k`` where ``k`` is how many of its main services are open at the slot's start (a counter
  serving three open services gives each a third of its time);
- ``mean_s``: the service's measured mean service time shrunk to its prior as
  ``nafitha/estimate.py`` does, ``(3·prior + n·mean) / (3 + n)`` over the ``n`` durations measured;
- ``walk_in_share``: the share the manager keeps for walk-ins.

**Bookable.** A day is bookable from today to ``horizon_days − 1`` days after it; a slot is
bookable when it starts after now, neither its day nor itself is closed, and fewer bookings hold
it (``booked`` or ``checked_in``) than its capacity. :func:`refusal` names the first rule broken.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from math import floor
from zoneinfo import ZoneInfo

from nafitha.estimate import MAX_DURATION_S, MIN_DURATION_S, PRIOR_WEIGHT
from server.domain.hours import DAYS, Window

EPSILON = 1e-9  # 2 × 900 ÷ 300 × 0.5 is 3, not 2.9999999999999996
LIVE = ("booked", "checked_in")  # the states that hold a slot's capacity
STATES = ("booked", "checked_in", "cancelled", "no_show")


@dataclass(frozen=True)
class Slot:
    """One slot of a day: its local start and end (``HH:MM``) and their moments."""

    start: str
    end: str
    at: float
    end_at: float


def _moment(day: date, hhmm: str, zone: ZoneInfo) -> float:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).timestamp()


def moment_of(day: date, hhmm: str, timezone: str) -> float:
    """The Unix time of ``hhmm`` (local) on ``day`` in the center's zone."""
    return _moment(day, hhmm, ZoneInfo(timezone))


def day_slots(
    hours: Sequence[Window], day: date, timezone: str, slot_min: int, always_open: bool = False
) -> list[Slot]:
    """The slots of ``day`` from the windows open that weekday, by start.

    ``always_open``: a server that ignores hours (the demo, whose services take tickets at any
    hour) books around the clock, from 00:00 to midnight, so its bookings can be made and checked
    in whenever it is tried."""
    zone = ZoneInfo(timezone)
    midnight = datetime.combine(day, time(0))
    if always_open:
        spans = [(midnight, midnight + timedelta(days=1))]
    else:
        weekday = DAYS[day.weekday()]
        spans = [
            (datetime.combine(day, w.open), datetime.combine(day, w.close))  # type: ignore[arg-type]
            for w in hours
            if weekday in w.days
        ]
    found: dict[str, Slot] = {}
    for opening, close in spans:
        start = opening
        while start + timedelta(minutes=slot_min) <= close:
            end = start + timedelta(minutes=slot_min)
            key = start.strftime("%H:%M")
            if key not in found:
                found[key] = Slot(key, end.strftime("%H:%M"), _at(start, zone), _at(end, zone))
            start = end
    return sorted(found.values(), key=lambda s: (s.at, s.start))


def _at(local: datetime, zone: ZoneInfo) -> float:
    """The Unix time of a naive local moment in ``zone`` (midnight ending the day included)."""
    return local.replace(tzinfo=zone).timestamp()


def mean_service_s(prior_s: float, measured_mean_s: float | None, count: int) -> float:
    """The mean service time shrunk to the prior while few were measured (estimate.py's rule)."""
    if not count or measured_mean_s is None:
        return float(prior_s)
    mean = min(max(measured_mean_s, MIN_DURATION_S), MAX_DURATION_S)
    return (PRIOR_WEIGHT * prior_s + count * mean) / (PRIOR_WEIGHT + count)


def counter_share(
    service: str, serves: Mapping[str, frozenset[str]], open_services: frozenset[str]
) -> float:
    """How many counters' time ``service`` has: each counter serving it counts ``1/k``, ``k``
    being its main services open then (at least the service itself)."""
    share = 0.0
    for services in serves.values():
        if service in services:
            share += 1.0 / max(len(services & open_services | {service}), 1)
    return share


def capacity(share: float, slot_s: float, mean_s: float, walk_in_share: float) -> int:
    """Bookings a slot takes: ``floor(share × slot_s ÷ mean_s × (1 − walk_in_share))``, ≥ 0."""
    if share <= 0 or slot_s <= 0 or mean_s <= 0:
        return 0
    kept = min(max(1.0 - walk_in_share, 0.0), 1.0)
    return max(0, floor(share * slot_s / mean_s * kept + EPSILON))


def horizon(today: date, horizon_days: int) -> list[date]:
    """The bookable days: today and the next ``horizon_days − 1``."""
    return [today + timedelta(days=i) for i in range(max(horizon_days, 0))]


def in_horizon(day: date, today: date, horizon_days: int) -> bool:
    return today <= day < today + timedelta(days=max(horizon_days, 0))


@dataclass(frozen=True)
class SlotState:
    """A slot as a citizen sees it."""

    slot: Slot
    capacity: int
    booked: int
    closed: bool

    @property
    def free(self) -> int:
        return 0 if self.closed else max(self.capacity - self.booked, 0)


def refusal(
    *,
    bookable: bool,
    day: date,
    today: date,
    horizon_days: int,
    day_closed: bool,
    slot: SlotState | None,
    now: float,
) -> str | None:
    """The refusal code for booking ``slot`` of ``day`` now, or None when it may be booked.

    Checked in this order: ``not_bookable``, ``outside_horizon``, ``day_closed`` (a closed day
    or no opening that day), ``slot_closed`` (no such slot, or closed by the manager),
    ``slot_past`` (it has started), ``slot_full``.
    """
    if not bookable:
        return "not_bookable"
    if not in_horizon(day, today, horizon_days):
        return "outside_horizon"
    if day_closed:
        return "day_closed"
    if slot is None or slot.closed:
        return "slot_closed"
    if slot.slot.at <= now:
        return "slot_past"
    if slot.free <= 0:
        return "slot_full"
    return None
