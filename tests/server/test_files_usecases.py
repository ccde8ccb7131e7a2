"""Any sequence of moves through the use cases leaves the stored file consistent with its history
and with what the workflow's pure rules say (a real SQLite file, in process)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nafitha.reference import parse_reference
from server.domain.errors import Refusal
from server.domain.files import Citizen
from server.domain.workflow import CANCELLED, MISSING, FileState, MoveRefused, plan_move
from server.usecases import files
from server.usecases.catalog import load_catalog
from server.usecases.context import Actor
from tests.server.conftest import AppEnv

PEOPLE = {
    "clerk": Actor("person", "clerk1", "clerk", "c1"),
    "manager": Actor("person", "manager", "manager"),
    "admin": Actor("person", "admin", "admin"),
}
PASSPORT_STAGES = [
    "received", "document-check", "biometrics", "security-check", "printing", "signature",
    "ready", "delivered",
]  # fmt: skip
steps = st.lists(
    st.tuples(
        st.sampled_from([*PASSPORT_STAGES, MISSING, CANCELLED]),
        st.sampled_from(sorted(PEOPLE)),
        st.booleans(),
        st.integers(min_value=0, max_value=7200),
    ),
    max_size=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(received=st.lists(st.integers(0, 3), unique=True), moves=steps)
def test_moves_keep_file_history_and_rules_in_agreement(
    app_env: AppEnv, received: list[int], moves: list[tuple[str, str, bool, int]]
) -> None:
    ctx = app_env.ctx
    view = files.open_file(ctx, PEOPLE["clerk"], "passport-new", Citizen("P"), received)
    reference = view["reference"]
    code = parse_reference(reference).code
    workflow = files.workflows(ctx, load_catalog(ctx))["passport"]
    assert (view["status"] == "missing_documents") == (len(received) < 4)
    state = FileState(view["stage"]["id"], view["status"], datetime.now(UTC))
    applied = 1
    for target, who, with_reason, later in moves:
        app_env.clock.advance(later)
        reason = "because" if with_reason else None
        expected = plan_move(
            workflow, state, target, PEOPLE[who].role or "", reason=reason, missing=["x"]
        )
        try:
            answer = files.move_file(
                ctx, PEOPLE[who], reference, target, reason=reason, missing=["a photo"]
            )
        except Refusal as refused:
            assert isinstance(expected, MoveRefused), (target, who, refused.code)
            assert refused.code == expected.code
            continue
        assert not isinstance(expected, MoveRefused), (target, who, expected)
        applied += 1
        assert (answer["stage"]["id"], answer["status"]) == (expected.stage, expected.status)
        state = FileState(expected.stage, expected.status, state.stage_entered_at)

    db = ctx.db.read()
    row = db.execute(
        "SELECT stage, status, moves, missing, due_at, stage_entered_at FROM files"
        " WHERE reference = ?",
        [code],
    ).fetchone()
    history = db.execute(
        "SELECT seq, stage, status FROM file_history WHERE reference = ? ORDER BY seq", [code]
    ).fetchall()
    assert [h[0] for h in history] == list(range(1, applied + 1)) and row[2] == applied
    assert (row[0], row[1]) == (history[-1][1], history[-1][2]) == (state.stage, state.status)
    assert (row[1] == "missing_documents") == (row[3] != "[]")
    stage = workflow.stage(row[0])
    has_due = row[1] == "open" and stage.waits_on == "center" and stage.expected_hours > 0
    assert (row[4] is not None) == has_due
    if has_due:
        assert row[4] == row[5] + stage.expected_hours * 3600
    events = db.execute(
        "SELECT count(*) FROM events WHERE kind LIKE 'file_%' AND json_extract(data, '$.reference')"
        " = ?",
        [code],
    ).fetchone()[0]
    assert events == applied
