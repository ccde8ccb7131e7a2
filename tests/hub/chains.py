"""Synthetic event chains of a center, built with the center's own hash function, for hub tests."""

from __future__ import annotations

import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from nafitha.chain import GENESIS, Head, canonical, event_hash, sign_head
from nafitha.national.wire import WireEvent, decode, encode


def row(seq: int, prev: str, kind: str = "counter_opened", **fields: Any) -> dict[str, Any]:
    """One chained event row as a center stores it."""
    data = fields.pop("data", {"n": seq})
    out = {
        "id": seq,
        "at": 1_800_000_000.0 + seq,
        "kind": kind,
        "actor": fields.pop("actor", "clerk1"),
        "counter": fields.pop("counter", "c1"),
        "device": fields.pop("device", None),
        "ticket_id": fields.pop("ticket_id", None),
        "data": canonical(data),
        "public": fields.pop("public", None),
        "prev_hash": prev,
    }
    assert not fields, fields
    out["hash"] = event_hash(prev, out)
    return out


def chain(count: int, key: Ed25519PrivateKey | None = None, sign_every: int = 0) -> list[dict]:
    """``count`` chained rows; with ``key``, every ``sign_every``-th is a ``chain_signed`` event
    signing the event before it."""
    rows: list[dict[str, Any]] = []
    prev = GENESIS
    for seq in range(1, count + 1):
        if key is not None and sign_every and seq % sign_every == 0:
            signed = sign_head(key, Head(seq - 1, prev), at=1_800_000_000.0 + seq)
            new = row(seq, prev, "chain_signed", data=signed.to_json(), counter=None)
        else:
            new = row(seq, prev)
        rows.append(new)
        prev = new["hash"]
    return rows


def wire(center: str, rows: list[dict], personal: dict[int, dict] | None = None) -> list[bytes]:
    return [encode(center, r, (personal or {}).get(r["id"])) for r in rows]


def event(center: str, r: dict) -> WireEvent:
    return decode(center, encode(center, r))


def rehash(rows: list[dict], start: int) -> None:
    """Re-chain rows from index ``start`` on (what someone who edits the log would do)."""
    prev = rows[start - 1]["hash"] if start else GENESIS
    for r in rows[start:]:
        r["prev_hash"] = prev
        r["hash"] = event_hash(prev, r)
        prev = r["hash"]


def data_of(r: dict) -> dict:
    return json.loads(r["data"])
