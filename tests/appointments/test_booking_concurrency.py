"""Fifty citizens book the last places at once, on a real server with two worker processes:
exactly the capacity is taken, everyone else hears ``slot_full``, and the database agrees.

The capacity check and the insert share one ``BEGIN IMMEDIATE`` transaction (docs/appointments.md);
without it two workers would both read "one place left" and both insert.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import requests

from tests.support.server import running_server

SERVICE = "passport-renewal"
CLIENTS = 50
SLOTS = ("12:00", "12:30")  # the day's last two slots (the demo's hours: 08:00-13:00)


def test_fifty_concurrent_bookings_of_the_last_slots_take_exactly_their_capacity(
    tmp_path: Path,
) -> None:
    settings = tmp_path / "server.toml"
    settings.write_text("booking_per_minute = 6000\nbooking_burst = 1000\n", encoding="utf-8")
    with running_server(
        tmp_path / "data", workers=2, extra_args=["--config", str(settings)]
    ) as srv:
        today = datetime.now(ZoneInfo("Asia/Beirut")).date()
        day = (today + timedelta(days=1)).isoformat()  # the demo books every day (hours ignored)
        listed = requests.get(
            f"{srv.url}/api/v1/appointments/slots",
            params={"service": SERVICE, "from": day, "days": 1},
            timeout=10,
        ).json()["days"][0]["slots"]
        capacity = {s["start"]: s["capacity"] for s in listed if s["start"] in SLOTS}
        assert set(capacity) == set(SLOTS) and all(c >= 1 for c in capacity.values())
        assert sum(capacity.values()) < CLIENTS

        barrier = threading.Barrier(CLIENTS)
        results: list[tuple[str, int, str]] = []
        lock = threading.Lock()

        def citizen(i: int) -> None:
            start = SLOTS[i % len(SLOTS)]
            body = {"service": SERVICE, "day": day, "start": start, "lang": "ar"}
            with requests.Session() as session:  # a client of its own: its own connection
                barrier.wait(timeout=30)
                answer = session.post(f"{srv.url}/api/v1/appointments", json=body, timeout=60)
            code = answer.json().get("code") or answer.json()["error"]["code"]
            with lock:
                results.append((start, answer.status_code, code))

        threads = [threading.Thread(target=citizen, args=(i,)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert len(results) == CLIENTS

        booked = Counter(start for start, status, _ in results if status == 201)
        refused = Counter(code for _, status, code in results if status != 201)
        assert booked == Counter(capacity)  # exactly the capacity of each slot, no more
        assert refused == Counter({"slot_full": CLIENTS - sum(capacity.values())})
        codes = [code for _, status, code in results if status == 201]
        assert len(set(codes)) == len(codes)

    with sqlite3.connect(srv.db) as db:
        rows = db.execute(
            "SELECT start, count(*) FROM bookings WHERE day = ? AND status = 'booked'"
            " GROUP BY start",
            [day],
        ).fetchall()
        logged = db.execute(
            "SELECT count(*) FROM events WHERE kind = 'appointment_booked'"
        ).fetchone()[0]
    assert dict(rows) == capacity
    assert logged == sum(capacity.values())
    assert date.fromisoformat(day) > today
