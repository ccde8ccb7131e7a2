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


def event_head(db: sqlite_utils.Database, seq: int) -> DayHead | None:
    """Event ``seq`` as a head (its id, hash and time)."""
    row = db.execute("SELECT id, hash, at FROM events WHERE id = ?", [seq]).fetchone()
    return DayHead(row[0], row[1], row[2]) if row else None


def day_signed_head(
    db: sqlite_utils.Database, start: float, end: float, first: int, last: int
) -> tuple[int, int, str] | None:
    """(event id, signed seq, key id) of the day's last ``chain_signed`` event."""
    row = db.execute(
        "SELECT id, json_extract(data, '$.seq'), json_extract(data, '$.key') FROM events"
        " WHERE id BETWEEN ? AND ? AND at >= ? AND at < ? AND kind = 'chain_signed'"
        " ORDER BY id DESC LIMIT 1",
        [first, last, start, end],
    ).fetchone()
    return (row[0], int(row[1]), str(row[2])) if row and row[1] is not None else None


def day_event_count(
    db: sqlite_utils.Database, start: float, end: float, first: int, last: int
) -> int:
    """How many events of any kind the day holds (through the time index only)."""
    return db.execute(
        "SELECT count(*) FROM events INDEXED BY events_at WHERE at >= ? AND at < ?"
        " AND id BETWEEN ? AND ?",
        [start, end, first, last],
    ).fetchone()[0]


# Kinds whose ``data.ticket`` may set a ticket's priority (its issue, and later changes of it).
PRIORITY_SETTERS = ("ticket_issued", "ticket_next_step", "ticket_sent_back", "ticket_transfer")


def day_id_range(db: sqlite_utils.Database, start: float, end: float) -> tuple[int, int] | None:
    """The lowest and highest id of the events of ``[start, end)`` (through the index only)."""
    row = db.execute(
        "SELECT min(id), max(id) FROM events INDEXED BY events_at WHERE at >= ? AND at < ?",
        [start, end],
    ).fetchone()
    return (row[0], row[1]) if row and row[0] is not None else None


def day_events(
    db: sqlite_utils.Database, start: float, end: float, first: int, head: int
) -> list[DayEvent]:
    """The counted events of ``[start, end)`` with ids in ``[first, head]``, oldest first.

    Read by a range of ids (the table in order, no lookup per row) rather than through the time
    index; ``at`` is still checked, so an event written with a clock a little off stays out.
    """
    marks = ",".join("?" for _ in COUNTED)
    setters = ",".join("?" for _ in PRIORITY_SETTERS)
    rows = db.execute(
        "SELECT id, at, kind, ticket_id,"
        " CASE WHEN kind = 'ticket_called_out_of_order' THEN json_extract(data, '$.number') END,"
        " CASE WHEN kind = 'ticket_called_out_of_order'"
        " THEN json_extract(public, '$.counter.number') END,"
        " CASE WHEN kind = 'ticket_called_out_of_order' THEN json_extract(data, '$.reason') END,"
        f" CASE WHEN kind IN ({setters}) THEN coalesce(json_extract(data, '$.ticket.priority'),"
        " json_extract(data, '$.priority')) END"
        f" FROM events WHERE id BETWEEN ? AND ? AND at >= ? AND at < ? AND kind IN ({marks})"
        " ORDER BY id",
        [*PRIORITY_SETTERS, first, head, start, end, *COUNTED],
    ).fetchall()
    return [
        DayEvent(
            id=row[0],
            at=row[1],
            kind=row[2],
            ticket_id=row[3],
            number=row[4] if isinstance(row[4], str) else None,
            counter_number=int(row[5]) if isinstance(row[5], int | float) else None,
            reason=row[6] if isinstance(row[6], str) else None,
            priority=None if row[7] is None else bool(row[7]),
        )
        for row in rows
    ]


def issued_priorities(db: sqlite_utils.Database, ticket_ids: list[int]) -> dict[int, bool]:
    """The priority each ticket was issued with (tickets called on a later day than issued)."""
    found: dict[int, bool] = {}
    for index in range(0, len(ticket_ids), 500):
        chunk = ticket_ids[index : index + 500]
        marks = ",".join("?" for _ in chunk)
        for ticket_id, value in db.execute(
            "SELECT ticket_id, json_extract(data, '$.priority') FROM events"
            f" WHERE kind = 'ticket_issued' AND ticket_id IN ({marks})",
            chunk,
        ):
            found[ticket_id] = bool(value)
    return found
