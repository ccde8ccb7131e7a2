"""What the queue figures read: open counters, waiting counts, the tickets that may be ahead.

Every query here is an index lookup: ``waiting_counts`` (kept by triggers, m004) for a ticket
issued now, ``tickets_call_order`` and ``tickets_sent_to_counter`` (m003) for a ticket already
waiting (counted under the longest-wait policy, read under target-ratio, whose order moves with
the clock), ``tickets_finished`` for recent service times. The rule that decides who is ahead is
``server.domain.ahead``; these only fetch what it needs, inside the caller's transaction or
snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from server.domain.call_next import Waiting

WAITING_COLUMNS = "id, service, priority, issued_at, target_counter, appointment_at"


def _waiting(row: tuple) -> Waiting:
    return Waiting(row[0], row[1], bool(row[2]), row[3], row[4], row[5])


def open_counters(db: sqlite_utils.Database) -> frozenset[str]:
    return frozenset(r[0] for r in db.execute("SELECT id FROM counters WHERE status = 'open'"))


def waiting_counts(db: sqlite_utils.Database, day: str) -> dict[tuple[str, bool], int]:
    """Waiting tickets of ``day`` per (service, priority), from the trigger-kept table."""
    rows = db.execute(
        "SELECT service, priority, waiting FROM waiting_counts WHERE day = ? AND waiting > 0",
        [day],
    )
    return {(r[0], bool(r[1])): r[2] for r in rows}


def waiting_at_least(
    db: sqlite_utils.Database, day: str, services: Iterable[str], priority: bool
) -> dict[str, int]:
    """Per service of ``services``, the tickets of ``day`` waiting with at least ``priority``."""
    names = sorted(set(services))
    if not names:
        return {}
    marks = ",".join("?" * len(names))
    rows = db.execute(
        f"SELECT service, sum(waiting) FROM waiting_counts WHERE day = ? AND service IN ({marks})"
        " AND priority >= ? GROUP BY service",
        [day, *names, int(priority)],
    )
    return {r[0]: r[1] for r in rows}


def appointments_after(
    db: sqlite_utils.Database, day: str, now: float
) -> dict[tuple[str, bool], int]:
    """Waiting appointment tickets of ``day`` whose slot is after ``now``, per (service,
    priority): a ticket issued now is called before them (m032, docs/appointments.md)."""
    rows = db.execute(
        "SELECT service, priority, count(*) FROM tickets INDEXED BY tickets_appointment_waiting"
        " WHERE appointment_at IS NOT NULL AND state = 'waiting' AND day = ?"
        " AND appointment_at > ? GROUP BY service, priority",
        [day, now],
    )
    return {(r[0], bool(r[1])): r[2] for r in rows}


def sent_to_counters(db: sqlite_utils.Database, day: str) -> list[Waiting]:
    """The waiting tickets of ``day`` transferred to one counter (a call clears the target)."""
    rows = db.execute(
        f"SELECT {WAITING_COLUMNS} FROM tickets INDEXED BY tickets_sent_to_counter"
        " WHERE target_counter IS NOT NULL AND state = 'waiting' AND day = ?",
        [day],
    )
    return [_waiting(r) for r in rows]


def count_before(
    db: sqlite_utils.Database,
    day: str,
    services: Iterable[str],
    priority: bool,
    issued_at: float,
    ticket_id: int,
) -> dict[str, int]:
    """Per service, the waiting tickets of the same kind (priority or normal) the longest-wait
    order puts before this one: the earlier issue time (an appointment ticket's slot time:
    ``issued_at`` is then the ticket's own call time), then the lower id; counted on the
    call-order index, no row read. (The other kind is placed by the calling profiles.)
    """
    names = sorted(set(services))
    if not names:
        return {}
    marks = ",".join("?" * len(names))
    rows = db.execute(
        f"SELECT service, count(*) FROM tickets WHERE state = 'waiting' AND day = ?"
        f" AND service IN ({marks})"
        " AND priority = ? AND (issued_at < ? OR (issued_at = ? AND id < ?))"
        " GROUP BY service",
        [day, *names, int(priority), issued_at, issued_at, ticket_id],
    )
    counts = {r[0]: r[1] for r in rows}
    # Appointment tickets (m032) are ordered by their slot's time, not their issue time: take
    # out those counted by issue time, put back those whose slot comes first (a few rows).
    rows = db.execute(
        f"SELECT service, sum(CASE WHEN appointment_at < ? OR (appointment_at = ? AND id < ?)"
        f" THEN 1 ELSE 0 END) - sum(CASE WHEN issued_at < ? OR (issued_at = ? AND id < ?)"
        f" THEN 1 ELSE 0 END) FROM tickets INDEXED BY tickets_appointment_waiting"
        f" WHERE appointment_at IS NOT NULL AND state = 'waiting' AND day = ?"
        f" AND service IN ({marks}) AND priority = ? GROUP BY service",
        [*[issued_at, issued_at, ticket_id] * 2, day, *names, int(priority)],
    )
    for service, change in rows:
        if change:
            counts[service] = counts.get(service, 0) + change
    return {s: n for s, n in counts.items() if n > 0}


def maybe_ahead(
    db: sqlite_utils.Database,
    day: str,
    services: Iterable[str],
    counters: Iterable[str],
    priority: bool,
) -> list[Waiting]:
    """Waiting tickets of ``services`` or sent to ``counters``, of that kind (``priority``).

    What the target-ratio policy may call before a ticket of that kind; the rule itself
    (``server.domain.ahead.ahead_of``) places them.
    """
    found: dict[int, Waiting] = {}
    for service in sorted(set(services)):
        rows = db.execute(
            f"SELECT {WAITING_COLUMNS} FROM tickets WHERE state = 'waiting' AND day = ?"
            " AND service = ? AND priority = ?",
            [day, service, int(priority)],
        )
        found.update((r[0], _waiting(r)) for r in rows)
    for counter in sorted(set(counters)):
        rows = db.execute(
            f"SELECT {WAITING_COLUMNS} FROM tickets WHERE target_counter = ? AND state = 'waiting'"
            " AND day = ? AND priority = ?",
            [counter, day, int(priority)],
        )
        found.update((r[0], _waiting(r)) for r in rows)
    return list(found.values())


def recent_durations(db: sqlite_utils.Database, service: str, day: str, limit: int) -> list[float]:
    """The last ``limit`` durations (call to finish) of ``service`` on ``day``, oldest first."""
    rows = db.execute(  # with the steps of longer visits served there (ticket_steps, m025)
        "SELECT * FROM (SELECT finished_at - called_at, finished_at FROM tickets"
        " WHERE service = ? AND day = ? AND state = 'done' AND called_at IS NOT NULL"
        " ORDER BY finished_at DESC LIMIT ?)"
        " UNION ALL SELECT * FROM (SELECT finished_at - called_at, finished_at FROM ticket_steps"
        " WHERE service = ? AND day = ? AND called_at IS NOT NULL"
        " ORDER BY finished_at DESC LIMIT ?) ORDER BY 2 DESC LIMIT ?",
        [service, day, limit, service, day, limit, limit],
    )
    durations = [r[0] for r in rows]
    durations.reverse()
    return durations


def queue_heads(
    db: sqlite_utils.Database, day: str, services: Iterable[str], counter_id: str
) -> list[Waiting]:
    """The first waiting ticket of each service and kind (priority, normal) sent to no counter,
    then the first of each kind sent to ``counter_id``: what the
    calling profile chooses among (within one service and kind both policies keep issue order,
    and a service's oldest ticket, which the helping rule reads, is one of its two heads).
    Appointment tickets (m032) are ordered by their slot's time: each service and kind has a
    walk-in head and an appointment head (the earliest slot; a later one is called no sooner)."""
    heads: list[Waiting] = []
    for service in services:
        for priority in (1, 0):
            row = db.execute(
                f"SELECT {WAITING_COLUMNS} FROM tickets"
                " WHERE state = 'waiting' AND day = ? AND service = ? AND priority = ?"
                " AND target_counter IS NULL AND appointment_at IS NULL"
                " ORDER BY issued_at, id LIMIT 1",
                [day, service, priority],
            ).fetchone()
            if row:
                heads.append(_waiting(row))
            row = db.execute(
                f"SELECT {WAITING_COLUMNS} FROM tickets INDEXED BY tickets_appointment_waiting"
                " WHERE appointment_at IS NOT NULL AND state = 'waiting' AND day = ?"
                " AND service = ? AND priority = ? AND target_counter IS NULL"
                " ORDER BY appointment_at, id LIMIT 1",
                [day, service, priority],
            ).fetchone()
            if row:
                heads.append(_waiting(row))
    for priority in (1, 0):
        row = db.execute(
            f"SELECT {WAITING_COLUMNS} FROM tickets WHERE state = 'waiting' AND day = ?"
            " AND target_counter = ? AND priority = ?"
            " ORDER BY coalesce(appointment_at, issued_at), id LIMIT 1",
            [day, counter_id, priority],
        ).fetchone()
        if row:
            heads.append(_waiting(row))
    return heads
