"""The visit-step rules (server/domain/visit_steps.py): where a finish sends a ticket, where a
send-back may go, how the steps of a catalog are checked, and the resolution rate."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nafitha.bilingual import Bilingual
from server.domain.errors import Refusal
from server.domain.visit_steps import (
    DEFAULT_OUTCOMES,
    Outcome,
    StepService,
    check_steps,
    plan_finish,
    plan_send_back,
    resolution,
    sequence,
    step_warnings,
)

RESOLVED = {o.id for o in DEFAULT_OUTCOMES if o.resolved}
OUTCOME_IDS = [o.id for o in DEFAULT_OUTCOMES]


def catalog(steps: int, raise_at: frozenset[int] = frozenset()) -> dict[str, StepService]:
    """A visit service ``v`` with ``steps`` later steps ``s1..sN`` (raise priority at some)."""
    later = tuple(f"s{i}" for i in range(1, steps + 1))
    services = {"v": StepService("v", later)}
    for i, name in enumerate(later, start=1):
        services[name] = StepService(name, step_priority="raise" if i in raise_at else "keep")
    return services


@given(
    steps=st.integers(0, 6),
    at=st.integers(0, 6),
    priority=st.integers(0, 1),
    outcome=st.sampled_from([None, *OUTCOME_IDS]),
    raise_at=st.frozensets(st.integers(1, 6)),
)
def test_a_finish_goes_on_exactly_when_resolved_and_not_last(
    steps: int, at: int, priority: int, outcome: str | None, raise_at: frozenset[int]
) -> None:
    services = catalog(steps, raise_at)
    at = min(at, steps)
    plan = plan_finish(services, "v", at, priority, outcome)
    goes_on = at < steps and (outcome is None or outcome in RESOLVED)
    assert plan.kind == ("next" if goes_on else "end")
    assert plan.outcome == outcome
    if goes_on:
        assert (plan.service, plan.step) == (f"s{at + 1}", at + 1)
        # priority is never lowered; raised only where the next step says so
        assert plan.priority == (1 if at + 1 in raise_at else priority)
    else:
        assert (plan.service, plan.step, plan.priority) == (
            sequence("v", services)[at],
            at,
            priority,
        )


@given(steps=st.integers(0, 6), at=st.integers(0, 6), to=st.integers(-2, 8))
def test_a_send_back_only_goes_to_an_earlier_step(steps: int, at: int, to: int) -> None:
    services = catalog(steps)
    at = min(at, steps)
    if 1 <= to <= at:
        service, step = plan_send_back(services, "v", at, to)
        assert step == to - 1 < at and service == sequence("v", services)[step]
    else:
        with pytest.raises(Refusal) as refused:
            plan_send_back(services, "v", at, to)
        assert refused.value.code == "bad_step"
        assert refused.value.params == {"step": to, "steps": steps + 1}


def test_walking_a_whole_visit_visits_each_step_once_in_order() -> None:
    services = catalog(3)
    step, seen = 0, ["v"]
    while (plan := plan_finish(services, "v", step, 0, "served")).kind == "next":
        seen.append(plan.service)
        step = plan.step
    assert seen == ["v", "s1", "s2", "s3"] and plan.service == "s3"


def test_an_outcome_the_service_does_not_list_is_refused() -> None:
    services = catalog(1)
    with pytest.raises(Refusal) as refused:
        plan_finish(services, "v", 0, 0, "not_ready")
    assert refused.value.code == "unknown_outcome"


def test_custom_outcomes_decide_what_is_resolved() -> None:
    paid = Outcome(id="paid", name=Bilingual(ar="دُفع", en="Paid"), resolved=True)
    refused = Outcome(id="card_refused", name=Bilingual(ar="رُفضت البطاقة", en="Card refused"))
    services = {
        "v": StepService("v", ("cash", "collect")),
        "cash": StepService("cash", outcomes=(paid, refused)),
        "collect": StepService("collect"),
    }
    assert plan_finish(services, "v", 1, 0, "paid").service == "collect"
    assert plan_finish(services, "v", 1, 0, "card_refused").kind == "end"
    with pytest.raises(Refusal):
        plan_finish(services, "v", 1, 0, "served")  # not one of the cashier's


def test_catalog_steps_are_checked() -> None:
    assert check_steps(catalog(2)) == []
    unknown = {"v": StepService("v", ("ghost",))}
    assert check_steps(unknown) == ["v: unknown step service 'ghost'"]
    repeat = {"v": StepService("v", ("v",))}
    assert "repeats the step before it" in check_steps(repeat)[0]
    nested = {"a": StepService("a", ("b",)), "b": StepService("b", ("a",))}
    errors = check_steps(nested)
    assert len(errors) == 2 and all("steps of its own" in e for e in errors)  # a cycle
    back_later = {"v": StepService("v", ("cash", "v")), "cash": StepService("cash")}
    assert check_steps(back_later) == []  # submit, pay, back to the same desk


def test_warnings_name_unserved_steps_and_unreachable_services() -> None:
    services = {
        "v": StepService("v", ("cash",)),
        "cash": StepService("cash", kiosk=False),
        "lost": StepService("lost", kiosk=False),
    }
    assert step_warnings(services, served={"v"}) == [
        ("step_unserved", "cash"),
        ("kiosk_unreachable", "lost"),
    ]
    assert step_warnings(services, served={"v", "cash"}) == [("kiosk_unreachable", "lost")]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["v", "w"]),
            st.sampled_from(["v", "s1", "w"]),
            st.sampled_from([None, *OUTCOME_IDS]),
            st.integers(1, 50),
        ),
        max_size=20,
    )
)
def test_the_resolution_rate_is_the_share_of_visits_ending_resolved(rows: list) -> None:
    services = {**catalog(1), "w": StepService("w")}
    total, per = resolution(services, rows)
    assert total.finished == sum(r[3] for r in rows if r[2] is not None)
    assert total.unrecorded == sum(r[3] for r in rows if r[2] is None)
    assert total.resolved == sum(r[3] for r in rows if r[2] in RESOLVED)
    assert sum(p.finished for p in per.values()) == total.finished
    assert sum(p.resolved for p in per.values()) == total.resolved
    for r in per.values():
        assert r.rate is None or 0 <= r.rate <= 1
    assert (total.rate is None) == (total.finished == 0)
