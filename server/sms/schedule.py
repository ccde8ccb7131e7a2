"""When a message may go: quiet hours in the center's zone, and the backoff between tries. Pure."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from server.config import SmsSettings


def in_quiet_hours(settings: SmsSettings, now: float, zone: str) -> bool:
    """Whether ``now`` is inside the quiet hours in the center's zone (they may cross midnight)."""
    start, end = settings.quiet_start, settings.quiet_end
    if start == end:
        return False
    local = datetime.fromtimestamp(now, ZoneInfo(zone)).time()
    return (start <= local < end) if start < end else (local >= start or local < end)


def next_try(settings: SmsSettings, tries: int, now: float) -> float | None:
    """When a message that failed its ``tries``-th try goes again; None once they are used up."""
    if tries >= settings.max_tries:
        return None
    return now + min(settings.retry_max_s, settings.retry_after_s * 2 ** max(0, tries - 1))


__all__ = ["in_quiet_hours", "next_try"]
