"""The published integrity report of one day (``GET /api/v1/integrity``, the page ``/integrity``).

Anyone may read it, so it is bounded like the other public reads: a per-address rate limit in the
shared buckets (``integrity_per_minute``, ``integrity_burst``; signed-in staff are free), and a
per-process cache keyed by the day and its head (the day's last event): a past day is computed
once, and today at most once every ``integrity_fresh_s`` seconds however many ask. Computations
(cache misses) also share one budget, ``integrity_computations_per_minute``, across every caller
and worker: a day of 6,000 tickets takes a few hundred milliseconds (bench/integrity.py), so
readers from many addresses together cannot keep a core busy. The endpoint runs this on a small
pool of its own (``server/api/integrity.py``), never the shared threadpool.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from server.domain.errors import Refusal
from server.domain.hours import iso, local_day
from server.domain.integrity import (
    OTHER,
    DayFigures,
    DayHead,
    summarize,
    unknown_priorities,
)
from server.store import integrity as store
from server.store.rate_limits import shared_buckets
from server.usecases.catalog import load_catalog
from server.usecases.context import Actor, Context

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EARLIEST, LATEST = date(2000, 1, 1), date(2199, 12, 31)
CACHED_DAYS = 120
VERIFY_COMMAND = "nafitha audit verify --head {head}"


@dataclass
class _Kept:
    head: int | None
    reasons: tuple[tuple[str, str, str], ...]
    made: float  # time.monotonic() of the computation (freshness only, never shown)
    report: dict[str, Any]


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.days: OrderedDict[str, _Kept] = OrderedDict()

    def get(self, day: str) -> _Kept | None:
        with self.lock:
            kept = self.days.get(day)
            if kept is not None:
                self.days.move_to_end(day)
            return kept

    def put(self, day: str, kept: _Kept) -> None:
        with self.lock:
            self.days[day] = kept
            self.days.move_to_end(day)
            while len(self.days) > CACHED_DAYS:
                self.days.popitem(last=False)


def _cache(ctx: Context) -> _Cache:
    cache = ctx.cache.get("integrity")
    if cache is None:
        cache = ctx.cache.setdefault("integrity", _Cache())
    return cache


def _check_allowed(ctx: Context, actor: Actor, address: str) -> None:
    if actor.kind == "person":
        return
    settings = ctx.settings
    key = f"integrity-device:{actor.name}" if actor.kind == "device" else f"integrity:{address}"
    wait = shared_buckets(ctx.cache, ctx.db.path).allow(
        key, ctx.now(), settings.integrity_per_minute, settings.integrity_burst
    )
    if wait:
        raise Refusal.retry_after("integrity_rate_limited", wait)


def _check_compute_budget(ctx: Context) -> None:
    """One budget of computations (cache misses) for all callers and worker processes, so
    readers from many addresses together cannot keep a core busy recomputing reports."""
    per_minute = ctx.settings.integrity_computations_per_minute
    wait = shared_buckets(ctx.cache, ctx.db.path).allow(
        "integrity-computations", ctx.now(), per_minute, max(1.0, per_minute / 6)
    )
    if wait:
        raise Refusal.retry_after("integrity_rate_limited", wait)


def parse_day(day: str | None, now: float, timezone: str) -> str:
    """The day asked (``YYYY-MM-DD``), today in the center's zone when none; else ``bad_day``."""
    if day is None or day == "":
        return local_day(now, timezone)
    if not _DAY.match(day):
        raise Refusal("bad_day")
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise Refusal("bad_day") from None
    if not EARLIEST <= parsed <= LATEST:
        raise Refusal("bad_day")
    return parsed.isoformat()


def day_bounds(day: str, timezone: str) -> tuple[float, float]:
    """Unix seconds of the local midnight starting ``day`` and of the next one."""
    zone = ZoneInfo(timezone)
    first = date.fromisoformat(day)
    start = datetime(first.year, first.month, first.day, tzinfo=zone).timestamp()
    after = first + timedelta(days=1)
    end = datetime(after.year, after.month, after.day, tzinfo=zone).timestamp()
    return start, end


