"""A ticket's queue figures: people ahead, estimated wait, its one rounding, callable or not.

The rule (who is ahead, over which counters) is ``server.domain.ahead``; the wait model is
``nafitha.estimate``; the rounding a person reads is ``nafitha.formats.wait_minutes``; the
reads are ``server.store.waiting``. This module joins them, inside the caller's transaction or
snapshot, so the ticket answer, the phone page and the services list all say the same.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlite_utils

from nafitha import estimate
from nafitha.formats import wait_minutes
from server.domain import ahead
from server.domain.call_next import Waiting, order_key
from server.store import waiting

if TYPE_CHECKING:  # the catalog module imports this one for the services list
    from server.usecases.catalog import Catalog


@dataclass(frozen=True)
class Quote:
    """What a ticket (or a ticket one would take now) is told about its wait."""

    people_ahead: int
    estimated_wait_s: int | None
    callable: bool

    def fields(self) -> dict[str, Any]:
        """The four answer fields every surface shows (docs/api.md)."""
        return {
            "people_ahead": self.people_ahead,
            "estimated_wait_s": self.estimated_wait_s,
            "wait_minutes": wait_minutes(self.estimated_wait_s),
            "callable": self.callable,
        }


CALLED = Quote(0, 0, True)  # called or being served: no one ahead, no wait left
CLOSED = Quote(0, None, False)  # done, no-show, cancelled: nothing to wait for

SERVICE_TIME_TTL_S = 5.0


def forget_service_time(cache: dict[str, Any], day: str, service: str) -> None:
    """A ticket of ``service`` just finished here: recompute its service time next time."""
    cache.pop(f"service_time:{day}:{service}", None)


def service_times(
    db: sqlite_utils.Database,
    catalog: Catalog,
    services: set[str],
    day: str,
    cache: dict[str, Any] | None = None,
) -> dict[str, float]:
    """Expected service time per service; cached a few seconds (it moves slowly)."""
    times: dict[str, float] = {}
    now = time.monotonic()
    for name in services:
        key = f"service_time:{day}:{name}"
        hit = cache.get(key) if cache is not None else None
        if hit is not None and now - hit[0] < SERVICE_TIME_TTL_S:
            times[name] = hit[1]
            continue
        durations = waiting.recent_durations(db, name, day, estimate.RECENT)
        prior = catalog.services[name].service_time_s if name in catalog.services else 300
        times[name] = estimate.service_time(prior, durations)
        if cache is not None:
            cache[key] = (now, times[name])
    return times


def _quote(
    db: sqlite_utils.Database,
    catalog: Catalog,
    service: str,
    day: str,
    reach: ahead.Reach,
    by_service: dict[str, int],
    open_counters: frozenset[str],
    cache: dict[str, Any] | None,
) -> Quote:
    count = sum(by_service.values())
    if not reach.callable:
        return Quote(count, None, False)
    times = service_times(db, catalog, set(by_service) | {service}, day, cache)
    wait = estimate.wait_seconds(
        service, by_service, times, catalog.counters_by_service(), open_counters, reach.counters
    )
    return Quote(count, round(wait), True)


def quote_new(
    db: sqlite_utils.Database,
    catalog: Catalog,
    service: str,
    day: str,
    priority: bool,
    cache: dict[str, Any] | None = None,
) -> Quote:
    """The figures for a ticket of ``service`` issued now (the kiosk's hot path: a few rows)."""
    live = waiting.open_counters(db)
    reach = ahead.reach(service, None, catalog.counters_by_service(), live)
    serves = catalog.services_by_counter()
    # A ticket issued now is last in its priority class under both policies (ahead_of_new):
    # every waiting ticket of equal or higher priority is ordered before it.
    counts = waiting.waiting_at_least(db, day, ahead.served_at(reach.counters, serves), priority)
    sent = [t for t in waiting.sent_to_counters(db, day) if t.priority >= priority]
    by_service = ahead.ahead_counted(counts, sent, reach.counters, serves)
    return _quote(db, catalog, service, day, reach, by_service, live, cache)


def quote_waiting(
    db: sqlite_utils.Database,
    catalog: Catalog,
    row: dict[str, Any],
    now: float,
    cache: dict[str, Any] | None = None,
) -> Quote:
    """The figures for a ticket row; waiting ones are placed by the call-next policy at ``now``."""
    if row["state"] in ("called", "serving"):
        return CALLED
    if row["state"] != "waiting":
        return CLOSED
    ticket = Waiting(
        row["id"], row["service"], bool(row["priority"]), row["issued_at"], row["target_counter"]
    )
    live = waiting.open_counters(db)
    reach = ahead.reach(ticket.service, ticket.target_counter, catalog.counters_by_service(), live)
    serves = catalog.services_by_counter()
    policy = catalog.center.call_policy
    targets = catalog.target_wait_s()
    services = ahead.served_at(reach.counters, serves)
    if policy == "longest_wait":  # the order does not move with the clock: count it
        mine = order_key(ticket, policy, now, targets)
        sent = [
            t
            for t in waiting.sent_to_counters(db, row["day"])
            if order_key(t, policy, now, targets) < mine
        ]
        counts = waiting.count_before(
            db, row["day"], services, ticket.priority, ticket.issued_at, ticket.id
        )
        by_service = ahead.ahead_counted(counts, sent, reach.counters, serves)
    else:
        candidates = waiting.maybe_ahead(db, row["day"], services, reach.counters, ticket.priority)
        before = ahead.ahead_of(ticket, candidates, reach.counters, serves, policy, now, targets)
        by_service = ahead.by_service(before)
    return _quote(db, catalog, ticket.service, row["day"], reach, by_service, live, cache)


def queue_figures(
    db: sqlite_utils.Database, catalog: Catalog, day: str, cache: dict[str, Any] | None = None
) -> dict[str, dict[str, Any]]:
    """Per active service: who waits for it and what a ticket taken now would be told."""
    live = waiting.open_counters(db)
    counts = waiting.waiting_counts(db, day)
    sent = waiting.sent_to_counters(db, day)
    counters_of = catalog.counters_by_service()
    serves = catalog.services_by_counter()
    figures: dict[str, dict[str, Any]] = {}
    for service in catalog.services.values():
        if not service.active:
            continue
        reach = ahead.reach(service.id, None, counters_of, live)
        by_service = ahead.ahead_of_new(False, counts, sent, reach.counters, serves)
        quote = _quote(db, catalog, service.id, day, reach, by_service, live, cache)
        waiting_here = sum(n for (s, _), n in counts.items() if s == service.id)
        figures[service.id] = {"waiting": waiting_here, **quote.fields()}
    return figures
