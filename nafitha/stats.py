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
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

DONE = "done"
NO_SHOW = "no_show"
CANCELLED = "cancelled"


def wait_s(issued_at: float, called_at: float | None) -> float | None:
    """A ticket's wait: issue to first call; None if it was never called."""
    return None if called_at is None else max(0.0, called_at - issued_at)


def service_s(
    state: str, called_at: float | None, started_at: float | None, finished_at: float | None
) -> float | None:
    """A ticket's service time: start (or call, if never started) to finish; None unless served."""
    if state != DONE or finished_at is None:
        return None
    start = started_at if started_at is not None else called_at
    return None if start is None else max(0.0, finished_at - start)


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
        return wait_s(self.issued_at, self.called_at)

    @property
    def service_s(self) -> float | None:
        return service_s(self.status, self.called_at, self.started_at, self.finished_at)


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


# ---------------------------------------------------------------------------------------------
# Day aggregates: what a long period's figures are merged from. Counts, sums and shares merge
# exactly; percentiles come from histograms of durations in buckets 2 % wide (a bucket's value is
# its geometric middle), so a percentile over months is within about 1 % of the exact one.

BUCKET_RATIO = 1.02
_LOG_RATIO = math.log(BUCKET_RATIO)


def bucket_of(seconds: float) -> int:
    """Bucket 0 holds durations under a second; bucket b >= 1 holds [r^(b-1), r^b)."""
    return 0 if seconds < 1 else 1 + int(math.log(seconds) / _LOG_RATIO)


def bucket_value(bucket: int) -> float:
    return 0.5 if bucket == 0 else BUCKET_RATIO ** (bucket - 0.5)


def histogram_percentile(hist: Mapping[int, int] | Mapping[str, int], q: float) -> float | None:
    """The ``q`` quantile of the counted durations (interpolated as :func:`percentile`)."""
    total = sum(hist.values())
    if total == 0:
        return None
    position = (total - 1) * q
    low_rank = math.floor(position)
    high_rank = min(low_rank + 1, total - 1)
    low = high = None
    seen = 0
    for bucket in sorted(hist, key=int):
        seen += hist[bucket]  # type: ignore[index]
        if low is None and seen > low_rank:
            low = bucket_value(int(bucket))
        if seen > high_rank:
            high = bucket_value(int(bucket))
            break
    assert low is not None and high is not None
    return low + (high - low) * (position - low_rank)


