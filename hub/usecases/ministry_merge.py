"""A long period's figures merged from the day aggregates (migration 7) instead of every ticket.

Counts, sums, means, the quote error and the service level are exact (a target of whole
minutes is met by exactly the waits in the rounded-up minute buckets up to it); the median and
the 90th percentile come from the 2 % buckets, as the center's own dashboard does for long
periods (:mod:`nafitha.stats`): within about 1 %. The report says ``approximate`` then.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from nafitha.stats import histogram_percentile

Key = tuple[str, int, str | None, str | None]  # (period, level, center, service) as period_rows
_SUMS = ("tickets", "served", "no_shows", "cancelled", "called", "wait_sum", "quoted",
         "quoted_sum", "quote_error_sum")  # fmt: skip


def span_keys(first: date, last: date) -> list[str]:
    """Days ``first..last`` as the aggregates' keys: each whole calendar month as ``YYYY-MM``,
    the days around them as ``YYYY-MM-DD``."""
    out: list[str] = []
    day = first
    while day <= last:
        month_end = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if day.day == 1 and month_end <= last:
            out.append(day.isoformat()[:7])
            day = month_end + timedelta(days=1)
        else:
            out.append(day.isoformat())
            day += timedelta(days=1)
    return out


def _levels(period: str, center: str, service: str) -> list[Key]:
    """The service's own row, its center's (level 1) and all centers' (level 3)."""
    return [(period, 0, center, service), (period, 1, center, None), (period, 3, None, None)]


def merged_rows(
    totals: Iterable[Mapping[str, Any]],
    waits: Iterable[tuple[str, str, str, int, int, int]],
    targets: Mapping[tuple[str, str], float],
) -> dict[Key, dict[str, Any]]:
    """Rows shaped as :func:`hub.store.figures.period_rows`'s, keyed as its index."""
    sums: dict[Key, dict[str, float]] = {}
    for row in totals:
        for key in _levels(row["period"], row["center"], row["service"]):
            into = sums.setdefault(key, dict.fromkeys(_SUMS, 0))
            for name in _SUMS:
                into[name] += row[name] or 0
    # Per service first (one dict update per row), then each histogram merged into its
    # center's and all centers': a year of three centers is ~26,000 rows here.
    hist: dict[Key, dict[int, int]] = {}
    within: dict[Key, list[int]] = {}  # [met, with a target]
    for period, center, service, kind, bucket, count in waits:
        key = (period, 0, center, service)
        if kind == 0:
            into = hist.get(key)
            if into is None:
                into = hist[key] = {}
            into[bucket] = into.get(bucket, 0) + count
        else:
            target = targets.get((center, service))
            if target is None:
                continue
            met = within.get(key)
            if met is None:
                met = within[key] = [0, 0]
            met[1] += count
            if bucket <= math.floor(target / 60.0 + 1e-9):
                met[0] += count
    for table in (hist, within):
        for (period, _, center, service), value in list(table.items()):
            for key in _levels(period, center, service)[1:]:
                if isinstance(value, dict):
                    into = hist.setdefault(key, {})
                    for bucket, count in value.items():
                        into[bucket] = into.get(bucket, 0) + count
                else:
                    met = within.setdefault(key, [0, 0])
                    met[0] += value[0]
                    met[1] += value[1]
    out: dict[Key, dict[str, Any]] = {}
    for key, total in sums.items():
        called, quoted = int(total["called"]), int(total["quoted"])
        spread = hist.get(key, {})
        met = within.get(key, [0, 0])
        out[key] = {
            "tickets": int(total["tickets"]), "served": int(total["served"]),
            "no_shows": int(total["no_shows"]), "cancelled": int(total["cancelled"]),
            "called": called,
            "wait_mean": total["wait_sum"] / called if called else None,
            "wait_median": histogram_percentile(spread, 0.5) if called else None,
            "wait_p90": histogram_percentile(spread, 0.9) if called else None,
            "within": met[0], "with_target": met[1],
            "quote_error_mean": total["quote_error_sum"] / quoted if quoted else None,
            "quoted_mean": total["quoted_sum"] / quoted if quoted else None,
        }  # fmt: skip
    return out
