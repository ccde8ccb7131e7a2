"""The reads of the published integrity report: one calendar day of the event log.

A day is the events whose ``at`` falls in ``[start, end)`` (Unix seconds of the center's local
midnight, computed by the caller), found through the ``events_at`` index (migration 028). Its
head is the newest of them (the highest ``id``); the figures read only events up to that head,
so the report and the head it prints always agree, whatever is written meanwhile.

JSON fields are taken out in SQL (``json_extract``), so no event's whole ``data`` (which may name
people) ever reaches the report's code: only the kind, time, number, counter number, reason and
priority.
"""

from __future__ import annotations

import sqlite_utils

from server.domain.integrity import DayEvent, DayHead

# Kinds the report counts. Calls: by the counter's rule, or out of order with a reason.
COUNTED = (
    "ticket_issued",
    "ticket_called",
    "ticket_called_out_of_order",
    "ticket_transfer",
    "ticket_transferred",
    "ticket_next_step",
    "ticket_reprinted",
    "ticket_no_show",
    "ticket_no_show_undone",
)
CALLS = ("ticket_called", "ticket_called_out_of_order")


def day_head(db: sqlite_utils.Database, start: float, end: float) -> DayHead | None:
    """The newest event of ``[start, end)`` (by id), or None when the day has none."""
    row = db.execute(
        "SELECT id, hash, at FROM events WHERE id = ("
        "SELECT max(id) FROM events INDEXED BY events_at WHERE at >= ? AND at < ?)",
        [start, end],
    ).fetchone()
    return DayHead(row[0], row[1], row[2]) if row else None


def day_signed_head(
    db: sqlite_utils.Database, start: float, end: float, head: int
) -> tuple[int, int, str] | None:
    """(event id, signed seq, key id) of the day's last ``chain_signed`` event up to ``head``."""
    row = db.execute(
        "SELECT id, json_extract(data, '$.seq'), json_extract(data, '$.key') FROM events"
        " INDEXED BY events_at WHERE at >= ? AND at < ? AND id <= ? AND kind = 'chain_signed'"
        " ORDER BY id DESC LIMIT 1",
        [start, end, head],
    ).fetchone()
    return (row[0], int(row[1]), str(row[2])) if row and row[1] is not None else None


def day_event_count(db: sqlite_utils.Database, start: float, end: float, head: int) -> int:
    """How many events of any kind the day holds up to ``head``."""
    return db.execute(
        "SELECT count(*) FROM events INDEXED BY events_at WHERE at >= ? AND at < ? AND id <= ?",
        [start, end, head],
    ).fetchone()[0]


# A call's priority: the newest value the log gave the ticket before the call (``data.ticket``
# carries it from the issue on, and from any later change of it), else the issue's own field.
_PRIORITY = (
    "CASE WHEN e.kind IN ('ticket_called', 'ticket_called_out_of_order') THEN coalesce("
    "(SELECT json_extract(p.data, '$.ticket.priority') FROM events p"
    " WHERE p.ticket_id = e.ticket_id AND p.id < e.id"
    " AND json_extract(p.data, '$.ticket.priority') IS NOT NULL ORDER BY p.id DESC LIMIT 1),"
    "(SELECT json_extract(p.data, '$.priority') FROM events p"
    " WHERE p.ticket_id = e.ticket_id AND p.kind = 'ticket_issued' LIMIT 1)) END"
)


def day_events(db: sqlite_utils.Database, start: float, end: float, head: int) -> list[DayEvent]:
    """The counted events of ``[start, end)`` up to ``head``, oldest first."""
    marks = ",".join("?" for _ in COUNTED)
    rows = db.execute(
        "SELECT e.id, e.at, e.kind,"
        " coalesce(json_extract(e.data, '$.number'), json_extract(e.public, '$.ticket')),"
        " json_extract(e.public, '$.counter.number'),"
        " CASE WHEN e.kind = 'ticket_called_out_of_order'"
        " THEN json_extract(e.data, '$.reason') END,"
        f" {_PRIORITY}"
        " FROM events e INDEXED BY events_at"
        f" WHERE e.at >= ? AND e.at < ? AND e.id <= ? AND e.kind IN ({marks})"
        " ORDER BY e.id",
        [start, end, head, *COUNTED],
    ).fetchall()
    return [
        DayEvent(
            id=row[0],
            at=row[1],
            kind=row[2],
            number=row[3] if isinstance(row[3], str) else None,
            counter_number=int(row[4]) if isinstance(row[4], int | float) else None,
            reason=row[5] if isinstance(row[5], str) else None,
            priority=None if row[6] is None else bool(row[6]),
        )
        for row in rows
    ]
