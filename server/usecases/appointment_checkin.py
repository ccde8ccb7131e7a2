"""Checking in an appointment on its day: the booking becomes a ticket in the same transaction.

On time (from ``early_checkin_min`` before the slot to ``grace_min`` after it) the ticket is an
appointment ticket: it carries the slot's time (``tickets.appointment_at``), which the call-next
order uses in place of the issue time, and it is not called before it
(``server/domain/appointment_calling.py``). Later, the ticket is a walk-in's, ``late: true``. The
answer's ``ticket`` has exactly the shape ``POST /api/v1/tickets`` answers, so the kiosk prints it
as any ticket.
"""

from __future__ import annotations

import secrets
from typing import Any

from nafitha.replay import ticket_row
from server.domain.appointment_calling import check_in as rule
from server.domain.errors import Refusal
from server.domain.hours import local_day
from server.domain.roles import Can, require
from server.domain.tickets import format_number
from server.store import appointments as store
from server.store import tickets as tickets_store
from server.store.events import append_event
from server.usecases.appointments import code_of, printed, settings_of, view_of
from server.usecases.catalog import catalog_with
from server.usecases.context import Actor, Context
from server.usecases.estimates import quote_new
from server.usecases.ticket_view import fetch_ticket, public_event_fields
from server.usecases.tickets import ticket_for_kiosk


def _key_of(actor: Actor, idempotency_key: str | None) -> str | None:
    """The key stored on the ticket, namespaced per person as ``POST /tickets`` does."""
    if idempotency_key and actor.device is None:
        return f"person:{actor.name}:{idempotency_key}"
    return idempotency_key


def _retried(
    ctx: Context, tx: Any, actor: Actor, row: dict[str, Any], key: str | None
) -> dict[str, Any] | None:
    """The first answer again, when this check-in is a retry of the one that made the ticket
    (same device and ``Idempotency-Key``): a kiosk whose answer was lost still prints it."""
    if key is None or row["ticket_id"] is None:
        return None
    found = tickets_store.by_idempotency_key(tx, actor.device, key)
    if found is None or found[0] != row["ticket_id"]:
        return None
    catalog = catalog_with(ctx, service=row["service"])
    ticket = fetch_ticket(tx, row["ticket_id"])
    late = bool(row["late"])
    issued = ticket_for_kiosk(ctx, ticket, tx, None)
    issued["late"] = late
    return {"appointment": view_of(ctx, catalog, row, tx), "ticket": issued, "late": late}


def check_in(
    ctx: Context, actor: Actor, text: str, idempotency_key: str | None = None
) -> dict[str, Any]:
    """Check in the booking ``text`` (a code as typed or scanned): ``{appointment, ticket,
    late}``; refused ``checkin_wrong_day``, ``checkin_too_early``, ``already_checked_in``,
    ``booking_cancelled``. Retrying with the same ``idempotency_key`` from the same device
    answers the first check-in again (no second ticket)."""
    require(actor, Can.CHECK_IN_APPOINTMENT)
    code = code_of(text)
    key = _key_of(actor, idempotency_key)
    now = ctx.now()
    with ctx.db.write() as tx:
        row = store.booking(tx, code)
        if row is None:
            raise Refusal("booking_not_found")
        if row["status"] == "cancelled":
            raise Refusal("booking_cancelled")
        if row["status"] == "checked_in":
            again = _retried(ctx, tx, actor, row, key)
            if again is not None:
                return again
            raise Refusal("already_checked_in")
        catalog = catalog_with(ctx, service=row["service"])
        settings = settings_of(catalog)
        service = catalog.service(row["service"])
        day = local_day(now, catalog.center.timezone)
        outcome = rule(
            row["at"],
            row["day"],
            day,
            now,
            settings.grace_min * 60.0,
            settings.early_checkin_min * 60.0,
        )
        if outcome == "wrong_day":
            raise Refusal("checkin_wrong_day", day=row["day"])
        if outcome == "too_early":
            raise Refusal(
                "checkin_too_early", time=row["start"], minutes=settings.early_checkin_min
            )
        late = outcome == "late"
        seq = tickets_store.next_number(tx, day, service.prefix)
        quoted = quote_new(tx, catalog, service.id, day, False, ctx.cache, now) if late else None
        ticket_id = tickets_store.insert_waiting(
            tx,
            day=day,
            prefix=service.prefix,
            seq=seq,
            number=format_number(service.prefix, seq),
            service=service.id,
            priority=0,
            public_token=secrets.token_urlsafe(16),
            issued_at=now,
            device=actor.device,
            file=None,
            idempotency_key=key,
            quoted_wait_s=quoted.estimated_wait_s if quoted else None,
            appointment_code=code,
            appointment_at=None if late else row["at"],
        )
        ticket = fetch_ticket(tx, ticket_id)
        append_event(
            tx,
            "ticket_issued",
            at=now,
            actor=actor.name,
            device=actor.device,
            ticket_id=ticket_id,
            data={
                "number": ticket["number"],
                "service": service.id,
                "priority": False,
                "file": None,
                "appointment_code": code,
                "appointment_at": ticket["appointment_at"],
                "ticket": ticket_row(ticket),
            },
            public=public_event_fields(ticket, catalog),
        )
        store.update(
            tx, code, status="checked_in", ticket_id=ticket_id, checked_in_at=now, late=int(late)
        )
        append_event(
            tx,
            "appointment_checked_in",
            at=now,
            actor=actor.name,
            device=actor.device,
            ticket_id=ticket_id,
            data={
                "code": code,
                "service": service.id,
                "day": row["day"],
                "start": row["start"],
                "at": row["at"],
                "number": ticket["number"],
                "late": late,
                "was": row["status"],  # booked, or no_show for one who came after all
            },
            public={"service": service.id, "ticket": ticket["number"], "late": late},
        )
        booking = store.booking(tx, code)
        assert booking is not None
        issued = ticket_for_kiosk(ctx, ticket, tx, quoted)
        issued["late"] = late
        answer = {"appointment": view_of(ctx, catalog, booking, tx), "ticket": issued, "late": late}
    ctx.on_event()
    return answer


__all__ = ["check_in", "printed"]
