"""Realistic past days of tickets, so a demo center's dashboard is alive on first start.

Each day is simulated rather than drawn at random: arrivals per service follow the weekday and the
hour (a morning peak), counters serve the services they are configured for, choosing priority first
and then the longest wait, service times are log-normal around each service's usual time, some
citizens do not come when called, and those still waiting at closing time are cancelled. The wait
quoted on each ticket is what a simple estimate would have said (people ahead x usual service time /
counters). So waits, service levels and no-shows look like a real center's, with bad hours and good.

Days are written straight into the tickets table (one transaction per day) with their numbering,
and one ``history_seeded`` event records that it was done. Used by ``nafitha demo --history DAYS``
and by the dashboard benchmark.
"""

from __future__ import annotations

import bisect
import heapq
import math
import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from nafitha.replay import rows_digest, ticket_changes, ticket_row
from server.config import Service
from server.domain.hours import local_day
from server.domain.tickets import format_number
from server.store import history as history_store
from server.store.audit import ticket_rows
from server.store.events import append_event
from server.usecases.catalog import Catalog, load_catalog
from server.usecases.context import Actor, Context

WEEKDAY_LOAD = (1.25, 1.1, 1.0, 0.95, 0.8, 0.6, 0.0)  # Monday first; Sunday closed
HOUR_LOAD = {8: 1.3, 9: 1.6, 10: 1.5, 11: 1.1, 12: 0.8, 13: 0.5}  # relative arrivals by hour
DEFAULT_HOURS = ((0, 1, 2, 3, 4), time(8), time(14))
NO_SHOW_SHARE = 0.04
PRIORITY_SHARE = 0.05
WALK_S = 25.0  # from the call to the counter
GAP_S = 12.0  # between finishing one citizen and calling the next
NO_SHOW_WAIT_S = 60.0  # how long a clerk waits before marking a no-show
LOAD_FACTOR = 0.68  # arrivals against the counters' capacity on an average day


@dataclass
class SimTicket:
    service: str
    prefix: str
    issued_at: float
    priority: bool
    state: str = "cancelled"
    called_at: float | None = None
    started_at: float | None = None
    finished_at: float | None = None
    counter: str | None = None
    clerk: str | None = None
    quoted_wait_s: float | None = None


def _opening(service: Service, day: date) -> tuple[time, time] | None:
    weekday = day.weekday()
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    if not service.hours:
        days, start, end = DEFAULT_HOURS
        return (start, end) if weekday in days else None
    for window in service.hours:
        if names[weekday] in window.days:
            return window.open, window.close
    return None


def _capacity_share(catalog: Catalog, parallel: int) -> dict[str, float]:
    """Citizens per hour the counters can serve for each service (time split between services)."""
    share: dict[str, float] = {s: 0.0 for s in catalog.services}
    for counter in catalog.counters.values():
        served = [s for s in counter.services if s in catalog.services]
        for s in served:
            per_hour = 3600.0 / (catalog.services[s].service_time_s + WALK_S + GAP_S)
            share[s] += parallel * per_hour / len(served)
    return share


def _arrivals(
    rng: random.Random,
    service: Service,
    day: date,
    zone: ZoneInfo,
    per_hour: float,
    scale: float,
) -> list[SimTicket]:
    opening = _opening(service, day)
    load = WEEKDAY_LOAD[day.weekday()]
    if opening is None or load == 0:
        return []
    start = datetime.combine(day, opening[0], zone).timestamp()
    end = datetime.combine(day, opening[1], zone).timestamp()
    tickets = []
    t = start
    while True:
        hour = datetime.fromtimestamp(t, zone).hour
        rate = per_hour * LOAD_FACTOR * load * scale * HOUR_LOAD.get(hour, 0.4)
        t += rng.expovariate(rate / 3600.0) if rate > 0 else 3600.0
        if t >= end:
            return tickets
        priority = rng.random() < PRIORITY_SHARE
        tickets.append(SimTicket(service.id, service.prefix, t, priority))


