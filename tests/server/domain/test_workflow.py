"""The file workflow: allowed moves, roles, reasons, due and ready dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nafitha.paths import ROOT
from nafitha.settings import ConfigError, validate_settings
from server.domain.workflow import (
    CANCELLED,
    MISSING,
    FileState,
    Move,
    Stage,
    Workflow,
    expected_ready_at,
    next_stages,
    overdue_by,
    plan_move,
    waits_on_citizen,
)
from server.domain.workflow import (
    MoveRefused as Refused,
)

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def text(en: str) -> dict[str, str]:
    return {"ar": f"«{en}»", "en": en}


PASSPORT = Workflow.model_validate(
    {
        "id": "passport",
        "name": text("Passport"),
        "stages": [
            {"id": "received", "name": text("Received")},
            {"id": "check", "name": text("Document check"), "expected_hours": 2},
            {"id": "security", "name": text("Security"), "expected_hours": 48, "optional": True},
            {"id": "review", "name": text("Review"), "expected_hours": 24},
            {"id": "signature", "name": text("Signature"), "role": "manager", "expected_hours": 8},
            {
                "id": "ready",
                "name": text("Ready"),
                "waits_on": "citizen",
                "where": text("Counter 3"),
            },
            {"id": "delivered", "name": text("Delivered")},
        ],
    }
)


def at(stage: str, status: str = "open", entered: datetime = T0) -> FileState:
    return FileState(stage=stage, status=status, stage_entered_at=entered)  # type: ignore[arg-type]


def test_forward_to_the_next_stage() -> None:
    assert plan_move(PASSPORT, at("received"), "check", "clerk") == Move("forward", "check", "open")


def test_optional_stage_may_be_skipped_but_not_a_required_one() -> None:
    assert plan_move(PASSPORT, at("check"), "review", "clerk").kind == "forward"
    assert plan_move(PASSPORT, at("check"), "security", "clerk").kind == "forward"
    assert plan_move(PASSPORT, at("received"), "review", "clerk") == Refused(
        "transition_not_allowed"
    )
    assert next_stages(PASSPORT, at("check")) == ["security", "review"]


def test_a_stage_needing_a_manager_refuses_a_clerk() -> None:
    assert plan_move(PASSPORT, at("review"), "signature", "clerk") == Refused("role_not_allowed")
    assert plan_move(PASSPORT, at("review"), "signature", "manager").kind == "forward"
    assert plan_move(PASSPORT, at("review"), "signature", "admin").kind == "forward"
    assert plan_move(PASSPORT, at("review"), "signature", "kiosk") == Refused("role_not_allowed")


def test_back_needs_a_reason_and_the_role_of_the_current_stage() -> None:
    assert plan_move(PASSPORT, at("review"), "check", "clerk") == Refused("reason_required")
    assert plan_move(PASSPORT, at("review"), "check", "clerk", reason="  ") == Refused(
        "reason_required"
    )
    assert plan_move(PASSPORT, at("review"), "check", "clerk", reason="stamp") == Move(
        "back", "check", "open"
    )
    assert plan_move(PASSPORT, at("signature"), "review", "clerk", reason="x") == Refused(
        "role_not_allowed"
    )


def test_missing_documents_holds_the_file_and_resumes_it() -> None:
    assert plan_move(PASSPORT, at("check"), MISSING, "clerk") == Refused("missing_list_required")
    held = plan_move(PASSPORT, at("check"), MISSING, "clerk", missing=["photo"])
    assert held == Move("missing", "check", "missing_documents")
    state = at("check", "missing_documents")
    assert waits_on_citizen(PASSPORT, state)
    assert plan_move(PASSPORT, state, "check", "clerk") == Move("resume", "check", "open")
    assert plan_move(PASSPORT, state, "review", "clerk").status == "open"
    assert plan_move(PASSPORT, at("check"), "check", "clerk") == Refused("transition_not_allowed")


def test_cancel_needs_a_manager_and_a_reason_and_is_final() -> None:
    assert plan_move(PASSPORT, at("check"), CANCELLED, "clerk", reason="x") == Refused(
        "role_not_allowed"
    )
    assert plan_move(PASSPORT, at("check"), CANCELLED, "manager") == Refused("reason_required")
    assert plan_move(PASSPORT, at("check"), CANCELLED, "manager", reason="asked").status == (
        "cancelled"
    )
    cancelled = at("check", "cancelled")
    for target in ["review", "check", "received", MISSING, CANCELLED]:
        assert plan_move(PASSPORT, cancelled, target, "admin", reason="x") == Refused(
            "file_cancelled"
        )


def test_the_last_stage_closes_the_file() -> None:
    move = plan_move(PASSPORT, at("ready"), "delivered", "clerk")
    assert move == Move("forward", "delivered", "closed")
    assert plan_move(PASSPORT, at("delivered", "closed"), "ready", "admin", reason="x") == Refused(
        "file_closed"
    )


def test_unknown_stage() -> None:
    assert plan_move(PASSPORT, at("check"), "nowhere", "admin") == Refused("unknown_stage")


def test_overdue_only_past_the_expected_duration_of_a_center_stage() -> None:
    state = at("check")
    assert overdue_by(PASSPORT, state, T0 + timedelta(hours=1)) is None
    assert overdue_by(PASSPORT, state, T0 + timedelta(hours=3)) == timedelta(hours=1)
    assert overdue_by(PASSPORT, at("received"), T0 + timedelta(days=9)) is None  # no limit
    assert overdue_by(PASSPORT, at("ready"), T0 + timedelta(days=9)) is None  # citizen's turn
    held = at("check", "missing_documents")
    assert overdue_by(PASSPORT, held, T0 + timedelta(days=9)) is None


def test_expected_ready_date_adds_the_remaining_stages() -> None:
    # check (2h, from T0) + review 24h + signature 8h; the optional security stage counts too
    assert expected_ready_at(PASSPORT, at("check"), T0) == T0 + timedelta(hours=2 + 48 + 24 + 8)
    late = T0 + timedelta(hours=5)
    assert expected_ready_at(PASSPORT, at("review"), late) == T0 + timedelta(hours=32)
    assert expected_ready_at(PASSPORT, at("review"), T0 + timedelta(hours=30)) == T0 + timedelta(
        hours=38
    )
    assert expected_ready_at(PASSPORT, at("ready"), T0) is None
    assert expected_ready_at(PASSPORT, at("check", "missing_documents"), T0) is None


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda w: w["stages"].append(dict(w["stages"][0])), "stages"),
        (lambda w: w["stages"][1].update(id="cancelled"), "stages"),
        (lambda w: w["stages"][1].update(role="boss"), "stages.1.role"),
        (lambda w: w["stages"][1].update(expected_hours=-1), "stages.1.expected_hours"),
        (lambda w: w["stages"][1].update(colour="red"), "stages.1.colour"),
        (lambda w: w.update(stages=w["stages"][:1]), "stages"),
        (lambda w: w["stages"][0].update(optional=True), "stages"),
    ],
)
def test_a_bad_workflow_is_refused_with_its_key(change, key: str) -> None:  # type: ignore[no-untyped-def]
    data = PASSPORT.model_dump(exclude_none=True)
    data["stages"] = [dict(stage) for stage in data["stages"]]
    change(data)
    with pytest.raises(ConfigError) as refused:
        validate_settings(Workflow, data, "center.toml")
    assert refused.value.key.startswith(key)


targets = st.sampled_from([s.id for s in PASSPORT.stages] + [MISSING, CANCELLED, "bogus"])
roles = st.sampled_from(["clerk", "manager", "admin", "kiosk"])


@given(st.lists(st.tuples(targets, roles, st.booleans()), max_size=40))
def test_any_sequence_of_moves_keeps_the_file_consistent(steps) -> None:  # type: ignore[no-untyped-def]
    state = at("received")
    for target, role, with_reason in steps:
        move = plan_move(
            PASSPORT, state, target, role, reason="r" if with_reason else None, missing=["x"]
        )
        if isinstance(move, Refused):
            continue
        assert move.stage in {s.id for s in PASSPORT.stages}
        if state.status in ("cancelled", "closed"):
            raise AssertionError("a finished file moved")
        if move.kind == "back":
            assert with_reason
            assert PASSPORT.index(move.stage) < PASSPORT.index(state.stage)
        if move.kind == "forward":
            assert PASSPORT.index(move.stage) > PASSPORT.index(state.stage)
        if move.status == "closed":
            assert move.stage == PASSPORT.last.id
        state = FileState(move.stage, move.status, state.stage_entered_at)


@pytest.mark.parametrize("model", [Workflow, Stage], ids=lambda m: m.__name__)
def test_every_workflow_key_is_documented(model: type) -> None:
    doc = (ROOT / "docs" / "files.md").read_text(encoding="utf-8")
    for name in model.model_fields:  # type: ignore[attr-defined]
        assert f"`{name}`" in doc, f"{model.__name__}.{name} is not in docs/files.md"
