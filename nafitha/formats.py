"""How a citizen or clerk reads a time, a date, a wait or a duration: one home for every surface.

The kiosk screen, the paper, the counter, the board, the phone pages and the dashboard all show the
same figures, so they are written by these functions only (web pages by their JavaScript twins in
``server/web/static/common.js``, pinned to these by a test). The rules:

- Western digits (0-9) in both languages, so a ticket number, a reference and a time read the same
  on paper, on screen and in the citizen's hand.
- Dates ``29/11/2026``, times ``14:05`` (24 h), date and time ``29/11/2026 14:05``; always in the
  center's time zone, never the zone of the PC that draws them (kiosk PCs are often left in UTC).
- A wait is rounded once, by :func:`wait_minutes`, from the server's estimate in seconds; surfaces
  show the server's rounded figure and never round again.
"""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

from nafitha.text import t

DATE = "%d/%m/%Y"
TIME = "%H:%M"
DATETIME = f"{DATE} {TIME}"


def _moment(value: datetime | float | str, timezone: str) -> datetime:
    """A moment (aware datetime, Unix time, or ISO 8601 text) in the center's zone."""
    zone = ZoneInfo(timezone)
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, zone)
    if value.tzinfo is None:
        raise ValueError("a naive datetime has no zone: pass an aware one or a Unix time")
    return value.astimezone(zone)


def format_date(value: datetime | float | str, timezone: str) -> str:
    """``29/11/2026`` in the center's zone."""
    return _moment(value, timezone).strftime(DATE)


def format_time(value: datetime | float | str, timezone: str) -> str:
    """``14:05`` in the center's zone."""
    return _moment(value, timezone).strftime(TIME)


def format_datetime(value: datetime | float | str, timezone: str) -> str:
    """``29/11/2026 14:05`` in the center's zone."""
    return _moment(value, timezone).strftime(DATETIME)


def wait_minutes(seconds: float | None) -> int | None:
    """The one rounding of an estimated wait, in whole minutes; ``None`` stays unknown.

    Rounded up, never down (a citizen told 10 minutes who waits 12 stops trusting the figure):
    to the minute up to 10 minutes, to 5 minutes up to an hour, to 15 minutes beyond.
    A positive wait is never shown as 0.
    """
    if seconds is None:
        return None
    if seconds <= 0:
        return 0
    minutes = math.ceil(seconds / 60)
    if minutes <= 10:
        return minutes
    step = 5 if minutes <= 60 else 15
    return math.ceil(minutes / step) * step


def format_duration(seconds: float, lang: str) -> str:
    """A duration as words: ``45 s``, ``12 min``, ``1 h 05 min`` (never clock-like ``61:11``)."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return t("common.duration_seconds", lang, seconds=seconds)
    minutes = round(seconds / 60)
    if minutes < 60:
        return t("common.duration_minutes", lang, minutes=minutes)
    hours, rest = divmod(minutes, 60)
    return t("common.duration_hours", lang, hours=hours, minutes=f"{rest:02d}")


def format_wait(minutes: int | None, lang: str) -> str:
    """The server's rounded wait as words: ``about 25 min``; empty when unknown."""
    if minutes is None:
        return ""
    if minutes <= 0:
        return t("common.wait_moment", lang)
    if minutes >= 60:
        hours, rest = divmod(minutes, 60)
        return t("common.wait_hours", lang, hours=hours, minutes=f"{rest:02d}")
    return t("common.wait_minutes", lang, minutes=minutes)