def _serve(
    rng: random.Random,
    catalog: Catalog,
    tickets: list[SimTicket],
    day: date,
    zone: ZoneInfo,
    parallel: int,
) -> None:
    """Counters call priority first, then the longest wait among their services, until closing."""
    queues: dict[str, deque[SimTicket]] = {s: deque() for s in catalog.services}
    for ticket in sorted(tickets, key=lambda t: t.issued_at):
        queues[ticket.service].append(ticket)
    closing = datetime.combine(day, time(14, 30), zone).timestamp()
    opening = datetime.combine(day, time(8), zone).timestamp()
    desks: list[tuple[float, int, str, str, tuple[str, ...]]] = []
    for index, counter in enumerate(catalog.counters.values()):
        if rng.random() < 0.08:
            continue  # this clerk is away today
        for desk in range(parallel):
            # a scaled-up center: each counter's desks staffed from a team of at most six
            team = f"-{desk % 6 + 1}" if parallel > 1 else ""
            clerk = f"clerk{index + 1}{team}"
            services = tuple(s for s in counter.services if s in queues)
            start = opening + rng.uniform(0, 600)
            desks.append((start, len(desks), counter.id, clerk, services))
    heapq.heapify(desks)
    mean_s = {s: float(catalog.services[s].service_time_s) for s in catalog.services}
    while desks:
        free_at, key, counter_id, clerk, services = heapq.heappop(desks)
        if free_at >= closing:
            continue
        heads = [queues[s][0] for s in services if queues[s]]
        if not heads:
            continue
        ready = [t for t in heads if t.issued_at <= free_at]
        if not ready:
            heapq.heappush(
                desks, (min(t.issued_at for t in heads), key, counter_id, clerk, services)
            )
            continue
        waiting_priority = [
            t
            for s in services
            for t in list(queues[s])[:50]
            if t.priority and t.issued_at <= free_at
        ]
        chosen = min(waiting_priority or ready, key=lambda t: t.issued_at)
        queues[chosen.service].remove(chosen)
        chosen.called_at = free_at
        chosen.counter = counter_id
        chosen.clerk = clerk
        if rng.random() < NO_SHOW_SHARE:
            chosen.state = "no_show"
            done_at = free_at + NO_SHOW_WAIT_S
        else:
            chosen.state = "done"
            chosen.started_at = free_at + rng.uniform(10, WALK_S * 2)
            sigma = 0.45
            mu = math.log(mean_s[chosen.service]) - sigma * sigma / 2
            chosen.finished_at = chosen.started_at + max(30.0, rng.lognormvariate(mu, sigma))
            done_at = chosen.finished_at
        heapq.heappush(desks, (done_at + GAP_S, key, counter_id, clerk, services))


def _quote(tickets: list[SimTicket], capacity: dict[str, float]) -> None:
    """The estimate printed at issue: people ahead / the counters' hourly capacity for it."""
    by_service: dict[str, list[SimTicket]] = {}
    for ticket in tickets:
        by_service.setdefault(ticket.service, []).append(ticket)
    for service, members in by_service.items():
        members.sort(key=lambda t: t.issued_at)
        leave_times: list[float] = []  # when each earlier ticket left the queue
        per_hour = capacity[service]
        for ticket in members:
            ahead = len(leave_times) - bisect.bisect_right(leave_times, ticket.issued_at)
            ticket.quoted_wait_s = float(round(ahead * 3600.0 / per_hour))
            left = ticket.called_at if ticket.called_at is not None else math.inf
            bisect.insort(leave_times, left)


def simulate_day(
    rng: random.Random, catalog: Catalog, day: date, scale: float = 1.0, parallel: int = 1
) -> list[SimTicket]:
    """One day of a center: every ticket with its times, in issue order."""
    zone = ZoneInfo(catalog.center.timezone)
    capacity = _capacity_share(catalog, parallel)
    tickets: list[SimTicket] = []
    for service in catalog.services.values():
        if service.active and service.kiosk and capacity.get(service.id, 0) > 0:
            tickets += _arrivals(rng, service, day, zone, capacity[service.id], scale)
    tickets.sort(key=lambda t: t.issued_at)
    _serve(rng, catalog, tickets, day, zone, parallel)
    _quote(tickets, capacity)
    return tickets


def _rows(rng: random.Random, day: date, tickets: list[SimTicket]) -> Iterator[tuple[Any, ...]]:
    seqs: dict[str, int] = {}
    for t in tickets:
        seq = seqs[t.prefix] = seqs.get(t.prefix, 0) + 1
        yield (
            day.isoformat(), t.prefix, seq, format_number(t.prefix, seq), t.service,
            int(t.priority), t.state, f"h{rng.getrandbits(96):024x}", t.issued_at, t.called_at,
            t.started_at, t.finished_at, t.counter, t.clerk, "demo-kiosk-1", t.quoted_wait_s,
        )  # fmt: skip


_STEPS = (  # (kind, the row's time column, the state after it, columns it sets)
    ("ticket_called", "called_at", "called", ("called_at", "counter", "clerk")),
    ("ticket_start", "started_at", "serving", ("started_at",)),
)
_ENDS = {"done": "ticket_finish", "no_show": "ticket_no_show", "cancelled": "ticket_cancel"}


