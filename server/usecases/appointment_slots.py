"""The bookable services and their slots as booking sees them: capacity, booked, free.

The rules are pure (``server/domain/appointments.py``); here they meet the catalog and the store.
``day_view`` is read by the slots list and, inside the booking's own transaction, by the booking
itself (``server/usecases/appointments.py``), so both judge a slot the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlite_utils

from server.config import AppointmentSettings, Service
from server.domain import appointments as rules
from server.domain.errors import Refusal
from server.domain.hours import is_open, local_day
from server.store import appointments as store
from server.usecases.catalog import Catalog, load_catalog
from server.usecases.context import Context

MAX_DAYS = 31  # days one slots request may cover
MEASURED_DAYS = 28  # the service time is measured over these last days


def settings_of(catalog: Catalog) -> AppointmentSettings:
    return catalog.center.appointments


def parse_day(text: str) -> date:
    """A ``YYYY-MM-DD`` day of the years 2000-2199 (far days would overflow the day arithmetic)."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise Refusal("invalid_input", field="day", reason="YYYY-MM-DD") from None
    if not 2000 <= day.year <= 2199:
        raise Refusal("invalid_input", field="day", reason="2000-2199")
    return day


def bookable(catalog: Catalog, service_id: str) -> Service:
    """The service, refused ``not_bookable`` unless it takes appointments."""
    service = catalog.service(service_id)
    if not service.appointments or not service.active:
        raise Refusal("not_bookable", service=service_id)
    return service


# -- capacity ---------------------------------------------------------------------------------
def mean_s(db: sqlite_utils.Database, service: Service, today: date) -> float:
    """The service's measured mean, shrunk to its prior (``rules.mean_service_s``)."""
    first = (today - timedelta(days=MEASURED_DAYS)).isoformat()
    measured, count = store.mean_duration(db, service.id, first, today.isoformat())
    return rules.mean_service_s(service.service_time_s, measured, count)


def share_at(ctx: Context, catalog: Catalog, service: Service, at: float) -> float:
    """The counters' time the service has at ``at`` (``rules.counter_share``): only the
    counters serving it, and their services, are looked at."""
    tz = catalog.center.timezone
    serves = {
        c.id: frozenset(c.services) for c in catalog.counters.values() if service.id in c.services
    }
    others = frozenset().union(*serves.values()) if serves else frozenset()
    open_services = frozenset(
        s
        for s in others
        if s in catalog.services
        and catalog.services[s].active
        and (ctx.settings.ignore_hours or is_open(catalog.services[s].hours, at, tz))
    )
    return rules.counter_share(service.id, serves, open_services)


@dataclass(frozen=True)
class DayView:
    day: date
    closed: bool
    why: str | None  # closed_by_manager, no_hours, outside_horizon
    reason: str | None  # the manager's words for a closed day
    slots: list[rules.SlotState]


def day_view(
    ctx: Context,
    db: sqlite_utils.Database,
    catalog: Catalog,
    service: Service,
    day: date,
    today: date,
    mean: float,
    only: str | None = None,
    shares: dict[tuple[int, str], float] | None = None,
) -> DayView:
    """One day of a service as booking sees it (``only``: read just that slot's count;
    ``shares``: the counters' share by weekday and start, kept across the days of a request)."""
    settings = settings_of(catalog)
    shares = {} if shares is None else shares
    if not rules.in_horizon(day, today, settings.horizon_days):
        return DayView(day, True, "outside_horizon", None, [])
    closed = store.closed_day(db, day.isoformat())
    if closed is not None:
        return DayView(day, True, "closed_by_manager", closed["reason"], [])
    always_open = ctx.settings.ignore_hours
    slots = rules.day_slots(
        service.hours, day, catalog.center.timezone, settings.slot_min, always_open
    )
    if not slots:
        return DayView(day, True, "no_hours", None, [])
    iso_day = day.isoformat()
    if only is not None:
        slots = [s for s in slots if s.start == only]
        booked = {only: store.booked_in_slot(db, iso_day, service.id, only)}
    else:
        booked = store.booked_by_slot(db, iso_day, service.id)
    shut = store.closed_slots(db, iso_day, iso_day)
    states = []
    for slot in slots:
        key = (day.weekday(), slot.start)  # the hours, hence the share, repeat each week
        if key not in shares:
            shares[key] = share_at(ctx, catalog, service, slot.at)
        cap = rules.capacity(
            shares[key],
            settings.slot_min * 60.0,
            mean,
            settings.walk_in_share,
        )
        closed_slot = (iso_day, slot.start, "") in shut or (iso_day, slot.start, service.id) in shut
        states.append(rules.SlotState(slot, cap, booked.get(slot.start, 0), closed_slot))
    return DayView(day, False, None, None, states)


# -- reads ------------------------------------------------------------------------------------
def services(ctx: Context) -> dict[str, Any]:
    """The bookable services with their documents, and what booking asks for."""
    catalog = load_catalog(ctx)
    settings = settings_of(catalog)
    return {
        "services": [
            {
                "id": s.id,
                "name": s.name.model_dump(),
                "category": s.category,
                "documents": [d.model_dump() for d in s.documents],
            }
            for s in catalog.services.values()
            if s.appointments and s.active
        ],
        "ask_name": settings.ask_name,
        "ask_phone": settings.ask_phone or settings.require_phone,
        "require_phone": settings.require_phone,
        "messages": ctx.settings.sms is not None,  # whether a phone can get messages
        "horizon_days": settings.horizon_days,
        "slot_min": settings.slot_min,
        "early_checkin_min": settings.early_checkin_min,  # the kiosk's "come back at HH:MM"
        "grace_min": settings.grace_min,
        "timezone": catalog.center.timezone,
    }


def slots(ctx: Context, service_id: str, first: str | None, days: int) -> dict[str, Any]:
    """The slots of ``days`` days from ``first`` (today when None), with capacity and free."""
    catalog = load_catalog(ctx)
    service = bookable(catalog, service_id)
    now = ctx.now()
    today = date.fromisoformat(local_day(now, catalog.center.timezone))
    start = parse_day(first) if first else today
    if not 1 <= days <= MAX_DAYS:
        raise Refusal("bad_day_range", most=MAX_DAYS)
    out = []
    shares: dict[tuple[int, str], float] = {}
    with ctx.db.snapshot() as db:
        mean = mean_s(db, service, today)
        for i in range(days):
            day = start + timedelta(days=i)
            view = day_view(ctx, db, catalog, service, day, today, mean, shares=shares)
            out.append(
                {
                    "day": view.day.isoformat(),
                    "closed": view.closed,
                    "why": view.why,
                    "reason": view.reason,
                    "slots": [
                        {
                            "start": s.slot.start,
                            "end": s.slot.end,
                            "at": s.slot.at,
                            "capacity": s.capacity,
                            "booked": s.booked,
                            "free": 0 if s.slot.at <= now else s.free,
                            "closed": s.closed,
                            "past": s.slot.at <= now,
                        }
                        for s in view.slots
                    ],
                }
            )
    return {
        "service": service.id,
        "service_name": service.name.model_dump(),
        "timezone": catalog.center.timezone,
        "days": out,
    }
