"""The manager's figures from finished history: waiting and service times, service levels, groups.

Pure functions over plain values; no clock, no database. Definitions (the dashboard and its tests
share them, and ``docs/web.md`` states them for managers):

- *wait*: from issue to the first call, for every ticket that was called (served or not);
- *service time*: from the start of service (or the call, if the clerk never pressed "start") to the
  finish, for tickets served to the end;
- *within target*: the share of called tickets whose wait was at most their service's target;
- *quoted against actual*: the estimate printed on the ticket against the wait that followed;
- percentiles interpolate linearly between the two nearest ranks (numpy's default), so the median
  of an even count is the mean of the middle two.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

DONE = "done"
NO_SHOW = "no_show"
CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class TicketFacts:
    """What the figures need of one ticket; times are seconds since the epoch."""

    service: str
    counter: str | None
    clerk: str | None
    hour: int  # the local hour of day the ticket was issued in
    status: str
    issued_at: float
    called_at: float | None = None
    started_at: float | None = None
    finished_at: float | None = None
    quoted_wait_s: float | None = None

    @property
    def wait_s(self) -> float | None:
        return None if self.called_at is None else max(0.0, self.called_at - self.issued_at)

    @property
    def service_s(self) -> float | None:
        if self.status != DONE or self.finished_at is None:
            return None
        start = self.started_at if self.started_at is not None else self.called_at
        return None if start is None else max(0.0, self.finished_at - start)


def percentile(ordered: Sequence[float], q: float) -> float | None:
    """The ``q`` quantile (0..1) of already sorted values; None when there are none."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Spread:
    """Mean, median and 90th percentile of a set of durations (seconds), and how many."""

    count: int
    mean: float | None
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, values: Iterable[float]) -> Spread:
        ordered = sorted(values)
        if not ordered:
            return cls(0, None, None, None)
        return cls(
            len(ordered),
            sum(ordered) / len(ordered),
            percentile(ordered, 0.5),
            percentile(ordered, 0.9),
        )


@dataclass(frozen=True)
class Summary:
    """The figures of one group of tickets."""

    tickets: int
    served: int
    no_shows: int
    cancelled: int
    wait: Spread
    service: Spread
    within_target: float | None  # share 0..1 of called tickets waiting at most the target
    quoted_mean_s: float | None  # mean estimate printed, over called tickets that had one
    actual_mean_s: float | None  # mean actual wait over those same tickets
    quote_error_mean_s: float | None  # mean |actual - quoted| over those same tickets

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def summarize(facts: Iterable[TicketFacts], target_s: Mapping[str, float]) -> Summary:
    """The figures of these tickets; ``target_s`` is each service's target wait in seconds."""
    tickets = served = no_shows = cancelled = 0
    waits: list[float] = []
    services: list[float] = []
    within = 0
    quoted: list[tuple[float, float]] = []
    for fact in facts:
        tickets += 1
        if fact.status == DONE:
            served += 1
        elif fact.status == NO_SHOW:
            no_shows += 1
        elif fact.status == CANCELLED:
            cancelled += 1
        wait = fact.wait_s
        if wait is not None:
            waits.append(wait)
            target = target_s.get(fact.service)
            if target is not None and wait <= target:
                within += 1
            if fact.quoted_wait_s is not None:
                quoted.append((fact.quoted_wait_s, wait))
        service = fact.service_s
        if service is not None:
            services.append(service)
    return Summary(
        tickets=tickets,
        served=served,
        no_shows=no_shows,
        cancelled=cancelled,
        wait=Spread.of(waits),
        service=Spread.of(services),
        within_target=within / len(waits) if waits else None,
        quoted_mean_s=sum(q for q, _ in quoted) / len(quoted) if quoted else None,
        actual_mean_s=sum(a for _, a in quoted) / len(quoted) if quoted else None,
        quote_error_mean_s=sum(abs(a - q) for q, a in quoted) / len(quoted) if quoted else None,
    )


def group_summaries(
    facts: Sequence[TicketFacts],
    key: Callable[[TicketFacts], Hashable],
    target_s: Mapping[str, float],
) -> dict[Hashable, Summary]:
    """One summary per value of ``key`` (tickets whose key is None are left out)."""
    groups: dict[Hashable, list[TicketFacts]] = {}
    for fact in facts:
        value = key(fact)
        if value is not None:
            groups.setdefault(value, []).append(fact)
    return {value: summarize(members, target_s) for value, members in sorted(groups.items())}


GROUPINGS: dict[str, Callable[[TicketFacts], Hashable]] = {
    "service": lambda f: f.service,
    "counter": lambda f: f.counter,
    "clerk": lambda f: f.clerk,
    "hour": lambda f: f.hour,
}


@dataclass(frozen=True)
class Report:
    """A period's figures: overall and per service, counter, clerk and hour of the day."""

    overall: Summary
    groups: dict[str, dict[Hashable, Summary]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "overall": self.overall.as_dict(),
            **{
                name: [{"key": key, **summary.as_dict()} for key, summary in members.items()]
                for name, members in self.groups.items()
            },
        }


def report(facts: Sequence[TicketFacts], target_s: Mapping[str, float]) -> Report:
    return Report(
        overall=summarize(facts, target_s),
        groups={name: group_summaries(facts, key, target_s) for name, key in GROUPINGS.items()},
    )


def change(current: float | None, previous: float | None) -> float | None:
    """Relative change from the previous period (0.25 = 25 % more); None when not comparable."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / previous


def compare(current: Summary, previous: Summary) -> dict[str, float | None]:
    """This period against the previous one, figure by figure."""
    return {
        "tickets": change(current.tickets, previous.tickets),
        "served": change(current.served, previous.served),
        "no_shows": change(current.no_shows, previous.no_shows),
        "wait_mean": change(current.wait.mean, previous.wait.mean),
        "wait_p90": change(current.wait.p90, previous.wait.p90),
        "service_mean": change(current.service.mean, previous.service.mean),
        "within_target": change(current.within_target, previous.within_target),
    }
