"""A batch of one center's messages into a real PostgreSQL (hub/usecases/intake.py)."""

from __future__ import annotations

import json

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.store import alarms, centers
from hub.store import events as event_rows
from hub.store.database import PERSONAL_ROLE, connect, connect_reader
from hub.store.migrations import MIGRATIONS, migrate
from hub.usecases.intake import Message, take_batch
from hub.usecases.status import resume
from nafitha.chain import canonical, public_key_text
from nafitha.national.wire import MAX_MESSAGE_BYTES, encode
from tests.hub.chains import chain, rehash, row, wire

KEY = Ed25519PrivateKey.generate()
NOW = 1_900_000_000.0


@pytest.fixture
def conn(pg_dsn: str):
    with connect(pg_dsn) as conn:
        centers.register(
            conn,
            [
                ("c1", {"ar": "مركز 1", "en": "Center 1"}, public_key_text(KEY.public_key())),
                ("c2", {"ar": "مركز 2", "en": "Center 2"}, public_key_text(KEY.public_key())),
            ],
        )
        yield conn


def batch(conn, center: str, bodies: list[bytes]):
    return take_batch(conn, center, [Message(b, i + 1) for i, b in enumerate(bodies)], NOW)


def held(conn, center: str) -> list[int]:
    return event_rows.seqs(conn, center)


def test_a_chain_is_accepted_in_batches_and_the_head_follows(conn) -> None:
    rows = chain(25, KEY, sign_every=10)
    first = batch(conn, "c1", wire("c1", rows[:12]))
    assert (first.acked, first.accepted, first.duplicates) == (12, 12, 0)
    second = batch(conn, "c1", wire("c1", rows[12:]))
    assert (second.acked, second.accepted) == (13, 13)
    assert held(conn, "c1") == list(range(1, 26))
    state = centers.one(conn, "c1")
    assert state["head_seq"] == 25 and state["head_hash"] == rows[-1]["hash"]
    assert state["signed_seq"] == 19 and state["signed_hash"] == rows[18]["hash"]
    assert state["status"] == "running" and state["last_contact"] == NOW
    stored = conn.execute("SELECT data FROM events WHERE center = 'c1' AND seq = 7").fetchone()
    assert stored[0] == rows[6]["data"]  # the exact text that was hashed


def test_redelivered_events_are_counted_and_acked_never_written_twice(conn) -> None:
    rows = chain(10)
    batch(conn, "c1", wire("c1", rows[:6]))
    again = batch(conn, "c1", wire("c1", rows))  # 1..6 again, then 7..10
    assert (again.acked, again.accepted, again.duplicates) == (10, 4, 6)
    assert held(conn, "c1") == list(range(1, 11))
    assert centers.one(conn, "c1")["duplicates"] == 6


def test_a_gap_stops_the_center_and_nothing_after_it_is_applied_or_acked(conn) -> None:
    rows = chain(10)
    result = batch(conn, "c1", wire("c1", rows[:3] + rows[4:]))
    assert result.acked == 3 and result.accepted == 3
    assert result.stopped is not None and result.stopped.outcome == "gap"
    assert held(conn, "c1") == [1, 2, 3]
    state = centers.one(conn, "c1")
    assert state["status"] == "stopped" and "4..4" in state["stopped_reason"]
    [alarm] = alarms.open_alarms(conn, "c1")
    assert (alarm["kind"], alarm["seq"]) == ("gap", 5)
    later = batch(conn, "c1", wire("c1", rows[3:]))  # stopped: not even looked at
    assert later.was_stopped and later.acked == 0 and held(conn, "c1") == [1, 2, 3]


def test_other_centers_go_on_while_one_is_stopped(conn) -> None:
    rows = chain(5)
    batch(conn, "c1", wire("c1", rows[1:]))  # a gap from the start
    assert centers.one(conn, "c1")["status"] == "stopped"
    assert batch(conn, "c2", wire("c2", rows)).accepted == 5
    assert held(conn, "c2") == [1, 2, 3, 4, 5]


def test_an_event_edited_at_the_center_stops_it_with_a_fork_alarm(conn) -> None:
    rows = chain(8)
    batch(conn, "c1", wire("c1", rows[:5]))
    rows[2]["data"] = canonical({"n": "edited"})
    rehash(rows, 2)  # the editor re-chains the log; the hub already holds 3..5
    result = batch(conn, "c1", wire("c1", rows))
    assert result.stopped is not None and result.stopped.outcome == "fork"
    assert result.acked == 2 and result.duplicates == 2
    assert held(conn, "c1") == [1, 2, 3, 4, 5]
    assert alarms.open_alarms(conn, "c1")[0]["seq"] == 3