def _day_events(
    seeded: dict[int, dict[str, Any]],
) -> list[tuple[float, str, str | None, str | None, int, dict[str, Any]]]:
    """The events each seeded ticket's life would have written, in time order (ties: by id)."""
    events: list[tuple[float, int, int, str, str | None, str | None, dict[str, Any]]] = []
    for ticket_id, final in seeded.items():
        issued = {**final, "state": "waiting", "counter": None, "clerk": None}
        issued.update(called_at=None, started_at=None, finished_at=None)
        data = {"number": final["number"], "service": final["service"]}
        events.append(
            (final["issued_at"], ticket_id, 0, "ticket_issued", None, None,
             {**data, "priority": bool(final["priority"]), "ticket": ticket_row(issued)})
        )  # fmt: skip
        now = issued
        for step, (kind, column, state, columns) in enumerate(_STEPS, start=1):
            if final[column] is None:
                continue
            after = {**now, "state": state, **{c: final[c] for c in columns}}
            events.append(
                (final[column], ticket_id, step, kind, final["clerk"], final["counter"],
                 {**data, "ticket": ticket_changes(now, after)})
            )  # fmt: skip
            now = after
        if final["state"] in _ENDS:
            at = final["finished_at"] or final["called_at"] or final["issued_at"]
            events.append(
                (at, ticket_id, 9, _ENDS[final["state"]], final["clerk"], final["counter"],
                 {**data, "ticket": ticket_changes(now, final)})
            )  # fmt: skip
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    return [
        (at, kind, actor, counter, tid, data) for at, tid, _, kind, actor, counter, data in events
    ]


def has_history(ctx: Context) -> bool:
    """True when any ticket exists from before today (a center with a past is left alone)."""
    catalog = load_catalog(ctx)
    today = local_day(ctx.now(), catalog.center.timezone)
    return history_store.has_tickets_before(ctx.db.read(), today)


def seed_history(
    ctx: Context,
    actor: Actor,
    days: int,
    *,
    end: date | None = None,
    seed: int = 20261123,
    scale: float = 1.0,
    parallel: int = 1,
    as_events: bool = False,
) -> dict[str, Any]:
    """Simulate and store ``days`` days ending with ``end`` (default yesterday, local time).

    ``as_events``: each seeded ticket also gets the events a real day would have written (issued,
    called, started, finished), in time order, so the national hub rebuilds the past days from the
    log alone; otherwise the audit checks each day's rows as one block (one event for all).
    """
    catalog = load_catalog(ctx)
    rng = random.Random(seed)
    last = end or date.fromisoformat(local_day(ctx.now(), catalog.center.timezone)) - timedelta(1)
    first = last - timedelta(days=days - 1)
    total = 0
    blocks: list[dict[str, Any]] = []  # each day's ticket ids and digest, for the audit
    for offset in range(days):
        day = first + timedelta(days=offset)
        tickets = simulate_day(rng, catalog, day, scale, parallel)
        if not tickets:
            continue
        rows = list(_rows(rng, day, tickets))
        with ctx.db.write() as tx:
            first_id = history_store.insert_day(tx, day.isoformat(), rows)
            seeded = ticket_rows(tx, first_id, first_id + len(rows) - 1)
            if as_events:
                for at, kind, clerk, counter, ticket_id, data in _day_events(seeded):
                    append_event(
                        tx, kind, at=at, actor=clerk, counter=counter, device=None,
                        ticket_id=ticket_id, data=data,
                    )  # fmt: skip
            else:  # no event per seeded ticket: the audit checks each day's rows as one block
                digest = rows_digest(seeded[i] for i in sorted(seeded))
                last_id = first_id + len(rows) - 1
                blocks.append({"first": first_id, "last": last_id, "digest": digest})
        total += len(rows)
    summary = {"from": first.isoformat(), "to": last.isoformat(), "days": days, "tickets": total}
    with ctx.db.write() as tx:
        append_event(
            tx, "history_seeded", at=ctx.now(), actor=actor.name, data={**summary, "blocks": blocks}
        )
    return summary


def seed_demo_history(
    db: Path, center: Path, days: int, *, as_events: bool = False, seed: int = 20261123
) -> dict[str, Any] | None:
    """``nafitha demo --history DAYS``: past days for a demo database that has no past yet."""
    from server.app import open_context
    from server.config import ServerSettings
    from server.demo.ratings import seed_ratings
    from server.usecases.context import SYSTEM

    if days <= 0:
        return None
    ctx = open_context(ServerSettings(db=db, center_config=center, ignore_hours=True))
    try:
        if has_history(ctx):
            return None
        summary = seed_history(ctx, SYSTEM, days, seed=seed, as_events=as_events)
        if not as_events:  # the dashboard's satisfaction and the self-assessment (docs/ratings.md)
            first, last = date.fromisoformat(summary["from"]), date.fromisoformat(summary["to"])
            summary["ratings"] = seed_ratings(ctx, SYSTEM, first, last, seed)
        return summary
    finally:
        ctx.db.close()
