"""Issuing a ticket and reading one; what a clerk does with it is in ``ticket_actions``."""

from __future__ import annotations

import secrets
from typing import Any

from nafitha.replay import ticket_row
from server.domain.errors import Refusal
from server.domain.hours import local_day
from server.domain.tickets import format_number
from server.store import tickets as tickets_store
from server.store.events import append_event
from server.usecases import ticket_sms
from server.usecases.catalog import catalog_with, load_catalog, service_is_open
from server.usecases.context import Actor, Context
from server.usecases.cutoff import (
    check_cutoff,
    check_person,
    record_person,
)
from server.usecases.estimates import Quote, quote_new, quote_waiting
from server.usecases.files_return import route_return_visit
from server.usecases.ticket_view import fetch_ticket, public_event_fields, staff_view

STEP_FIELDS = (  # a visit through several steps (docs/server.md, "Visits"): no note in public
    "step",
    "steps",
    "visit_service",
    "next_service",
    "outcome",
    "outcome_name",
    "outcome_resolved",
)


def _status_url(ctx: Context, public_url: str, token: str) -> str:
    base = (ctx.settings.public_url or public_url).rstrip("/")
    return f"{base}/t/{token}"


def issue_ticket(
    ctx: Context,
    actor: Actor,
    service_id: str,
    priority: bool = False,
    file: str | None = None,
    idempotency_key: str | None = None,
    person: dict[str, str | None] | None = None,
    issued_at: float | None = None,
    quoted: Quote | None = None,
) -> tuple[dict[str, Any], bool]:
    """A new ticket for ``service_id`` (or the one this idempotency key made before).

    Returns (ticket, created). The number is the prefix and the day's next sequence, allocated
    in the same ``BEGIN IMMEDIATE`` transaction as the ticket, so no two processes can take one
    number and a rolled-back issue leaves no gap. ``issued_at``/``quoted``: a place confirmed
    from a phone (``queue_places``) keeps its join time as its issue time, and that position's
    figures.
    """
    # A return visit for a file (docs/files.md): routed to the file's service, with
    # priority when the file waits on the citizen; the reference is checked and stored printed.
    service_id, priority, file = route_return_visit(ctx, service_id, priority, file)
    catalog = catalog_with(ctx, service=service_id)
    service = catalog.service(service_id)
    if not service.kiosk and actor.device is not None:  # a step-only service (visit steps)
        raise Refusal("service_not_at_kiosk", service=service_id)
    now = ctx.now()
    if not service_is_open(ctx, catalog, service, now):
        raise Refusal("service_closed", service=service_id)
    day = local_day(now, catalog.center.timezone)
    if idempotency_key and actor.device is None:
        # a person's key is kept under their name: tickets record only the issuing device
        idempotency_key = f"person:{actor.name}:{idempotency_key}"
    with ctx.db.write() as tx:
        if idempotency_key:
            row = tickets_store.by_idempotency_key(tx, actor.device, idempotency_key)
            if row:
                if row[1] != service_id:
                    raise Refusal("idempotency_conflict")
                return ticket_for_kiosk(ctx, fetch_ticket(tx, row[0]), tx), False
        if issued_at is None:  # a place (issued for its join time) was checked when it joined
            check_cutoff(ctx, tx, catalog, service, day, now)  # after a retry's lookup: it stands
        digest = check_person(ctx, tx, service, day, person)  # limited services only
        seq = tickets_store.next_number(tx, day, service.prefix)
        if quoted is None:
            quoted = quote_new(tx, catalog, service.id, day, priority, cache=ctx.cache, now=now)
        ticket_id = tickets_store.insert_waiting(
            tx,
            day=day,
            prefix=service.prefix,
            seq=seq,
            number=format_number(service.prefix, seq),
            service=service.id,
            priority=int(priority),
            public_token=secrets.token_urlsafe(16),
            issued_at=now if issued_at is None else issued_at,
            device=actor.device,
            file=file,
            idempotency_key=idempotency_key,
            quoted_wait_s=quoted.estimated_wait_s,
        )
        record_person(tx, digest, day, service.id, ticket_id)
        row = fetch_ticket(tx, ticket_id)
        append_event(
            tx,
            "ticket_issued",
            at=now,
            actor=actor.name,
            device=actor.device,
            ticket_id=row["id"],
            data={
                "number": row["number"],
                "service": service.id,
                "priority": priority,
                "file": file,
                "ticket": ticket_row(row),  # every column, for the replay (docs/audit.md)
            },
            public=public_event_fields(row, catalog),
        )
        ticket = ticket_for_kiosk(ctx, row, quoted=quoted)
    ctx.on_event()
    return ticket, True


def ticket_for_kiosk(
    ctx: Context, row: dict[str, Any], db: Any = None, quoted: Quote | None = None
) -> dict[str, Any]:
    """The issue answer: staff view, public token, status URL, queue figures, documents."""
    catalog = load_catalog(ctx)
    service = catalog.services[row["service"]]
    if quoted is None:
        quoted = quote_waiting(db or ctx.db.read(), catalog, row, ctx.now(), ctx.cache)
    return {
        **staff_view(row, catalog),
        "token": row["public_token"],
        "status_url": _status_url(ctx, catalog.center.public_url, row["public_token"]),
        **quoted.fields(),
        "documents": [d.model_dump() for d in service.documents],
        "center": catalog.center.name.model_dump(),
        "timezone": catalog.center.timezone,
    }


def public_status(ctx: Context, token: str) -> dict[str, Any]:
    """A ticket's status by its public token: no login, no personal data."""
    catalog = load_catalog(ctx)
    now = ctx.now()
    with ctx.db.snapshot() as db:
        ticket = tickets_store.ticket_by_token(db, token)
        if ticket is None:
            raise Refusal("ticket_not_found")
        quoted = quote_waiting(db, catalog, ticket, now, ctx.cache)
        sms = ticket_sms.ticket_fields(ctx, db, ticket)  # messages offered (docs/sms.md)
    staff = staff_view(ticket, catalog)
    return {
        "number": ticket["number"],
        "service": staff["service"],
        "state": ticket["state"],
        "priority": bool(ticket["priority"]),
        "issued_at": staff["issued_at"],
        "called_at": staff["called_at"],
        "appointment_at": staff["appointment_at"],  # a checked-in booking's slot (m032)
        **quoted.fields(),
        "counter": staff["counter"] if ticket["state"] in ("called", "serving") else None,
        **{k: staff[k] for k in STEP_FIELDS},
        "center": catalog.center.name.model_dump(),
        "timezone": catalog.center.timezone,
        **sms,
    }
