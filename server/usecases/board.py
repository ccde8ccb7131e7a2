"""What the waiting hall's board shows right now, and the message line a manager sets for it.

The board reads its whole state here once (and after each reconnect), then follows the event
stream from ``last_event_id``: read in one snapshot, so no call falls between the two.
"""

from __future__ import annotations

import json
from typing import Any

from server.domain.errors import Refusal
from server.domain.hours import local_day, local_time
from server.domain.roles import Can, require
from server.store import board as board_store
from server.store import events as events_store
from server.store import tickets as tickets_store
from server.store.events import append_event
from server.usecases import estimates
from server.usecases.catalog import load_catalog
from server.usecases.context import Actor, Context
from server.usecases.cutoff import cutoffs

CALL_KINDS = ("ticket_called", "ticket_called_out_of_order", "ticket_recall")
BOARD_CALLS = 9
GONE_FROM_BOARD = frozenset({"waiting", "cancelled"})
MAX_MESSAGE = 200


def _start_of_day(ts: float, timezone: str) -> float:
    moment = local_time(ts, timezone)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def board_state(ctx: Context) -> dict[str, Any]:
    """Today's latest calls (newest first), waiting per service, the message, the last event id."""
    catalog = load_catalog(ctx)
    now = ctx.now()
    timezone = catalog.center.timezone
    day = local_day(now, timezone)
    with ctx.db.snapshot() as db:
        last = events_store.last_event_id(db)
        calls = []
        seen: set[str] = set()
        for event_id, public in events_store.latest_public(
            db, CALL_KINDS, _start_of_day(now, timezone), BOARD_CALLS * 3
        ):
            fields = json.loads(public)
            number = fields.get("ticket")
            if not number or number in seen:
                continue  # a recall shows once, at its latest call
            seen.add(number)
            counter = fields.get("counter") or {}
            calls.append(
                {
                    "event_id": event_id,
                    "number": number,
                    "counter": counter.get("id"),
                    "counter_number": counter.get("number"),
                }
            )
        calls = _as_they_stand(db, calls, day)[:BOARD_CALLS]
        message = board_store.latest_message(db)
        # The same figures a ticket taken now is told (one rounding, ``wait_minutes``), and the
        # count of who waits from the trigger-kept counts rather than a scan of the day's tickets.
        queues = estimates.queue_figures(db, catalog, day, ctx.cache)
        cutoff = cutoffs(ctx, db, catalog, now, queues)  # each service's last-ticket time
    return {
        "center": catalog.center.name.model_dump(),
        "timezone": timezone,
        "calls": calls,
        "waiting": [
            {
                "service": service.id,
                "prefix": service.prefix,
                "name": service.name.model_dump(),
                "count": queues.get(service.id, {}).get("waiting", 0),
                "wait_minutes": queues.get(service.id, {}).get("wait_minutes"),
                "callable": queues.get(service.id, {}).get("callable", True),
                "cutoff": cutoff.get(service.id),
            }
            for service in catalog.services.values()
            if service.active
        ],
        "message": message,
        "last_event_id": last,
    }


def _as_they_stand(db: Any, calls: list[dict[str, Any]], day: str) -> list[dict[str, Any]]:
    """The calls as their tickets stand now: a ticket sent back to waiting (transferred, to be
    called again elsewhere) or cancelled leaves the list; a no-show stays, marked ``missed``."""
    if not calls:
        return calls
    states = tickets_store.states_of_numbers(db, day, [call["number"] for call in calls])
    kept = []
    for call in calls:
        state = states.get(call["number"], "called")
        if state in GONE_FROM_BOARD:
            continue
        kept.append({**call, "state": state, "missed": state == "no_show"})
    return kept


def set_board_message(ctx: Context, actor: Actor, message: str) -> dict[str, Any]:
    """A manager sets the board's message line (empty clears it); boards show it at once."""
    require(actor, Can.SET_BOARD_MESSAGE)
    text = " ".join(message.split())
    if len(text) > MAX_MESSAGE:
        raise Refusal("message_too_long")
    now = ctx.now()
    with ctx.db.write() as tx:
        board_store.add_message(tx, now, actor.name, text)
        append_event(
            tx,
            "board_message",
            at=now,
            actor=actor.name,
            data={"message": text},
            public={"message": text},
        )
    ctx.on_event()
    return {"message": text}
