"""``nafitha hub verify``: every center's chain recomputed from PostgreSQL, and compared with the
center's leaf where it can be reached.

Per center: the seqs run 1..head with no gap; each event links to the one before and hashes to
its hash (:func:`nafitha.chain.event_hash`); each ``chain_signed`` event verifies with the
center's public key and signs a hash the hub holds; the ``centers`` row's head and newest
signed head agree with the events. Then, when the center's leaf answers through the leaf link,
its newest relayed event must be one the hub holds with the same hash (or lie ahead of the hub's
head: the lag).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

import psycopg

from hub.store import centers
from hub.store import events as event_rows
from hub.usecases.leaf import LastRelayed, connect, last_relayed
from nafitha.chain import GENESIS, SignedHead, event_hash, load_public_key, verify_head
from nafitha.national.wire import domain


@dataclass
class CenterCheck:
    center: str
    events: int = 0
    head_seq: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(conn: psycopg.Connection, center: str) -> CenterCheck:
    """Recompute ``center``'s chain as the hub holds it (see the module's doc)."""
    check = CenterCheck(center)
    row = centers.one(conn, center)
    if row is None:
        check.problems.append("unknown to the hub's database")
        return check
    key = load_public_key(row["public_key"]) if row["public_key"] else None
    prev, expected = GENESIS, 1
    signed: list[tuple[int, SignedHead]] = []
    for event in event_rows.chain(conn, center):
        seq = event["id"]
        if seq != expected:
            check.problems.append(f"events {expected}..{seq - 1} are missing")
        if event["prev_hash"] != prev:
            check.problems.append(f"event {seq} does not link to event {seq - 1}")
        if event_hash(event["prev_hash"], event) != event["hash"]:
            check.problems.append(f"event {seq} does not hash to its hash (changed at the hub)")
        if event["kind"] == "chain_signed":
            try:
                head = SignedHead.from_json(json.loads(event["data"]))
            except ValueError as exc:
                check.problems.append(f"event {seq}: {exc}")
            else:
                if key is None or not verify_head(key, head):
                    check.problems.append(f"event {seq}: the signed head does not verify")
                signed.append((seq, head))
        prev, expected = event["hash"], seq + 1
        check.events += 1
    check.head_seq = expected - 1
    if (row["head_seq"], row["head_hash"]) != (expected - 1, prev):
        check.problems.append(
            f"the centers row says head {row['head_seq']}, the events end at {expected - 1}"
        )
    held = event_rows.hashes_at(conn, center, [h.seq for _, h in signed])
    for seq, head in signed:
        if held.get(head.seq) != head.hash:
            check.problems.append(f"event {seq} signs event {head.seq} with another hash")
    if (
        row["signed_seq"] is not None
        and held.get(row["signed_seq"], row["signed_hash"]) != (row["signed_hash"])
    ):
        check.problems.append(f"the newest signed head {row['signed_seq']} is not in the chain")
    check.notes.append(
        f"{check.events} events, head {check.head_seq}, {len(signed)} signed heads"
        + (f" (newest signs {signed[-1][1].seq})" if signed else "")
    )
    if row["status"] == "stopped":
        check.notes.append(f"intake stopped: {row['stopped_reason']}")
    return check


def compare_with_leaf(conn: psycopg.Connection, check: CenterCheck, leaf: LastRelayed) -> None:
    """The leaf's newest relayed event against the hub's chain (added to ``check``)."""
    if leaf.seq == 0:
        check.notes.append("the leaf's stream is empty")
        return
    if leaf.seq > check.head_seq:
        check.notes.append(
            f"the leaf holds up to event {leaf.seq}: the hub is {leaf.seq - check.head_seq}"
            " events behind"
        )
        return
    held = event_rows.hashes_at(conn, check.center, [leaf.seq]).get(leaf.seq)
    if held != leaf.hash:
        check.problems.append(
            f"the leaf's event {leaf.seq} has hash {str(leaf.hash)[:12]}..., the hub holds"
            f" {str(held)[:12]}...: the center's log differs from the hub's copy"
        )
    else:
        check.notes.append(f"the leaf's newest event {leaf.seq} matches the hub's")


async def ask_leaves(
    url: str, password: str, center_ids: list[str], timeout: float = 5.0
) -> dict[str, LastRelayed | str]:
    """Each center's newest relayed event, asked through the hub's nats-server; a text saying
    why when its leaf cannot be reached."""

    async def one(center: str) -> LastRelayed | str:
        try:
            nc = await connect(url, password, center, timeout=timeout, reconnect=False)
        except Exception as exc:  # nats-py raises several unrelated types when it cannot connect
            return f"the hub's nats-server cannot be reached ({type(exc).__name__})"
        try:
            js = nc.jetstream(domain=domain(center), timeout=timeout)
            return await asyncio.wait_for(last_relayed(js, center), timeout)
        except Exception as exc:  # no responders, timeouts: the leaf or its link is away
            return f"unreachable ({type(exc).__name__})"
        finally:
            await nc.close()

    answers = await asyncio.gather(*(one(c) for c in center_ids))
    return dict(zip(center_ids, answers, strict=True))
