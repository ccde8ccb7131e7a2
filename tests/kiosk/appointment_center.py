"""A center file for the kiosk's appointment tests: the demo catalog in a fixed-offset zone whose
local time now is about 10:00 (tests/support/cutoff_center.py), with the bookable service open
every day from 06:00 to 20:00, half-hour slots, check-in from 60 minutes before, 15 of grace.

The zone is not the kiosk PC's (nor the server's, both UTC here): every time the tests read on
screen or paper is the center's, which a time in UTC would not match.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tty
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from nafitha.client import Client
from nafitha.paths import DEMO
from printers.virtual import VirtualPrinter
from tests.kiosk.driver import Kiosk, start_kiosk
from tests.support.cutoff_center import zone_at_ten
from tests.support.server import RunningServer, running_server

BOOKABLE = "passport-renewal"
EVERY_DAY = '["mon", "tue", "wed", "thu", "fri", "sat", "sun"]'


def appointment_center(folder: Path) -> tuple[Path, str]:
    """The center file and its zone."""
    zone = zone_at_ten()
    text = (DEMO / "center.toml").read_text(encoding="utf-8")
    text = re.sub(r"^hours = \[.*\]\n", "", text, flags=re.M)
    text = re.sub(r"^hours = \[\n.*?^\]\n", "", text, flags=re.M | re.S)
    text = re.sub(r"^appointments = true.*\n", "", text, flags=re.M)
    text = re.sub(r'^timezone = ".*"$', f'timezone = "{zone}"', text, count=1, flags=re.M)
    hours = f'hours = [{{ days = {EVERY_DAY}, open = "06:00", close = "20:00" }}]\n'
    text = text.replace(
        f'id = "{BOOKABLE}"\n', f'id = "{BOOKABLE}"\nappointments = true\n{hours}', 1
    )
    text = re.sub(
        r"^\[center\.appointments\]\n(.*?\n)*?\n",
        "[center.appointments]\nslot_min = 30\nwalk_in_share = 0.3\nearly_checkin_min = 60\n"
        "grace_min = 15\nask_phone = true\n\n",
        text,
        count=1,
        flags=re.M,
    )
    path = folder / "center.toml"
    path.write_text(text, encoding="utf-8")
    return path, zone


def local_now(zone: str) -> datetime:
    return datetime.now(ZoneInfo(zone))


def move_slot_into_the_past(db: Path, code: str, zone: str, minutes_ago: int) -> str:
    """Make a booking's slot one that started ``minutes_ago`` minutes ago today (``HH:MM``).

    A slot in the past cannot be booked, and the test cannot wait an hour for one to pass: the
    booking row in the server's real database file is moved back instead, as if it had been
    booked earlier for a slot that has since begun (the server reads it afresh on check-in).
    """
    moment = (local_now(zone) - timedelta(minutes=minutes_ago)).replace(second=0, microsecond=0)
    canonical = code.replace("-", "")
    with sqlite3.connect(db, timeout=10) as connection:
        changed = connection.execute(
            "UPDATE bookings SET day = ?, start = ?, at = ? WHERE code = ?",
            [
                moment.date().isoformat(),
                moment.strftime("%H:%M"),
                moment.astimezone(UTC).timestamp(),
                canonical,
            ],
        ).rowcount
    assert changed == 1, f"no booking {code} in {db}"
    return moment.strftime("%H:%M")


@dataclass
class AppointmentKiosk:
    """The portrait kiosk (a serial scanner on a pty) and a server of that center."""

    kiosk: Kiosk
    server: RunningServer
    paper: VirtualPrinter
    scanner_fd: int
    zone: str
    _clerk: Client | None = None

    def scan(self, code: str) -> None:
        os.write(self.scanner_fd, code.encode("utf-8") + b"\r\n")

    def citizen(self) -> Client:
        """A phone on the center's Wi-Fi: no token (bookings and places are public)."""
        return self.server.client()

    def clerk(self) -> Client:
        """A clerk booking or cancelling for citizens: the tests book many times a minute from
        one address, which the public limit (per address) would refuse."""
        if self._clerk is None:
            self._clerk = self.server.login("clerk1")
        return self._clerk

    def next_slot(self, day_offset: int = 0, after_min: int = 0) -> dict[str, Any]:
        """The first free slot ``day_offset`` days from today starting ``after_min`` from now."""
        day = (local_now(self.zone) + timedelta(days=day_offset)).date().isoformat()
        answer = self.citizen().appointment_slots(BOOKABLE, day, 1)
        soon = local_now(self.zone).timestamp() + after_min * 60
        for slot in answer["days"][0]["slots"]:
            if slot["free"] > 0 and slot["at"] >= soon:
                return {"day": day, **slot}
        raise AssertionError(f"no free slot on {day} after {after_min} min: {answer}")

    def book(self, day_offset: int = 0, after_min: int = 0, lang: str = "ar") -> dict[str, Any]:
        slot = self.next_slot(day_offset, after_min)
        return self.clerk().book(BOOKABLE, slot["day"], slot["start"], lang)


@contextmanager
def appointment_kiosk(root: Path, artifacts: Path) -> Iterator[AppointmentKiosk]:
    center, zone = appointment_center(root)
    master, slave = os.openpty()
    tty.setraw(slave)
    folder = artifacts / "kiosk"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with (
            running_server(root / "server", center=center, ignore_hours=False) as server,
            VirtualPrinter(out_dir=root / "paper") as paper,
        ):
            # six more counters for the bookable service: many slots of two hours stay free
            # for a module's bookings (one counter's share alone gives two places a slot)
            server.add_counters(30, 6, [BOOKABLE])
            kiosk = start_kiosk(
                root / "kiosk", folder, server.url, paper.url, scanner=os.ttyname(slave)
            )
            try:
                kiosk.wait_state(lambda s: s["booking"]["offered"], "the appointment buttons")
                yield AppointmentKiosk(kiosk, server, paper, master, zone)
            finally:
                kiosk.close()
    finally:
        os.close(master)
        os.close(slave)
