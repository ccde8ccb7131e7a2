"""Opening hours and the center's local day, for a moment given as a timestamp (no clock here)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Window(Protocol):
    days: Sequence[str]
    open: object
    close: object


def local_time(ts: float, timezone: str) -> datetime:
    return datetime.fromtimestamp(ts, ZoneInfo(timezone))


def local_day(ts: float, timezone: str) -> str:
    """The center's calendar day (``2026-11-23``) at ``ts``: ticket numbering restarts with it."""
    return local_time(ts, timezone).date().isoformat()


def is_open(hours: Sequence[Window], ts: float, timezone: str) -> bool:
    """True when ``ts`` falls in one of the windows; no windows means always open."""
    if not hours:
        return True
    moment = local_time(ts, timezone)
    day = DAYS[moment.weekday()]
    now = moment.time().replace(tzinfo=None)
    return any(day in w.days and w.open <= now < w.close for w in hours)  # type: ignore[operator]