@dataclass
class Aggregate:
    """Additive figures of a group of tickets (one day, one service, ...)."""

    tickets: int = 0
    served: int = 0
    no_shows: int = 0
    cancelled: int = 0
    wait_n: int = 0
    wait_sum: float = 0.0
    service_n: int = 0
    service_sum: float = 0.0
    within: int = 0
    quoted_n: int = 0
    quoted_sum: float = 0.0
    actual_sum: float = 0.0
    quote_error_sum: float = 0.0
    # bucket (as text, the way JSON keeps it) -> count
    wait_hist: dict[str, int] = field(default_factory=dict)
    service_hist: dict[str, int] = field(default_factory=dict)

    def add(self, fact: TicketFacts, target_s: Mapping[str, float]) -> None:
        self.tickets += 1
        if fact.status == DONE:
            self.served += 1
        elif fact.status == NO_SHOW:
            self.no_shows += 1
        elif fact.status == CANCELLED:
            self.cancelled += 1
        wait = fact.wait_s
        if wait is not None:
            self.wait_n += 1
            self.wait_sum += wait
            b = str(bucket_of(wait))
            self.wait_hist[b] = self.wait_hist.get(b, 0) + 1
            target = target_s.get(fact.service)
            if target is not None and wait <= target:
                self.within += 1
            if fact.quoted_wait_s is not None:
                self.quoted_n += 1
                self.quoted_sum += fact.quoted_wait_s
                self.actual_sum += wait
                self.quote_error_sum += abs(wait - fact.quoted_wait_s)
        service = fact.service_s
        if service is not None:
            self.service_n += 1
            self.service_sum += service
            b = str(bucket_of(service))
            self.service_hist[b] = self.service_hist.get(b, 0) + 1

    def merge(self, other: Aggregate) -> None:
        for name in (
            "tickets", "served", "no_shows", "cancelled", "wait_n", "wait_sum", "service_n",
            "service_sum", "within", "quoted_n", "quoted_sum", "actual_sum", "quote_error_sum",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for mine, theirs in (
            (self.wait_hist, other.wait_hist),
            (self.service_hist, other.service_hist),
        ):
            get = mine.get
            for bucket, count in theirs.items():
                mine[bucket] = get(bucket, 0) + count

    def summary(self) -> Summary:
        def spread(n: int, total: float, hist: Mapping[str, int]) -> Spread:
            if n == 0:
                return Spread(0, None, None, None)
            return Spread(
                n, total / n, histogram_percentile(hist, 0.5), histogram_percentile(hist, 0.9)
            )

        q = self.quoted_n
        return Summary(
            tickets=self.tickets,
            served=self.served,
            no_shows=self.no_shows,
            cancelled=self.cancelled,
            wait=spread(self.wait_n, self.wait_sum, self.wait_hist),
            service=spread(self.service_n, self.service_sum, self.service_hist),
            within_target=self.within / self.wait_n if self.wait_n else None,
            quoted_mean_s=self.quoted_sum / q if q else None,
            actual_mean_s=self.actual_sum / q if q else None,
            quote_error_mean_s=self.quote_error_sum / q if q else None,
        )

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Aggregate:
        return cls(**data)  # type: ignore[arg-type]


OVERALL = ("all", "")


def aggregate_groups(
    facts: Iterable[TicketFacts], target_s: Mapping[str, float]
) -> dict[tuple[str, Hashable], Aggregate]:
    """One aggregate for all the tickets (key ``OVERALL``) and one per value of each grouping."""
    groups: dict[tuple[str, Hashable], Aggregate] = {OVERALL: Aggregate()}
    for fact in facts:
        groups[OVERALL].add(fact, target_s)
        for name, key in GROUPINGS.items():
            value = key(fact)
            if value is None:
                continue
            group = groups.get((name, value))
            if group is None:
                group = groups[(name, value)] = Aggregate()
            group.add(fact, target_s)
    return groups


def report_from_aggregates(groups: Mapping[tuple[str, Hashable], Aggregate]) -> Report:
    members: dict[str, dict[Hashable, Summary]] = {name: {} for name in GROUPINGS}
    for name, key in sorted(
        groups, key=lambda k: (k[0], str(k[1]) if k[0] != "hour" else f"{k[1]:02d}")
    ):
        if (name, key) != OVERALL:
            members[name][key] = groups[(name, key)].summary()
    overall = groups.get(OVERALL, Aggregate()).summary()
    return Report(overall=overall, groups=members)


# ---------------------------------------------------------------------------------------------
# The exact figures of many tickets at once, column by column: one pass over plain row tuples
# (service, counter, clerk, state, issued_at, called_at, started_at, finished_at, quoted_wait_s),
# each row feeding its five groups, then one sort per group. Same definitions as summarize().


Item = tuple[str, "float | None", "float | None", bool, "float | None"]
# (state, wait, service time, waited within target, quoted wait) of one ticket


def _summary_of(items: Sequence[Item]) -> Summary:
    """The :class:`Summary` of prepared items: a few passes in comprehensions, no per-row calls."""
    states = Counter(item[0] for item in items)
    waits = [item[1] for item in items if item[1] is not None]
    quoted = [(item[4], item[1]) for item in items if item[1] is not None and item[4] is not None]
    q = len(quoted)
    return Summary(
        tickets=len(items),
        served=states[DONE],
        no_shows=states[NO_SHOW],
        cancelled=states[CANCELLED],
        wait=Spread.of(waits),
        service=Spread.of(item[2] for item in items if item[2] is not None),
        within_target=sum(1 for item in items if item[3]) / len(waits) if waits else None,
        quoted_mean_s=sum(x for x, _ in quoted) / q if q else None,
        actual_mean_s=sum(a for _, a in quoted) / q if q else None,
        quote_error_mean_s=sum(abs(a - x) for x, a in quoted) / q if q else None,
    )


def report_from_rows(
    rows: Iterable[tuple], target_s: Mapping[str, float], hour_of: Callable[[float], int],
    overall_only: bool = False,
) -> Report:  # fmt: skip
    """The exact :class:`Report` of these ticket rows (``hour_of``: local hour of a timestamp)."""
    everything: list[Item] = []
    groups: dict[str, dict[Hashable, list[Item]]] = {name: {} for name in GROUPINGS}
    by_service, by_counter = groups["service"], groups["counter"]
    by_clerk, by_hour = groups["clerk"], groups["hour"]
    for service, counter, clerk, state, issued, called, started, finished, quoted in rows:
        wait = wait_s(issued, called)
        served = service_s(state, called, started, finished)
        target = target_s.get(service)
        item = (state, wait, served, wait is not None and target is not None and wait <= target,
                quoted)  # fmt: skip
        everything.append(item)
        if overall_only:
            continue
        for table, key in (
            (by_service, service), (by_counter, counter), (by_clerk, clerk),
            (by_hour, hour_of(issued)),
        ):  # fmt: skip
            if key is not None:
                members = table.get(key)
                if members is None:
                    table[key] = [item]
                else:
                    members.append(item)
    return Report(
        overall=_summary_of(everything),
        groups={
            name: {key: _summary_of(items) for key, items in sorted(members.items())}
            for name, members in groups.items()
        },
    )
