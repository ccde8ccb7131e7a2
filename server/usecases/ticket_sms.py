"""A ticket's text messages: the holder's opt-in, "your turn is near" and "you are called".

The opt-in (``POST /api/v1/tickets/public/{token}/notify``) takes the ticket's public token as the
capability: the kiosk right after printing, the phone page ``/t/<token>``. It is refused when the
server has no ``[sms]`` (then no surface offers it: ``available``), when the ticket no longer
waits, for a number that cannot be texted (``nafitha/phone_numbers.py``) or that texted STOP
(only a clerk takes its consent again), and when a client or a number tries too often. The same
number twice is the same answer.

The hooks run inside the transaction of the change that causes them (a call, a recall, a
transfer, a cancel, a next step): the called ticket gets ``called`` once; every other opted-in
ticket still waiting whose people ahead (the very figure the kiosk and the phone page show,
``estimates.quote_waiting``) fell to the service's ``sms_turn_near`` or fewer gets ``turn_near``
once. Only opted-in tickets not told yet are looked at (a partial index), and in each queue only
up to the first that is not near (the people ahead grow along a queue), so a call places a few
tickets, not every opted-in one; without ``[sms]`` nothing is read at all.
"""

from __future__ import annotations

import hashlib
from typing import Any

import sqlite_utils

from nafitha.phone_numbers import masked
from nafitha.text import normalize_lang
from server.domain.errors import Refusal
from server.store import outbox, ticket_phones
from server.store import tickets as tickets_store
from server.store.events import append_event
from server.store.rate_limits import shared_buckets
from server.usecases.catalog import Catalog, load_catalog
from server.usecases.context import Actor, Context
from server.usecases.estimates import quote_waiting
from server.usecases.sms_notices import check_phone, record_consent, sms_settings

# Opt-ins a client may try: an address (a phone on the Wi-Fi), or a kiosk device (many citizens,
# one device: DEVICE_FACTOR times more); and per number, so nobody is signed up again and again.
CLIENT_PER_MINUTE, CLIENT_BURST = 6.0, 6.0
DEVICE_FACTOR = 10.0
NUMBER_PER_MINUTE, NUMBER_BURST = 0.2, 3.0


def available(ctx: Context) -> bool:
    """Whether this server sends text messages at all (surfaces offer them only then)."""
    return ctx.settings.sms is not None


def catalog_fields(ctx: Context) -> dict[str, Any]:
    """What ``GET /api/v1/services`` says of messages: offered or not, and the countries whose
    numbers may be typed (the kiosk's country code hint)."""
    settings = ctx.settings.sms
    if settings is None:
        return {"available": False, "countries": []}
    return {"available": True, "countries": list(settings.countries)}


def ticket_fields(ctx: Context, db: sqlite_utils.Database, row: dict[str, Any]) -> dict[str, Any]:
    """What a ticket's public view says of messages: offered, already asked for, from how many
    people ahead "your turn is near" comes (0: only "called")."""
    if not available(ctx):
        return {"sms": {"available": False, "opted_in": False}}
    catalog = load_catalog(ctx)
    service = catalog.services.get(row["service"])
    return {
        "sms": {
            "available": row["state"] == "waiting",
            "opted_in": ticket_phones.of_ticket(db, row["id"]) is not None,
            "turn_near": service.sms_turn_near if service else 0,
        }
    }


def _check_rate(ctx: Context, key: str, per_minute: float, burst: float) -> None:
    wait = shared_buckets(ctx.cache, ctx.db.path).allow(key, ctx.now(), per_minute, burst)
    if wait:
        raise Refusal.retry_after("sms_notify_rate_limited", wait)


def check_client(ctx: Context, actor: Actor, address: str) -> None:
    """Count one opt-in try of this client (a kiosk device or an address), or refuse it."""
    if actor.kind == "device":
        key, factor = f"sms_notify:device:{actor.name}", DEVICE_FACTOR
    else:
        key, factor = f"sms_notify:address:{address}", 1.0
    _check_rate(ctx, key, CLIENT_PER_MINUTE * factor, CLIENT_BURST * factor)


def _number_key(e164: str) -> str:
    """The per-number bucket's key: not the number itself (the buckets' file is never purged)."""
    return "sms_notify:number:" + hashlib.sha256(f"nafitha-sms:{e164}".encode()).hexdigest()[:24]


