"""The honest cut-off and the tickets-per-person limit, as the services list, the ticket issue,
the board and the manager's dashboard use them.

The rules are pure (``server.domain.cutoff``, ``server.domain.person_limit``); here they meet the
clock, the wait estimate (the figure the kiosk shows: ``estimates.queue_figures`` for the list,
``estimates.quote_new`` of a normal ticket when issuing, both over the same queue), the manager's
override for the day and the digests of ``ticket_people``.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from nafitha.chain import keyed_digest
from nafitha.formats import format_time
from server.config import Service
from server.domain import cutoff as rule
from server.domain import person_limit
from server.domain.errors import Refusal
from server.domain.hours import iso, local_day
from server.domain.roles import Can, require
from server.store import cutoff as store
from server.store.events import append_event
from server.usecases import estimates
from server.usecases.catalog import Catalog, catalog_with, load_catalog
from server.usecases.context import Actor, Context


def service_cutoff(
    ctx: Context,
    catalog: Catalog,
    service: Service,
    now: float,
    wait_s: float | None,
    overrides: frozenset[str],
) -> rule.Cutoff:
    """One service's cut-off now; none when the server ignores opening hours (the demo)."""
    if ctx.settings.ignore_hours or not service.hours:
        return rule.NO_CUTOFF
    close = _closing_at(ctx, catalog, service, now)
    margin = service.cutoff_margin_min * 60.0
    return rule.decide(close, now, wait_s, margin, service.id in overrides)


def _closing_at(ctx: Context, catalog: Catalog, service: Service, now: float) -> float | None:
    """``closing_at``, kept per service and catalog version while now stays inside the period it
    was computed in (``[computed at, close)`` is one opening: the same close holds all through
    it). The services list and the board ask for every service on every refresh."""
    key = f"cutoff_close:{catalog.version}:{service.id}"
    cached = ctx.cache.get(key)
    if cached is not None and cached[0] <= now < cached[1]:
        return cached[1]
    close = rule.closing_at(service.hours, now, catalog.center.timezone)
    if close is not None:
        ctx.cache[key] = (now, close)
    return close


def fields(decision: rule.Cutoff, timezone: str) -> dict[str, Any]:
    """``cutoff`` as the API writes it: times in the center's zone, with their offset."""
    return {
        "last_ticket_at": iso(decision.last_ticket_at, timezone),
        "closes_at": iso(decision.close_at, timezone),
        "past_cutoff": decision.past_cutoff,
        "overridden": decision.overridden,
    }


