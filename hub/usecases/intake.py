"""One batch of one center's messages into PostgreSQL, in one transaction; which ones to ack.

The writer (:mod:`hub.usecases.writer`) fetches up to a few hundred messages from a center's
leaf and hands them here in delivery order. Under a lock on the center's row (so two writers
for one center could never interleave), each message is decoded and judged
(:func:`hub.domain.intake.judge`):

- malformed, oversized or claiming another center: kept byte for byte in ``rejected`` with an
  alarm, acknowledged (it can never become valid), and intake goes on;
- a duplicate: counted, acknowledged;
- accepted: its row, its personal part, and the projections of every ticket and file it
  touches are written, and the head moves on;
- a gap, a fork, a bad hash or signature, an unknown kind: an alarm, the center marked
  ``stopped``, and neither this message nor any after it applied or acknowledged (a gap is
  first read again by the writer: ``gap_is_final``).

The transaction commits before the writer acknowledges anything (a crash in between redelivers,
which the next batch counts as duplicates). The messages to acknowledge are always a prefix of
the batch: :attr:`BatchResult.acked`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import psycopg

from hub.domain.intake import ChainHead, Outcome, Verdict, judge
from hub.domain.projections import (
    file_reference,
    file_rows,
    history_rows,
    replay_event,
    ticket_rows,
    touched,
)
from hub.store import alarms, centers, projections
from hub.store import events as event_rows
from nafitha.chain import SignedHead, load_public_key
from nafitha.national.wire import WireError, WireEvent, decode


class UnknownCenter(LookupError):
    """A batch for a center the hub has no row for (hub.toml and the database disagree)."""


@dataclass(frozen=True)
class Message:
    """One message as fetched: its body and, when known, its seq in the leaf's stream."""

    raw: bytes
    stream_seq: int | None = None


@dataclass
class BatchResult:
    acked: int = 0  # acknowledge messages[:acked], and none after
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    head: ChainHead = field(default_factory=ChainHead)
    stopped: Verdict | None = None  # this batch stopped the center
    gap_to_confirm: Verdict | None = None  # a gap not yet confirmed (see take_batch)
    was_stopped: bool = False  # the center was already stopped: nothing was looked at


def _decoded(center: str, messages: Sequence[Message]) -> list[WireEvent | WireError]:
    out: list[WireEvent | WireError] = []
    for message in messages:
        try:
            out.append(decode(center, message.raw))
        except WireError as exc:
            out.append(exc)
    return out


def take_batch(
    conn: psycopg.Connection,
    center: str,
    messages: Sequence[Message],
    now: float,
    *,
    gap_is_final: bool = True,
) -> BatchResult:
    """Judge and store ``messages`` of ``center`` in one transaction (see the module's doc).

    With ``gap_is_final=False`` a gap ends the batch without stopping the center
    (``gap_to_confirm``): the writer first reads again from its own recorded position with a
    fresh consumer, since a transport that lost a delivery in a reconnect can make a gap that
    is not in the leaf's stream; only a gap seen again is a real one.
    """
    items = _decoded(center, messages)
    with conn.transaction():
        state = centers.lock(conn, center)
        if state is None:
            raise UnknownCenter(center)
        result = BatchResult(head=state.head)
        if state.status == "stopped":
            result.was_stopped = True
            return result
        key = load_public_key(state.public_key) if state.public_key else None
        held = event_rows.hashes_at(
            conn, center, [e.seq for e in items if isinstance(e, WireEvent)]
        )

        def hash_at(seq: int) -> str | None:
            if seq not in held:
                held.update(event_rows.hashes_at(conn, center, [seq]))
            return held.get(seq)

        accepted: list[WireEvent] = []
        signed: SignedHead | None = None
        for index, item in enumerate(items):
            if isinstance(item, WireError):
                message = messages[index]
                reason = str(item)
                alarms.reject(conn, center, reason, message.raw, message.stream_seq, now)
                alarms.raise_alarm(conn, center, None, "rejected", reason, now)
                result.rejected += 1
                result.acked = index + 1
                continue
            verdict = judge(result.head, item, key, hash_at)
            if verdict.outcome is Outcome.DUPLICATE:
                result.duplicates += 1
            elif verdict.outcome is Outcome.GAP and not gap_is_final:
                result.gap_to_confirm = verdict
                break
            elif verdict.stops:
                alarms.raise_alarm(conn, center, item.seq, verdict.outcome, verdict.detail, now)
                centers.stop(conn, center, f"{verdict.outcome}: {verdict.detail}")
                result.stopped = verdict
                break
            else:
                accepted.append(item)
                held[item.seq] = item.hash
                result.head = ChainHead(item.seq, item.hash)
                signed = verdict.signed or signed
            result.acked = index + 1
        _store(conn, center, accepted, now)
        result.accepted = len(accepted)
        centers.move_head(
            conn,
            center,
            head=result.head,
            head_at=accepted[-1].at if accepted else None,
            received_at=now,
            duplicates=result.duplicates,
            signed=signed,
            stream_seq=messages[result.acked - 1].stream_seq if result.acked else None,
        )
    return result


def _store(conn: psycopg.Connection, center: str, accepted: list[WireEvent], now: float) -> None:
    """The accepted events, their personal parts, and the projections they change."""
    if not accepted:
        return
    parsed = [replay_event(event) for event in accepted]
    references = [file_reference(p["kind"], p["data"]) for p in parsed]
    event_rows.insert(conn, center, list(zip(accepted, references, strict=True)), now)
    personal = [
        (event.seq, reference, event.personal)
        for event, reference in zip(accepted, references, strict=True)
        if event.personal
    ]
    if personal:
        event_rows.insert_personal(conn, center, personal)
    # Each touched ticket and file replayed over all of its events: the earlier ones read back
    # (parsed again), the batch's own already parsed.
    first = accepted[0].seq
    ticket_ids, file_refs = touched(parsed)
    if ticket_ids:
        earlier = event_rows.of_tickets(conn, center, ticket_ids, before=first)
        mine = [p for p in parsed if p["ticket_id"] in ticket_ids]
        projections.write_tickets(conn, center, ticket_rows(earlier + mine))
    if file_refs:
        earlier = event_rows.of_files(conn, center, file_refs, before=first)
        mine = [p for p, ref in zip(parsed, references, strict=True) if ref is not None]
        projections.write_files(conn, center, file_rows(earlier + mine))
        projections.write_history(conn, center, history_rows(earlier + mine))


def note_contact(conn: psycopg.Connection, center: str, now: float) -> None:
    """The center's leaf answered a fetch with nothing new: it is in contact all the same."""
    centers.touch(conn, center, now)
