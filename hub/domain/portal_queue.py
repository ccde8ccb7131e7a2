"""Which center now: per service, people waiting and the wait a ticket taken now would be quoted,
from the hub's projections, and whether that picture is current. Pure.

The wait uses the center's own model (:mod:`nafitha.estimate`: recent service durations shrunk to
the service's prior, work over the open counters that serve it) and its one rounding
(:func:`nafitha.formats.wait_minutes`). Unlike the center, the hub does not see tickets sent to
one counter by a transfer as such: every waiting ticket of a service sharing a counter with ours
counts, weighted by the counters they share (the estimator's rule). A center the hub has not heard
from for ``stale_after_s`` is *stale*: its figures are shown with their time, never as now.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from nafitha import estimate
from nafitha.formats import wait_minutes

OPENING = {"counter_opened": "open", "person_signed_in": "open", "ticket_called": "open"}
OPENING |= {"ticket_called_out_of_order": "open"}
CLOSING = {"counter_paused": "paused", "person_signed_out": "closed"}
COUNTER_KINDS = tuple(OPENING) + tuple(CLOSING)


def local_day(moment: float, timezone: str) -> str:
    """The center's calendar day at ``moment`` (tickets are numbered per day)."""
    return datetime.fromtimestamp(moment, ZoneInfo(timezone)).date().isoformat()


def counter_status(kind: str | None, public: Mapping[str, Any] | None) -> str:
    """A counter's status from its latest status event (none: closed)."""
    if public and isinstance(public.get("status"), str):
        return str(public["status"])
    if kind in OPENING:
        return OPENING[kind]
    return CLOSING.get(kind or "", "closed")


def service_figures(
    services: Sequence[Mapping[str, Any]],
    counters: Sequence[Mapping[str, Any]],
    open_counters: frozenset[str],
    waiting: Mapping[str, int],
    durations: Mapping[str, Sequence[float]],
) -> list[dict[str, Any]]:
    """Per active service: ``waiting``, ``estimated_wait_s``, ``wait_minutes``, ``callable``."""
    counters_of: dict[str, frozenset[str]] = {
        s["id"]: frozenset(c["id"] for c in counters if s["id"] in c.get("services", []))
        for s in services
    }
    times = {
        s["id"]: estimate.service_time(s.get("service_time_s", 300), durations.get(s["id"], []))
        for s in services
    }
    out = []
    for service in services:
        sid = service["id"]
        ours = counters_of.get(sid, frozenset())
        callable_now = bool(ours & open_counters)
        ahead = {
            other: count
            for other, count in waiting.items()
            if count > 0 and (other == sid or counters_of.get(other, frozenset()) & ours)
        }
        wait = (
            round(estimate.wait_seconds(sid, ahead, times, counters_of, open_counters))
            if callable_now
            else None
        )
        out.append(
            {
                "id": sid,
                "name": dict(service["name"]),
                "waiting": int(waiting.get(sid, 0)),
                "estimated_wait_s": wait,
                "wait_minutes": wait_minutes(wait),
                "callable": callable_now,
            }
        )
    return out


def is_stale(last_contact: float | None, now: float, stale_after_s: float) -> bool:
    """Whether what the hub holds of a center may no longer be how things stand there."""
    return last_contact is None or now - last_contact > stale_after_s
