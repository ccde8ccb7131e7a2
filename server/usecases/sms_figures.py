"""Text messages per day for the manager's dashboard: sent, delivered, failed, opt-in rate.

A day is the center's local calendar day. ``opted_in`` is the tickets of that day whose holder
asked for messages (at the kiosk or on the phone page) and ``opt_in_rate`` their share of the
tickets issued that day (None on a day without tickets); ``consents`` counts the numbers that
agreed that day on any surface (a file at the counter too). Both are purged with the numbers
after ``purge_days``. ``failed`` counts every failure and ``given_up`` those that used every try or
were interrupted (not ``stopped`` or ``expired``, which are the citizen's or the clock's doing);
``withdrawn`` messages (a cancelled booking's reminder) are neither.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from server.domain.errors import Refusal
from server.store import sms_figures as figures_store
from server.usecases.catalog import load_catalog
from server.usecases.context import Context

MAX_DAYS = 92


def _bounds(first: date, last: date, zone: ZoneInfo) -> tuple[float, float]:
    start = datetime.combine(first, time(0), zone).timestamp()
    end = datetime.combine(last + timedelta(days=1), time(0), zone).timestamp()
    return start, end


def sms_figures(ctx: Context, date_from: str, date_to: str) -> dict[str, Any]:
    """Per day from ``date_from`` to ``date_to`` (ISO days, at most 92): the messages' figures."""
    try:
        first, last = date.fromisoformat(date_from), date.fromisoformat(date_to)
    except ValueError:
        raise Refusal("bad_period") from None
    if first > last or (last - first).days >= MAX_DAYS:
        raise Refusal("bad_period")
    zone = ZoneInfo(load_catalog(ctx).center.timezone)
    start, end = _bounds(first, last, zone)
    with ctx.db.snapshot() as db:
        messages = figures_store.message_times(db, start, end)
        consents = figures_store.consent_times(db, start, end)
        inbound = figures_store.inbound_times(db, start, end)
        tickets = figures_store.tickets_per_day(db, first.isoformat(), last.isoformat())
        opted_in = figures_store.opted_in_per_day(db, first.isoformat(), last.isoformat())

    def day_of(at: float) -> str:
        return datetime.fromtimestamp(at, zone).date().isoformat()

    states: dict[str, Counter[str]] = {}
    for at, state, error in messages:
        counts = states.setdefault(day_of(at), Counter())
        counts[state] += 1
        if state == "failed" and error not in ("stopped", "expired"):
            counts["given_up"] += 1
    opted = Counter(day_of(at) for at in consents)
    received = Counter(day_of(at) for at, _ in inbound)
    days = []
    day = first
    while day <= last:
        key = day.isoformat()
        counts = states.get(key, Counter())
        issued = tickets.get(key, 0)
        asked = opted_in.get(key, 0)
        days.append(
            {
                "day": key,
                "queued": counts["queued"] + counts["sending"],
                "sent": counts["sent"] + counts["delivered"],
                "delivered": counts["delivered"],
                "failed": counts["failed"],
                "given_up": counts["given_up"],
                "withdrawn": counts["withdrawn"],
                "received": received[key],
                "consents": opted[key],
                "tickets": issued,
                "opted_in": asked,
                "opt_in_rate": round(asked / issued, 4) if issued else None,
            }
        )
        day += timedelta(days=1)
    return {"from": first.isoformat(), "to": last.isoformat(), "days": days}


__all__ = ["sms_figures"]
