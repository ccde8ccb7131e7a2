"""Booking an appointment, seeing it, cancelling and moving it (docs/appointments.md).

The rules are pure (``server/domain/appointments.py``); slots are read by
``server/usecases/appointment_slots.py``. A booking's capacity check and its insert share one
``BEGIN IMMEDIATE`` transaction (``ctx.db.write()``), so concurrent bookings of a slot's last
places, from any number of clients and worker processes, never take more than its capacity.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlite_utils

from nafitha.phone_numbers import Phone
from nafitha.reference import Malformed, Mistyped, new_reference, parse_reference
from server.config import Service
from server.domain import appointments as rules
from server.domain.appointment_calling import status_now
from server.domain.errors import Refusal
from server.domain.hours import local_day
from server.store import appointments as store
from server.store import outbox
from server.store.events import append_event
from server.store.rate_limits import shared_buckets
from server.store.tickets import ticket_row
from server.usecases.appointment_slots import (
    MAX_DAYS,
    bookable,
    day_view,
    mean_s,
    parse_day,
    services,
    settings_of,
    slots,
)
from server.usecases.catalog import Catalog, load_catalog
from server.usecases.context import Actor, Context
from server.usecases.sms_notices import check_phone, record_consent

REMINDER_AT = "07:00"  # the reminder goes no earlier than this on the booking's day

__all__ = ["MAX_DAYS", "bookable", "parse_day", "services", "settings_of", "slots"]


def code_of(text: str) -> str:
    """A booking code as typed or scanned, canonical; the reference refusals otherwise."""
    parsed = parse_reference(text, kind="booking")
    if isinstance(parsed, Malformed):
        raise Refusal("reference_malformed")
    if isinstance(parsed, Mistyped):
        raise Refusal("reference_mistyped")
    return parsed.code


def printed(code: str) -> str:
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def by_of(actor: Actor) -> str:
    """Who booked, as recorded: ``device:<id>``, ``person:<name>``, ``portal`` or ``public``."""
    if actor.role == "portal":  # the national portal through the hub (portal_requests.py)
        return "portal"
    return "public" if actor.kind == "anonymous" else f"{actor.kind}:{actor.name}"


def check_booking_allowed(ctx: Context, actor: Actor, address: str) -> None:
    """Count one public booking, move or cancel (per address; a kiosk device per device,
    ``track_device_factor`` times more; staff free), or refuse it ``booking_rate_limited``."""
    if actor.kind == "person":
        return
    settings = ctx.settings
    factor, key = (
        (settings.track_device_factor, f"booking:device:{actor.name}")
        if actor.kind == "device"
        else (1, f"booking:address:{address}")
    )
    wait = shared_buckets(ctx.cache, ctx.db.path).allow(
        key, ctx.now(), settings.booking_per_minute * factor, settings.booking_burst * factor
    )
    if wait:
        raise Refusal.retry_after("booking_rate_limited", wait)


def view_of(ctx: Context, catalog: Catalog, row: dict[str, Any], db: Any = None) -> dict[str, Any]:
    """What a booking's holder sees (no name, the phone masked)."""
    service = catalog.services.get(row["service"])
    slot_s = settings_of(catalog).slot_min * 60
    ticket = None
    if row["ticket_id"] is not None and db is not None:
        found = ticket_row(db, row["ticket_id"])
        ticket = found["number"] if found else None
    base = (ctx.settings.public_url or catalog.center.public_url).rstrip("/")
    hh, mm = (int(x) for x in row["start"].split(":"))
    end_min = hh * 60 + mm + slot_s // 60
    return {
        "code": printed(row["code"]),
        "service": row["service"],
        "service_name": service.name.model_dump() if service else {"ar": "", "en": ""},
        "day": row["day"],
        "start": row["start"],
        "end": f"{end_min // 60 % 24:02d}:{end_min % 60:02d}",
        "at": row["at"],
        "status": row["status"],
        "late": bool(row["late"]),
        "documents": [d.model_dump() for d in service.documents] if service else [],
        "url": f"{base}/a/{printed(row['code'])}",
        "ticket_number": ticket,
        "phone_masked": mask(row["phone"]),
        "notify": bool(row["notify"]),
        "lang": row["lang"],
        "timezone": catalog.center.timezone,
    }


def mask(phone: str | None) -> str | None:
    """``+96170123456`` → ``+961•••••56``: enough for its owner to recognise it."""
    if not phone:
        return None
    return phone[:4] + "•" * max(len(phone) - 6, 0) + phone[-2:]


def expire(ctx: Context, tx: sqlite_utils.Database, catalog: Catalog, now: float) -> int:
    """Mark ``no_show`` the bookings not checked in by slot + grace (one event each)."""
    grace_s = settings_of(catalog).grace_min * 60.0
    rows = store.overdue(tx, now - grace_s)
    for row in rows:
        store.update(tx, row["code"], status="no_show", changed_at=now)
        append_event(
            tx,
            "appointment_no_show",
            at=now,
            actor="server",
            data={"code": row["code"], "service": row["service"], "day": row["day"],
                  "start": row["start"]},
        )  # fmt: skip
    return len(rows)


