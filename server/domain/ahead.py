"""Who is called before a ticket: the people ahead, counted over the counters that can call it.

A ticket's queue is not its service's list: it is every ticket the counters able to call it would
call first. Those counters are the open ones serving its service (or the one counter it was
transferred to); when none is open, the ticket is not *callable* and its people ahead are counted
over the counters configured for it (the queue it will face once one opens).

A waiting ticket is ahead when one of those counters could call it (``call_next.is_candidate``)
and the call-next policy orders it first (``call_next.order_key``): priority, then the earliest
issue time or the largest share of the target wait, then the lower id. So a ticket of service B is
told 2 ahead when two tickets of service A, issued earlier, wait for the one counter serving both.

Calling profiles change this for the other kind of ticket: under ``ratio`` or ``capped`` a normal
ticket is not behind every priority one (nor a priority ticket before every normal one). The
tickets of its own kind are counted as above; of the other kind, as many as its counters call
first, from their profiles and their runs of calls, calling in turn (:func:`other_kind_called`,
:func:`with_profiles`): exact for one counter, and under ``first`` (the rule before profiles).

Time is passed in (``now``: the target-ratio policy moves with it); nothing here reads a clock.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from server.domain import call_turns
from server.domain.call_next import Policy, Waiting, is_candidate, order_key
from server.domain.calling_profile import Profile, Run, kind_due

NOTHING: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Reach:
    """The counters whose calls a ticket waits through, and whether one of them is open now."""

    counters: frozenset[str]
    callable: bool


def reach(
    service: str,
    target_counter: str | None,
    counters_of: Mapping[str, frozenset[str]],
    open_counters: frozenset[str],
) -> Reach:
    """The open counters that can call the ticket, else (not callable) the configured ones."""
    configured = (
        frozenset({target_counter})
        if target_counter is not None
        else counters_of.get(service, NOTHING)
    )
    live = configured & open_counters
    return Reach(live or configured, bool(live))


def served_at(counters: Iterable[str], serves: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """Every service at least one of ``counters`` serves (``serves``: counter -> services)."""
    found: set[str] = set()
    for counter in counters:
        found.update(serves.get(counter, NOTHING))
    return frozenset(found)


def callable_at(
    ticket: Waiting, counters: frozenset[str], serves: Mapping[str, frozenset[str]]
) -> bool:
    """True when one of ``counters`` may call ``ticket`` (its service, or sent to that counter)."""
    return any(is_candidate(ticket, c, serves.get(c, NOTHING)) for c in counters)


def ahead_of(
    ticket: Waiting,
    waiting: Iterable[Waiting],
    counters: frozenset[str],
    serves: Mapping[str, frozenset[str]],
    policy: Policy = "longest_wait",
    now: float = 0.0,
    target_wait_s: Mapping[str, float] | None = None,
) -> list[Waiting]:
    """The waiting tickets ``counters`` would call before ``ticket``, by the call-next policy."""
    targets = target_wait_s or {}
    mine = order_key(ticket, policy, now, targets)
    return [
        other
        for other in waiting
        if other.id != ticket.id
        and callable_at(other, counters, serves)
        and order_key(other, policy, now, targets) < mine
    ]


def by_service(tickets: Iterable[Waiting]) -> dict[str, int]:
    """How many of ``tickets`` are of each service (what the wait estimate weighs)."""
    return dict(Tally(t.service for t in tickets))


def ahead_counted(
    counts: Mapping[str, int],
    sent: Iterable[Waiting],
    counters: frozenset[str],
    serves: Mapping[str, frozenset[str]],
) -> dict[str, int]:
    """Per service, the tickets ahead, from counts rather than every ticket.

    ``counts``: per service, the waiting tickets the policy orders before ours, those transferred
    to a counter included; ``sent``: those of them transferred to a counter (``target_counter``
    set). A ticket counted by its service is ahead when ``counters`` serve that service, unless
    it was sent to a counter not among them; a sent one is ahead when sent to one of them.
    """
    services = served_at(counters, serves)
    ahead = {s: n for s, n in counts.items() if n > 0 and s in services}
    for ticket in sent:
        if ticket.target_counter is None:
            continue
        here = ticket.target_counter in counters
        if ticket.service in services and not here:
            # counted by its service, but only the counter it was sent to calls it
            ahead[ticket.service] = ahead.get(ticket.service, 0) - 1
        elif here and ticket.service not in services:
            ahead[ticket.service] = ahead.get(ticket.service, 0) + 1
    return {service: count for service, count in ahead.items() if count > 0}


def ahead_of_new(
    priority: bool,
    waiting_counts: Mapping[tuple[str, bool], int],
    sent: Iterable[Waiting],
    counters: frozenset[str],
    serves: Mapping[str, frozenset[str]],
) -> dict[str, int]:
    """Per service, the tickets ahead of one issued now: :func:`ahead_counted` over the counts.

    ``waiting_counts``: waiting tickets per (service, priority); ``sent``: the waiting tickets
    transferred to a counter. A ticket issued now is last in its priority class under both
    policies (the latest issue time, a target ratio of 0, the highest id), so every waiting
    ticket of equal or higher priority is ordered before it: the same answer as :func:`ahead_of`,
    in a few additions.
    """
    before: dict[str, int] = {}
    for (service, rank), count in waiting_counts.items():
        if rank >= priority:
            before[service] = before.get(service, 0) + count
    return ahead_counted(before, [t for t in sent if t.priority >= priority], counters, serves)


# Calling profiles (server/domain/calling_profile.py): the other kind is not always all ahead.

HELP_SHARE = 0.25  # a helping counter busy with its own queue, as a share of a counter


def other_kind_called(
    counters: Sequence[tuple[Profile, Run]], priority: bool, same_ahead: int, other: int
) -> int:
    """How many of the ``other`` waiting tickets of the other kind the counters call before a
    ticket of kind ``priority`` with ``same_ahead`` of its own kind before it.

    The counters (each its profile and its run of calls today) are taken to call in turn, each
    by its profile's kind rule (``calling_profile.kind_due``), until the ticket's turn: exact for
    one counter whose pool holds these tickets, arrivals aside; under ``first`` every priority
    ticket before a normal one and no normal one before a priority one, whatever the counters.
    With no counter, all of them (the rule before profiles). Whole rounds while both kinds wait
    are counted in closed form (``call_turns``), so this costs a few sums, not a call per ticket.
    """
    if other <= 0 or not counters:
        return max(other, 0)
    mine_total, size = same_ahead + 1, len(counters)

    def after(rounds: int) -> tuple[int, int]:  # (of its kind, of the other) called in them
        called = sum(call_turns.priority_calls(p, r, rounds) for p, r in counters)
        return (called, rounds * size - called) if priority else (rounds * size - called, called)

    low, high = 0, (mine_total + other) // size + 1  # both still wait after ``low`` rounds
    while low < high:
        middle = (low + high + 1) // 2
        mine, theirs = after(middle)
        if mine < mine_total and theirs < other:
            low = middle
        else:
            high = middle - 1
    mine_called, taken = after(low)
    mine, theirs = mine_total - mine_called, other - taken
    runs = [call_turns.run_after(p, r, low) for p, r in counters]
    turn = 0
    while theirs > 0:  # then at most a round or so: play it call by call
        index = turn % size
        called_priority = kind_due(counters[index][0], runs[index], True, True) == "priority"
        if called_priority == priority:
            mine -= 1
            if mine == 0:
                return taken
        else:
            theirs -= 1
            taken += 1
        runs[index] = runs[index].after(called_priority)
        turn += 1
    return taken  # the other kind ran out: only its own kind is left before it


def take(counts: Mapping[str, int], allowed: int | None) -> dict[str, int]:
    """``allowed`` of the tickets ``counts`` counts (all when None or enough), spread over their
    services in proportion (largest remainders, then by service id)."""
    total = sum(n for n in counts.values() if n > 0)
    if allowed is None or allowed >= total:
        return {s: n for s, n in counts.items() if n > 0}
    if allowed <= 0:
        return {}
    shares = {s: n * allowed / total for s, n in counts.items() if n > 0}
    taken = {s: int(share) for s, share in shares.items()}
    left = allowed - sum(taken.values())
    for s in sorted(shares, key=lambda s: (-(shares[s] - taken[s]), s))[:left]:
        taken[s] += 1
    return {s: n for s, n in taken.items() if n > 0}


def with_profiles(
    same: Mapping[str, int],
    other: Mapping[str, int],
    counters: Sequence[tuple[Profile, Run]],
    priority: bool,
) -> dict[str, int]:
    """Per service, the tickets ahead: those of the ticket's kind the order puts first
    (``same``), and as many of the other kind (``other``: all that wait) as the counters call
    first (:func:`other_kind_called`)."""
    waiting = sum(n for n in other.values() if n > 0)
    called = other_kind_called(counters, priority, sum(same.values()), waiting)
    ahead = dict(same)
    for service, count in take(other, called).items():
        ahead[service] = ahead.get(service, 0) + count
    return {s: n for s, n in ahead.items() if n > 0}


def help_capacity(helpers: Iterable[str], busy: Iterable[str]) -> float:
    """What the open counters that only help with a service add to its capacity: a whole
    counter for each whose own queue is empty (it helps at once), ``HELP_SHARE`` for each
    ``busy`` one (it helps between its own tickets, or past target)."""
    busy_set = frozenset(busy)
    return sum(HELP_SHARE if h in busy_set else 1.0 for h in helpers)
