"""Tickets, files and the files' history rebuilt from the event log alone.

The ``tickets`` and ``files`` tables are what the server reads; the event log is what is chained
and signed. If the tables equal the log's replay, a row edited behind the log's back is found
(``nafitha audit verify``), and the national hub can build the same projections from the events
it receives (issue 14).

Events written since the audit was hardened carry the columns their write set: a ticket event
``data["ticket"]`` (every tracked column at issue, the changed ones afterwards), a file event
``data["file"]`` (the file's tracked columns after the change). Older events carry less: the
replay derives what their kind implies and marks what it cannot know as :data:`UNKNOWN`, which the
comparison (:mod:`nafitha.replay_compare`) skips.

Pure: events and rows come in as plain mappings, nothing is read or written here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from nafitha.reference import Reference

TICKET_COLUMNS = (
    "day",
    "prefix",
    "seq",
    "number",
    "service",
    "priority",
    "state",
    "issued_at",
    "called_at",
    "started_at",
    "finished_at",
    "counter",
    "clerk",
    "target_counter",
    "device",
    "file",
    "recalls",
    "transfers",
    "quoted_wait_s",
)
# Visits through several steps (m025): carried by the events that change them (a finish's
# ``outcome``, a next step's ``visit_service``/``step``/``note``), never by ``ticket_issued`` (an
# issue event's record and the seeded history's digests keep :data:`TICKET_COLUMNS`), so they
# are compared once an event has set them.
VISIT_COLUMNS = ("visit_service", "step", "outcome", "note")
# How many times the ticket was printed again (m026): 0 at issue, then each ``ticket_reprinted``
# carries the running count (events before this replay read it too), so a count edited in the
# table, up or down, is found.
REPRINT_COLUMNS = ("reprints",)
AUDITED_TICKET_COLUMNS = TICKET_COLUMNS + VISIT_COLUMNS + REPRINT_COLUMNS
FILE_COLUMNS = (
    "service",
    "workflow",
    "stage",
    "status",
    "stage_entered_at",
    "due_at",
    "opened_at",
    "opened_by",
    "updated_at",
    "moves",
    "ticket_id",
    "documents_received",
    "missing",
    "note",
)
FILE_KINDS = ("file_opened", "file_moved")
HISTORY_COLUMNS = (
    "at",
    "kind",
    "from_stage",
    "stage",
    "status",
    "by",
    "role",
    "counter",
    "note",
    "reason",
    "missing",
)
# What a file_opened event records of the citizen: a keyed digest and its key's id, or (events
# written before the digest was keyed) a plain SHA-256 digest.
CITIZEN_FIELDS = ("citizen_hmac", "digest_key", "citizen_digest")


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


@dataclass
class Replayed:
    """One ticket or file as the events say it is, and the last event that touched it."""

    values: dict[str, Any]
    first_event: int
    last_event: int
    citizen: dict[str, Any] = field(default_factory=dict)  # a file's citizen digest record


def ticket_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """The tracked columns of a ticket row: what a ``ticket_issued`` event carries."""
    return {column: row[column] for column in TICKET_COLUMNS}


def ticket_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """The tracked columns a write changed: what a later ticket event carries."""
    changed = AUDITED_TICKET_COLUMNS
    return {c: after[c] for c in changed if c in after and before.get(c) != after[c]}


def _legacy_ticket_change(
    state: dict[str, Any], kind: str, event: Mapping[str, Any]
) -> dict[str, Any]:
    """What an event written before ``data["ticket"]`` existed did to its ticket."""
    data, at = event["data"], event["at"]
    if kind in ("ticket_called", "ticket_called_out_of_order"):
        return {
            "state": "called",
            "called_at": at,
            "counter": event["counter"],
            "clerk": event["actor"],
            "target_counter": None,
        }
    change: dict[str, Any] = {"state": data.get("to_state", UNKNOWN)}
    if kind == "ticket_recall":
        change["recalls"] = _plus_one(state.get("recalls"))
    elif kind == "ticket_start":
        change["started_at"] = at
    elif kind in ("ticket_finish", "ticket_no_show", "ticket_cancel"):
        change["finished_at"] = at
    elif kind == "ticket_transfer":
        change.update(
            service=data.get("to_service", UNKNOWN),
            target_counter=data.get("to_counter"),
            counter=None,
            clerk=None,
            called_at=None,
            started_at=None,
            transfers=_plus_one(state.get("transfers")),
        )
    elif kind == "ticket_no_show_undone":
        change["finished_at"] = None
    return change


def _plus_one(value: Any) -> Any:
    return value + 1 if isinstance(value, int) else UNKNOWN


def _issued(event: Mapping[str, Any]) -> dict[str, Any]:
    data = event["data"]
    if isinstance(data.get("ticket"), dict):
        return {**dict.fromkeys(TICKET_COLUMNS, UNKNOWN), **data["ticket"]}
    number = str(data.get("number", ""))
    prefix, _, seq = number.rpartition("-")
    return {
        **dict.fromkeys(TICKET_COLUMNS, UNKNOWN),
        "prefix": prefix or UNKNOWN,
        "seq": int(seq) if seq.isdigit() else UNKNOWN,
        "number": number or UNKNOWN,
        "service": data.get("service", UNKNOWN),
        "priority": int(bool(data.get("priority"))),
        "state": "waiting",
        "issued_at": event["at"],
        "called_at": None,
        "started_at": None,
        "finished_at": None,
        "counter": None,
        "clerk": None,
        "target_counter": None,
        "device": event["device"],
        "file": data.get("file"),
        "recalls": 0,
        "transfers": 0,
    }


def replay_tickets(events: Iterable[Mapping[str, Any]]) -> dict[int, Replayed]:
    """Every ticket the events speak of, by id, as they leave it (events in log order)."""
    tickets: dict[int, Replayed] = {}
    for event in events:
        ticket_id, kind = event["ticket_id"], event["kind"]
        if ticket_id is None:
            continue
        if kind == "ticket_issued":
            issued = {**_issued(event), "reprints": 0}  # printed once, at issue
            tickets[ticket_id] = Replayed(issued, event["id"], event["id"])
            continue
        known = tickets.get(ticket_id)
        if kind == "file_opened":
            if known is not None and known.values.get("file") is None:
                known.values["file"] = Reference(str(event["data"]["reference"])).printed
                known.last_event = event["id"]
            continue
        if not kind.startswith("ticket_"):
            continue
        if known is None:  # its issue is not in the log: everything about it is unknown
            known = tickets[ticket_id] = Replayed(
                dict.fromkeys(TICKET_COLUMNS, UNKNOWN), event["id"], event["id"]
            )
            known.values["issued"] = False
        change = event["data"].get("ticket")
        if not isinstance(change, dict):
            change = _legacy_ticket_change(known.values, kind, event)
        if kind == "ticket_reprinted" and isinstance(event["data"].get("reprints"), int):
            change = {**change, "reprints": event["data"]["reprints"]}
        known.values.update(change)
        known.last_event = event["id"]
    return tickets


def _opened(event: Mapping[str, Any]) -> dict[str, Any]:
    data, at = event["data"], event["at"]
    if isinstance(data.get("file"), dict):
        return {**dict.fromkeys(FILE_COLUMNS, UNKNOWN), **data["file"]}
    missing = data.get("missing", UNKNOWN)
    return {
        **dict.fromkeys(FILE_COLUMNS, UNKNOWN),
        "service": data.get("service", UNKNOWN),
        "workflow": data.get("workflow", UNKNOWN),
        "stage": data.get("stage", UNKNOWN),
        "status": ("missing_documents" if missing else "open") if missing != UNKNOWN else UNKNOWN,
        "stage_entered_at": at,
        "opened_at": at,
        "opened_by": event["actor"] or "",
        "updated_at": at,
        "moves": 1,
        "ticket_id": event["ticket_id"],
        "missing": missing,
        "note": data.get("note"),
    }


def _legacy_move(state: Mapping[str, Any], event: Mapping[str, Any]) -> dict[str, Any]:
    data, at = event["data"], event["at"]
    change: dict[str, Any] = {
        "stage": data.get("stage", UNKNOWN),
        "status": data.get("status", UNKNOWN),
        "updated_at": at,
        "moves": data.get("seq", UNKNOWN),
        "due_at": UNKNOWN,  # depends on the workflow's durations, which the event did not carry
    }
    if data.get("stage") != state.get("stage") or data.get("kind") == "resume":
        change["stage_entered_at"] = at
    if data.get("kind") == "missing":
        change["missing"] = data.get("missing", UNKNOWN)
    elif state.get("status") == "missing_documents":
        change["missing"] = []
    return change


def replay_files(events: Iterable[Mapping[str, Any]]) -> dict[str, Replayed]:
    """Every file the events speak of, by reference (``file_opened``, ``file_moved``)."""
    files: dict[str, Replayed] = {}
    for event in events:
        kind, data = event["kind"], event["data"]
        if kind not in FILE_KINDS or "reference" not in data:
            continue
        reference = str(data["reference"])
        if kind == "file_opened":
            citizen = {
                k: data[k] for k in ("citizen_hmac", "digest_key", "citizen_digest") if k in data
            }
            files[reference] = Replayed(_opened(event), event["id"], event["id"], citizen)
            continue
        known = files.get(reference)
        if known is None:
            known = files[reference] = Replayed(
                dict.fromkeys(FILE_COLUMNS, UNKNOWN), event["id"], event["id"]
            )
            known.values["opened"] = False
        change = data.get("file")
        if not isinstance(change, dict):
            change = _legacy_move(known.values, event)
        known.values.update(change)
        known.last_event = event["id"]
    return files


def replay_file_history(events: Iterable[Mapping[str, Any]]) -> dict[str, Replayed]:
    """Every file's history entries (what ``file_history`` holds), by ``REFERENCE#SEQ``: one per
    ``file_opened`` (seq 1) and ``file_moved`` (its ``seq``)."""
    entries: dict[str, Replayed] = {}
    for event in events:
        kind, data = event["kind"], event["data"]
        if kind not in FILE_KINDS or "reference" not in data:
            continue
        common = {
            "at": event["at"],
            "stage": data.get("stage", UNKNOWN),
            "by": event["actor"] or "",
            "role": data.get("role", UNKNOWN),
            "counter": event["counter"],
            "missing": data.get("missing", UNKNOWN),
        }
        if kind == "file_opened":
            seq: Any = 1
            file = data.get("file")
            status = file.get("status", UNKNOWN) if isinstance(file, dict) else UNKNOWN
            values = {**common, "kind": "open", "from_stage": None, "status": status}
            values.update(note=None, reason=None)
        else:
            seq = data.get("seq")
            if not isinstance(seq, int):
                continue
            values = {**common, "kind": data.get("kind", UNKNOWN), "status": data.get("status")}
            values.update(
                from_stage=data.get("from_stage", UNKNOWN),
                note=data.get("note"),
                reason=data.get("reason"),
            )
        entries[f"{data['reference']}#{seq}"] = Replayed(values, event["id"], event["id"])
    return entries


def rows_digest(rows: Iterable[Mapping[str, Any]]) -> str:
    """SHA-256 over tracked ticket rows in id order: how seeded history is checked as a block."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(json.dumps(ticket_row(row), sort_keys=True, separators=(",", ":")).encode())
        digest.update(b"\n")
    return digest.hexdigest()
