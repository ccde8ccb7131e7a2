"""The pure rules of complaints, property-tested: cleaning, the moves between states, the check
of rows against their events."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.domain import complaints as rules
from server.domain.errors import Refusal
from server.domain.plain_text import is_unsafe


@given(st.text(max_size=400))
def test_cleaned_text_holds_no_control_or_override_and_cleaning_again_changes_nothing(
    text: str,
) -> None:
    try:
        cleaned = rules.clean_text(text, 1000)
    except Refusal:
        return
    assert not is_unsafe(cleaned, lines=True)
    assert "\r" not in cleaned and cleaned == cleaned.strip()
    assert rules.clean_text(cleaned, 1000) == cleaned


def test_a_text_over_the_limit_once_cleaned_is_refused_and_overrides_do_not_count() -> None:
    assert rules.clean_text("\u202e" * 50 + "x" * 10, 10) == "x" * 10
    with pytest.raises(Refusal) as refused:
        rules.clean_text("x" * 11, 10)
    assert refused.value.code == "complaint_too_long"


@given(st.sampled_from(rules.STATUSES), st.sampled_from(rules.STATUSES))
def test_answered_is_reached_only_by_answering_and_moves_follow_the_table(
    current: str, target: str
) -> None:
    allowed = target != "answered" and target in rules.MOVES[current]
    try:
        rules.plan_status(current, target)
        moved = True
    except Refusal:
        moved = False
    assert moved == allowed


def row(reference: str, status: str = "received", text: str = "t", steps: int = 1) -> dict:
    return {
        "reference": reference, "kind": "complaint", "about": "center", "service": None,
        "ticket_id": None, "topic": None, "channel": "phone", "status": status, "spam": 0,
        "deadline_at": 100.0, "steps": steps, "text": text, "answer": None, "phone": None,
    }  # fmt: skip


@given(
    st.lists(st.sampled_from(["received", "under_review", "answered", "closed"]), min_size=1),
    st.text(min_size=1, max_size=30),
)
def test_rows_replayed_from_their_own_events_always_check_and_any_edit_is_found(
    statuses: list[str], text: str
) -> None:
    events, steps = [], []
    for seq, status in enumerate(statuses, 1):
        current = row("R1", status, text, seq)
        events.append((seq, "complaint_status_changed", {"complaint": rules.snapshot(current)}))
        steps.append({"seq": seq, "step": "status", "status": status, "event_id": seq})
    final = row("R1", statuses[-1], text, len(statuses))
    assert rules.check_rows([final], {"R1": steps}, events) == (1, [])
    edited = {**final, "text": text + "!"}
    (problem,) = rules.check_rows([edited], {"R1": steps}, events)[1]
    assert "text_sha256" in problem.reason
    assert rules.snapshot(final)["text_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    (gone,) = rules.check_rows([], {}, events)[1]
    assert gone.reason.startswith("the row was deleted")
