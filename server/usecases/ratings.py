"""Rating a visit (the phone page, the counter's small screen) and reading the ratings back.

One transaction and one ``ticket_rated`` event per rating. The event carries the stars, where the
rating came from and, when there is a comment, only its ``text_sha256`` (never the text): the
comment stays in ``ratings`` for the staff's views (docs/ratings.md). Nothing of a rating goes on
the public live stream (a clerk's ratings are not the hall's business).

Public ratings (by the ticket's token) are rate-limited per client address before the lookup,
as the public file lookups are (``server/store/rate_limits.py``).
"""

from __future__ import annotations

import hashlib
from typing import Any

from server.domain import ratings as rules
from server.domain.errors import Refusal
from server.domain.hours import iso
from server.domain.roles import Can, require
from server.store import ratings as store
from server.store import tickets as tickets_store
from server.store.events import append_event
from server.store.rate_limits import shared_buckets
from server.usecases.catalog import load_catalog
from server.usecases.context import Actor, Context

PUBLIC_PER_MINUTE = 6.0  # ratings (and failed guesses) per client address
PUBLIC_BURST = 6


def _check_rate(ctx: Context, address: str) -> None:
    buckets = shared_buckets(ctx.cache, ctx.db.path)
    wait = buckets.allow(f"rating:address:{address}", ctx.now(), PUBLIC_PER_MINUTE, PUBLIC_BURST)
    if wait:
        raise Refusal.retry_after("rating_rate_limited", wait)


def _keep(
    tx: Any,
    ticket: dict[str, Any],
    stars: int,
    comment: str,
    lang: str,
    source: str,
    now: float,
    actor: Actor,
) -> None:
    """Insert the rating and its event; ``already_rated`` when the ticket has one."""
    kept = store.insert_rating(
        tx,
        ticket_id=ticket["id"],
        stars=stars,
        comment=comment,
        lang=lang,
        at=now,
        source=source,
        day=ticket["day"],
        finished_at=ticket["finished_at"],
        service=ticket["service"],
        counter=ticket.get("counter"),
        clerk=ticket.get("clerk"),
    )
    if not kept:
        raise Refusal("already_rated")
    data: dict[str, Any] = {
        "number": ticket["number"],
        "stars": stars,
        "source": source,
        "service": ticket["service"],
        "lang": lang,
    }
    if comment:
        data["text_sha256"] = hashlib.sha256(comment.encode("utf-8")).hexdigest()
    append_event(
        tx,
        "ticket_rated",
        at=now,
        actor=actor.person,
        counter=ticket.get("counter"),
        device=actor.device,
        ticket_id=ticket["id"],
        data=data,
    )


def rate_by_token(
    ctx: Context, address: str, token: str, stars: int, comment: str | None, lang: str
) -> dict[str, Any]:
    """The citizen's rating from the ticket's phone page (anonymous: the token is the right)."""
    _check_rate(ctx, address)
    rules.check_stars(stars)
    text = rules.clean_comment(comment)
    now = ctx.now()
    with ctx.db.write() as tx:
        ticket = tickets_store.ticket_by_token(tx, token)
        if ticket is None:
            raise Refusal("ticket_not_found")
        rated = store.is_rated(tx, ticket["id"])
        rules.check_rateable(ticket["state"], ticket["finished_at"], rated, now)
        _keep(tx, ticket, stars, text, lang, "phone", now, Actor("anonymous"))
    return {"number": ticket["number"], "stars": stars, "rated": True}


def rating_by_token(ctx: Context, token: str) -> dict[str, Any]:
    """Whether the phone page should ask: ``rateable`` (finished, not rated, still open) and the
    stars given if rated."""
    now = ctx.now()
    with ctx.db.snapshot() as db:
        ticket = tickets_store.ticket_by_token(db, token)
        if ticket is None:
            raise Refusal("ticket_not_found")
        rating = store.rating_of(db, ticket["id"])
    try:
        rules.check_rateable(ticket["state"], ticket["finished_at"], rating is not None, now)
        rateable = True
    except Refusal:
        rateable = False
    return {
        "rateable": rateable,
        "rated": rating is not None,
        "stars": rating["stars"] if rating else None,
    }


def _counter_pending(ctx: Context, counter: str, now: float) -> dict[str, Any] | None:
    with ctx.db.snapshot() as db:
        ticket = store.last_finished_at(db, counter)
        if ticket is None:
            return None
        rated = store.is_rated(db, ticket["id"])
    return ticket if rules.counter_pending(ticket["finished_at"], rated, now) else None


def pending_at_counter(ctx: Context, actor: Actor, counter: str) -> dict[str, Any]:
    """What the counter's rating screen asks about now: the visit just finished there, or none."""
    require(actor, Can.RATE_AT_COUNTER)
    catalog = load_catalog(ctx)
    catalog.counter(counter)
    ticket = _counter_pending(ctx, counter, ctx.now())
    if ticket is None:
        return {"counter": counter, "pending": None}
    tz = catalog.center.timezone
    return {
        "counter": counter,
        "pending": {
            "ticket": ticket["id"],
            "number": ticket["number"],
            "finished_at": iso(ticket["finished_at"], tz),
            "expires_in_s": max(
                0, round(ticket["finished_at"] + rules.COUNTER_WINDOW_S - ctx.now())
            ),
        },
    }


def rate_at_counter(
    ctx: Context, actor: Actor, counter: str, stars: int, lang: str, ticket_id: int | None
) -> dict[str, Any]:
    """The rating from the counter's small screen: the visit finished last there, within
    :data:`rules.COUNTER_WINDOW_S`, never twice (``nothing_to_rate`` otherwise). ``ticket_id``,
    when the screen sends the one it showed, must still be that visit."""
    require(actor, Can.RATE_AT_COUNTER)
    rules.check_stars(stars)
    load_catalog(ctx).counter(counter)
    now = ctx.now()
    with ctx.db.write() as tx:
        ticket = store.last_finished_at(tx, counter)
        if (
            ticket is None
            or (ticket_id is not None and ticket["id"] != ticket_id)
            or not rules.counter_pending(
                ticket["finished_at"], store.is_rated(tx, ticket["id"]), now
            )
        ):
            raise Refusal("nothing_to_rate")
        _keep(tx, {**ticket, "counter": counter}, stars, "", lang, "counter", now, actor)
    return {"number": ticket["number"], "stars": stars, "rated": True}
