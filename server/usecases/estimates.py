"""Reading what the wait estimate needs from the store, inside the caller's transaction."""

from __future__ import annotations

import time
from typing import Any

import sqlite_utils

from server.domain import estimate
from server.usecases.catalog import Catalog


def open_counters(db: sqlite_utils.Database) -> frozenset[str]:
    return frozenset(r[0] for r in db.execute("SELECT id FROM counters WHERE status = 'open'"))


def competing_services(catalog: Catalog, service: str) -> set[str]:
    """The services that share at least one counter with ``service`` (itself included)."""
    return set(catalog.competing(service))


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
        durations = [
            r[0]
            for r in db.execute(
                "SELECT finished_at - called_at FROM tickets WHERE service = ? AND day = ?"
                " AND state = 'done' AND called_at IS NOT NULL"
                " ORDER BY finished_at DESC LIMIT ?",
                [name, day, estimate.RECENT],
            )
        ]
        durations.reverse()
        prior = catalog.services[name].service_time_s if name in catalog.services else 300
        times[name] = estimate.service_time(prior, durations)
        if cache is not None:
            cache[key] = (now, times[name])
    return times


def ahead_by_service(
    db: sqlite_utils.Database,
    services: set[str],
    day: str,
    priority: bool,
    issued_at: float | None = None,
    ticket_id: int | None = None,
) -> dict[str, int]:
    """Waiting tickets of ``services`` called before a ticket with this priority and issue time.

    With ``issued_at`` None: before a ticket issued now, i.e. every waiting ticket of equal or
    higher priority, read from ``waiting_counts`` (kept by triggers, m004) rather than counted.
    Tickets transferred to one counter are counted too (rare).
    """
    marks = ",".join("?" * len(services))
    if issued_at is None:
        rows = db.execute(
            f"SELECT service, sum(waiting) FROM waiting_counts WHERE day = ?"
            f" AND service IN ({marks}) AND priority >= ? GROUP BY service",
            [day, *services, int(priority)],
        )
        return {r[0]: r[1] for r in rows if r[1]}
    sql = (
        f"SELECT service, count(*) FROM tickets WHERE state = 'waiting' AND day = ?"
        f" AND service IN ({marks})"
        " AND (priority > ? OR (priority = ? AND (issued_at < ? OR (issued_at = ? AND id < ?))))"
        " GROUP BY service"
    )
    params = [day, *services, int(priority), int(priority), issued_at, issued_at, ticket_id or 0]
    return {r[0]: r[1] for r in db.execute(sql, params)}


def quote(
    db: sqlite_utils.Database,
    catalog: Catalog,
    service: str,
    day: str,
    priority: bool,
    issued_at: float | None = None,
    ticket_id: int | None = None,
    cache: dict[str, Any] | None = None,
) -> tuple[int, float]:
    """(people ahead in the same service, estimated seconds until called)."""
    services = competing_services(catalog, service)
    ahead = ahead_by_service(db, services, day, priority, issued_at, ticket_id)
    times = service_times(db, catalog, {s for s in ahead if ahead[s]} | {service}, day, cache)
    wait = estimate.wait_seconds(
        service, ahead, times, catalog.counters_by_service(), open_counters(db)
    )
    return ahead.get(service, 0), round(wait)
