"""``hub verify``'s checks (hub/usecases/verify.py) on a real PostgreSQL: a sound chain passes;
an event changed at the hub, a missing event, a bad signed head, a differing leaf are named."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.store import centers
from hub.store.database import connect
from hub.usecases.intake import Message, take_batch
from hub.usecases.leaf import LastRelayed
from hub.usecases.verify import compare_with_leaf, verify_chain
from nafitha.chain import public_key_text
from tests.hub.chains import chain, wire

KEY = Ed25519PrivateKey.generate()


@pytest.fixture
def conn(pg_dsn: str):
    with connect(pg_dsn) as conn:
        centers.register(conn, [("c1", {"ar": "١", "en": "1"}, public_key_text(KEY.public_key()))])
        yield conn


@pytest.fixture
def rows(conn) -> list[dict]:
    rows = chain(30, KEY, sign_every=10)
    result = take_batch(conn, "c1", [Message(b) for b in wire("c1", rows)], 1.0)
    assert result.accepted == 30
    return rows


def test_a_sound_chain_passes_and_agrees_with_its_leaf(conn, rows) -> None:
    check = verify_chain(conn, "c1")
    assert check.ok and check.events == 30 and check.head_seq == 30
    assert "3 signed heads (newest signs 29)" in check.notes[0]
    compare_with_leaf(conn, check, LastRelayed(30, rows[-1]["at"], rows[-1]["hash"]))
    compare_with_leaf(conn, check, LastRelayed(35, None, "a" * 64))
    assert check.ok and "5 events behind" in check.notes[-1]


def test_an_event_changed_at_the_hub_is_named(conn, rows) -> None:
    conn.execute("UPDATE events SET data = '{\"n\":0}' WHERE center = 'c1' AND seq = 12")
    assert verify_chain(conn, "c1").problems == [
        "event 12 does not hash to its hash (changed at the hub)"
    ]


def test_a_deleted_event_and_a_moved_head_are_named(conn, rows) -> None:
    conn.execute("DELETE FROM events WHERE center = 'c1' AND seq = 30")
    problems = verify_chain(conn, "c1").problems
    assert problems == ["the centers row says head 30, the events end at 29"]
    conn.execute("DELETE FROM events WHERE center = 'c1' AND seq = 5")
    problems = verify_chain(conn, "c1").problems
    assert "events 5..5 are missing" in problems and "event 6 does not link to event 5" in problems


def test_a_signed_head_by_another_key_is_named(conn, rows) -> None:
    other = public_key_text(Ed25519PrivateKey.generate().public_key())
    conn.execute("UPDATE centers SET public_key = %s WHERE id = 'c1'", [other])
    problems = verify_chain(conn, "c1").problems
    assert problems == [f"event {s}: the signed head does not verify" for s in (10, 20, 30)]


def test_a_leaf_whose_event_differs_from_the_hub_copy_is_named(conn, rows) -> None:
    check = verify_chain(conn, "c1")
    compare_with_leaf(conn, check, LastRelayed(25, None, "b" * 64))
    assert not check.ok and "the center's log differs" in check.problems[0]
