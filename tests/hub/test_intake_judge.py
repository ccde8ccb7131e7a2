"""The hub writer's decision on one event (hub/domain/intake.py): pure, against synthetic chains."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from hub.domain.intake import ChainHead, Outcome, judge
from nafitha.chain import canonical, event_hash
from tests.hub.chains import chain, data_of, event, row

KEY = Ed25519PrivateKey.generate()
ROWS = chain(30, KEY, sign_every=7)
HASHES = {r["id"]: r["hash"] for r in ROWS}
PUBLIC = KEY.public_key()


def head_at(seq: int) -> ChainHead:
    return ChainHead(seq, HASHES[seq]) if seq else ChainHead()


def held_up_to(seq: int):
    return lambda s: HASHES[s] if s <= seq else None


def verdict(r: dict, head: int, key=PUBLIC):
    return judge(head_at(head), event("c1", r), key, held_up_to(head))


@given(st.integers(0, 29), st.integers(1, 30))
def test_an_event_is_accepted_only_as_the_next_link(head: int, seq: int) -> None:
    outcome = verdict(ROWS[seq - 1], head).outcome
    if seq <= head:
        assert outcome is Outcome.DUPLICATE
    elif seq == head + 1:
        assert outcome is Outcome.ACCEPT
    else:
        assert outcome is Outcome.GAP


def test_signed_heads_are_verified_and_returned() -> None:
    result = verdict(ROWS[6], 6)
    assert result.outcome is Outcome.ACCEPT
    assert result.signed is not None and result.signed.seq == 6
    assert result.signed.hash == HASHES[6]


def test_a_signed_head_by_another_key_stops_the_center() -> None:
    other = Ed25519PrivateKey.generate().public_key()
    result = verdict(ROWS[6], 6, key=other)
    assert result.outcome is Outcome.BAD_SIGNATURE and result.stops
    assert "signed by key" in result.detail


def test_a_signed_head_without_a_key_at_the_hub_stops_the_center() -> None:
    assert verdict(ROWS[6], 6, key=None).outcome is Outcome.BAD_SIGNATURE


def test_a_signed_head_of_a_hash_the_hub_does_not_hold_stops_the_center() -> None:
    rows = chain(7, KEY, sign_every=7)
    result = judge(head_at(6), event("c1", rows[6]), KEY.public_key(), lambda s: "f" * 64)
    assert result.outcome is Outcome.BAD_SIGNATURE
    assert "the hub holds" in result.detail


def test_a_forged_signature_stops_the_center() -> None:
    signed = data_of(ROWS[6])
    signed["at"] = signed["at"] + 1  # the signature no longer covers the message
    forged = row(7, HASHES[6], "chain_signed", data=signed, counter=None)
    result = judge(head_at(6), event("c1", forged), KEY.public_key(), held_up_to(6))
    assert result.outcome is Outcome.BAD_SIGNATURE and "does not verify" in result.detail


def test_an_edited_event_is_a_bad_hash() -> None:
    edited = dict(ROWS[3], data=canonical({"n": 999}))
    result = verdict(edited, 3)
    assert result.outcome is Outcome.BAD_HASH and result.stops


def test_an_edited_and_rehashed_event_is_a_fork_at_the_next_one() -> None:
    edited = dict(ROWS[3], data=canonical({"n": 999}))
    edited["hash"] = event_hash(edited["prev_hash"], edited)
    assert verdict(edited, 3).outcome is Outcome.ACCEPT  # the hub cannot tell on its own...
    following = dict(ROWS[4], prev_hash=edited["hash"])
    following["hash"] = event_hash(edited["hash"], following)
    assert verdict(following, 4).outcome is Outcome.FORK  # ...but its copy of 4 links elsewhere


def test_a_resent_event_with_another_hash_is_a_fork() -> None:
    edited = dict(ROWS[3], data=canonical({"n": 999}))
    edited["hash"] = event_hash(edited["prev_hash"], edited)
    result = verdict(edited, 10)
    assert result.outcome is Outcome.FORK and "the hub holds" in result.detail


def test_a_resent_event_whose_content_was_changed_is_a_bad_hash() -> None:
    edited = dict(ROWS[3], data=canonical({"n": 999}))  # its old hash kept
    assert verdict(edited, 10).outcome is Outcome.BAD_HASH


def test_an_unknown_kind_stops_the_center_even_when_its_chain_is_right() -> None:
    newer = row(1, ROWS[0]["prev_hash"], "teleport_citizen")
    result = judge(ChainHead(), event("c1", newer), KEY.public_key(), lambda s: None)
    assert result.outcome is Outcome.UNKNOWN_KIND and "upgrade" in result.detail


def test_the_gap_names_the_missing_events() -> None:
    result = verdict(ROWS[9], 4)
    assert result.outcome is Outcome.GAP and "5..9" in result.detail


MUTATIONS = {
    "data": lambda r: canonical({"n": "changed"}),
    "at": lambda r: r["at"] + 0.5,
    "kind": lambda r: "counter_paused",
    "actor": lambda r: "intruder",
    "counter": lambda r: "c9",
    "device": lambda r: "kiosk-x",
    "ticket_id": lambda r: 77,
    "public": lambda r: canonical({"shown": True}),
    "prev_hash": lambda r: "e" * 64,
    "hash": lambda r: "d" * 64,
}


@given(st.integers(0, 28), st.sampled_from(sorted(MUTATIONS)))
def test_no_change_to_the_next_event_is_ever_accepted(head: int, field: str) -> None:
    changed = dict(ROWS[head], **{field: MUTATIONS[field](ROWS[head])})
    assert verdict(changed, head).outcome in {Outcome.BAD_HASH, Outcome.FORK}


@given(st.integers(1, 29), st.sampled_from(sorted(MUTATIONS)))
def test_no_change_to_an_event_the_hub_holds_passes_as_a_duplicate(seq: int, field: str) -> None:
    changed = dict(ROWS[seq - 1], **{field: MUTATIONS[field](ROWS[seq - 1])})
    assert verdict(changed, 29).outcome in {Outcome.BAD_HASH, Outcome.FORK}
