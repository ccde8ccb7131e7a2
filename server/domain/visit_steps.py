"""Visits through several steps, and the outcome a clerk records when a step ends.

A service chosen at the kiosk may list the services that follow it (``Service.steps``): the
visit is then ``(visit service, *steps)``, e.g. passport → cashier → passport-collect, each step
served by its own counters. The ticket keeps its number through the whole visit; ``tickets.step``
is its 0-based index in that sequence and ``tickets.visit_service`` the service chosen at the
kiosk (NULL while the ticket is still at that first step and was never moved).

Rules (pure; time and the catalog are passed in):

- finishing a step with a *resolved* outcome, or with none, sends the ticket on to the next step
  (waiting, same issue time; priority raised when the step's service says ``step_priority =
  "raise"``); finishing the last step, or any step with an outcome that is not resolved (missing
  documents, referred, citizen left), ends the visit there;
- a clerk may send the citizen back to an earlier step (1-based ``step`` smaller than the
  current one);
- the steps are flat: a service reached as a step may not list steps of its own (no nesting, so
  no cycle), and a step may not repeat the service just before it. A service may appear again
  later in the sequence (submit → pay → back to the same desk to collect).

Outcome ids are per service; the defaults (``DEFAULT_OUTCOMES``) are served (resolved), missing
documents, referred elsewhere, citizen left.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from nafitha.bilingual import Bilingual
from server.domain.errors import Refusal

StepPriority = Literal["keep", "raise"]


class Outcome(BaseModel):
    """One way a step can end, as the clerk picks it; ``resolved``: the citizen got what they
    came for at this step (a resolved step goes on to the next one)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,47}$")
    name: Bilingual
    resolved: bool = False


DEFAULT_OUTCOMES: tuple[Outcome, ...] = (
    Outcome(id="served", name=Bilingual(ar="تمت الخدمة", en="Served"), resolved=True),
    Outcome(
        id="missing_documents",
        name=Bilingual(ar="أوراق ناقصة", en="Missing documents"),
        resolved=False,
    ),
    Outcome(id="referred", name=Bilingual(ar="أحيل إلى جهة أخرى", en="Referred elsewhere")),
    Outcome(id="citizen_left", name=Bilingual(ar="غادر المواطن", en="Citizen left")),
)


def default_outcomes() -> list[Outcome]:
    """A fresh list of the default outcomes (a pydantic default factory)."""
    return list(DEFAULT_OUTCOMES)


def check_outcome_ids(outcomes: Sequence[Outcome]) -> Sequence[Outcome]:
    """Outcome ids unique within a service, and at least one resolved outcome (else no visit
    could ever go on to its next step or count as resolved)."""
    seen: set[str] = set()
    for outcome in outcomes:
        if outcome.id in seen:
            raise ValueError(f"duplicate outcome {outcome.id!r}")
        seen.add(outcome.id)
    if outcomes and not any(o.resolved for o in outcomes):
        raise ValueError("at least one outcome must be resolved")
    return outcomes


@dataclass(frozen=True)
class StepService:
    """What the rules need of one service: its steps, priority rule, outcomes, kiosk flag."""

    id: str
    steps: tuple[str, ...] = ()
    step_priority: StepPriority = "keep"
    outcomes: tuple[Outcome, ...] = DEFAULT_OUTCOMES
    kiosk: bool = True


def sequence(visit_service: str, services: Mapping[str, StepService]) -> tuple[str, ...]:
    """The visit's services in order: the visit service, then its steps (unknown: just itself)."""
    known = services.get(visit_service)
    return (visit_service, *(known.steps if known else ()))


def check_steps(services: Mapping[str, StepService]) -> list[str]:
    """Errors in the steps of a catalog, as ``"<service>: reason"`` lines (empty: none)."""
    errors = []
    for service in services.values():
        previous = service.id
        for name in service.steps:
            step = services.get(name)
            if step is None:
                errors.append(f"{service.id}: unknown step service {name!r}")
            elif name == previous:
                errors.append(f"{service.id}: step {name!r} repeats the step before it")
            elif step.steps and name != service.id:  # back to the first desk is fine
                errors.append(
                    f"{service.id}: step {name!r} has steps of its own (steps are flat: list"
                    " the whole visit on the service chosen at the kiosk, no cycle can form)"
                )
            previous = name
    return errors


