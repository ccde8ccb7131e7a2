"""A ticket's wait and service time have one definition, which every figure of them uses."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nafitha import stats

moments = st.none() | st.floats(min_value=0, max_value=10_000)
states = st.sampled_from([stats.DONE, stats.NO_SHOW, stats.CANCELLED, "serving"])


def test_the_definitions() -> None:
    assert stats.wait_s(100.0, 160.0) == 60.0
    assert stats.wait_s(100.0, None) is None
    assert stats.wait_s(100.0, 90.0) == 0.0  # a clock stepped back never gives a negative wait
    assert stats.service_s(stats.DONE, 160.0, 200.0, 500.0) == 300.0  # from the start
    assert stats.service_s(stats.DONE, 160.0, None, 500.0) == 340.0  # never started: the call
    assert stats.service_s(stats.NO_SHOW, 160.0, None, 500.0) is None
    assert stats.service_s(stats.DONE, 160.0, 200.0, None) is None


@given(st.floats(min_value=0, max_value=10_000), moments, moments, moments, states)
def test_the_report_and_the_ticket_facts_use_them(
    issued: float,
    called: float | None,
    started: float | None,
    finished: float | None,
    state: str,
) -> None:
    facts = stats.TicketFacts("s", "c1", "clerk1", 9, state, issued, called, started, finished)
    wait = stats.wait_s(issued, called)
    served = stats.service_s(state, called, started, finished)
    assert (facts.wait_s, facts.service_s) == (wait, served)
    row = ("s", "c1", "clerk1", state, issued, called, started, finished, None)
    overall = stats.report_from_rows([row], {"s": 600.0}, lambda ts: 9).overall
    assert overall.wait.mean == wait and overall.service.mean == served
