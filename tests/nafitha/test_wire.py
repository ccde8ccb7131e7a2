"""The national wire format: what a center sends is what the hub reads, and bad bodies are named."""

from __future__ import annotations

import json

import pytest

from nafitha.chain import GENESIS, canonical, event_hash
from nafitha.national.wire import MAX_MESSAGE_BYTES, WireError, decode, encode, msg_id, subject


def _row(seq: int = 1, **over: object) -> dict:
    row = {
        "id": seq,
        "at": 1764400000.125,
        "kind": "file_opened",
        "actor": "clerk1",
        "counter": "c1",
        "device": None,
        "ticket_id": 7,
        "data": canonical({"reference": "7KQ2M9XD4", "نص": "عربي"}),
        "public": None,
        "prev_hash": GENESIS,
    }
    row.update(over)
    row["hash"] = event_hash(row["prev_hash"], row)
    return row


def test_a_row_travels_byte_for_byte_so_the_hub_recomputes_its_hash() -> None:
    row = _row()
    event = decode("beirut-1", encode("beirut-1", row, {"name": "سارة", "phone": "+961"}))
    assert event.row() == row
    assert event_hash(event.prev_hash, event.row()) == row["hash"]
    assert event.personal == {"name": "سارة", "phone": "+961"}
    assert subject("beirut-1") == "nafitha.beirut-1.events"
    assert msg_id("beirut-1", 5) == "beirut-1:5"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"center": "other"}, "claims center"),
        ({"seq": 0}, "seq"),
        ({"seq": True}, "seq"),
        ({"hash": "x" * 64}, "hash"),
        ({"data": "[1]"}, "JSON object"),
        ({"data": "{"}, "not JSON"),
        ({"kind": "DROP TABLE"}, "kind"),
        ({"personal": {"address": "x"}}, "personal"),
        ({"extra": 1}, "unknown fields"),
        ({"v": 2}, "wire version"),
    ],
)
def test_a_malformed_body_is_refused_with_its_reason(change: dict, reason: str) -> None:
    body = json.loads(encode("c1", _row()))
    body.update(change)
    with pytest.raises(WireError, match=reason):
        decode("c1", json.dumps(body).encode())


def test_oversized_and_non_json_bodies_are_refused() -> None:
    with pytest.raises(WireError, match="over"):
        decode("c1", b" " * (MAX_MESSAGE_BYTES + 1))
    with pytest.raises(WireError, match="not JSON"):
        decode("c1", b"\xff\xfe")
    with pytest.raises(WireError):
        encode("c1", _row(data=canonical({"big": "x" * MAX_MESSAGE_BYTES})))
    with pytest.raises(ValueError):
        subject("Bad.Center")
