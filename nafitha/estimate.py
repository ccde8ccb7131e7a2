"""Estimated waiting time: how long until a ticket is called, from the queue and service times.

Service time per service: the median of the day's most recent service durations (the median shrugs
off a 2-hour outlier), shrunk towards a prior (the service's configured ``service_time_s``) while
the day has few observations: ``(k·prior + n·median) / (k + n)``.

Wait: each ticket ahead of ours (counted by ``server.domain.ahead`` over the counters that can call
ours) adds its service time, weighted by the share of its own counters that also serve ours (a
ticket of a service served by four counters, one of which also serves ours, takes a quarter of
"our" capacity); the total work is divided by the number of our counters that are open. When none
is open the ticket is not callable and the use cases quote no wait at all.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

PRIOR_WEIGHT = 3.0
RECENT = 30
MIN_DURATION_S = 5.0
MAX_DURATION_S = 4 * 3600.0


def service_time(prior_s: float, recent_durations: Sequence[float]) -> float:
    """Expected service duration in seconds from the prior and the most recent durations."""
    usable = [
        min(max(d, MIN_DURATION_S), MAX_DURATION_S) for d in recent_durations[-RECENT:] if d >= 0
    ]
    if not usable:
        return float(prior_s)
    median = statistics.median(usable)
    n = len(usable)
    return (PRIOR_WEIGHT * prior_s + n * median) / (PRIOR_WEIGHT + n)


def wait_seconds(
    service: str,
    ahead_by_service: Mapping[str, int],
    service_time_s: Mapping[str, float],
    counters_of: Mapping[str, frozenset[str]],
    open_counters: frozenset[str],
    ours: frozenset[str] | None = None,
) -> float:
    """Estimated seconds until a ticket of ``service`` is called.

    ``ahead_by_service``: tickets called before ours, per service (``server.domain.ahead``);
    ``counters_of``: the counters configured for each service; ``open_counters``: the counters
    open now; ``ours``: the counters that may call our ticket when not its service's (a ticket
    transferred to one counter). A ticket ahead whose service shares none of our counters can
    only be one sent to one of them: it takes that counter whole; one sharing only closed counters
    with ours takes none of our time.
    """
    ours = counters_of.get(service, frozenset()) if ours is None else ours
    ours_open = ours & open_counters
    mine = ours_open or ours
    capacity = len(mine) or 1
    work = 0.0
    for other, count in ahead_by_service.items():
        if count <= 0:
            continue
        theirs = counters_of.get(other, frozenset())
        theirs_open = (theirs & open_counters) or theirs
        shared = len(theirs_open & mine)
        if other == service or not theirs & mine:
            share = 1.0  # ours, or sent to one of our counters by a transfer
        elif not shared:
            continue  # it shares only closed counters with us
        else:
            share = shared / len(theirs_open)
        work += count * share * service_time_s.get(other, 300.0)
    return work / capacity