def day_report(ctx: Context, actor: Actor, address: str, day: str | None) -> dict[str, Any]:
    """The integrity report of ``day`` (today by default): figures, calls out of order, head."""
    _check_allowed(ctx, actor, address)
    catalog = load_catalog(ctx)
    center = catalog.center
    the_day = parse_day(day, ctx.now(), center.timezone)
    reasons = tuple((r.id, r.name.ar, r.name.en) for r in center.out_of_order_reasons)
    cache = _cache(ctx)
    kept = cache.get(the_day)
    if (
        kept is not None
        and kept.reasons == reasons
        and time.monotonic() - kept.made < ctx.settings.integrity_fresh_s
    ):
        return kept.report
    start, end = day_bounds(the_day, center.timezone)
    with ctx.db.snapshot() as db:
        span = store.day_id_range(db, start, end)
        head = store.event_head(db, span[1]) if span else None
        seq = head.seq if head else None
        if kept is not None and kept.reasons == reasons and kept.head == seq:
            kept.made = time.monotonic()
            return kept.report
        figures, count, signed = DayFigures(), 0, None
        if span is not None and head is not None:
            _check_compute_budget(ctx)
            first, last = span
            events = store.day_events(db, start, end, first, last)
            earlier = store.issued_priorities(db, unknown_priorities(events))
            figures = summarize(events, {reason[0] for reason in reasons}, earlier)
            count = store.day_event_count(db, start, end, first, last)
            signed = store.day_signed_head(db, start, end, first, last)
    report = _shape(the_day, center, figures, head, count, signed)
    cache.put(the_day, _Kept(seq, reasons, time.monotonic(), report))
    return report


def _shape(
    day: str,
    center: Any,
    figures: DayFigures,
    head: DayHead | None,
    count: int,
    signed: tuple[int, int, str] | None,
) -> dict[str, Any]:
    zone = center.timezone
    names = {reason.id: reason.name.model_dump() for reason in center.out_of_order_reasons}
    other = names.get(OTHER)
    reasons_used: dict[str, int] = {}
    for call in figures.out_of_order:
        reasons_used[call.reason] = reasons_used.get(call.reason, 0) + 1
    return {
        "day": day,
        "center": center.name.model_dump(),
        "timezone": zone,
        "events": count,
        "issued": figures.issued,
        "called": figures.called,
        "called_in_order": figures.called_in_order,
        "called_out_of_order": figures.called_out_of_order,
        "share_in_order": figures.share_in_order,
        "priority_calls": figures.priority_calls,
        "share_priority": figures.share_priority,
        "transfers": figures.transfers,
        "next_steps": figures.next_steps,
        "reprints": figures.reprints,
        "no_shows": figures.no_shows,
        "out_of_order": [
            {
                "at": iso(call.at, zone),
                "number": call.number,
                "counter": call.counter_number,
                "reason": call.reason,
                "reason_name": names.get(call.reason, other),
            }
            for call in figures.out_of_order
        ],
        "reasons": [
            {
                "id": reason.id,
                "name": reason.name.model_dump(),
                "calls": reasons_used.get(reason.id, 0),
            }
            for reason in center.out_of_order_reasons
        ]
        + (
            [{"id": OTHER, "name": None, "calls": reasons_used[OTHER]}]
            if OTHER in reasons_used and OTHER not in names
            else []
        ),
        "head": (
            {"seq": head.seq, "hash": head.hash, "at": iso(head.at, zone), "text": head.text}
            if head
            else None
        ),
        "verify": VERIFY_COMMAND.format(head=head.text) if head else None,
        "signed": (
            {"event": signed[0], "seq": signed[1], "key": signed[2]} if signed is not None else None
        ),
    }
