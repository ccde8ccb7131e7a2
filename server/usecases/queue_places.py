"""Joining today's queue from a phone: a place, told when to come back, confirmed at the kiosk.

A place is not a ticket and is never called. Its citizen scans its QR at the kiosk on arrival
(``confirm``): the ticket issued then keeps the place's position (its issue time is the join
time, so the longest-wait order puts it where it joined). Not confirmed by ``expires_at`` (the
come-back time plus ``Center.places.lapse_min``), it lapses. One place per phone number per service
per day. What a place is told is the estimate every other surface gives: ``estimates.quote_new``
when joining (a normal ticket taken now), ``estimates.quote_waiting`` of a ticket issued at the
join time afterwards, rounded once by ``nafitha.formats.wait_minutes``.

While it waits, a place is NOT counted ahead of anyone (docs/appointments.md, "Joining from a
phone", says why). The phone number is stored in ``queue_places`` only, never in an event.
"""

from __future__ import annotations

import secrets
from typing import Any

import sqlite_utils

from nafitha.formats import wait_minutes
from server.domain.errors import Refusal
from server.domain.hours import local_day
from server.store import outbox
from server.store import queue_places as places_store
from server.store.events import append_event
from server.store.rate_limits import shared_buckets
from server.usecases import tickets
from server.usecases.catalog import (
    Catalog,
    catalog_with,
    load_catalog,
    public_catalog,
    service_is_open,
)
from server.usecases.context import Actor, Context
from server.usecases.cutoff import check_cutoff
from server.usecases.estimates import quote_new, quote_waiting
from server.usecases.sms_notices import check_phone, record_consent
from server.usecases.ticket_view import fetch_ticket

NEAR_S = 10 * 60  # the "turn near" message goes this long before the come-back time
LAST_ID = 2**62  # a place's position among tickets issued at the same second: after them


def _base_url(ctx: Context, catalog: Catalog) -> str:
    return (ctx.settings.public_url or catalog.center.public_url).rstrip("/")


def check_join_allowed(ctx: Context, address: str, factor: int = 1) -> None:
    """One join attempt from ``address``, or ``places_rate_limited`` (the tracking limits,
    ``factor`` times: the national portal speaks for many citizens, as a kiosk does)."""
    settings = ctx.settings
    wait = shared_buckets(ctx.cache, ctx.db.path).allow(
        f"places:{address}",
        ctx.now(),
        settings.track_per_minute * factor,
        settings.track_burst * factor,
    )
    if wait:
        raise Refusal.retry_after("places_rate_limited", wait)


def _as_waiting(place: dict[str, Any]) -> dict[str, Any]:
    """The place as the ticket it would be: issued at its join time, last of that second."""
    return {
        "id": LAST_ID,
        "day": place["day"],
        "service": place["service"],
        "priority": 0,
        "issued_at": place["joined_at"],
        "target_counter": None,
        "state": "waiting",
    }


def view(
    ctx: Context, db: sqlite_utils.Database, place: dict[str, Any], now: float
) -> dict[str, Any]:
    """What the phone page and the kiosk see of a place: never its phone number."""
    catalog = load_catalog(ctx)
    service = catalog.services.get(place["service"])
    state = place["state"]
    if state == "waiting" and now >= place["expires_at"]:
        state = "lapsed"  # written by the next lapse sweep; already true for the reader
    figures: dict[str, Any] = {"people_ahead": None, "estimated_wait_s": None, "wait_minutes": None}
    if state == "waiting":
        figures = quote_waiting(db, catalog, _as_waiting(place), now, ctx.cache).fields()
    return {
        "id": place["id"],
        "token": place["token"],
        "service": place["service"],
        "service_name": service.name.model_dump() if service else None,
        "day": place["day"],
        "state": state,
        "joined_at": place["joined_at"],
        "come_back_at": place["come_back_at"],
        "expires_at": place["expires_at"],
        "url": f"/p/{place['token']}",
        "qr": f"{_base_url(ctx, catalog)}/p/{place['token']}",
        "ahead": figures["people_ahead"],
        **figures,
        "ticket": _ticket_link(db, place["ticket_id"]),
        "center": catalog.center.name.model_dump(),
        "timezone": catalog.center.timezone,
    }