def get_booking(ctx: Context, text: str) -> dict[str, Any]:
    """A booking by its code (the code is the capability): the view, a no-show marked lazily."""
    code = code_of(text)
    catalog = load_catalog(ctx)
    now = ctx.now()
    db = ctx.db.read()
    row = store.booking(db, code)
    if row is None:
        raise Refusal("booking_not_found")
    grace_s = settings_of(catalog).grace_min * 60.0
    if status_now(row["status"], row["at"], now, grace_s) != row["status"]:
        with ctx.db.write() as tx:
            expire(ctx, tx, catalog, now)
            row = store.booking(tx, code) or row
    return view_of(ctx, catalog, row, db)


# -- writes -----------------------------------------------------------------------------------
def _check_slot(
    ctx: Context,
    tx: sqlite_utils.Database,
    catalog: Catalog,
    service: Service,
    day: date,
    start: str,
    now: float,
) -> rules.SlotState:
    """The slot, refused with the first rule it breaks (read inside the booking's transaction)."""
    today = date.fromisoformat(local_day(now, catalog.center.timezone))
    view = day_view(ctx, tx, catalog, service, day, today, mean_s(tx, service, today), start)
    slot = view.slots[0] if view.slots else None
    code = rules.refusal(
        bookable=True,
        day=day,
        today=today,
        horizon_days=settings_of(catalog).horizon_days,
        day_closed=view.closed and view.why != "outside_horizon",
        slot=slot,
        now=now,
    )
    if code == "outside_horizon":
        raise Refusal(code, days=settings_of(catalog).horizon_days)
    if code is not None:
        raise Refusal(code)
    assert slot is not None
    return slot


def _check_phone_limit(
    tx: sqlite_utils.Database, catalog: Catalog, phone: str | None, day: str, but: str | None
) -> None:
    limit = settings_of(catalog).per_phone_per_day
    if phone and store.live_for_phone(tx, phone, day, but) >= limit:
        raise Refusal("booking_limit_reached", limit=limit)


def _messages(
    ctx: Context,
    tx: sqlite_utils.Database,
    catalog: Catalog,
    row: dict[str, Any],
    now: float,
    booked: bool,
) -> None:
    """ "Booked" (when ``booked``) and the day's reminder (07:00 local), for a citizen who asked."""
    sms = ctx.settings.sms
    if sms is None or not row["notify"] or not row["phone"]:
        return
    service = catalog.service(row["service"])
    params = {
        "center": catalog.center.name.model_dump(),
        "service": service.name.model_dump(),
        "day": row["day"],
        "time": row["start"],
        "code": printed(row["code"]),
    }
    about = f"booking:{row['code']}"
    if booked:
        outbox.queue_message(tx, "appointment_booked", row["phone"], row["lang"], params, now,
                             max_parts=sms.max_parts, about=about)  # fmt: skip
    remind_at = rules.moment_of(
        date.fromisoformat(row["day"]), REMINDER_AT, catalog.center.timezone
    )
    if remind_at > now:
        outbox.queue_message(tx, "appointment_reminder", row["phone"], row["lang"], params, now,
                             max_parts=sms.max_parts, not_before=remind_at, about=about,
                             expires_at=row["at"])  # fmt: skip


def _request_key(actor: Actor, request_key: str | None) -> str | None:
    """The stored form of an ``Idempotency-Key``: per device or person, none for anyone else."""
    if not request_key:
        return None
    if actor.kind == "device":
        return f"device:{actor.name}:{request_key}"
    if actor.kind == "person":
        return f"person:{actor.name}:{request_key}"
    return None


