"""A ticket's queue figures: people ahead, estimated wait, its one rounding, callable or not.

The rule (who is ahead, over which counters) is ``server.domain.ahead``; the wait model is
``nafitha.estimate``; the rounding a person reads is ``nafitha.formats.wait_minutes``; the
reads are ``server.store.waiting``. This module joins them, inside the caller's transaction or
snapshot, so the ticket answer, the phone page and the services list all say the same.

Calling profiles (docs/server.md, "Calling profiles"): the tickets of the other kind (priority
or normal) are counted ahead as far as the counters call them first, played forward from their
profiles and their runs of calls today (``ahead.with_profiles``); the order is the counters'
policy when they agree, else the center's.
A counter that only helps with a service adds to its capacity a whole counter while its own queue
is empty and ``ahead.HELP_SHARE`` of one while it is not (``ahead.help_capacity``); when only
helpers are open, the ticket waits through them, their main services' tickets counted ahead.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlite_utils

from nafitha import estimate
from nafitha.formats import wait_minutes
from server.config import CallProfile
from server.domain import ahead
from server.domain.appointment_calling import call_at
from server.domain.call_next import Policy, Waiting, order_key
from server.domain.calling_profile import Run
from server.store import call_runs, waiting

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


def profiles_at(catalog: Catalog, counters: frozenset[str]) -> list[CallProfile]:
    """The calling profile of each of ``counters`` (its own, else the center's)."""
    default = catalog.center.call_profile
    return [
        catalog.counters[c].profile or default for c in sorted(counters) if c in catalog.counters
    ]


def calling_at(
    catalog: Catalog, counters: frozenset[str], runs: Mapping[str, Run]
) -> list[tuple[CallProfile, Run]]:
    """Each of ``counters`` as the estimate plays it forward: its profile and its run today."""
    default = catalog.center.call_profile
    return [
        (catalog.counters[c].profile or default, runs.get(c, Run()))
        for c in sorted(counters)
        if c in catalog.counters
    ]


def policy_at(catalog: Catalog, counters: frozenset[str]) -> Policy:
    """The order the counters call in: theirs when they agree, else the center's default."""
    policies = {p.policy for p in profiles_at(catalog, counters)}
    return policies.pop() if len(policies) == 1 else catalog.center.call_profile.policy


def helpers_of(catalog: Catalog, service: str) -> frozenset[str]:
    """The counters that help with ``service`` (it is not one of their main services)."""
    return frozenset(
        c.id for c in catalog.counters.values() if service in c.helps and service not in c.services
    )


def reach_of(
    catalog: Catalog, service: str, target_counter: str | None, live: frozenset[str]
) -> tuple[ahead.Reach, dict[str, frozenset[str]]]:
    """The counters a ticket waits through, and what each of them serves.

    Its main counters (``ahead.reach``); when none of them is open but a counter helping with its
    service is, those helpers (callable): their main services and the helped one count then.
    """
    serves = catalog.services_by_counter()
    reach = ahead.reach(service, target_counter, catalog.counters_by_service(), live)
    helpers = helpers_of(catalog, service) & live if target_counter is None else frozenset()
    if reach.callable or not helpers:
        return reach, serves
    widened = {**serves, **{h: serves.get(h, ahead.NOTHING) | {service} for h in helpers}}
    return ahead.Reach(helpers, True), widened


def split_counts(
    counts: Mapping[tuple[str, bool], int], priority: bool
) -> tuple[dict[str, int], dict[str, int]]:
    """Waiting counts per service: (of the kind ``priority``, of the other kind)."""
    same: dict[str, int] = {}
    other: dict[str, int] = {}
    for (service, rank), count in counts.items():
        into = same if rank == priority else other
        into[service] = into.get(service, 0) + count
    return same, other


def _other_kind(
    catalog: Catalog,
    priority: bool,
    same: dict[str, int],
    counts: Mapping[tuple[str, bool], int],
    sent: list[Waiting],
    reach: ahead.Reach,
    serves: Mapping[str, frozenset[str]],
    runs: Mapping[str, Run],
) -> dict[str, int]:
    """``same`` (its own kind ahead) with the other kind its counters call first."""
    _, other_counts = split_counts(counts, priority)
    others = [t for t in sent if t.priority != priority]
    other = ahead.ahead_counted(other_counts, others, reach.counters, serves)
    counters = calling_at(catalog, reach.counters, runs)
    return ahead.with_profiles(same, other, counters, priority)


def _ahead_of_new(
    catalog: Catalog,
    priority: bool,
    counts: Mapping[tuple[str, bool], int],
    sent: list[Waiting],
    reach: ahead.Reach,
    serves: Mapping[str, frozenset[str]],
    runs: Mapping[str, Run],
) -> dict[str, int]:
    """Per service, the tickets ahead of one of kind ``priority`` issued now: every waiting one
    of its kind (it is last under both policies), and of the other kind as the profiles say."""
    same_counts, _ = split_counts(counts, priority)
    mine = [t for t in sent if t.priority == priority]
    same = ahead.ahead_counted(same_counts, mine, reach.counters, serves)
    return _other_kind(catalog, priority, same, counts, sent, reach, serves, runs)


def _help_share(
    catalog: Catalog,
    service: str,
    reach: ahead.Reach,
    live: frozenset[str],
    counts: Mapping[tuple[str, bool], int],
    sent: list[Waiting],
) -> float:
    """What the open helping counters add to the capacity of ``service`` (``help_capacity``)."""
    helpers = (helpers_of(catalog, service) & live) - reach.counters
    if not helpers:
        return 0.0
    waiting_for = {s for (s, _), n in counts.items() if n > 0}
    busy = [
        h
        for h in helpers
        if waiting_for & set(catalog.counters[h].services)
        or any(t.target_counter == h for t in sent)
    ]
    return ahead.help_capacity(helpers, busy)


def _quote(
    db: sqlite_utils.Database,
    catalog: Catalog,
    service: str,
    day: str,
    reach: ahead.Reach,
    by_service: dict[str, int],
    open_counters: frozenset[str],
    cache: dict[str, Any] | None,
    helped: float = 0.0,
) -> Quote:
    count = sum(by_service.values())
    if not reach.callable:
        return Quote(count, None, False)
    times = service_times(db, catalog, set(by_service) | {service}, day, cache)
    wait = estimate.wait_seconds(
        service, by_service, times, catalog.counters_by_service(), open_counters, reach.counters
    )
    if helped:  # helping counters take part of the work: their share adds to the capacity
        wait *= len(reach.counters) / (len(reach.counters) + helped)
    return Quote(count, round(wait), True)


def due_counts(
    db: sqlite_utils.Database, day: str, now: float | None
) -> dict[tuple[str, bool], int]:
    """The waiting counts a ticket issued at ``now`` is behind: appointment tickets whose slot
    is later are not (m032). ``now`` None: every waiting ticket, as before appointments."""
    counts = waiting.waiting_counts(db, day)
    later = waiting.appointments_after(db, day, now) if now is not None else {}
    if not later:
        return counts
    return {k: n - later.get(k, 0) for k, n in counts.items() if n - later.get(k, 0) > 0}


def quote_new(
    db: sqlite_utils.Database,
    catalog: Catalog,
    service: str,
    day: str,
    priority: bool,
    cache: dict[str, Any] | None = None,
    now: float | None = None,
) -> Quote:
    """The figures for a ticket of ``service`` issued now (the kiosk's hot path: a few rows);
    with ``now``, appointment tickets whose slot is later are not counted ahead."""
    live = waiting.open_counters(db)
    reach, serves = reach_of(catalog, service, None, live)
    counts = due_counts(db, day, now)
    sent = waiting.sent_to_counters(db, day)
    runs = call_runs.runs_of(db, day)
    by_service = _ahead_of_new(catalog, priority, counts, sent, reach, serves, runs)
    helped = _help_share(catalog, service, reach, live, counts, sent)
    return _quote(db, catalog, service, day, reach, by_service, live, cache, helped)


def quote_waiting(
    db: sqlite_utils.Database,
    catalog: Catalog,
    row: dict[str, Any],
    now: float,
    cache: dict[str, Any] | None = None,
) -> Quote:
    """The figures for a ticket row; waiting ones are placed by the calling profiles at ``now``."""
    if row["state"] in ("called", "serving"):
        return CALLED
    if row["state"] != "waiting":
        return CLOSED
    ticket = Waiting(
        row["id"],
        row["service"],
        bool(row["priority"]),
        row["issued_at"],
        row["target_counter"],
        row.get("appointment_at"),  # an appointment ticket counts from its slot (m032)
    )
    live = waiting.open_counters(db)
    reach, serves = reach_of(catalog, ticket.service, ticket.target_counter, live)
    policy = policy_at(catalog, reach.counters)
    targets = catalog.target_wait_s()
    services = ahead.served_at(reach.counters, serves)
    sent = waiting.sent_to_counters(db, row["day"])
    if policy == "longest_wait":  # the order does not move with the clock: count it
        mine = order_key(ticket, policy, now, targets)
        before = [
            t
            for t in sent
            if t.priority == ticket.priority and order_key(t, policy, now, targets) < mine
        ]
        counts = waiting.count_before(
            db, row["day"], services, ticket.priority, call_at(ticket), ticket.id
        )
        same = ahead.ahead_counted(counts, before, reach.counters, serves)
    else:
        candidates = waiting.maybe_ahead(db, row["day"], services, reach.counters, ticket.priority)
        found = ahead.ahead_of(ticket, candidates, reach.counters, serves, policy, now, targets)
        same = ahead.by_service(found)
    all_counts = waiting.waiting_counts(db, row["day"])
    runs = call_runs.runs_of(db, row["day"])
    by_service = _other_kind(catalog, ticket.priority, same, all_counts, sent, reach, serves, runs)
    helped = 0.0
    if ticket.target_counter is None:
        helped = _help_share(catalog, ticket.service, reach, live, all_counts, sent)
    quote = _quote(db, catalog, ticket.service, row["day"], reach, by_service, live, cache, helped)
    until_slot = (ticket.appointment_at or 0.0) - now  # not called before its slot (m032)
    if quote.estimated_wait_s is not None and quote.estimated_wait_s < until_slot:
        return Quote(quote.people_ahead, round(until_slot), quote.callable)
    return quote


def queue_figures(
    db: sqlite_utils.Database,
    catalog: Catalog,
    day: str,
    cache: dict[str, Any] | None = None,
    now: float | None = None,
) -> dict[str, dict[str, Any]]:
    """Per active service: who waits for it and what a ticket taken now would be told (with
    ``now``, appointment tickets whose slot is later are not ahead of it)."""
    live = waiting.open_counters(db)
    all_counts = waiting.waiting_counts(db, day)
    counts = due_counts(db, day, now)
    sent = waiting.sent_to_counters(db, day)
    runs = call_runs.runs_of(db, day)
    figures: dict[str, dict[str, Any]] = {}
    for service in catalog.services.values():
        if not service.active:
            continue
        reach, serves = reach_of(catalog, service.id, None, live)
        by_service = _ahead_of_new(catalog, False, counts, sent, reach, serves, runs)
        helped = _help_share(catalog, service.id, reach, live, counts, sent)
        quote = _quote(db, catalog, service.id, day, reach, by_service, live, cache, helped)
        waiting_here = sum(n for (s, _), n in all_counts.items() if s == service.id)
        figures[service.id] = {"waiting": waiting_here, **quote.fields()}
    return figures
