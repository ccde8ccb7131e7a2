"""After a restore from the replica: today's numbering moved on, so no number is given twice.

A replica may lack the last moments before the building was lost (the recovery point:
docs/operations.md, "The off-site replica"), and tickets printed then are in citizens' hands.
Numbering goes on from the last ticket restored, so those numbers would be given again the same
day. ``nafitha restore`` therefore moves each ticket letter's numbering on by a margin for the
center's today (and the last day numbered, if another): one ``numbering_skipped`` event per
letter in the chain, so the gap in the day's numbers is explained, audited and sent to the hub.
"""

from __future__ import annotations

from typing import Any

from server.domain.hours import local_day
from server.store import catalog as catalog_store
from server.store import tickets as tickets_store
from server.store.events import append_event
from server.usecases.catalog import load_catalog
from server.usecases.context import SYSTEM, Context

KIND = "numbering_skipped"


def skip_after_restore(ctx: Context, margin: int) -> list[dict[str, Any]]:
    """Move today's numbering of every ticket letter on by ``margin``; what moved, per letter."""
    if margin <= 0:
        return []
    now = ctx.now()
    today = local_day(now, load_catalog(ctx).center.timezone)
    moved: list[dict[str, Any]] = []
    with ctx.db.write() as tx:
        days = {today, tickets_store.latest_numbering_day(tx) or today}
        for day in sorted(days):
            for prefix in catalog_store.service_prefixes(tx):
                before, after = tickets_store.skip_numbers(tx, day, prefix, margin)
                data = {"day": day, "prefix": prefix, "from": before, "to": after,
                        "reason": "restore"}  # fmt: skip
                append_event(tx, KIND, at=now, actor=SYSTEM.name, data=data)
                moved.append(data)
    return moved
