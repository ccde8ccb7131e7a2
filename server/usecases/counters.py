"""A counter's working state (open, paused, closed) and the staff's view of the queue."""

from __future__ import annotations

from typing import Any

from server.domain.errors import Refusal
from server.domain.hours import local_day
from server.store import counters as counters_store
from server.store import tickets as tickets_store
from server.store.events import append_event
from server.usecases import ticket_sms
from server.usecases.calling import check_at_counter
from server.usecases.catalog import catalog_with, load_catalog
from server.usecases.context import Actor, Context
from server.usecases.ticket_view import counter_brief


def set_counter_status(
    ctx: Context, actor: Actor, counter_id: str, status: str, reason: str | None = None
) -> dict[str, Any]:
    """Pause or resume (open) a counter; paused counters are not counted in wait estimates.

    A pause's reason goes into the audit log (staff only), so a manager sees why a window closed.
    """
    check_at_counter(actor, counter_id)
    catalog = catalog_with(ctx, counter=counter_id)
    catalog.counter(counter_id)
    if status not in ("open", "paused"):
        raise Refusal("unknown_action", action=status)
    now = ctx.now()
    with ctx.db.write() as tx:
        counters_store.set_status(tx, counter_id, status, actor.name, now)
        append_event(
            tx,
            "counter_opened" if status == "open" else "counter_paused",
            at=now,
            actor=actor.name,
            counter=counter_id,
            data={"reason": reason} if reason else None,
            public={"counter": counter_brief(catalog, counter_id), "status": status},
        )
        if status == "open":  # tickets only this counter serves become callable: "turn near"
            ticket_sms.notify_near(ctx, tx, catalog, local_day(now, catalog.center.timezone), now)
    ctx.on_event()
    return {"counter": counter_id, "status": status}


def queue_summary(ctx: Context) -> dict[str, Any]:
    """Per service: waiting count (and priority ones), oldest wait; per counter: status, current."""
    catalog = load_catalog(ctx)
    now = ctx.now()
    day = local_day(now, catalog.center.timezone)
    with ctx.db.snapshot() as db:
        waiting = tickets_store.waiting_by_service(db, day)
        counters = counters_store.counter_states(db)
        current = tickets_store.current_at_counters(db)
    services = []
    for service in catalog.services.values():
        if not service.active:
            continue
        row = waiting.get(service.id)
        services.append(
            {
                "id": service.id,
                "name": service.name.model_dump(),
                "prefix": service.prefix,
                "waiting": row[0] if row else 0,
                "priority_waiting": row[1] if row else 0,
                "oldest_wait_s": round(now - row[2]) if row else 0,
                "target_wait_s": service.target_wait_min * 60,
            }
        )
    counter_rows = []
    for counter in catalog.counters.values():
        state = counters.get(counter.id)
        ticket = current.get(counter.id)
        counter_rows.append(
            {
                **counter_brief(catalog, counter.id),  # type: ignore[dict-item]
                "services": counter.services,
                "status": state[0] if state else "closed",
                "clerk": state[1] if state else None,
                "current": {"id": ticket[0], "number": ticket[1], "state": ticket[2]}
                if ticket
                else None,
            }
        )
    return {
        "day": day,
        "waiting": sum(s["waiting"] for s in services),
        "services": services,
        "counters": counter_rows,
        "counters_open": sum(1 for c in counter_rows if c["status"] == "open"),
    }
