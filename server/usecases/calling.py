"""Calling tickets to a counter: the next one by its calling profile, or a chosen one with a
recorded reason. Both record the kind called in the counter's run (m024), in the same
transaction that reads it, so concurrent clerks never break a ratio."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from server.config import CallProfile, Counter
from server.domain.calling_profile import Choice, choose
from server.domain.errors import Refusal
from server.domain.hours import local_day
from server.domain.roles import Can, require
from server.store import call_runs
from server.store import counters as counters_store
from server.store import tickets as tickets_store
from server.store.events import append_event
from server.store.ticket_actions import ticket_at_counter
from server.store.waiting import queue_heads
from server.usecases import ticket_sms
from server.usecases.appointments import expire as expire_bookings
from server.usecases.catalog import Catalog, catalog_with
from server.usecases.context import Actor, Context
from server.usecases.ticket_actions import clerk_view, wrong_state
from server.usecases.ticket_view import fetch_ticket, public_event_fields

MAX_REASON = 500
CALLED_COLUMNS = ("state", "called_at", "counter", "clerk", "target_counter")


def check_at_counter(actor: Actor, counter: str) -> None:
    """Only a person signed in at this very counter may call to it."""
    require(actor, Can.SERVE_AT_COUNTER)
    if actor.counter != counter:
        raise Refusal("not_at_counter")


def _check_counter_free(tx: sqlite_utils.Database, counter_id: str) -> None:
    if counters_store.status_of(tx, counter_id) == "paused":
        raise Refusal("counter_paused")
    busy = ticket_at_counter(tx, counter_id)
    if busy:
        raise Refusal("counter_busy", number=busy)


def profile_of(catalog: Catalog, counter: Counter) -> CallProfile:
    """The counter's own calling profile, else the center's."""
    return counter.profile or catalog.center.call_profile


def _profile_choice(
    tx: sqlite_utils.Database, catalog: Catalog, counter_id: str, now: float, day: str
) -> Choice | None:
    """What the counter's profile calls now, from the queue heads and the counter's run."""
    counter = catalog.counter(counter_id)
    main = frozenset(counter.services)
    helps = frozenset(counter.helps) - main
    return choose(
        queue_heads(tx, day, sorted(main | helps), counter_id),
        counter_id,
        main,
        helps,
        profile_of(catalog, counter),
        call_runs.run_of(tx, counter_id, day),
        now,
        catalog.target_wait_s(),
    )


def _mark_called(
    ctx: Context,
    tx: sqlite_utils.Database,
    catalog: Catalog,
    actor: Actor,
    ticket_id: int,
    counter_id: str,
    now: float,
    kind: str,
    data: dict[str, Any],
) -> dict[str, Any]:
    tickets_store.mark_called(tx, ticket_id, counter_id, actor.name, now)
    counters_store.open_if_closed(tx, counter_id, actor.name, now)
    row = fetch_ticket(tx, ticket_id)
    call_runs.record_call(tx, counter_id, row["day"], bool(row["priority"]))
    append_event(
        tx,
        kind,
        at=now,
        actor=actor.name,
        counter=counter_id,
        ticket_id=ticket_id,
        data={
            "number": row["number"],
            "service": row["service"],
            **data,
            "ticket": {c: row[c] for c in CALLED_COLUMNS},  # what the call set (docs/audit.md)
        },
        public=public_event_fields(row, catalog),
    )
    ticket_sms.after_call(ctx, tx, catalog, row, now)  # "called" / "turn near" (docs/sms.md)
    return row


def call_next(ctx: Context, actor: Actor, counter_id: str) -> dict[str, Any] | None:
    """Call the next ticket to ``counter_id`` by its calling profile; None when nobody waits.

    The event's ``policy`` is the profile's order, ``profile`` the rule that chose the ticket
    (``calling_profile.Rule``: policy, main, help, priority, ratio).
    """
    check_at_counter(actor, counter_id)
    catalog = catalog_with(ctx, counter=counter_id)
    catalog.counter(counter_id)
    now = ctx.now()
    day = local_day(now, catalog.center.timezone)
    with ctx.db.write() as tx:
        _check_counter_free(tx, counter_id)
        expire_bookings(ctx, tx, catalog, now)  # bookings past slot + grace: no-shows (m032)
        chosen = _profile_choice(tx, catalog, counter_id, now, day)
        if chosen is None:
            return None
        policy = profile_of(catalog, catalog.counter(counter_id)).policy
        row = _mark_called(
            ctx,
            tx,
            catalog,
            actor,
            chosen.ticket.id,
            counter_id,
            now,
            "ticket_called",
            {"policy": policy, "profile": chosen.rule},
        )
    ctx.on_event()
    return clerk_view(ctx, row, catalog)


def call_ticket(
    ctx: Context, actor: Actor, counter_id: str, ticket_id: int, reason: str | None
) -> dict[str, Any]:
    """Call one ticket out of order: a reason is required; the event names whom it passed."""
    check_at_counter(actor, counter_id)
    reason = (reason or "").strip()
    if not reason:
        raise Refusal("reason_required")
    if len(reason) > MAX_REASON:
        raise Refusal("invalid_input", field="reason", reason=f"> {MAX_REASON}")
    catalog = catalog_with(ctx, counter=counter_id)
    counter = catalog.counter(counter_id)
    now = ctx.now()
    day = local_day(now, catalog.center.timezone)
    with ctx.db.write() as tx:
        row = fetch_ticket(tx, ticket_id)
        if row["state"] != "waiting":
            raise wrong_state(row["state"], "call")
        served = (
            row["service"] in counter.services
            or row["service"] in counter.helps
            or row["target_counter"] == counter_id
        )
        if not served or (row["target_counter"] not in (None, counter_id)):
            raise Refusal("counter_not_serving")
        _check_counter_free(tx, counter_id)
        due = _profile_choice(tx, catalog, counter_id, now, day)
        row = _mark_called(
            ctx,
            tx,
            catalog,
            actor,
            ticket_id,
            counter_id,
            now,
            "ticket_called_out_of_order",
            {
                "reason": reason,
                "passed_over": due.ticket.id if due and due.ticket.id != ticket_id else None,
            },
        )
    ctx.on_event()
    return clerk_view(ctx, row, catalog)
