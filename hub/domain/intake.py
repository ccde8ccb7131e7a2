"""What the hub does with one arriving event of a center: the writer's whole decision, pure.

The transport (NATS JetStream) delivers at least once and, after crashes, may deliver again
what was already acknowledged (docs/national.md, fact 6). The hub therefore trusts none of its
counters: it keeps each center's head (the last accepted seq and its hash) and accepts an event
only as the next link of that chain, with a hash it recomputed itself. Anything else is either a
harmless redelivery (the same seq with the same hash: a duplicate) or a reason to stop that
center's intake and call a person (a gap, a fork, a bad hash or signature, a kind this hub does
not know). Nothing is ever skipped: the hub's copy is the national record of what a center did.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from nafitha.chain import GENESIS, SignedHead, event_hash, key_id, verify_head
from nafitha.national.wire import KNOWN_KINDS, WireEvent


class Outcome(StrEnum):
    ACCEPT = "accept"
    DUPLICATE = "duplicate"
    GAP = "gap"
    FORK = "fork"
    BAD_HASH = "bad_hash"
    BAD_SIGNATURE = "bad_signature"
    UNKNOWN_KIND = "unknown_kind"


# The outcomes that stop a center's intake: an alarm, the message not acknowledged.
STOPPING = frozenset(
    {Outcome.GAP, Outcome.FORK, Outcome.BAD_HASH, Outcome.BAD_SIGNATURE, Outcome.UNKNOWN_KIND}
)


@dataclass(frozen=True)
class ChainHead:
    """A center's head at the hub: the last accepted event's seq and hash (0, GENESIS: none)."""

    seq: int = 0
    hash: str = GENESIS


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    detail: str = ""
    signed: SignedHead | None = None  # a chain_signed event's head, verified

    @property
    def stops(self) -> bool:
        return self.outcome in STOPPING


HashAt = Callable[[int], "str | None"]


def _short(value: str | None) -> str:
    return f"{value[:12]}..." if value else "(none)"


def judge(
    head: ChainHead,
    event: WireEvent,
    center_key: Ed25519PublicKey | None,
    hash_at: HashAt,
) -> Verdict:
    """The verdict on ``event`` given the center's ``head`` at the hub.

    ``hash_at(seq)`` is the hash the hub holds for an earlier event of this center (None when it
    holds none): used to tell a duplicate from a fork, and to check what a signed head signed.
    ``center_key`` is the center's audit public key (None: signed heads cannot be accepted).
    """
    recomputed = event_hash(event.prev_hash, event.row())
    if event.seq <= head.seq:
        held = hash_at(event.seq)
        if held != event.hash:
            return Verdict(
                Outcome.FORK,
                f"event {event.seq} arrived with hash {_short(event.hash)}, the hub holds"
                f" {_short(held)}: the center's log is not the one it sent before",
            )
        if recomputed != event.hash:
            return Verdict(
                Outcome.BAD_HASH,
                f"event {event.seq} was resent with content that does not hash to its hash",
            )
        return Verdict(Outcome.DUPLICATE)
    if event.seq > head.seq + 1:
        return Verdict(
            Outcome.GAP,
            f"event {event.seq} arrived, the hub's head is {head.seq}: events"
            f" {head.seq + 1}..{event.seq - 1} are missing",
        )
    if event.prev_hash != head.hash:
        return Verdict(
            Outcome.FORK,
            f"event {event.seq} links to {_short(event.prev_hash)}, the hub's event {head.seq}"
            f" has hash {_short(head.hash)}: an earlier event was changed at the center",
        )
    if recomputed != event.hash:
        return Verdict(
            Outcome.BAD_HASH,
            f"event {event.seq} claims hash {_short(event.hash)}, its content hashes to"
            f" {_short(recomputed)}: it was changed after it was chained",
        )
    if event.kind not in KNOWN_KINDS:
        return Verdict(
            Outcome.UNKNOWN_KIND,
            f"event {event.seq} is of kind {event.kind!r}, unknown to this hub: upgrade the hub",
        )
    if event.kind == "chain_signed":
        return _judge_signed(event, center_key, hash_at)
    return Verdict(Outcome.ACCEPT)


def _judge_signed(
    event: WireEvent, center_key: Ed25519PublicKey | None, hash_at: HashAt
) -> Verdict:
    """A ``chain_signed`` event: its head must verify with the center's key and name an event
    the hub already holds, with the same hash."""
    try:
        signed = SignedHead.from_json(json.loads(event.data))
    except ValueError as exc:
        return Verdict(Outcome.BAD_SIGNATURE, f"event {event.seq}: {exc}")
    if center_key is None:
        return Verdict(
            Outcome.BAD_SIGNATURE,
            f"event {event.seq} holds a signed head, but the hub has no public key for this"
            " center (set public_key in hub.toml)",
        )
    if signed.key != key_id(center_key):
        return Verdict(
            Outcome.BAD_SIGNATURE,
            f"event {event.seq}: head {signed.seq} signed by key {signed.key}, the hub knows"
            f" this center's key as {key_id(center_key)}",
        )
    if not verify_head(center_key, signed):
        return Verdict(
            Outcome.BAD_SIGNATURE,
            f"event {event.seq}: the signature of head {signed.seq} does not verify",
        )
    if signed.seq >= event.seq:
        return Verdict(
            Outcome.BAD_SIGNATURE,
            f"event {event.seq} signs head {signed.seq}, which is not an earlier event",
        )
    held = hash_at(signed.seq)
    if held != signed.hash:
        return Verdict(
            Outcome.BAD_SIGNATURE,
            f"event {event.seq} signs event {signed.seq} with hash {_short(signed.hash)}, the"
            f" hub holds {_short(held)} for it",
        )
    return Verdict(Outcome.ACCEPT, signed=signed)
