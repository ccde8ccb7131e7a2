"""What the ratings say: the managers' satisfaction figures and CSV, and a clerk's own averages.

Satisfaction is grouped as the queue figures are (``server/usecases/stats.py``): by the visit's
service, counter and clerk (where it ended), and by the hour the ticket was taken, so each row
stands beside the same group's wait and service time. Comments are read only here, by managers;
a clerk sees their own averages and nothing else (docs/ratings.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from server.domain import ratings as rules
from server.domain.errors import Refusal
from server.domain.hours import iso, local_day
from server.domain.roles import Can, require
from server.store import ratings as store
from server.usecases import stats as stats_uc
from server.usecases.catalog import load_catalog
from server.usecases.context import Actor, Context

GROUPS = ("service", "counter", "clerk", "hour")
COMMENTS_SHOWN = 500  # the newest comments of the period on the dashboard (the CSV has all)


def _key(row: dict[str, Any], group: str, hour_of: stats_uc.LocalHour) -> Any:
    return hour_of(row["issued_at"]) if group == "hour" else row[group]


def figures(
    ctx: Context, actor: Actor, date_from: str, date_to: str, by: str | None = None
) -> dict[str, Any]:
    """Satisfaction overall and per group, beside wait and service time, and the comments."""
    require(actor, Can.VIEW_RATINGS)
    first, last = stats_uc.parse_period(date_from, date_to)
    catalog = load_catalog(ctx)
    tz = catalog.center.timezone
    hour_of = stats_uc.LocalHour(tz)
    with ctx.db.snapshot() as db:
        rows = store.rating_rows(db, first.isoformat(), last.isoformat())
    report, exact = stats_uc._report(ctx, catalog, first, last, hour_of)
    queue = report.as_dict()
    overall = rules.satisfaction((r["stars"], bool(r["comment"])) for r in rows)
    groups: dict[str, list[dict[str, Any]]] = {}
    for group in (by,) if by else GROUPS:
        found: dict[Any, rules.Satisfaction] = {}
        for row in rows:
            key = _key(row, group, hour_of)
            found.setdefault(key, rules.Satisfaction()).add(row["stars"], bool(row["comment"]))
        times = {item["key"]: item for item in queue[group]}  # type: ignore[union-attr]
        keys = sorted({k for k in found if k is not None} | {k for k in times if k is not None})
        groups[group] = [
            {
                "key": key,
                **found.get(key, rules.Satisfaction()).as_dict(),
                **_times(times.get(key)),
            }
            for key in keys
        ]
    comments = [r for r in rows if r["comment"]][::-1]
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "exact": exact,
        "overall": {**overall.as_dict(), **_times(queue["overall"])},
        "groups": groups,
        "comments_total": len(comments),
        "comments": [_comment(r, tz, hour_of) for r in comments[:COMMENTS_SHOWN]],
        "names": stats_uc._names(catalog),
    }


def _times(summary: Any) -> dict[str, Any]:
    """The queue's figures of a group: tickets, served, wait and service time."""
    if not summary:
        return {"tickets": 0, "served": 0, "wait": None, "service_time": None}
    return {
        "tickets": summary["tickets"],
        "served": summary["served"],
        "wait": summary["wait"],
        "service_time": summary["service"],
    }


def _comment(row: dict[str, Any], tz: str, hour_of: stats_uc.LocalHour) -> dict[str, Any]:
    return {
        "number": row["number"],
        "day": row["day"],
        "at": iso(row["at"], tz),
        "stars": row["stars"],
        "lang": row["lang"],
        "service": row["service"],
        "counter": row["counter"],
        "clerk": row["clerk"],
        "hour": hour_of(row["issued_at"]),
        "comment": row["comment"],
    }


CSV_COLUMNS = (
    "day", "number", "service", "counter", "clerk", "stars", "lang", "source", "rated_at",
    "finished_at", "comment",
)  # fmt: skip


def ratings_csv(ctx: Context, actor: Actor, date_from: str, date_to: str) -> Iterator[str]:
    """The period's ratings as CSV; every text cell guarded against formula injection."""
    require(actor, Can.VIEW_RATINGS)
    first, last = stats_uc.parse_period(date_from, date_to)
    tz = load_catalog(ctx).center.timezone
    with ctx.db.snapshot() as db:
        rows = store.rating_rows(db, first.isoformat(), last.isoformat())

    def lines() -> Iterator[list[Any]]:
        yield list(CSV_COLUMNS)
        for r in rows:
            cells = [
                r["day"], r["number"], r["service"], r["counter"], r["clerk"], r["stars"],
                r["lang"], r["source"], iso(r["at"], tz), iso(r["finished_at"], tz), r["comment"],
            ]  # fmt: skip
            yield [rules.csv_cell(cell) for cell in cells]

    return stats_uc._csv_chunks(lines())


def my_ratings(ctx: Context, actor: Actor) -> dict[str, Any]:
    """The signed-in person's own averages: today, the last 7 days and the last 30 (center days,
    today included)."""
    require(actor, Can.VIEW_OWN_RATINGS)
    if actor.person is None:
        raise Refusal("forbidden")
    today = date.fromisoformat(local_day(ctx.now(), load_catalog(ctx).center.timezone))
    since = {"today": today, "week": today - timedelta(days=6), "month": today - timedelta(days=29)}
    with ctx.db.snapshot() as db:
        rows = store.clerk_stars(db, actor.person, since["month"].isoformat(), today.isoformat())
    out: dict[str, Any] = {"clerk": actor.person, "day": today.isoformat()}
    for name, first in since.items():
        found = rules.satisfaction(
            (stars, False) for stars, day in rows if day >= first.isoformat()
        )
        out[name] = {"count": found.count, "mean": found.mean, "satisfied": found.satisfied_share}
    return out
