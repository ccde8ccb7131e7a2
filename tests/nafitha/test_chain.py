"""The chain's hash and the head signatures: fixed vectors (a center and the hub must agree byte
for byte, and logs written before stay valid), and every alteration refused."""

from __future__ import annotations

from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from nafitha.chain import (
    GENESIS,
    Head,
    SignedHead,
    canonical,
    event_hash,
    key_id,
    load_public_key,
    parse_head,
    public_key_text,
    sign_head,
    verify_head,
)

ROW = {
    "id": 1,
    "at": 1795420800.5,
    "kind": "ticket_issued",
    "actor": "demo-kiosk-1",
    "counter": None,
    "device": "demo-kiosk-1",
    "ticket_id": 1,
    "data": canonical({"number": "A-001", "ملاحظة": "نعم"}),
    "public": None,
}
# Computed by the hash function the first logs were written with: it must never change.
ROW_HASH = "ba3470a640e339032920844d4f544c47a0b22d3a00e82eba0d525c6049629820"
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
SIGNATURE = (
    "N/K1Dep5aAnTP3MAdIiZ7yPKFdIyuG52tWgeRTXspTTwYPqGWCLDSvEyi1HlufAcvxrBVWPYBXESz9d3xUvVBQ=="
)


def test_the_event_hash_is_the_one_existing_logs_were_written_with() -> None:
    assert event_hash(GENESIS, ROW) == ROW_HASH
    assert event_hash(GENESIS, {**ROW, "actor": "clerk2"}) != ROW_HASH
    assert event_hash("1" * 64, ROW) != ROW_HASH


def test_a_signed_head_is_deterministic_and_verifies() -> None:
    signed = sign_head(KEY, Head(1, ROW_HASH), 1795420801.0)
    assert signed.signature == SIGNATURE and signed.key == key_id(KEY.public_key())
    public = load_public_key(public_key_text(KEY.public_key()))
    assert verify_head(public, signed)
    assert SignedHead.from_json(signed.to_json()) == signed


@pytest.mark.parametrize(
    "change",
    [
        {"seq": 2},
        {"hash": "0" * 64},
        {"at": 1795420802.0},
        {"signature": SIGNATURE[:-4] + "AAA="},
        {"signature": "not base64!"},
        {"key": "0" * 16},
    ],
)
def test_any_change_to_a_signed_head_is_refused(change: dict[str, object]) -> None:
    signed = sign_head(KEY, Head(1, ROW_HASH), 1795420801.0)
    assert not verify_head(KEY.public_key(), replace(signed, **change))  # type: ignore[arg-type]


def test_another_key_does_not_verify() -> None:
    signed = sign_head(KEY, Head(1, ROW_HASH), 1795420801.0)
    assert not verify_head(Ed25519PrivateKey.generate().public_key(), signed)


@pytest.mark.parametrize(
    "text", ["", "12", "12:", "x:" + "a" * 64, "12:" + "g" * 64, "-1:" + "a" * 64]
)
def test_a_malformed_head_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_head(text)


def test_a_head_is_read_as_an_auditor_writes_it() -> None:
    assert parse_head(f" 42:{ROW_HASH.upper()} ") == Head(42, ROW_HASH)


@pytest.mark.parametrize(
    "value",
    [[], {"seq": 1}, {"seq": 0, "hash": ROW_HASH, "at": 1, "key": "k", "signature": "s"},
     {"seq": "x", "hash": ROW_HASH, "at": 1, "key": "k", "signature": "s"}],
)  # fmt: skip
def test_a_malformed_signed_head_is_refused(value: object) -> None:
    with pytest.raises(ValueError):
        SignedHead.from_json(value)


def test_a_malformed_public_key_is_refused() -> None:
    with pytest.raises(ValueError):
        load_public_key("AAAA")
