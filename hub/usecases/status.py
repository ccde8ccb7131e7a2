"""Each center's intake at a glance: head, lag in events and seconds, last contact, alarms.

The lag is measured against what the center's leaf holds (its newest relayed event, read by the
writer every few seconds, or asked live by ``nafitha hub verify``): ``leaf seq - hub head``
events, and the time between the two events' own clocks. Nothing personal is in it; the HTTP
API (``GET /api/v1/status/centers``) still serves it to the hub's signed-in people only, since which
center is stopped or raising alarms is the ministry's to know, not the public's.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import psycopg

from hub.domain.roles import Can, Person, require
from hub.store import alarms, centers


@dataclass(frozen=True)
class CenterStatus:
    id: str
    name: dict[str, str]
    head_seq: int
    head_hash: str
    head_at: float | None
    received_at: float | None
    status: str
    stopped_reason: str | None
    last_contact: float | None
    lag_events: int | None  # None: the leaf was never reached
    lag_s: float | None
    leaf_seq: int | None
    leaf_checked_at: float | None
    signed_seq: int | None
    duplicates: int
    open_alarms: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def lag(row: dict[str, Any]) -> tuple[int | None, float | None]:
    """(events, seconds) the hub is behind the leaf, as last measured; (None, None): unknown."""
    if row["leaf_seq"] is None:
        return None, None
    events = max(0, row["leaf_seq"] - row["head_seq"])
    if events == 0:
        return 0, 0.0
    if row["leaf_at"] is None:
        return events, None
    return events, max(0.0, row["leaf_at"] - (row["head_at"] or row["leaf_at"]))


def _status(row: dict[str, Any]) -> CenterStatus:
    events, seconds = lag(row)
    return CenterStatus(
        id=row["id"],
        name=row["name"],
        head_seq=row["head_seq"],
        head_hash=row["head_hash"],
        head_at=row["head_at"],
        received_at=row["received_at"],
        status=row["status"],
        stopped_reason=row["stopped_reason"],
        last_contact=row["last_contact"],
        lag_events=events,
        lag_s=seconds,
        leaf_seq=row["leaf_seq"],
        leaf_checked_at=row["leaf_checked_at"],
        signed_seq=row["signed_seq"],
        duplicates=row["duplicates"],
        open_alarms=row["open_alarms"],
    )


def all_centers(conn: psycopg.Connection) -> list[CenterStatus]:
    return [_status(row) for row in centers.overview(conn)]


def intake_report(conn: psycopg.Connection, person: Person | None) -> dict[str, Any]:
    """Per center: id, name, head seq and time, lag (events, seconds), last contact, status, open
    alarms; for the hub's people who may read its integrity."""
    require(person, Can.VIEW_INTEGRITY)
    fields = ("id", "name", "head_seq", "head_at", "lag_events", "lag_s", "last_contact",
              "status", "open_alarms")  # fmt: skip
    return {"centers": [{k: getattr(c, k) for k in fields} for c in all_centers(conn)]}


def open_alarms(conn: psycopg.Connection, center: str | None = None) -> list[dict[str, Any]]:
    return alarms.open_alarms(conn, center)


def resume(conn: psycopg.Connection, center: str, by: str, now: float) -> int | None:
    """Clear a stopped center (an admin looked at its alarms): it runs again, and whatever
    stopped it is judged anew (a fork stops it again). The alarms cleared; None: not stopped."""
    with conn.transaction():
        if not centers.resume(conn, center):
            return None
        return alarms.clear(conn, center, by, now)
