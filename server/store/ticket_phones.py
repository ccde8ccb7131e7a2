"""The tickets whose holder asked for text messages (m030): who, in which language, what was sent.

Written by the opt-in (``server/usecases/ticket_sms.py``) and, inside the calling transaction, by
the hooks that queue "your turn is near" and "you are called": each notice is marked here in the
same transaction as its outbox row, so it is queued once whatever happens after.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

_COLUMNS = "ticket_id, day, phone, lang, consent_at, turn_near_sent_at, called_sent_at"


def _row(values: tuple[Any, ...] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return dict(zip([c.strip() for c in _COLUMNS.split(",")], values, strict=True))


def of_ticket(db: sqlite_utils.Database, ticket_id: int) -> dict[str, Any] | None:
    """The ticket's opt-in, or None."""
    return _row(
        db.execute(
            f"SELECT {_COLUMNS} FROM ticket_phones WHERE ticket_id = ?", [ticket_id]
        ).fetchone()
    )


def opt_in(
    tx: sqlite_utils.Database, ticket_id: int, day: str, phone: str, lang: str, now: float
) -> None:
    """Record (or change: a mistyped number typed again) the ticket's number and language."""
    tx.execute(
        "INSERT INTO ticket_phones (ticket_id, day, phone, lang, consent_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (ticket_id) DO UPDATE SET phone = excluded.phone, lang = excluded.lang,"
        " consent_at = excluded.consent_at",
        [ticket_id, day, phone, lang, now],
    )


def waiting_to_be_told(
    db: sqlite_utils.Database, day: str, per_queue: int = 1_000_000
) -> list[dict[str, Any]]:
    """Today's opted-in tickets still waiting that were told nothing yet (once called, a ticket
    sent on to another step or counter is not told its turn is near: it was in the hall).

    Each: the ticket's columns the queue figures read, with its ``phone`` and ``lang``; in
    queue order within each (service, priority, counter sent to), at most ``per_queue`` of each:
    the k-th of a queue has at least k - 1 people ahead (those before it), so with "turn near"
    at N no more than N + 1 of a queue can be near; the hooks also stop at the first of a queue
    that is not near yet, as every later one has at least as many people ahead.
    """
    heads = db.execute(
        "SELECT t.service, t.priority, t.target_counter, t.issued_at, t.id"
        " FROM ticket_phones p INDEXED BY ticket_phones_near JOIN tickets t ON t.id = p.ticket_id"
        " WHERE p.day = ? AND p.turn_near_sent_at IS NULL AND p.called_sent_at IS NULL"
        " AND t.state = 'waiting'",
        [day],
    ).fetchall()  # narrow rows, sorted here: cheaper than SQLite's sort of the wide ones
    heads.sort(key=lambda r: (r[0], r[1], r[2] or "", r[3], r[4]))
    chosen: list[int] = []
    taken: dict[tuple[Any, ...], int] = {}
    for service, priority, target, _issued, ticket_id in heads:
        group = (service, priority, target)
        if taken.get(group, 0) < per_queue:
            taken[group] = taken.get(group, 0) + 1
            chosen.append(ticket_id)
    if not chosen:
        return []
    marks = ",".join("?" * len(chosen))
    cursor = db.execute(
        "SELECT t.id, t.day, t.state, t.service, t.priority, t.issued_at, t.target_counter,"
        f" t.number, p.phone, p.lang FROM tickets t JOIN ticket_phones p ON p.ticket_id = t.id"
        f" WHERE t.id IN ({marks})",
        chosen,
    )
    names = [d[0] for d in cursor.description]
    found = {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}
    return [found[i] for i in chosen if i in found]


def surely_ahead(db: sqlite_utils.Database, row: dict[str, Any], limit: int) -> int:
    """Up to ``limit`` of the waiting tickets always called before ``row`` (not sent to a
    counter): its own service and kind, issued before it. A lower bound of its people ahead,
    counted on the call-order index without reading a row."""
    found = db.execute(
        "SELECT count(*) FROM (SELECT 1 FROM tickets INDEXED BY tickets_call_order"
        " WHERE state = 'waiting' AND day = ? AND service = ? AND priority = ?"
        " AND (issued_at < ? OR (issued_at = ? AND id < ?)) AND target_counter IS NULL LIMIT ?)",
        [row["day"], row["service"], row["priority"], row["issued_at"], row["issued_at"],
         row["id"], limit],
    ).fetchone()  # fmt: skip
    return int(found[0])


def is_stopped(db: sqlite_utils.Database, phone: str) -> bool:
    """Whether ``phone`` texted STOP (and no clerk took its consent again since)."""
    row = db.execute("SELECT stopped_at FROM sms_consent WHERE phone = ?", [phone]).fetchone()
    return row is not None and row[0] is not None


def mark_turn_near(tx: sqlite_utils.Database, ticket_id: int, now: float) -> None:
    tx.execute(
        "UPDATE ticket_phones SET turn_near_sent_at = ? WHERE ticket_id = ?"
        " AND turn_near_sent_at IS NULL",
        [now, ticket_id],
    )


def mark_called(tx: sqlite_utils.Database, ticket_id: int, now: float) -> None:
    """The "called" notice was queued (once: a recall or a later step sends none)."""
    tx.execute(
        "UPDATE ticket_phones SET called_sent_at = ? WHERE ticket_id = ?"
        " AND called_sent_at IS NULL",
        [now, ticket_id],
    )


def purge(tx: sqlite_utils.Database, before: float) -> int:
    """Forget the numbers given before ``before`` (``[sms] purge_days``): how many."""
    return tx.execute("DELETE FROM ticket_phones WHERE consent_at < ?", [before]).rowcount


__all__ = [
    "is_stopped",
    "mark_called",
    "mark_turn_near",
    "of_ticket",
    "opt_in",
    "purge",
    "surely_ahead",
    "waiting_to_be_told",
]
