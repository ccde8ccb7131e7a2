"""Opening hours, the center's local day and its local time as the API writes it (no clock here)."""

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


def iso(moment: datetime | float | None, timezone: str) -> str | None:
    """A moment (Unix time or aware datetime) as ISO 8601 in the center's zone, with its offset.

    Every time the API sends for a person to read is written by this one function, so a kiosk
    PC left in UTC and a phone abroad both read the center's local time (``...T10:04:12+02:00``).
    """
    if moment is None:
        return None
    zone = ZoneInfo(timezone)
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise ValueError("a naive datetime has no zone: pass an aware one or a Unix time")
        return moment.astimezone(zone).isoformat(timespec="seconds")
    return datetime.fromtimestamp(moment, zone).isoformat(timespec="seconds")


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
