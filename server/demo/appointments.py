"""Demo bookings, so the kiosk's check-in and the dashboard's appointment figures have something
on first start: for each bookable service, today's next slot (check in now), the one after, one
already past its grace (a no-show), and tomorrow morning's. Booked through the real use case with a
clock set back to the start of the day; seeded once per database, listed at every demo start.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from server.domain import appointments as rules
from server.domain.hours import local_day
from server.usecases.appointments import book
from server.usecases.catalog import load_catalog
from server.usecases.context import Actor, Context

KIOSK = Actor("device", "demo-kiosk-1", "kiosk")
PER_SERVICE = 2  # the demo's bookable services shown (the first ones of the catalog)


def seed_demo_bookings(ctx: Context) -> list[tuple[str, str, str, str]]:
    """Book the samples; (printed code, service, day and time, what it shows) for each."""
    catalog = load_catalog(ctx)
    now = ctx.now()
    tz = catalog.center.timezone
    today = date.fromisoformat(local_day(now, tz))
    grace_s = catalog.center.appointments.grace_min * 60.0
    slot_min = catalog.center.appointments.slot_min
    morning = rules.moment_of(today, "00:01", tz)
    made: list[tuple[str, str, str, str]] = []
    services = [s for s in catalog.services.values() if s.appointments and s.active]
    for service in services[:PER_SERVICE]:
        slots = rules.day_slots(service.hours, today, tz, slot_min, ctx.settings.ignore_hours)
        coming = [s for s in slots if s.at > now]
        past = [s for s in slots if s.at + grace_s < now]
        picks: list[tuple[date, str, str, float]] = []
        if past:
            picks.append((today, past[-1].start, "no-show (past its grace)", morning))
        for slot, shows in zip(coming, ("check in at the kiosk now", "later today"), strict=False):
            picks.append((today, slot.start, shows, morning))
        tomorrow = rules.day_slots(
            service.hours, today + timedelta(days=1), tz, slot_min, ctx.settings.ignore_hours
        )
        if tomorrow:  # the morning's first from 09:00 (a demo books around the clock)
            morning_slot = next((s for s in tomorrow if s.start >= "09:00"), tomorrow[0])
            picks.append((today + timedelta(days=1), morning_slot.start, "tomorrow", now))
        for day, start, shows, when in picks:
            booked = _book(ctx, when, service.id, day, start)
            if booked is not None:
                made.append((booked["code"], service.id, f"{day.isoformat()} {start}", shows))
    return made


def _book(ctx: Context, when: float, service: str, day: date, start: str) -> dict[str, Any] | None:
    from server.domain.errors import Refusal

    try:
        return book(replace(ctx, clock=lambda: when), KIOSK, service, day.isoformat(), start, "ar")
    except Refusal:  # a full or closed slot: the demo shows the others
        return None


def demo_bookings_step(setup: Any) -> None:
    """A ``nafitha demo`` step: seed the bookings once, then print them at every start."""
    from server.app import open_context
    from server.config import ServerSettings

    listing: Path = setup.data / "demo-bookings.txt"
    if not listing.exists():
        settings = ServerSettings(db=setup.db, center_config=setup.center, ignore_hours=True)
        ctx = open_context(settings)
        try:
            lines = [
                f"{code}  {service} {when}: {shows}"
                for code, service, when, shows in seed_demo_bookings(ctx)
            ]
        finally:
            ctx.db.close()
        listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"  bookings to check in (kiosk: 'I have an appointment', or {setup.url}/a/CODE):")
    for line in listing.read_text(encoding="utf-8").splitlines():
        print(f"    {line}")
