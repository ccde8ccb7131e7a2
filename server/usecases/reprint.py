"""Printing a ticket again: at the kiosk (by the QR's token or the typed number) or at the counter.

One transaction each: the ticket is read, checked (``server.domain.reprint``), its ``reprints``
counted, and a ``ticket_reprinted`` event appended (audited, never public: a reprint changes
nothing on the board). The answer is the ticket as a fresh issue shows it (people ahead, wait,
status URL, documents), with ``reprint: true``: the paper prints the same number and QR, and
says REPRINT.

Rate limits (shared by every worker, ``server/store/rate_limits.py``), taken before the lookup so
a failed guess costs as much as a hit: a kiosk at most :data:`KIOSK_PER_MINUTE` a minute (burst
:data:`KIOSK_BURST`), a clerk :data:`CLERK_PER_MINUTE`. A kiosk is further held to
``KIOSK_MAX_REPRINTS`` reprints of one ticket (``server/domain/reprint.py``).
"""

from __future__ import annotations

from typing import Any, Literal

from nafitha.replay import ticket_changes
from server.domain.errors import Refusal
from server.domain.hours import local_day
from server.domain.reprint import check_reprint, parse_number
from server.domain.roles import Can, require, require_ticket
from server.store import reprints as store
from server.store.events import append_event
from server.store.rate_limits import shared_buckets
from server.usecases.catalog import load_catalog
from server.usecases.context import Actor, Context
from server.usecases.ticket_view import fetch_ticket
from server.usecases.tickets import ticket_for_kiosk

KIOSK_PER_MINUTE = 5.0
KIOSK_BURST = 5
CLERK_PER_MINUTE = 10.0
CLERK_BURST = 10


def _check_rate(ctx: Context, key: str, per_minute: float, burst: float) -> None:
    wait = shared_buckets(ctx.cache, ctx.db.path).allow(key, ctx.now(), per_minute, burst)
    if wait:
        raise Refusal.retry_after("reprint_rate_limited", wait)


def reprint_at_kiosk(
    ctx: Context, actor: Actor, token: str | None = None, number: str | None = None
) -> dict[str, Any]:
    """The kiosk's reprint: the ticket by its QR's ``token`` or its typed ``number``, today's."""
    require(actor, Can.REPRINT_AT_KIOSK)
    if (token is None) == (number is None):
        raise Refusal("reprint_needs_ticket")
    _check_rate(ctx, f"reprint:device:{actor.name}", KIOSK_PER_MINUTE, KIOSK_BURST)
    printed = None
    if number is not None:
        printed = parse_number(number)
        if printed is None:
            raise Refusal("reprint_bad_number")
    catalog = load_catalog(ctx)
    today = local_day(ctx.now(), catalog.center.timezone)

    def find(db: Any) -> int | None:
        if printed is not None:
            return store.ticket_id_by_number(db, today, printed)
        return store.ticket_id_by_token(db, token or "")

    return _reprint(ctx, actor, "kiosk", find, how="number" if printed else "token")


def reprint_at_counter(ctx: Context, actor: Actor, ticket_id: int) -> dict[str, Any]:
    """The counter's reprint of a ticket the clerk may act on (their counter's, or a manager)."""
    require(actor, Can.REPRINT_TICKET)
    _check_rate(ctx, f"reprint:person:{actor.name}", CLERK_PER_MINUTE, CLERK_BURST)
    return _reprint(ctx, actor, "counter", lambda _db: ticket_id, how="id")


def _reprint(
    ctx: Context,
    actor: Actor,
    by: Literal["kiosk", "counter"],
    find: Any,
    how: str,
) -> dict[str, Any]:
    catalog = load_catalog(ctx)
    now = ctx.now()
    today = local_day(now, catalog.center.timezone)
    with ctx.db.write() as tx:
        ticket_id = find(tx)
        if ticket_id is None:
            raise Refusal("ticket_not_found")
        row = fetch_ticket(tx, ticket_id)
        if by == "counter":
            here = catalog.counters.get(actor.counter) if actor.counter else None
            require_ticket(
                actor,
                row["state"],
                row["counter"],
                row["service"],
                row["target_counter"],
                frozenset(here.services) if here else frozenset(),
            )
        check_reprint(by, row["state"], row["day"], today, store.reprints_of(tx, ticket_id))
        count = store.count_reprint(tx, ticket_id)
        append_event(
            tx,
            "ticket_reprinted",
            at=now,
            actor=actor.name,
            counter=actor.counter,
            device=actor.device,
            ticket_id=ticket_id,
            data={
                "number": row["number"],
                "by": by,
                "how": how,  # token (the QR scanned), number (typed), id (the counter)
                "device": actor.device,
                "counter": actor.counter,
                "reprints": count,
                "state": row["state"],
                "ticket": ticket_changes(row, row),  # no tracked column changes (replay)
            },
            public=None,
        )
        answer = ticket_for_kiosk(ctx, row, tx)
    return {**answer, "reprint": True, "reprints": count}
