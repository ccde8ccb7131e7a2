"""The manager's side of appointments: closing days and slots, and the figures of a period.

A closed day or slot takes no new booking; bookings already made stay (the manager calls or texts
the citizens: docs/appointments.md). The figures mark overdue bookings ``no_show`` first, with the
caller's ``now``.
"""

from __future__ import annotations

import statistics
from datetime import timedelta
from typing import Any

from server.domain.appointment_calling import punctual
from server.domain.errors import Refusal
from server.domain.roles import Can, require
from server.store import appointments as store
from server.store.events import append_event
from server.usecases.appointments import expire, parse_day, settings_of
from server.usecases.catalog import load_catalog
from server.usecases.context import Actor, Context

MAX_FIGURE_DAYS = 366


def get_day(ctx: Context, actor: Actor, day_text: str) -> dict[str, Any]:
    require(actor, Can.MANAGE_APPOINTMENTS)
    day = parse_day(day_text).isoformat()
    db = ctx.db.read()
    closed = store.closed_day(db, day)
    return {
        "day": day,
        "closed": closed is not None,
        "reason": closed["reason"] if closed else "",
        "bookings": store.live_on_day(db, day),  # they stand: the manager tells the citizens
    }


def set_day(ctx: Context, actor: Actor, day_text: str, closed: bool, reason: str) -> dict[str, Any]:
    """Close (a holiday) or reopen a day for bookings; audited as ``appointment_day_closed``."""
    require(actor, Can.MANAGE_APPOINTMENTS)
    day = parse_day(day_text).isoformat()
    now = ctx.now()
    with ctx.db.write() as tx:
        store.set_day(tx, day, closed, reason, actor.name or "", now)
        append_event(
            tx,
            "appointment_day_closed",
            at=now,
            actor=actor.name,
            data={"day": day, "closed": closed, "reason": reason},
            public={"day": day, "closed": closed},
        )
        bookings = store.live_on_day(tx, day)
    ctx.on_event()
    return {"day": day, "closed": closed, "reason": reason if closed else "", "bookings": bookings}


def set_slot(
    ctx: Context, actor: Actor, day_text: str, start: str, service: str | None, closed: bool
) -> dict[str, Any]:
    """Close or reopen one slot (of one service, or of every service when None)."""
    require(actor, Can.MANAGE_APPOINTMENTS)
    day = parse_day(day_text).isoformat()
    if service is not None:
        load_catalog(ctx).service(service)  # unknown_service
    now = ctx.now()
    with ctx.db.write() as tx:
        store.set_slot(tx, day, start, service or "", closed, actor.name or "", now)
        append_event(
            tx,
            "appointment_slot_closed",
            at=now,
            actor=actor.name,
            data={"day": day, "start": start, "service": service, "closed": closed},
            public={"day": day, "start": start, "service": service, "closed": closed},
        )
    ctx.on_event()
    return {"day": day, "start": start, "service": service, "closed": closed}


def _quantiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p90": None}
    if len(values) == 1:
        return {"p50": values[0], "p90": values[0]}
    cuts = statistics.quantiles(values, n=10, method="inclusive")
    return {"p50": statistics.median(values), "p90": cuts[8]}


def figures(
    ctx: Context, actor: Actor, first_text: str, last_text: str, within_min: int | None = None
) -> dict[str, Any]:
    """Per day: booked, checked in, no-shows, cancelled, late, punctual (called within
    ``within_min``, default the grace, of the slot), the waits of appointment tickets (from the
    later of slot and arrival to the call) and of walk-ins (issue to call), p50 and p90."""
    require(actor, Can.MANAGE_APPOINTMENTS)
    first, last = parse_day(first_text), parse_day(last_text)
    if last < first or (last - first).days >= MAX_FIGURE_DAYS:
        raise Refusal("bad_day_range", most=MAX_FIGURE_DAYS)
    catalog = load_catalog(ctx)
    within = (within_min if within_min is not None else settings_of(catalog).grace_min) * 60.0
    now = ctx.now()
    with ctx.db.write() as tx:  # no-shows first, so the figures count them
        expire(ctx, tx, catalog, now)
    db = ctx.db.read()
    rows = store.figures_rows(db, first.isoformat(), last.isoformat())
    walk_ins: dict[str, list[float]] = {}
    for day, wait in store.walk_in_waits(db, first.isoformat(), last.isoformat()):
        walk_ins.setdefault(day, []).append(max(wait, 0.0))
    days = []
    for i in range((last - first).days + 1):
        day = (first + timedelta(days=i)).isoformat()
        mine = [r for r in rows if r["day"] == day]
        on_time = [r for r in mine if r["status"] == "checked_in" and not r["late"]]
        called = [r for r in on_time if r["called_at"] is not None]
        waits = [max(r["called_at"] - max(r["at"], r["issued_at"]), 0.0) for r in called]
        on_time_calls = sum(1 for r in called if punctual(r["at"], r["called_at"], within))
        days.append(
            {
                "day": day,
                "booked": sum(1 for r in mine if r["status"] != "cancelled"),
                "checked_in": sum(1 for r in mine if r["status"] == "checked_in"),
                "late": sum(1 for r in mine if r["status"] == "checked_in" and r["late"]),
                "no_show": sum(1 for r in mine if r["status"] == "no_show"),
                "cancelled": sum(1 for r in mine if r["status"] == "cancelled"),
                "called": len(called),
                "punctual": on_time_calls,
                "punctual_share": on_time_calls / len(called) if called else None,
                "appointment_wait_s": _quantiles(waits),
                "walk_in_wait_s": _quantiles(walk_ins.get(day, [])),
            }
        )
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "punctual_within_min": within / 60.0,
        "days": days,
    }
