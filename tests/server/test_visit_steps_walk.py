"""Any walk of finishes (with any outcome) and send-backs keeps a visit coherent, on a real SQLite
file through the API: one number and one issue time throughout, the service always the one of its
step, the trigger-kept waiting counts equal to the tickets, and the tables equal their replay."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.server.conftest import make_env
from tests.server.test_audit_replay import problems
from tests.server.test_visit_steps_api import act, waiting_counts_agree

ORDER = ("passport-new", "cashier", "passport-collect")
COUNTER = {"passport-new": "c4", "cashier": "c11", "passport-collect": "c5"}
OUTCOMES = {
    "passport-new": ("served", "missing_documents", "referred", "citizen_left", None),
    "cashier": ("served", "missing_documents", "referred", "citizen_left", None),
    "passport-collect": ("served", "missing_documents", "not_ready", "citizen_left", None),
}
RESOLVED = {"served"}

moves = st.lists(
    st.one_of(
        st.tuples(st.just("finish"), st.integers(0, 4)),
        st.tuples(st.just("back"), st.integers(1, 3)),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(walk=moves)
def test_any_walk_of_finishes_and_send_backs_keeps_the_visit_coherent(
    seeded_db: Path, tmp_path_factory: Any, walk: list[tuple[str, int]]
) -> None:
    env_iter = make_env(seeded_db, tmp_path_factory.mktemp("walk"))
    env = next(env_iter)
    try:
        clerks = {c: env.login(f"clerk{c[1:]}", c) for c in COUNTER.values()}
        ticket = env.issue("passport-new")
        step, state = 0, "waiting"
        for kind, value in walk:
            if state != "waiting":
                break
            counter = COUNTER[ORDER[step]]
            called = env.http.post(f"/api/v1/counters/{counter}/next", headers=clerks[counter])
            assert called.status_code == 200 and called.json()["id"] == ticket["id"]
            env.clock.advance(30)
            if kind == "back" and value <= step:
                answer = env.http.post(
                    f"/api/v1/tickets/{ticket['id']}/send-back",
                    json={"step": value},
                    headers=clerks[counter],
                ).json()
                step = value - 1
            elif kind == "back":  # not an earlier step: refused, the ticket stays
                refused = env.http.post(
                    f"/api/v1/tickets/{ticket['id']}/send-back",
                    json={"step": value},
                    headers=clerks[counter],
                )
                assert refused.status_code == 422
                answer = act(env, clerks[counter], ticket["id"], "finish").json()
                step, state = (step + 1, "waiting") if step < 2 else (step, "done")
            else:
                outcome = OUTCOMES[ORDER[step]][value]
                body = {"outcome": outcome} if outcome else {}
                answer = act(env, clerks[counter], ticket["id"], "finish", **body).json()
                goes_on = step < 2 and (outcome is None or outcome in RESOLVED)
                step, state = (step + 1, "waiting") if goes_on else (step, "done")
                if state == "done":
                    assert answer["outcome"] == outcome
            assert (answer["state"], answer["service"]["id"]) == (state, ORDER[step])
            assert (answer["step"], answer["steps"]) == (step + 1, 3)
            assert (answer["number"], answer["issued_at"]) == (
                ticket["number"],
                ticket["issued_at"],
            )
            waiting_counts_agree(env)
        assert problems(env) == []
    finally:
        env_iter.close()
