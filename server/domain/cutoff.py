"""The honest cut-off: whether a ticket taken now would still be called before its service closes.

Pure rules (no clock, no I/O). Times are Unix seconds; the opening hours are wall-clock windows
in the center's zone (``server.domain.hours``), so the closing moment is found in absolute time and
every comparison below is between absolute times: a day with a DST change, or a wait that runs past
midnight, is judged on elapsed seconds, never on wall-clock arithmetic.

The rule (docs/server.md, "The cut-off"):

- ``close``: the end of the opening period that contains now. Windows that meet, overlap, or
  leave a gap of at most ``SEAM_S`` (``23:59`` one day, ``00:00`` the next) make one period.
  No hours (open whenever the center runs) or ``ignore_hours``: no closing time, no cut-off.
- ``call_at = now + wait``: the estimated call time of a ticket taken now (``wait``: the estimate
  the kiosk shows for a normal ticket; unknown counts as 0, the clock alone then decides).
- ``past_cutoff`` when ``call_at > close - margin``; at or before it, never.
- ``last_ticket_at = close - margin - wait``: the latest moment a ticket taken with today's wait
  would still be called in time (it moves as the queue moves); with the manager's override for
  the day it is ``close`` itself (tickets are issued until the service closes).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.domain.hours import Window, is_open

SEAM_S = 60.0  # a closed gap this short is a seam between two windows (23:59 → 00:00), not a close
HORIZON_DAYS = 8  # an opening period longer than this is treated as never closing


@dataclass(frozen=True)
class Cutoff:
    """One service's cut-off now: what the kiosk, the board and the API show."""

    close_at: float | None  # the end of the current opening period; None: no closing time
    last_ticket_at: float | None  # the latest moment a new ticket is still issued (see above)
    past_cutoff: bool
    overridden: bool  # the manager keeps issuing past the cut-off today

    @property
    def applies(self) -> bool:
        return self.close_at is not None


NO_CUTOFF = Cutoff(None, None, False, False)


def _local_instants(day: date, moment: time, zone: ZoneInfo) -> list[float]:
    """The absolute instants at which the wall clock of ``day`` reaches ``moment``.

    Usually one; two on a night the clocks go back (both folds). On a night the clocks go forward
    over ``moment`` the wall time never exists: the instant is the jump itself, found between the
    two folds (the wall clock passes ``moment`` there)."""
    naive = datetime.combine(day, moment)
    first = naive.replace(tzinfo=zone, fold=0).timestamp()
    second = naive.replace(tzinfo=zone, fold=1).timestamp()
    exists = datetime.fromtimestamp(first, zone).replace(tzinfo=None) == naive
    if exists:
        return sorted({first, second})
    low, high = min(first, second), max(first, second)
    while high - low > 1.0:  # the wall clock rises through the gap: find where it passes moment
        middle = (low + high) / 2
        if datetime.fromtimestamp(middle, zone).replace(tzinfo=None) >= naive:
            high = middle
        else:
            low = middle
    return [float(int(high))]


def _changes(hours: Sequence[Window], day: date, zone: ZoneInfo) -> Iterator[float]:
    """Every instant of ``day`` at which ``is_open`` may change (each window's open and close)."""
    for window in hours:
        for moment in (window.open, window.close):
            yield from _local_instants(day, moment, zone)  # type: ignore[arg-type]


def closing_at(hours: Sequence[Window], now: float, timezone: str) -> float | None:
    """The end of the opening period containing ``now``; None when there are no hours, when the
    service is closed at ``now``, or when the period outlasts ``HORIZON_DAYS``."""
    if not hours or not is_open(hours, now, timezone):
        return None
    zone = ZoneInfo(timezone)
    today = datetime.fromtimestamp(now, zone).date()
    for offset in range(HORIZON_DAYS + 1):
        day = today + timedelta(days=offset)
        ahead = sorted(
            set(_changes(hours, day, zone)) | set(_changes(hours, day + timedelta(days=1), zone))
        )
        for instant in ahead:
            if instant <= now or is_open(hours, instant, timezone):
                continue
            if datetime.fromtimestamp(instant, zone).date() > day:
                break  # the next day's own turn
            seam = [c for c in ahead if instant < c <= instant + SEAM_S]
            if any(is_open(hours, c, timezone) for c in seam):
                continue  # 23:59 → 00:00: one period
            return instant
    return None


def is_past_cutoff(now: float, wait_s: float | None, close_at: float, margin_s: float) -> bool:
    """True when a ticket taken at ``now`` would be called after ``close_at - margin_s``."""
    return now + max(0.0, wait_s or 0.0) > close_at - margin_s


def cutoff(
    hours: Sequence[Window],
    now: float,
    timezone: str,
    wait_s: float | None,
    margin_s: float,
    overridden: bool = False,
) -> Cutoff:
    """The cut-off of a service at ``now`` for a ticket told ``wait_s`` (see the module's rule)."""
    return decide(closing_at(hours, now, timezone), now, wait_s, margin_s, overridden)


def decide(
    close: float | None, now: float, wait_s: float | None, margin_s: float, overridden: bool
) -> Cutoff:
    """The cut-off once the closing time is known (``closing_at``, maybe cached by the caller)."""
    if close is None:
        return NO_CUTOFF
    if overridden:
        return Cutoff(close, close, False, True)
    wait = max(0.0, wait_s or 0.0)
    return Cutoff(close, close - margin_s - wait, is_past_cutoff(now, wait, close, margin_s), False)