def _ticket_link(db: sqlite_utils.Database, ticket_id: int | None) -> dict[str, Any] | None:
    """A confirmed place's ticket: its number and its phone page (``/t/<token>``)."""
    if ticket_id is None:
        return None
    row = fetch_ticket(db, ticket_id)
    return {"id": row["id"], "number": row["number"], "url": f"/t/{row['public_token']}"}


def lapse_due(ctx: Context, tx: sqlite_utils.Database, now: float) -> int:
    """Lapse every waiting place past its time to confirm (event ``place_lapsed``, its pending
    message withdrawn); how many. ``sweep`` runs it in its own transaction before each join and
    confirm (a refused confirm must not roll the lapse back with it)."""
    lapsed = 0
    for place in places_store.due_to_lapse(tx, now):
        if not places_store.mark_lapsed(tx, place["id"], now):
            continue
        outbox.withdraw(tx, f"place:{place['id']}", now)
        append_event(
            tx,
            "place_lapsed",
            at=now,
            actor="system",
            data={"place": place["id"], "service": place["service"], "day": place["day"]},
        )
        lapsed += 1
    return lapsed


def sweep(ctx: Context) -> int:
    """Lapse what is due now, in a transaction of its own (durable whatever follows)."""
    with ctx.db.write() as tx:
        return lapse_due(ctx, tx, ctx.now())


def portal_options(ctx: Context) -> dict[str, Any]:
    """What the national portal's join page offers (``server/usecases/portal_requests.py``):
    whether this center takes places through the portal (``Center.places.portal``), whether it
    texts, and the services a place can be taken for now, each with its waiting count and the wait
    a ticket taken now is told: the list and figures of the center's own ``/join``."""
    catalog = load_catalog(ctx)
    settings = catalog.center.places
    allowed = settings.enabled and settings.portal
    services: list[dict[str, Any]] = []
    if allowed:
        services = [
            {"id": s["id"], "name": s["name"], "queue": s["queue"]}
            for s in public_catalog(ctx)["services"]
            if s.get("kiosk") is not False and s["open_now"] and s["queue"]["callable"]
        ]
    return {
        "allowed": allowed,
        "sms": ctx.settings.sms is not None,
        "timezone": catalog.center.timezone,
        "services": services,
    }


def check_portal_allowed(ctx: Context) -> None:
    """A place through the portal only where the center offers it (``places_portal_off``)."""
    settings = load_catalog(ctx).center.places
    if not settings.enabled:
        raise Refusal("places_disabled")
    if not settings.portal:
        raise Refusal("places_portal_off")


