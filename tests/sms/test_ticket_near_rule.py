"""The hooks' shortcut (each queue read in order up to its first ticket that is not near) never
misses a ticket: after every call of a random day at counters sharing services, with priority
tickets and calling profiles, every opted-in ticket still waiting that the phone page would show
within N of its call (and callable) has been told, and every "turn near" sent said at most N."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.store import outbox, ticket_phones
from server.store import tickets as tickets_store
from server.usecases import calling, ticket_actions, tickets
from server.usecases.catalog import load_catalog
from server.usecases.context import Actor
from server.usecases.estimates import quote_waiting
from tests.server.conftest import AppEnv, make_env

KIOSK = Actor("device", "demo-kiosk-1", "kiosk")
# c1 and c2 share two services and each has one of its own: queues overlap across services
SERVICES = ("civil-extract", "family-extract", "criminal-record", "document-legalization")
COUNTERS = ("c1", "c2")


@pytest.fixture
def sms_app(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:
    sms = {"mode": "folder", "folder": str(tmp_path / "sms")}
    yield from make_env(seeded_db, tmp_path, sms=sms, ignore_hours=True)


def untold_but_near(env: AppEnv) -> list[tuple[str, int]]:
    """Opted-in waiting tickets within N of their call, callable, and not told: must be none."""
    db = env.ctx.db.read()
    catalog = load_catalog(env.ctx)
    missed = []
    rows = db.execute("SELECT ticket_id FROM ticket_phones WHERE turn_near_sent_at IS NULL")
    for (ticket_id,) in rows.fetchall():
        row = tickets_store.ticket_row(db, ticket_id)
        assert row is not None
        if row["state"] != "waiting":
            continue
        quote = quote_waiting(db, catalog, row, env.clock(), None)
        near = catalog.services[row["service"]].sms_turn_near
        if quote.callable and quote.people_ahead <= near:
            missed.append((row["number"], quote.people_ahead))
    return missed


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_opted_in_ticket_within_n_is_left_untold(sms_app: AppEnv, seed: int) -> None:
    env, rng = sms_app, random.Random(seed)
    clerks = {c: Actor("person", f"clerk{i + 1}", "clerk", c) for i, c in enumerate(COUNTERS)}
    issued = []
    for _ in range(40):
        service = rng.choice(SERVICES)
        ticket, _ = tickets.issue_ticket(env.ctx, KIOSK, service, priority=rng.random() < 0.25)
        issued.append(ticket)
        env.clock.advance(rng.uniform(1, 30))
    now = env.clock()
    with env.ctx.db.write() as tx:
        for n, ticket in enumerate(t for t in issued if rng.random() < 0.5):
            phone = f"+96170{n:06d}"
            outbox.record_consent(tx, phone, now, "test", "en", now + 86_400)
            ticket_phones.opt_in(tx, ticket["id"], ticket["day"], phone, "en", now)
    serving: dict[str, int] = {}
    for _ in range(30):
        counter = rng.choice(COUNTERS)
        if counter in serving:
            ticket_actions.ticket_action(env.ctx, clerks[counter], serving.pop(counter), "finish")
        called = calling.call_next(env.ctx, clerks[counter], counter)
        if called is None:
            break
        serving[counter] = called["id"]
        env.clock.advance(rng.uniform(10, 120))
        assert untold_but_near(env) == []
    told = [m for m in outbox.messages(env.ctx.db.read()) if m["kind"] == "turn_near"]
    assert told, "the day told nobody: the test would prove nothing"
    for message in told:
        ahead = int(re.search(r"(\d+) ahead of you", message["body"]).group(1))
        assert ahead <= 3
    per_ticket = [m["ticket_id"] for m in told]
    assert len(per_ticket) == len(set(per_ticket))  # once each
