"""Is the box's clock trustworthy, and does its time zone agree with the center's?

Every ticket time, every wait and the day a ticket is numbered in come from the system clock, and
a box that lost its time in a power cut (no RTC battery, no NTP on an offline LAN) numbers
tickets in the wrong day. The server checks two things at start (``nafitha server`` prints them,
the manager's dashboard shows them as alerts) and in ``GET /api/v1/health``:

- **synchronised**: the kernel's own flag, read with the ``adjtimex`` system call (no change
  asked, so no privilege needed): ``STA_UNSYNC`` clear and the state not ``TIME_ERROR``. That is
  exactly what ``timedatectl`` shows as "System clock synchronized" (systemd computes it the same
  way), and it works without systemd, in a container and on any time daemon (systemd-timesyncd,
  chrony, ntpd) that disciplines the clock. ``None`` when the call is unavailable.
- **time zone**: the system's zone (``TZ``, else the ``/etc/localtime`` link, else
  ``/etc/timezone``) against the center's ``center.timezone``. The server itself computes every
  local time in the center's zone, so a difference does not change tickets; it misleads people
  reading logs and times the daily backup timer in another zone. Zones are "different" when their
  UTC offsets differ at any time in the coming year (so ``Asia/Beirut`` and ``Etc/UTC`` differ,
  while two names of one zone do not).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

STA_UNSYNC = 0x0040  # <linux/timex.h>: the clock is not synchronised
TIME_ERROR = 5  # adjtimex's answer when the clock is not synchronised


class _Timex(ctypes.Structure):
    """``struct timex`` of <sys/timex.h> (Linux); ctypes lays out the native alignment."""

    _fields_ = [
        ("modes", ctypes.c_uint),
        ("offset", ctypes.c_long),
        ("freq", ctypes.c_long),
        ("maxerror", ctypes.c_long),
        ("esterror", ctypes.c_long),
        ("status", ctypes.c_int),
        ("constant", ctypes.c_long),
        ("precision", ctypes.c_long),
        ("tolerance", ctypes.c_long),
        ("time_sec", ctypes.c_long),
        ("time_usec", ctypes.c_long),
        ("tick", ctypes.c_long),
        ("ppsfreq", ctypes.c_long),
        ("jitter", ctypes.c_long),
        ("shift", ctypes.c_int),
        ("stabil", ctypes.c_long),
        ("jitcnt", ctypes.c_long),
        ("calcnt", ctypes.c_long),
        ("errcnt", ctypes.c_long),
        ("stbcnt", ctypes.c_long),
        ("tai", ctypes.c_int),
        ("_reserved", ctypes.c_int * 11),
    ]


@dataclass(frozen=True)
class ClockState:
    """What the kernel says: ``synchronised`` (None: could not ask), and its max error in µs."""

    synchronised: bool | None
    max_error_us: int | None = None


def read_clock_state() -> ClockState:
    """The kernel's synchronisation flag through ``adjtimex`` (read only: ``modes = 0``)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        timex = _Timex()
        state = libc.adjtimex(ctypes.byref(timex))
    except (OSError, AttributeError):
        return ClockState(None)
    if state < 0:
        return ClockState(None)
    synced = not (timex.status & STA_UNSYNC) and state != TIME_ERROR
    return ClockState(synced, int(timex.maxerror))


def system_zone_name(etc: Path = Path("/etc")) -> str | None:
    """The system's time zone name: ``TZ``, else ``/etc/localtime``'s link, else /etc/timezone."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz:
        return tz
    localtime = etc / "localtime"
    try:
        target = os.readlink(localtime)
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        return target.split("zoneinfo/", 1)[1]
    try:
        return (etc / "timezone").read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def zones_differ(first: str, second: str, now: float) -> bool:
    """Whether the two zones give different UTC offsets at some point in the coming year."""
    try:
        a, b = ZoneInfo(first), ZoneInfo(second)
    except (ZoneInfoNotFoundError, ValueError):
        return first != second
    start = datetime.fromtimestamp(now, UTC)
    for days in range(0, 366, 15):
        moment = start + timedelta(days=days)
        if moment.astimezone(a).utcoffset() != moment.astimezone(b).utcoffset():
            return True
    return False


@dataclass(frozen=True)
class ClockWarning:
    """One problem: ``code`` is its catalog key's end (``server.clock_<code>``) and alert kind."""

    code: str
    params: dict[str, str]


def clock_warnings(
    state: ClockState, system_zone: str | None, center_zone: str, now: float
) -> list[ClockWarning]:
    """What is wrong with the clock and the zone; empty when nothing (pure: inputs given)."""
    found = []
    if state.synchronised is False:
        found.append(ClockWarning("clock_unsynchronised", {}))
    if system_zone is not None and zones_differ(system_zone, center_zone, now):
        found.append(
            ClockWarning("timezone_mismatch", {"system": system_zone, "center": center_zone})
        )
    return found
