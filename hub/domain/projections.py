"""A center's tickets, files and file history as the hub keeps them, rebuilt from its events.

The projections must equal the center's own tables (issue 14), so they are computed by the
very replay ``nafitha audit verify`` uses at the center (:mod:`nafitha.replay`), never by a
second copy of its rules. For each batch the writer replays, for every ticket and file the
batch touched, all of that ticket's or file's events (the ones it already holds and the new
ones) and writes the resulting rows: a ticket has a handful of events, so this stays cheap, and
the result is exactly what a full replay of the log would give. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from nafitha.national.wire import WireEvent
from nafitha.replay import (
    FILE_COLUMNS,
    FILE_KINDS,
    HISTORY_COLUMNS,
    TICKET_COLUMNS,
    UNKNOWN,
    Replayed,
    replay_file_history,
    replay_files,
    replay_tickets,
)

Event = Mapping[str, Any]  # an event as the replay reads it: the row, ``data`` parsed


def replay_event(event: WireEvent) -> dict[str, Any]:
    """``event`` as :mod:`nafitha.replay` reads events (``data`` parsed)."""
    row = event.row()
    row["data"] = event.data_json()  # parsed once, when the message was decoded
    return row


def file_reference(kind: str, data: Mapping[str, Any]) -> str | None:
    """The file a file event is about (None for every other event)."""
    if kind in FILE_KINDS and "reference" in data:
        return str(data["reference"])
    return None


def touched(events: Iterable[Event]) -> tuple[set[int], set[str]]:
    """The tickets and files ``events`` speak of: those whose projections they change."""
    tickets: set[int] = set()
    files: set[str] = set()
    for event in events:
        if event["ticket_id"] is not None:
            tickets.add(event["ticket_id"])
        reference = file_reference(event["kind"], event["data"])
        if reference is not None:
            files.add(reference)
    return tickets, files


def _known(value: Any) -> Any:
    """UNKNOWN (an old event did not say) is kept as NULL at the hub."""
    return None if value is UNKNOWN else value


def _row(replayed: Replayed, columns: tuple[str, ...]) -> dict[str, Any]:
    values = {c: _known(replayed.values.get(c, UNKNOWN)) for c in columns}
    values["first_event"] = replayed.first_event
    values["last_event"] = replayed.last_event
    return values


def ticket_rows(events: Iterable[Event]) -> dict[int, dict[str, Any]]:
    """Each ticket's row (``TICKET_COLUMNS`` + first/last event) from all of its events."""
    return {tid: _row(r, TICKET_COLUMNS) for tid, r in replay_tickets(events).items()}


def file_rows(events: list[Event]) -> dict[str, dict[str, Any]]:
    """Each file's row (``FILE_COLUMNS`` + first/last event) from all of its events."""
    return {ref: _row(r, FILE_COLUMNS) for ref, r in replay_files(events).items()}


def history_rows(events: list[Event]) -> dict[tuple[str, int], dict[str, Any]]:
    """Each file history entry (``HISTORY_COLUMNS``), by (reference, seq)."""
    rows = {}
    for key, replayed in replay_file_history(events).items():
        reference, _, seq = key.rpartition("#")
        rows[(reference, int(seq))] = _row(replayed, HISTORY_COLUMNS)
    return rows
