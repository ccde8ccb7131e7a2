"""Signing people in and out, and recognising a bearer token (a person's session or a device's)."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from server.domain.errors import Refusal
from server.store import counters as counters_store
from server.store import sessions as sessions_store
from server.store.events import append_event
from server.store.rate_limits import shared_buckets
from server.usecases.catalog import catalog_with, load_catalog
from server.usecases.context import ANYONE, Actor, Context
from server.usecases.counter_hold import take_counter
from server.usecases.passwords import check_password
from server.usecases.ticket_view import counter_brief, iso

FAILURE_WINDOW_S = 300.0


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _attempt_limits(ctx: Context, username: str, address: str) -> list[tuple[str, float, float]]:
    """The two buckets a sign-in draws on: its address, and this name from this address.

    Counting by name alone let anyone lock the real owner out with five wrong guesses; by
    address, a guesser is slowed whatever names (real or not) it tries, and the owner signing in
    from their own desk is not held up by someone else's guesses.
    """
    per_name = ctx.settings.login_failures_before_delay
    per_address = ctx.settings.login_failures_per_address
    window_min = FAILURE_WINDOW_S / 60
    return [
        (f"login:{address}", per_address / window_min, per_address),
        (f"login:{address}:{username}", per_name / window_min, per_name),
    ]


def take_attempt(ctx: Context, username: str, address: str, now: float) -> None:
    """Count this attempt before the password is checked, or refuse it (429, Retry-After).

    Counted first, atomically across threads and worker processes: thirty guesses sent at once
    cannot all pass a check made before any of them failed.
    """
    limits = _attempt_limits(ctx, username, address)
    wait = shared_buckets(ctx.cache, ctx.db.path).allow_all(limits, now)
    if wait:
        raise Refusal.retry_after("too_many_attempts", wait)


def attempt_succeeded(ctx: Context, username: str, address: str) -> None:
    """A right password: the address gets its token back and this name starts afresh."""
    (by_address, _, _), (by_name, _, _) = _attempt_limits(ctx, username, address)
    buckets = shared_buckets(ctx.cache, ctx.db.path)
    buckets.give_back(by_address)
    buckets.forget(by_name)


def login(
    ctx: Context,
    username: str,
    password: str,
    counter: str | None = None,
    take_over: bool = False,
    address: str = "local",
) -> dict[str, Any]:
    """A session token for a person; with ``counter``, the person takes that counter (it opens).

    A counter another clerk holds is refused unless ``take_over`` (``counter_hold.py``).
    ``address`` is the client's network address, a key of the attempts' throttle; the API runs
    this on a small bounded pool of threads (:mod:`server.bounded_pool`), never the shared one.
    """
    now = ctx.now()
    take_attempt(ctx, username, address, now)
    catalog = catalog_with(ctx, counter=counter)
    if counter is not None:
        catalog.counter(counter)
    row = sessions_store.credentials(ctx.db.read(), username)
    valid = check_password(row[0] if row else None, password)
    if not valid or not row or not row[2]:
        raise Refusal("bad_credentials")
    attempt_succeeded(ctx, username, address)
    role = row[1]
    token = secrets.token_urlsafe(32)
    expires = now + ctx.settings.person_token_hours * 3600
    with ctx.db.write() as tx:
        taken_from = take_counter(tx, counter, username, role, now, take_over) if counter else None
        sessions_store.open_session(tx, token_hash(token), username, counter, now, expires)
        public = None
        if counter is not None:
            counters_store.set_status(tx, counter, "open", username, now)
            public = {"counter": counter_brief(catalog, counter), "status": "open"}
        append_event(
            tx,
            "person_signed_in",
            at=now,
            actor=username,
            counter=counter,
            data={"role": role, "taken_over_from": taken_from} if taken_from else {"role": role},
            public=public,
        )
    ctx.on_event()
    return {
        "token": token,
        "role": role,
        "username": username,
        "counter": counter,
        "expires_at": iso(expires, catalog.center.timezone),
    }


def logout(ctx: Context, actor: Actor, token: str) -> None:
    """End this session; a clerk leaving a counter closes it."""
    now = ctx.now()
    catalog = load_catalog(ctx)
    with ctx.db.write() as tx:
        sessions_store.end_session(tx, token_hash(token), now)
        public = None
        if actor.counter and counters_store.close_if_held(tx, actor.counter, actor.name, now):
            public = {"counter": counter_brief(catalog, actor.counter), "status": "closed"}
        append_event(
            tx, "person_signed_out", at=now, actor=actor.name, counter=actor.counter, public=public
        )
    ctx.on_event()


def authenticate(ctx: Context, token: str | None) -> Actor:
    """Who holds ``token``: a person with a live session, an active device, or a refusal."""
    if not token:
        return ANYONE
    digest = token_hash(token)
    db = ctx.db.read()
    row = sessions_store.session_of(db, digest)
    if row is not None:
        if row[4] is not None or not row[5]:
            raise Refusal("unauthenticated")
        if row[3] <= ctx.now():
            raise Refusal("token_expired")
        return Actor("person", row[0], row[1], row[2])
    row = sessions_store.device_of(db, digest)
    if row is not None:
        return Actor("device", row[0], row[1])
    raise Refusal("unauthenticated")
