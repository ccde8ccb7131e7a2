"""``nafitha audit verify``: is the log what was signed, and do the tables say what the log says?

Four checks, each naming the first bad event:

1. the hash chain (an edited, deleted or re-linked event; a cut tail the id sequence betrays);
2. the ``chain_signed`` events: each signature checks with the center's public key, and the
   signed hash is still the hash of that event (an edit re-hashed with the project's own function
   breaks every signature after it);
3. the heads kept outside the database (the heads file, an auditor's ``--head SEQ:HASH``): each
   must still be in the log with the same hash (a cut tail, or a log rewritten and re-signed
   after its signatures were deleted);
4. the ``tickets`` and ``files`` tables equal their replay from the events
   (:mod:`nafitha.replay`), and each file's personal data still matches the keyed digest
   its ``file_opened`` event recorded (a row edited behind the log's back).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from nafitha.chain import Head, SignedHead, digest_key_id, key_id, keyed_digest, verify_head
from nafitha.replay import (
    AUDITED_TICKET_COLUMNS,
    FILE_COLUMNS,
    FILE_KINDS,
    HISTORY_COLUMNS,
    replay_file_history,
    replay_files,
    replay_tickets,
    rows_digest,
)
from nafitha.replay_compare import Difference, compare_rows
from server.store import audit as rows_store
from server.store import events as store
from server.usecases.complaints_integrity import check_complaints, last_events

TICKET_SLICE = 5000  # tickets replayed at a time, so a year of tickets never sits in memory


@dataclass(frozen=True)
class Problem:
    """Something wrong, at event ``seq`` when it can be placed in the log."""

    seq: int | None
    text: str


@dataclass(frozen=True)
class ExternalHead:
    """A head recorded outside the database: where it came from, and maybe its signature."""

    source: str
    head: Head
    signed: SignedHead | None = None


@dataclass
class Report:
    events: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, seq: int | None, text: str) -> None:
        self.problems.append(Problem(seq, text))

    @property
    def first_bad(self) -> int | None:
        placed = [p.seq for p in self.problems if p.seq is not None]
        return min(placed) if placed else None


def verify(
    db: sqlite_utils.Database,
    public_key: Ed25519PublicKey | None,
    external: list[ExternalHead],
    digest_key: bytes | None,
) -> Report:
    """Run every check on ``db`` (a read-only connection is enough)."""
    report = Report()
    report.events, chain = store.verify_chain(db)
    for problem in chain:
        report.add(problem.event_id, problem.reason)
    signed = _check_signed_events(db, public_key, report)
    _check_external(db, public_key, external, signed, report)
    _check_tickets(db, report)
    _check_files(db, digest_key, report)
    _check_complaints(db, digest_key, report)
    return report


def _check_complaints(db: sqlite_utils.Database, digest_key: bytes | None, report: Report) -> None:
    """Each complaint row and its steps against its events (docs/complaints.md)."""
    _checked, problems = check_complaints(db, digest_key)
    if problems:
        placed = last_events(db)
        for problem in problems:
            text = f"complaint {problem.reference}: {problem.reason}"
            report.add(placed.get(problem.reference), text)


def _check_signed_events(
    db: sqlite_utils.Database, public_key: Ed25519PublicKey | None, report: Report
) -> int:
    """Check every ``chain_signed`` event; how many there are."""
    heads = list(reversed(store.signed_heads(db)))
    if not heads:
        report.notes.append("the log holds no signed head yet")
        return 0
    if public_key is None:
        report.add(None, f"{len(heads)} signed heads in the log, but no public key to check them")
    keys = set()
    last_good = 0  # the newest signed head found intact: a change lies after it
    for event_id, signed in heads:
        if signed is None:
            report.add(event_id, "chain_signed event does not hold a signed head (edited)")
            continue
        keys.add(signed.key)
        if public_key is not None and not verify_head(public_key, signed):
            report.add(event_id, _bad_signature(signed, public_key))
            continue
        stored = store.hash_at(db, signed.seq)
        if stored == signed.hash:
            last_good = max(last_good, signed.seq)
            continue
        report.add(
            last_good + 1,
            f"event {event_id} signed head {signed.seq} with hash {signed.hash[:16]}..., but"
            f" event {signed.seq} now has hash {_short(stored)}: the log was changed and"
            f" re-hashed after it was signed; the change lies in events"
            f" {last_good + 1}..{signed.seq}",
        )
    newest = heads[-1][1]
    report.notes.append(
        f"{len(heads)} signed heads in the log (newest: head {newest.seq if newest else '?'}),"
        f" signed by key {', '.join(sorted(keys)) or '?'}"
    )
    return len(heads)


def _bad_signature(signed: SignedHead, public_key: Ed25519PublicKey) -> str:
    if signed.key != key_id(public_key):
        return (
            f"head {signed.seq} was signed by key {signed.key}, not by the center's key"
            f" {key_id(public_key)}"
        )
    return f"the signature of head {signed.seq} does not verify (forged or edited)"


def _short(value: str | None) -> str:
    return f"{value[:16]}..." if value else "(no such event)"


def _check_external(
    db: sqlite_utils.Database,
    public_key: Ed25519PublicKey | None,
    external: list[ExternalHead],
    signed_in_log: int,
    report: Report,
) -> None:
    if not external and signed_in_log:
        report.add(
            None,
            f"the log holds {signed_in_log} signed heads, but no head kept outside the database"
            " was found (the heads file is missing): give --heads FILE or --head SEQ:HASH",
        )
        return
    if not external:
        report.notes.append(
            "WARNING: no head kept outside the database was given (heads file, --head): a cut"
            " tail, or a log rewritten together with its signatures, cannot be ruled out"
        )
        return
    last = store.chain_head(db)
    last_seq = last.seq if last else 0
    newest = max(external, key=lambda e: e.head.seq)
    good = sorted(  # heads still in the log: a rewrite lies after the newest one below it
        e.head.seq for e in external if store.hash_at(db, e.head.seq) == e.head.hash
    )
    for item in external:
        head = item.head
        signed = item.signed
        if signed is not None and public_key is not None and not verify_head(public_key, signed):
            report.add(None, f"{item.source}: {_bad_signature(signed, public_key)}")
            continue
        if head.seq > last_seq:
            report.add(
                last_seq + 1,
                f"{item.source}: head {head.seq} was recorded, but the log ends at event"
                f" {last_seq}: events {last_seq + 1}..{head.seq} were cut off",
            )
            continue
        stored = store.hash_at(db, head.seq)
        if stored != head.hash:
            after = max((seq for seq in good if seq < head.seq), default=0) + 1
            report.add(
                after,
                f"{item.source}: event {head.seq} should have hash {head.hash[:16]}..., the log"
                f" has {_short(stored)}: the log was rewritten up to it; the change lies in"
                f" events {after}..{head.seq}",
            )
    report.notes.append(
        f"{len(external)} heads kept outside the database checked (newest: {newest.head.seq}"
        f" from {newest.source}); the log ends at event {last_seq}"
    )


def _seeded_blocks(
    db: sqlite_utils.Database, report: Report
) -> Callable[[int, Mapping[str, Any]], bool]:
    """Tickets written by seeded history (no event each): checked as blocks by digest. Demo
    history seeded before blocks were recorded (its event names only the days) is left out,
    with a note."""
    blocks: list[tuple[int, int]] = []
    legacy: list[tuple[str, str]] = []
    for event in store.events_of_kinds(db, ("history_seeded",)):
        data = event["data"]
        if "blocks" not in data and isinstance(data.get("from"), str):
            legacy.append((data["from"], str(data.get("to", data["from"]))))
            report.notes.append(
                f"demo history of {data['from']}..{data.get('to')} seeded by event {event['id']}"
                " before its rows were digested: those tickets are not checked"
            )
        for block in data.get("blocks", []):
            try:
                first, last = int(block["first"]), int(block["last"])
            except (KeyError, TypeError, ValueError):
                report.add(event["id"], "history_seeded event holds an unreadable block (edited)")
                continue
            rows = rows_store.ticket_rows(db, first, last)
            digest = rows_digest(rows[i] for i in sorted(rows))
            if digest != block["digest"] or len(rows) != last - first + 1:
                report.add(
                    event["id"],
                    f"tickets {first}..{last} seeded by event {event['id']} were changed since",
                )
            blocks.append((first, last))

    def covered(ticket_id: int, row: Mapping[str, Any]) -> bool:
        return any(a <= ticket_id <= b for a, b in blocks) or any(
            a <= str(row["day"]) <= b and str(row["device"]) == "demo-kiosk-1" for a, b in legacy
        )

    return covered


def _ticket_label(row: dict[str, Any]) -> str:
    return f"{row['number']}, {row['day']}"


def _check_tickets(db: sqlite_utils.Database, report: Report) -> None:
    covered = _seeded_blocks(db, report)
    low, high = rows_store.ticket_id_range(db)
    for first in range(low, high + 1, TICKET_SLICE):
        last = first + TICKET_SLICE - 1
        replayed = replay_tickets(store.ticket_events(db, first, last))
        rows = rows_store.ticket_rows(db, first, last)
        differences = compare_rows(
            "ticket", replayed, rows, AUDITED_TICKET_COLUMNS, _ticket_label, covered
        )
        _add_differences(report, differences)


def _add_differences(report: Report, differences: list[Difference]) -> None:
    for difference in differences:
        report.add(difference.event, difference.describe())


def _check_files(db: sqlite_utils.Database, digest_key: bytes | None, report: Report) -> None:
    events = list(store.events_of_kinds(db, FILE_KINDS))
    replayed = replay_files(events)
    rows = rows_store.file_rows(db)
    _add_differences(report, compare_rows("file", replayed, rows, FILE_COLUMNS))
    history = replay_file_history(events)
    _add_differences(
        report,
        compare_rows("file history", history, rows_store.history_rows(db), HISTORY_COLUMNS),
    )
    unchecked = 0
    for reference, log in replayed.items():
        row = rows.get(reference)
        if row is None or not log.citizen:
            continue
        values = [row["citizen_name"], row["national_id"], row["phone"]]
        if "citizen_hmac" in log.citizen:
            if digest_key is None or log.citizen.get("digest_key") != digest_key_id(digest_key):
                unchecked += 1
                continue
            same = keyed_digest(digest_key, values) == log.citizen["citizen_hmac"]
        else:  # written before the digest was keyed: a plain SHA-256 of the same values
            blob = json.dumps(values, ensure_ascii=False).encode()
            same = hashlib.sha256(blob).hexdigest() == log.citizen.get("citizen_digest")
        if not same:
            report.add(
                log.first_event,
                f"file {reference}: the citizen's name, national id or phone differ from what"
                f" event {log.first_event} recorded",
            )
    if unchecked:
        report.notes.append(
            f"personal data of {unchecked} files not checked: their digest key is not at hand"
        )
