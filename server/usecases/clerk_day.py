"""A clerk's own day so far: how many citizens they served and their average service time.

Read-only, for the clerk's counter terminal (``GET /api/v1/me/today``); managers see everyone's
figures in the statistics.
"""

from __future__ import annotations

from typing import Any

from nafitha import stats
from server.domain.errors import Refusal
from server.domain.hours import local_day
from server.store import tickets as tickets_store
from server.usecases.catalog import load_catalog
from server.usecases.context import Actor, Context


def clerk_today(ctx: Context, actor: Actor) -> dict[str, Any]:
    """Tickets ``actor`` finished today (center's day), and their mean start-to-finish time."""
    if actor.person is None:
        raise Refusal("forbidden")
    catalog = load_catalog(ctx)
    day = local_day(ctx.now(), catalog.center.timezone)
    with ctx.db.snapshot() as db:
        done = tickets_store.served_by_clerk(db, day, actor.person)
        no_shows = tickets_store.no_shows_by_clerk(db, day, actor.person)
    timed = [t for t in (stats.service_s(*row) for row in done) if t is not None]
    return {
        "day": day,
        "clerk": actor.person,
        "served": len(done),
        "no_shows": no_shows,
        "average_service_s": round(sum(timed) / len(timed), 1) if timed else 0.0,
    }