def step_warnings(
    services: Mapping[str, StepService], served: Iterable[str]
) -> list[tuple[str, str]]:
    """Facts an admin should know but that do not stop the server, as (code, service) pairs:
    ``step_unserved`` (a step service no counter serves: visits would stop there),
    ``kiosk_unreachable`` (a service not offered at the kiosk and no visit's step)."""
    served_set = set(served)
    steps = {name for s in services.values() for name in s.steps}
    warnings: list[tuple[str, str]] = []
    for name in sorted(steps):
        if name in services and name not in served_set:
            warnings.append(("step_unserved", name))
    for service in services.values():
        if not service.kiosk and service.id not in steps:
            warnings.append(("kiosk_unreachable", service.id))
    return warnings


def find_outcome(service: StepService, outcome_id: str | None) -> Outcome | None:
    """The service's outcome ``outcome_id`` (None for None), or ``unknown_outcome``."""
    if outcome_id is None:
        return None
    for outcome in service.outcomes:
        if outcome.id == outcome_id:
            return outcome
    raise Refusal("unknown_outcome", outcome=outcome_id)


@dataclass(frozen=True)
class FinishPlan:
    """What finishing a step does: ``next`` (on to ``service`` at 0-based ``step``) or ``end``."""

    kind: Literal["next", "end"]
    service: str
    step: int
    priority: int
    outcome: str | None


def plan_finish(
    services: Mapping[str, StepService],
    visit_service: str,
    step: int,
    priority: int,
    outcome_id: str | None,
) -> FinishPlan:
    """Finish step ``step`` (0-based) of a visit to ``visit_service`` with ``outcome_id``."""
    order = sequence(visit_service, services)
    step = min(max(step, 0), len(order) - 1)
    here = services.get(order[step]) or StepService(order[step])
    outcome = find_outcome(here, outcome_id)
    last = step == len(order) - 1
    if last or (outcome is not None and not outcome.resolved):
        return FinishPlan("end", order[step], step, priority, outcome_id)
    following = services.get(order[step + 1]) or StepService(order[step + 1])
    raised = 1 if following.step_priority == "raise" else priority
    return FinishPlan("next", order[step + 1], step + 1, raised, outcome_id)


def plan_send_back(
    services: Mapping[str, StepService], visit_service: str, step: int, to_step: int
) -> tuple[str, int]:
    """Send a visit at 0-based ``step`` back to the 1-based ``to_step``: (service, 0-based step),
    or ``bad_step`` when ``to_step`` is not an earlier step of this visit."""
    order = sequence(visit_service, services)
    if not 1 <= to_step <= step:
        raise Refusal("bad_step", step=to_step, steps=len(order))
    return order[to_step - 1], to_step - 1


def is_resolved(services: Mapping[str, StepService], service: str, outcome: str) -> bool:
    """Whether ``outcome`` counts as resolved for a step of ``service`` (an id the service no
    longer lists counts as not resolved)."""
    known = services.get(service)
    outcomes = known.outcomes if known else DEFAULT_OUTCOMES
    return any(o.id == outcome and o.resolved for o in outcomes)


@dataclass(frozen=True)
class Resolution:
    """First-visit resolution of one service (or all): finished visits and resolved ones."""

    finished: int = 0
    resolved: int = 0
    unrecorded: int = 0  # finished without an outcome: not in the rate

    @property
    def rate(self) -> float | None:
        return self.resolved / self.finished if self.finished else None

    def add(self, count: int, resolved: bool | None) -> Resolution:
        if resolved is None:
            return Resolution(self.finished, self.resolved, self.unrecorded + count)
        return Resolution(
            self.finished + count, self.resolved + (count if resolved else 0), self.unrecorded
        )


def resolution(
    services: Mapping[str, StepService],
    finished: Iterable[tuple[str, str, str | None, int]],
) -> tuple[Resolution, dict[str, Resolution]]:
    """Overall and per visit service, from ``(visit service, last step's service, outcome,
    count)`` rows of finished visits: a visit is resolved when its final outcome is. A visit
    finished without an outcome (an older client, a script, the demo's simulated history) is
    counted apart (``unrecorded``), never guessed either way."""
    per: dict[str, Resolution] = {}
    total = Resolution()
    for visit, service, outcome, count in finished:
        resolved = None if outcome is None else is_resolved(services, service, outcome)
        per[visit] = per.get(visit, Resolution()).add(count, resolved)
        total = total.add(count, resolved)
    return total, per