def book(
    ctx: Context,
    actor: Actor,
    service_id: str,
    day_text: str,
    start: str,
    lang: str,
    name: str | None = None,
    phone_text: str | None = None,
    notify: bool = False,
    request_key: str | None = None,
) -> dict[str, Any]:
    """A new booking of the slot ``start`` on ``day_text``; refused by the first rule broken.

    ``request_key`` (a kiosk's or clerk's ``Idempotency-Key``): asked again, the booking made
    under it is answered, never a second one; with another service, day or time,
    ``idempotency_conflict``. Anonymous requests have none (the page sends once)."""
    catalog = load_catalog(ctx)
    service = bookable(catalog, service_id)
    settings = settings_of(catalog)
    day = parse_day(day_text)
    name = (name or "").strip() or None if settings.ask_name else None
    if settings.ask_name and not name:
        raise Refusal("name_required")
    phone: Phone | None = check_phone(ctx, phone_text) if (phone_text or "").strip() else None
    if settings.require_phone and phone is None:
        raise Refusal("phone_required")
    notify = bool(notify and phone is not None and ctx.settings.sms is not None)
    now = ctx.now()
    key = _request_key(actor, request_key)
    with ctx.db.write() as tx:
        if key is not None:
            earlier = store.by_request_key(tx, key)
            if earlier is not None:
                asked = (service.id, day.isoformat(), start)
                if (earlier["service"], earlier["day"], earlier["start"]) != asked:
                    raise Refusal("idempotency_conflict")
                return view_of(ctx, catalog, earlier, tx)
        slot = _check_slot(ctx, tx, catalog, service, day, start, now)
        _check_phone_limit(tx, catalog, phone.e164 if phone else None, day.isoformat(), None)
        code = new_reference(kind="booking").code
        while store.booking(tx, code) is not None:  # 40 bits: practically never
            code = new_reference(kind="booking").code
        store.insert(
            tx,
            code=code,
            service=service.id,
            day=day.isoformat(),
            start=slot.slot.start,
            at=slot.slot.at,
            status="booked",
            lang=lang,
            name=name,
            phone=phone.e164 if phone else None,
            notify=int(notify),
            created_at=now,
            by=by_of(actor),
            request_key=key,
        )
        append_event(
            tx,
            "appointment_booked",
            at=now,
            actor=actor.name,
            device=actor.device,
            data={
                "code": code,
                "service": service.id,
                "day": day.isoformat(),
                "start": slot.slot.start,
                "at": slot.slot.at,
                "by": by_of(actor),
                "name_given": name is not None,
                "phone_given": phone is not None,
                "notify": notify,
            },
            public={"service": service.id, "day": day.isoformat(), "start": slot.slot.start},
        )
        if notify and phone is not None:
            record_consent(ctx, tx, actor, phone, lang, now)
        row = store.booking(tx, code)
        assert row is not None
        _messages(ctx, tx, catalog, row, now, booked=True)
        view = view_of(ctx, catalog, row, tx)
    ctx.on_event()
    return view


def _live(tx: sqlite_utils.Database, catalog: Catalog, code: str, now: float) -> dict[str, Any]:
    """The booking, refused unless it is still ``booked`` (not past its grace)."""
    row = store.booking(tx, code)
    if row is None:
        raise Refusal("booking_not_found")
    status = status_now(row["status"], row["at"], now, settings_of(catalog).grace_min * 60.0)
    if status == "cancelled":
        raise Refusal("booking_cancelled")
    if status == "checked_in":
        raise Refusal("already_checked_in")
    if status == "no_show":
        raise Refusal("booking_no_show")
    return row


def cancel(ctx: Context, actor: Actor, text: str) -> dict[str, Any]:
    """Cancel by code: the slot's place is free again, pending messages withdrawn."""
    code = code_of(text)
    catalog = load_catalog(ctx)
    now = ctx.now()
    with ctx.db.write() as tx:
        row = _live(tx, catalog, code, now)
        store.update(tx, code, status="cancelled", changed_at=now)
        outbox.withdraw(tx, f"booking:{code}", now)
        append_event(
            tx,
            "appointment_cancelled",
            at=now,
            actor=actor.name,
            device=actor.device,
            data={"code": code, "service": row["service"], "day": row["day"],
                  "start": row["start"], "by": by_of(actor)},
            public={"service": row["service"], "day": row["day"], "start": row["start"]},
        )  # fmt: skip
        view = view_of(ctx, catalog, {**row, "status": "cancelled"}, tx)
    ctx.on_event()
    return view


def move(ctx: Context, actor: Actor, text: str, day_text: str, start: str) -> dict[str, Any]:
    """Move by code to another slot of the same service (checked as a new booking)."""
    code = code_of(text)
    catalog = load_catalog(ctx)
    day = parse_day(day_text)
    now = ctx.now()
    with ctx.db.write() as tx:
        row = _live(tx, catalog, code, now)
        if row["day"] == day.isoformat() and row["start"] == start:
            return view_of(ctx, catalog, row, tx)
        service = bookable(catalog, row["service"])
        slot = _check_slot(ctx, tx, catalog, service, day, start, now)
        _check_phone_limit(tx, catalog, row["phone"], day.isoformat(), code)
        store.update(tx, code, day=day.isoformat(), start=slot.slot.start, at=slot.slot.at,
                     changed_at=now)  # fmt: skip
        outbox.withdraw(tx, f"booking:{code}", now)
        append_event(
            tx,
            "appointment_moved",
            at=now,
            actor=actor.name,
            device=actor.device,
            data={"code": code, "service": row["service"],
                  "from": {"day": row["day"], "start": row["start"]},
                  "to": {"day": day.isoformat(), "start": slot.slot.start}, "by": by_of(actor)},
            public={"service": row["service"], "day": day.isoformat(), "start": slot.slot.start},
        )  # fmt: skip
        moved = store.booking(tx, code)
        assert moved is not None
        _messages(ctx, tx, catalog, moved, now, booked=False)
        view = view_of(ctx, catalog, moved, tx)
    ctx.on_event()
    return view