def test_a_bad_hash_stops_and_an_unknown_kind_stops(conn) -> None:
    rows = chain(4)
    bad = dict(rows[2], data=canonical({"n": "changed in flight"}))
    result = batch(conn, "c1", wire("c1", [*rows[:2], bad, rows[3]]))
    assert result.stopped.outcome == "bad_hash" and result.acked == 2
    newer = row(1, rows[0]["prev_hash"], "teleport_citizen")
    result = batch(conn, "c2", wire("c2", [newer]))
    assert result.stopped.outcome == "unknown_kind" and result.acked == 0
    assert centers.one(conn, "c2")["status"] == "stopped"


def test_malformed_oversized_and_foreign_messages_are_kept_alarmed_acked_and_skipped(
    conn,
) -> None:
    rows = chain(3)
    foreign = encode("c2", rows[1])  # claims c2 on c1's stream
    huge = b"{" + b" " * MAX_MESSAGE_BYTES + b"}"
    bodies = [wire("c1", rows[:1])[0], b"not json \xff", foreign, huge, *wire("c1", rows[1:])]
    result = batch(conn, "c1", bodies)
    assert (result.acked, result.accepted, result.rejected) == (6, 3, 3)
    assert result.stopped is None and held(conn, "c1") == [1, 2, 3]
    kept = alarms.rejected(conn, "c1")
    assert [bytes(r["raw"]) for r in kept] == [b"not json \xff", foreign, huge]
    assert [r["stream_seq"] for r in kept] == [2, 3, 4]
    assert "claims center 'c2'" in kept[1]["reason"]
    assert len(alarms.open_alarms(conn, "c1")) == 3
    assert centers.one(conn, "c1")["status"] == "running"


def test_personal_data_is_readable_only_by_the_ministry_role(conn, pg_dsn: str) -> None:
    rows = chain(2)
    person = {"name": "سلمى", "national_id": "0101", "phone": "+963 11"}
    batch(conn, "c1", wire("c1", rows, {2: person}))
    assert event_rows.personal_of(conn, "c1")[2]["name"] == "سلمى"
    with connect_reader(pg_dsn) as reader:
        assert len(event_rows.seqs(reader, "c1")) == 2  # the reader sees the events...
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            event_rows.personal_of(reader, "c1")  # ...never the personal part
    with connect(pg_dsn, role=PERSONAL_ROLE) as ministry:
        assert event_rows.personal_of(ministry, "c1")[2]["phone"] == "+963 11"
    body = conn.execute("SELECT data FROM events WHERE seq = 2").fetchone()[0]
    assert "سلمى" not in body and "سلمى" not in json.dumps(centers.overview(conn), default=str)


def test_migrations_run_once(conn) -> None:
    assert migrate(conn) == []
    versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY 1")]
    assert versions == [number for number, _, _ in MIGRATIONS]


def test_a_gap_to_confirm_ends_the_batch_without_stopping_and_the_position_is_kept(conn) -> None:
    rows = chain(10)
    bodies = wire("c1", rows[:4] + rows[6:])
    messages = [Message(b, 100 + i) for i, b in enumerate(bodies)]
    result = take_batch(conn, "c1", messages, NOW, gap_is_final=False)
    assert result.stopped is None and result.gap_to_confirm is not None
    assert (result.acked, result.accepted) == (4, 4)
    state = centers.one(conn, "c1")
    assert state["status"] == "running" and state["head_seq"] == 4
    assert centers.stream_position(conn, "c1") == 103  # the last message dealt with
    assert alarms.open_alarms(conn, "c1") == []
    again = take_batch(conn, "c1", messages[4:], NOW)  # read again, the gap is still there
    assert again.stopped is not None and again.stopped.outcome == "gap"
    assert centers.stream_position(conn, "c1") == 103


def test_resume_reads_the_leaf_again_from_its_start(conn) -> None:
    rows = chain(3)
    take_batch(conn, "c1", [Message(b, 7 + i) for i, b in enumerate(wire("c1", rows[1:]))], NOW)
    assert centers.one(conn, "c1")["status"] == "stopped"
    assert resume(conn, "c1", "amal", NOW) == 1
    assert centers.stream_position(conn, "c1") == 0 and alarms.open_alarms(conn, "c1") == []
    assert resume(conn, "c1", "amal", NOW) is None  # not stopped any more