def cutoffs(
    ctx: Context,
    db: sqlite_utils.Database,
    catalog: Catalog,
    now: float,
    queues: dict[str, dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    """Per active service, its ``cutoff`` fields from the queue figures already read."""
    day = local_day(now, catalog.center.timezone)
    overrides = store.open_overrides(db, day)
    return {
        s.id: fields(
            service_cutoff(
                ctx, catalog, s, now, queues.get(s.id, {}).get("estimated_wait_s"), overrides
            ),
            catalog.center.timezone,
        )
        for s in catalog.services.values()
        if s.active
    }


def check_cutoff(
    ctx: Context,
    tx: sqlite_utils.Database,
    catalog: Catalog,
    service: Service,
    day: str,
    now: float,
) -> None:
    """Refuse a new ticket past its service's cut-off (``past_cutoff``, naming the closing time).

    The wait is a normal ticket's, as the kiosk shows it, so the button and the server agree."""
    if ctx.settings.ignore_hours or not service.hours:
        return
    wait = estimates.quote_new(tx, catalog, service.id, day, False, cache=ctx.cache, now=now)
    decision = service_cutoff(
        ctx, catalog, service, now, wait.estimated_wait_s, store.open_overrides(tx, day)
    )
    if decision.past_cutoff and decision.close_at is not None:
        raise Refusal("past_cutoff", close=format_time(decision.close_at, catalog.center.timezone))


class LimitReached(Refusal):
    """``person_limit_reached``, carrying what the refusal's record needs (never the person)."""

    def __init__(self, service: str, day: str, limit: int, by: str) -> None:
        super().__init__("person_limit_reached", limit=limit)
        self.service, self.day, self.limit, self.by = service, day, limit, by


def check_person(
    ctx: Context,
    tx: sqlite_utils.Database,
    service: Service,
    day: str,
    person: dict[str, str | None] | None,
) -> str | None:
    """For a limited service: the person's keyed digest, checked against the limit inside the
    issuing transaction (two kiosks cannot both take the last one); :class:`LimitReached` beyond
    it. Other services ignore ``person`` (nothing of it is kept)."""
    limit = service.max_tickets_per_person
    if limit is None:
        return None
    value = person_limit.identifier(person, service.identify_by)
    if ctx.audit is None:
        raise RuntimeError("the audit keys were not loaded (server.app.open_context loads them)")
    values = person_limit.digest_input(day, service.id, service.identify_by, value)
    digest = keyed_digest(ctx.audit.digest, list(values))
    if not person_limit.allows(store.tickets_of(tx, day, service.id, digest), limit):
        raise LimitReached(service.id, day, limit, service.identify_by)
    return digest


def record_person(
    tx: sqlite_utils.Database, digest: str | None, day: str, service: str, ticket_id: int
) -> None:
    """The issued ticket counts against its person (only for a limited service)."""
    if digest is not None:
        store.add_person(tx, day, service, digest, ticket_id)


def record_limit_refusal(ctx: Context, actor: Actor, refusal: LimitReached) -> None:
    """Count a refusal beyond the limit (``person_refusals`` and an event
    ``ticket_refused_limit`` that holds no digest). The refused issue rolled back, so this is a
    transaction of its own, run by the issue endpoint after the refusal."""
    with ctx.db.write() as tx:
        store.count_refusal(tx, refusal.day, refusal.service)
        append_event(
            tx,
            "ticket_refused_limit",
            at=ctx.now(),
            actor=actor.name,
            device=actor.device,
            data={
                "service": refusal.service,
                "day": refusal.day,
                "limit": refusal.limit,
                "by": refusal.by,
            },
            public={"service": refusal.service},
        )
    ctx.on_event()


def set_override(
    ctx: Context, actor: Actor, service_id: str, day: str, keep_open: bool
) -> dict[str, Any]:
    """The manager keeps a service issuing past its cut-off on ``day`` (or lets the rule apply
    again); today or a later day, never a past one (the day's record stays as it was)."""
    require(actor, Can.OVERRIDE_CUTOFF)
    catalog = catalog_with(ctx, service=service_id)
    catalog.service(service_id)
    now = ctx.now()
    if day < local_day(now, catalog.center.timezone):
        raise Refusal("override_day_past", day=day)
    with ctx.db.write() as tx:
        store.set_override(tx, day, service_id, keep_open, actor.name, now)
        append_event(
            tx,
            "cutoff_overridden",
            at=now,
            actor=actor.name,
            data={"service": service_id, "day": day, "open": keep_open, "by": actor.name},
            public={"service": service_id, "day": day, "open": keep_open},
        )
    ctx.on_event()
    return {"service": service_id, "day": day, "open": keep_open}


def cutoff_day(ctx: Context, actor: Actor) -> dict[str, Any]:
    """The manager's view of today: per service the cut-off, the override, the person limit and
    the refusals beyond it."""
    require(actor, Can.OVERRIDE_CUTOFF)
    catalog = load_catalog(ctx)
    now = ctx.now()
    timezone = catalog.center.timezone
    day = local_day(now, timezone)
    with ctx.db.snapshot() as db:
        queues = estimates.queue_figures(db, catalog, day, ctx.cache)
        decisions = cutoffs(ctx, db, catalog, now, queues)
        refused = store.refusals(db, day)
    return {
        "day": day,
        "timezone": timezone,
        "services": [
            {
                "id": s.id,
                "name": s.name.model_dump(),
                "cutoff": decisions[s.id],
                "max_tickets_per_person": s.max_tickets_per_person,
                "identify_by": s.identify_by,
                "refusals": refused.get(s.id, 0),
            }
            for s in catalog.services.values()
            if s.active
        ],
    }
