"""What a clerk may call out of order at their counter: the waiting tickets and the reasons.

The counter's "call a chosen ticket" screen (counter/screens/call_chosen.py) lists these; the
call itself is ``calling.call_ticket`` with one of the reason ids, which the published integrity
report shows by name (a free text is published as "other").
"""

from __future__ import annotations

from typing import Any

from server.domain.errors import Refusal
from server.domain.hours import iso, local_day
from server.domain.roles import Can, require
from server.store.call_choices import callable_by_counter
from server.usecases.catalog import catalog_with
from server.usecases.context import Actor, Context

MAX_LISTED = 300


def callable_tickets(ctx: Context, actor: Actor, counter_id: str) -> dict[str, Any]:
    """The waiting tickets ``counter_id`` may call (oldest first) and the out-of-order reasons."""
    require(actor, Can.SERVE_AT_COUNTER)
    if actor.counter != counter_id:
        raise Refusal("not_at_counter")
    catalog = catalog_with(ctx, counter=counter_id)
    counter = catalog.counter(counter_id)
    zone = catalog.center.timezone
    day = local_day(ctx.now(), zone)
    services = sorted({*counter.services, *counter.helps})  # its main and helping services
    rows = callable_by_counter(ctx.db.read(), day, services, counter_id, MAX_LISTED)
    return {
        "tickets": [
            {
                "id": row["id"],
                "number": row["number"],
                "service": row["service"],
                "priority": bool(row["priority"]),
                "issued_at": iso(row["issued_at"], zone),
                "transferred": row["target_counter"] == counter_id,
            }
            for row in rows
        ],
        "reasons": [
            {"id": reason.id, "name": reason.name.model_dump()}
            for reason in catalog.center.out_of_order_reasons
        ],
    }