def join(
    ctx: Context, actor: Actor, service_id: str, phone_text: str, lang: str, notify: bool = False
) -> dict[str, Any]:
    """A place in today's queue of ``service_id`` for this phone number, or a refusal."""
    catalog = catalog_with(ctx, service=service_id)
    settings = catalog.center.places
    if not settings.enabled:
        raise Refusal("places_disabled")
    service = catalog.service(service_id)
    if not service.active or not service.kiosk:
        raise Refusal("service_not_at_kiosk", service=service_id)
    now = ctx.now()
    if not service_is_open(ctx, catalog, service, now):
        raise Refusal("service_closed", service=service_id)
    phone = check_phone(ctx, phone_text)
    day = local_day(now, catalog.center.timezone)
    with ctx.db.write() as tx:
        if places_store.by_phone(tx, day, service.id, phone.e164) is not None:
            raise Refusal("place_limit_reached")
        check_cutoff(ctx, tx, catalog, service, day, now)  # as the kiosk would refuse a ticket
        quote = quote_new(tx, catalog, service.id, day, False, cache=ctx.cache)
        if not quote.callable:
            raise Refusal("places_no_counter", service=service.id)
        rounded = wait_minutes(quote.estimated_wait_s) or 0
        come_back_at = now + rounded * 60
        expires_at = come_back_at + settings.lapse_min * 60
        token = secrets.token_urlsafe(16)
        place_id = places_store.insert(
            tx,
            token=token,
            day=day,
            service=service.id,
            phone=phone.e164,
            lang=lang,
            joined_at=now,
            come_back_at=come_back_at,
            expires_at=expires_at,
        )
        append_event(
            tx,
            "place_joined",
            at=now,
            actor=actor.name or "anonymous",
            device=actor.device,
            data={
                "place": place_id,
                "service": service.id,
                "day": day,
                "ahead": quote.people_ahead,
                "come_back_at": come_back_at,
                "expires_at": expires_at,
            },
        )
        if notify and ctx.settings.sms is not None:
            record_consent(ctx, tx, actor, phone, lang, now)
            outbox.queue_message(
                tx,
                "place_near",
                phone.e164,
                lang,
                {"center": catalog.center.name.model_dump(), "service": service.name.model_dump()},
                now,
                expires_at=expires_at,
                not_before=max(now, come_back_at - NEAR_S),
                about=f"place:{place_id}",
            )
        place = places_store.by_token(tx, token)
        assert place is not None
        answer = view(ctx, tx, place, now)
    ctx.on_event()
    # What the citizen was told when joining: a normal ticket taken now (the kiosk's figure).
    return {**answer, "ahead": quote.people_ahead, **quote.fields()}


def public_place(ctx: Context, token: str) -> dict[str, Any]:
    """A place by its token (the phone page): state, people ahead now, come-back time."""
    now = ctx.now()
    with ctx.db.snapshot() as db:
        place = places_store.by_token(db, token)
        if place is None:
            raise Refusal("place_not_found")
        return view(ctx, db, place, now)


def confirm(ctx: Context, actor: Actor, token: str) -> dict[str, Any]:
    """The kiosk scanned a place's QR: its ticket, keeping the place's position.

    Confirming twice answers the same ticket (a kiosk retrying after a lost answer); a lapsed
    place or one of another day is refused (``place_lapsed``). The service's cut-off was checked
    when the place was taken: a place confirmed past it keeps its turn.
    """
    now = ctx.now()
    catalog = load_catalog(ctx)
    with ctx.db.write() as tx:
        place = places_store.by_token(tx, token)
        if place is None:
            raise Refusal("place_not_found")
        if place["state"] == "confirmed":
            ticket = tickets.ticket_for_kiosk(ctx, fetch_ticket(tx, place["ticket_id"]), tx)
            return {"place": view(ctx, tx, place, now), "ticket": ticket}
        if place["state"] != "waiting" or place["day"] != local_day(now, catalog.center.timezone):
            raise Refusal("place_lapsed")
        quote = quote_waiting(tx, catalog, _as_waiting(place), now, ctx.cache)
        ticket, _ = tickets.issue_ticket(
            ctx, actor, place["service"], issued_at=place["joined_at"], quoted=quote
        )
        places_store.mark_confirmed(tx, place["id"], ticket["id"], now, actor.device)
        outbox.withdraw(tx, f"place:{place['id']}", now)
        append_event(
            tx,
            "place_confirmed",
            at=now,
            actor=actor.name or "anonymous",
            device=actor.device,
            ticket_id=ticket["id"],
            data={"place": place["id"], "service": place["service"], "number": ticket["number"]},
        )
        confirmed = places_store.by_token(tx, token)
        assert confirmed is not None
        answer = {"place": view(ctx, tx, confirmed, now), "ticket": ticket}
    ctx.on_event()
    return answer