def opt_in(
    ctx: Context, actor: Actor, token: str, phone_text: str, lang: str, address: str
) -> dict[str, Any]:
    """The ticket's holder asks for "turn near" and "called" messages to ``phone_text``."""
    if not available(ctx):
        raise Refusal("sms_unavailable")
    check_client(ctx, actor, address)
    phone = check_phone(ctx, phone_text)
    lang = normalize_lang(lang)
    catalog = load_catalog(ctx)
    row = tickets_store.ticket_by_token(ctx.db.read(), token)
    if row is None:
        raise Refusal("ticket_not_found")
    before = ticket_phones.of_ticket(ctx.db.read(), row["id"])
    same = before is not None and before["phone"] == phone.e164 and before["lang"] == lang
    if not same:  # the same number again costs nothing: it changes nothing
        _check_rate(ctx, _number_key(phone.e164), NUMBER_PER_MINUTE, NUMBER_BURST)
    now = ctx.now()
    with ctx.db.write() as tx:
        row = tickets_store.ticket_by_token(tx, token)
        if row is None:
            raise Refusal("ticket_not_found")
        if row["state"] != "waiting":
            raise Refusal("sms_ticket_not_waiting")
        if ticket_phones.is_stopped(tx, phone.e164):
            raise Refusal("sms_number_stopped")
        if not same:
            record_consent(ctx, tx, actor, phone, lang, now)
            ticket_phones.opt_in(tx, row["id"], row["day"], phone.e164, lang, now)
            append_event(
                tx,
                "sms_consent_given",
                at=now,
                actor=actor.name,
                device=actor.device,
                ticket_id=row["id"],
                data={"phone": _digest(ctx, phone.e164), "lang": lang, "ticket": row["number"]},
            )
            if before is None or before["turn_near_sent_at"] is None:  # told once, whatever number
                _tell_if_near(ctx, tx, catalog, {**row, "phone": phone.e164, "lang": lang}, now)
        quote = quote_waiting(tx, catalog, row, now, ctx.cache)
    service = catalog.services.get(row["service"])
    turn_near = service.sms_turn_near if service else 0
    return {
        "ticket": row["number"],
        "phone": masked(phone.e164),
        "lang": lang,
        "turn_near": turn_near,
        "near": bool(turn_near and quote.callable and quote.people_ahead <= turn_near),
    }


def _digest(ctx: Context, phone: str) -> dict[str, str]:
    return ctx.audit.citizen_digest("", None, phone) if ctx.audit is not None else {}


# -- the hooks, inside the caller's write transaction ------------------------------------------
def after_call(
    ctx: Context, tx: sqlite_utils.Database, catalog: Catalog, row: dict[str, Any], now: float
) -> None:
    """``row`` was just called (or recalled) to its counter: "called" to it once, and "turn
    near" to those now close enough."""
    settings = ctx.settings.sms
    if settings is None:
        return
    opted = ticket_phones.of_ticket(tx, row["id"])
    if opted is not None and opted["called_sent_at"] is None and row["counter"]:
        counter = catalog.counters.get(row["counter"])
        params = {
            "center": catalog.center.name.model_dump(),
            "number": row["number"],
            "counter": counter.number if counter else row["counter"],
        }
        outbox.queue_message(
            tx, "called", opted["phone"], opted["lang"], params, now,
            ticket_id=row["id"], max_parts=settings.max_parts,
            expires_at=now + settings.called_expires_min * 60.0,
        )  # fmt: skip
        ticket_phones.mark_called(tx, row["id"], now)
    notify_near(ctx, tx, catalog, row["day"], now)


def notify_near(
    ctx: Context, tx: sqlite_utils.Database, catalog: Catalog, day: str, now: float
) -> int:
    """Queue "your turn is near" for each opted-in ticket of ``day`` now within its service's
    ``sms_turn_near`` people of its call; how many were queued."""
    if ctx.settings.sms is None:
        return 0
    told = 0
    stopped: set[tuple[Any, ...]] = set()
    deepest = max((s.sms_turn_near for s in catalog.services.values()), default=0)
    if deepest <= 0:
        return 0
    for row in ticket_phones.waiting_to_be_told(tx, day, per_queue=deepest + 1):
        # In one queue (service, kind, counter sent to), in queue order, the people ahead only
        # grow: once one ticket is not near, no later one is (one quote per queue, not per ticket).
        group = (row["service"], row["priority"], row["target_counter"])
        if group in stopped:
            continue
        if _tell_if_near(ctx, tx, catalog, row, now):
            told += 1
        else:
            stopped.add(group)
    return told


def _tell_if_near(
    ctx: Context, tx: sqlite_utils.Database, catalog: Catalog, row: dict[str, Any], now: float
) -> int:
    settings = sms_settings(ctx)
    service = catalog.services.get(row["service"])
    near = service.sms_turn_near if service else 0
    if near <= 0:
        return 0
    if row["target_counter"] is None and ticket_phones.surely_ahead(tx, row, near + 1) > near:
        return 0  # more than N of its own queue before it: far yet, no need to place it
    quote = quote_waiting(tx, catalog, row, now, ctx.cache)
    if not quote.callable or quote.people_ahead > near:
        return 0
    params = {
        "center": catalog.center.name.model_dump(),
        "number": row["number"],
        "ahead": quote.people_ahead,
    }
    outbox.queue_message(
        tx, "turn_near", row["phone"], row["lang"], params, now,
        ticket_id=row["id"], max_parts=settings.max_parts,
        expires_at=now + settings.called_expires_min * 60.0,
    )  # fmt: skip
    ticket_phones.mark_turn_near(tx, row["id"], now)
    return 1


__all__ = [
    "after_call",
    "available",
    "catalog_fields",
    "check_client",
    "notify_near",
    "opt_in",
    "ticket_fields",
]
