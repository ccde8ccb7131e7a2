"""The manager's figures for a period of days, against the period just before it; CSV of tickets.

The rows and the kept aggregates come from :mod:`server.store.stats` (the ``tickets_stats``
covering index, migration 020, for the days asked); the figures themselves are computed by
:mod:`nafitha.stats`. Days are the center's calendar days, the same
``day`` the ticket numbering uses.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Hashable, Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlite_utils

from nafitha import stats
from server.domain.errors import Refusal
from server.domain.files import printed
from server.domain.hours import local_day
from server.domain.roles import Can, require
from server.store import stats as store
from server.usecases.catalog import Catalog, load_catalog
from server.usecases.context import Actor, Context
from server.usecases.ticket_view import iso
from server.usecases.visit_steps import keep_resolution_days, with_resolution

MAX_DAYS = 731
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)  # and the period before stays a date


def check_manager(actor: Actor) -> None:
    require(actor, Can.VIEW_STATS)


def parse_period(date_from: str, date_to: str) -> tuple[date, date]:
    """Two ISO days, first not after last, at most two years apart; else ``bad_period``."""
    try:
        first, last = date.fromisoformat(date_from), date.fromisoformat(date_to)
    except (TypeError, ValueError):
        raise Refusal("bad_period") from None
    if first > last or (last - first).days >= MAX_DAYS or first < EARLIEST or last > LATEST:
        raise Refusal("bad_period")
    return first, last


class LocalHour:
    """The center's local hour of a timestamp, fast: offsets cached per UTC hour."""

    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)
        self._offsets: dict[int, int] = {}

    def __call__(self, ts: float) -> int:
        bucket = int(ts // 3600)
        offset = self._offsets.get(bucket)
        if offset is None:
            moment = datetime.fromtimestamp(bucket * 3600, self.zone)
            offset = int(moment.utcoffset().total_seconds())  # type: ignore[union-attr]
            self._offsets[bucket] = offset
        return int(((ts + offset) % 86400) // 3600)


def read_facts(
    db: sqlite_utils.Database, first: date, last: date, hour_of: LocalHour
) -> list[stats.TicketFacts]:
    rows = store.fact_rows(db, first, last)
    return [
        stats.TicketFacts(
            service=r[0],
            counter=r[1],
            clerk=r[2],
            hour=hour_of(r[4]),
            status=r[3],
            issued_at=r[4],
            called_at=r[5],
            started_at=r[6],
            finished_at=r[7],
            quoted_wait_s=r[8],
        )
        for r in rows
    ]


def targets(catalog: Catalog) -> dict[str, float]:
    return {s.id: s.target_wait_min * 60.0 for s in catalog.services.values()}


def _names(catalog: Catalog) -> dict[str, Any]:
    return {
        "services": {
            s.id: {
                "name": s.name.model_dump(),
                "prefix": s.prefix,
                "target_wait_s": s.target_wait_min * 60,
            }
            for s in catalog.services.values()
        },
        "counters": {
            c.id: {"number": c.number, "name": c.name.model_dump()}
            for c in catalog.counters.values()
        },
    }


EXACT_TICKETS = 60_000  # periods holding up to this many tickets are computed from every one
SETTLED_DAYS = 2  # days older than this are final: their aggregates are kept (not yesterday)


def _settled_until(ctx: Context, catalog: Catalog) -> date:
    today = date.fromisoformat(local_day(ctx.now(), catalog.center.timezone))
    return today - timedelta(days=SETTLED_DAYS)


def ensure_day_aggregates(
    ctx: Context,
    catalog: Catalog,
    first: date,
    last: date,
    stop: threading.Event | None = None,
) -> int:
    """Compute and keep the aggregates of the settled days in ``first..last`` that lack them.

    ``stop`` (the background warm-up) ends the work after the day in hand, keeping what is done.
    """
    last = min(last, _settled_until(ctx, catalog))
    if last < first:
        return 0
    done = store.days_done(ctx.db.read(), first, last)
    missing = [
        first + timedelta(days=i)
        for i in range((last - first).days + 1)
        if (first + timedelta(days=i)).isoformat() not in done
    ]
    hour_of = LocalHour(catalog.center.timezone)
    target_s = targets(catalog)
    built = 0
    for start in range(0, len(missing), 31):
        batch = []
        for day in missing[start : start + 31]:
            if stop is not None and stop.is_set():
                break
            facts = read_facts(ctx.db.read(), day, day, hour_of)
            batch.append((day.isoformat(), len(facts), stats.aggregate_groups(facts, target_s)))
        if not batch:
            break
        built += len(batch)
        with ctx.db.write() as tx:
            for day_text, count, groups in batch:
                store.keep_day(tx, day_text, groups, count, ctx.now())
    return built


def _months_within(first: date, last: date) -> list[date]:
    """The first days of the calendar months lying wholly inside ``first..last``."""
    months = []
    month = first.replace(day=1) if first.day == 1 else _next_month(first)
    while _next_month(month) - timedelta(days=1) <= last:
        months.append(month)
        month = _next_month(month)
    return months


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def ensure_month_aggregates(ctx: Context, first: date, last: date) -> None:
    """Merge the kept days of each whole month of ``first..last`` into one row per group."""
    months = [m.isoformat()[:7] for m in _months_within(first, last)]
    if not months:
        return
    have = store.months_kept(ctx.db.read(), months)
    for month in months:
        if month in have:
            continue
        groups: dict[tuple[str, str], stats.Aggregate] = {}
        for dim, key, aggregate in store.day_aggregates(
            ctx.db.read(), f"{month}-01", f"{month}-31"
        ):
            if (dim, key) in groups:
                groups[(dim, key)].merge(aggregate)
            else:
                groups[(dim, key)] = aggregate
        with ctx.db.write() as tx:
            store.keep_month(tx, month, groups)


WARMUP_LEASE_S = 600.0


def warm_aggregates(ctx: Context, stop: threading.Event | None = None) -> int:
    """Build the kept aggregates of every settled day (and whole month) that lacks them.

    Run in the background when the server starts (server/app.py), so the first request for a
    long period only reads, even on a year of history never asked for (82 s otherwise). One
    worker process does it at a time: a lease in ``meta``, which expires should that worker die.
    Returns the days built.
    """
    first_day = store.first_ticket_day(ctx.db.read())
    if first_day is None:
        return 0
    catalog = load_catalog(ctx)
    first, last = date.fromisoformat(first_day), _settled_until(ctx, catalog)
    if last < first:
        return 0
    now = ctx.now()
    with ctx.db.write() as tx:
        if not store.take_warmup_lease(tx, now, WARMUP_LEASE_S):
            return 0
    try:
        built = ensure_day_aggregates(ctx, catalog, first, last, stop)
        if stop is None or not stop.is_set():
            ensure_month_aggregates(ctx, first, last)
            keep_resolution_days(ctx, first, last)  # first-visit resolution (visit steps)
    finally:
        with ctx.db.write() as tx:
            store.release_warmup_lease(tx)
    return built


def _merged(
    db: sqlite_utils.Database,
    first: date,
    last: date,
    settled: date,
    hour_of: LocalHour,
    target_s: dict[str, float],
) -> dict[tuple[str, Hashable], stats.Aggregate]:
    """Aggregates of ``first..last``: kept months and days where settled, computed for the rest."""
    groups: dict[tuple[str, Hashable], stats.Aggregate] = {stats.OVERALL: stats.Aggregate()}

    def add(dim: str, key: Hashable, aggregate: stats.Aggregate) -> None:
        mine = groups.get((dim, key))
        if mine is None:
            groups[(dim, key)] = aggregate
        else:
            mine.merge(aggregate)

    def add_rows(rows: Iterator[tuple[str, str, stats.Aggregate]]) -> None:
        for dim, key, aggregate in rows:
            add(dim, int(key) if dim == "hour" else key, aggregate)

    if first <= settled:
        end = min(last, settled)
        months = _months_within(first, end)
        day_ranges = [(first, end)]
        if months:
            add_rows(
                store.month_aggregates(db, months[0].isoformat()[:7], months[-1].isoformat()[:7])
            )
            day_ranges = [(first, months[0] - timedelta(days=1)), (_next_month(months[-1]), end)]
        for start, stop in day_ranges:
            if start <= stop:
                add_rows(store.day_aggregates(db, start.isoformat(), stop.isoformat()))
    recent = max(first, settled + timedelta(days=1))
    if recent <= last:
        facts = read_facts(db, recent, last, hour_of)
        for (dim, key), aggregate in stats.aggregate_groups(facts, target_s).items():
            add(dim, key, aggregate)
    return groups


def read_rows(db: sqlite_utils.Database, first: date, last: date) -> list[tuple[Any, ...]]:
    """The period's tickets as the rows :func:`stats.report_from_rows` reads."""
    return store.fact_rows(db, first, last)


def _report(
    ctx: Context,
    catalog: Catalog,
    first: date,
    last: date,
    hour_of: LocalHour,
    overall_only: bool = False,
) -> tuple[stats.Report, bool]:
    """The period's report, and whether it was computed from every ticket (exact)."""
    target_s = targets(catalog)
    settled = _settled_until(ctx, catalog)
    if first > settled or store.count_tickets(ctx.db.read(), first, last) <= EXACT_TICKETS:
        with ctx.db.snapshot() as db:
            rows = read_rows(db, first, last)
        return stats.report_from_rows(rows, target_s, hour_of, overall_only), True
    ensure_day_aggregates(ctx, catalog, first, last)
    ensure_month_aggregates(ctx, first, min(last, settled))
    with ctx.db.snapshot() as db:
        groups = _merged(db, first, last, settled, hour_of, target_s)
    return stats.report_from_aggregates(groups), False


def period_stats(ctx: Context, actor: Actor, date_from: str, date_to: str) -> dict[str, Any]:
    """Figures for ``date_from``..``date_to`` (inclusive) and for the same number of days before.

    A period of up to :data:`EXACT_TICKETS` tickets is computed from the tickets themselves; a
    bigger one merges kept day and month aggregates, where medians and 90th percentiles come from
    histograms (within about 1 %), and counts, means and shares stay exact.
    """
    check_manager(actor)
    first, last = parse_period(date_from, date_to)
    catalog = load_catalog(ctx)
    days = (last - first).days + 1
    prev_last = first - timedelta(days=1)
    prev_first = prev_last - timedelta(days=days - 1)
    hour_of = LocalHour(catalog.center.timezone)
    current, exact = _report(ctx, catalog, first, last, hour_of)
    previous = _report(ctx, catalog, prev_first, prev_last, hour_of, overall_only=True)[0].overall
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "days": days,
        "exact": exact,
        **current.as_dict(),
        "previous": {
            "from": prev_first.isoformat(),
            "to": prev_last.isoformat(),
            "overall": previous.as_dict(),
        },
        "change": stats.compare(current.overall, previous),
        "names": _names(catalog),
        **with_resolution(ctx, catalog, first, last, current.as_dict()),
    }


TICKET_CSV_COLUMNS = (
    "day", "number", "service", "priority", "state", "issued_at", "called_at", "started_at",
    "finished_at", "wait_s", "service_s", "quoted_wait_s", "counter", "clerk", "recalls",
    "transfers", "file",
)  # fmt: skip


def tickets_csv(ctx: Context, actor: Actor, date_from: str, date_to: str) -> Iterator[str]:
    """The period's tickets as CSV rows (a header first), streamed in chunks."""
    check_manager(actor)
    first, last = parse_period(date_from, date_to)
    catalog = load_catalog(ctx)
    tz = catalog.center.timezone
    rows = store.ticket_export_rows(ctx.db.read(), first, last)
    return _csv_chunks(_ticket_rows(rows, tz))


def _ticket_rows(rows: list[tuple[Any, ...]], tz: str) -> Iterator[list[Any]]:
    yield list(TICKET_CSV_COLUMNS)
    for r in rows:
        (day, number, service, priority, state, issued, called, started, finished, quoted,
         counter, clerk, recalls, transfers, file) = r  # fmt: skip
        wait = stats.wait_s(issued, called)
        served = stats.service_s(state, called, started, finished)
        yield [
            day, number, service, priority, state, iso(issued, tz), iso(called, tz),
            iso(started, tz), iso(finished, tz), None if wait is None else round(wait),
            None if served is None else round(served),
            None if quoted is None else round(quoted), counter, clerk, recalls, transfers, file,
        ]  # fmt: skip


def _csv_chunks(rows: Iterator[list[Any]], per_chunk: int = 2000) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for count, row in enumerate(rows, start=1):
        writer.writerow(["" if v is None else v for v in row])
        if count % per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


FILE_CSV_COLUMNS = (
    "reference", "service", "stage", "status", "opened_at", "stage_entered_at", "due_at",
    "updated_at", "moves", "ticket_id", "overdue",
)  # fmt: skip


def _day_bounds(first: date, last: date, timezone: str) -> tuple[float, float]:
    zone = ZoneInfo(timezone)
    start = datetime(first.year, first.month, first.day, tzinfo=zone).timestamp()
    end_day = last + timedelta(days=1)
    end = datetime(end_day.year, end_day.month, end_day.day, tzinfo=zone).timestamp()
    return start, end


def files_csv(ctx: Context, actor: Actor, date_from: str, date_to: str) -> Iterator[str]:
    """Files opened in the period as CSV, without personal data (names, ids, phones stay behind
    the staff lookup)."""
    check_manager(actor)
    first, last = parse_period(date_from, date_to)
    catalog = load_catalog(ctx)
    tz = catalog.center.timezone
    start, end = _day_bounds(first, last, tz)
    now = ctx.now()
    rows = store.file_export_rows(ctx.db.read(), start, end)

    def lines() -> Iterator[list[Any]]:
        yield list(FILE_CSV_COLUMNS)
        for r in rows:
            late = r[6] is not None and r[6] < now and r[3] in ("open", "missing_documents")
            yield [printed(r[0]), r[1], r[2], r[3], iso(r[4], tz), iso(r[5], tz), iso(r[6], tz),
                   iso(r[7], tz), r[8], r[9], int(late)]  # fmt: skip

    return _csv_chunks(lines())
