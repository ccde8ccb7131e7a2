"""A service's file workflow: ordered stages, who may move a file where, and how long each takes.

A workflow is declared in the center config next to its services (``[[workflows]]``) and read into
the models below. A file sits at one stage of its workflow; besides the ordered stages it can be
held for ``missing_documents`` (waiting on the citizen, the list of what to bring recorded) or be
``cancelled``. Nothing is ever deleted: every move is a new history entry.

Moves (:func:`plan_move`), each checked against the role of the person making it:

* forward to the next stage (skipping only stages marked ``optional``), by the role of that stage;
* back to any earlier stage, with a reason, by a role allowed both the current and the target stage;
* to ``missing_documents``, with the list of what the citizen must bring;
* out of ``missing_documents`` to the same stage (documents brought) or onwards;
* to ``cancelled``, with a reason, by the workflow's ``cancel_role``.

The last stage closes the file (delivered). Time is always passed in, never read here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from nafitha.bilingual import Bilingual
from server.domain.roles import ranks_at_least

Role = Literal["clerk", "manager", "admin"]
MISSING = "missing_documents"
CANCELLED = "cancelled"
RESERVED_STAGES = frozenset({MISSING, CANCELLED})
Status = Literal["open", "missing_documents", "cancelled", "closed"]
_ID = r"^[a-z][a-z0-9_-]{0,39}$"


class Declared(BaseModel):
    """Base of what the center config declares: unknown keys refused, values frozen.

    Its own base rather than the settings loader's, so the domain does not depend on reading files.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)


class Stage(Declared):
    """One step of a workflow."""

    id: str = Field(pattern=_ID)
    name: Bilingual
    role: Role = "clerk"
    """The least role that may move a file into this stage."""
    expected_hours: float = Field(default=0.0, ge=0, le=24 * 365)
    """How long a file normally stays here; past it the file is overdue (0 = no limit)."""
    waits_on: Literal["center", "citizen"] = "center"
    """Who must act next: a file at a ``citizen`` stage (ready for pickup) is never overdue."""
    where: Bilingual | None = None
    """Where the citizen goes while the file is at this stage (the pickup counter)."""
    optional: bool = False
    """A forward move may skip this stage."""


class Workflow(Declared):
    """The ordered stages a service's files go through."""

    id: str = Field(pattern=_ID)
    name: Bilingual
    stages: tuple[Stage, ...] = Field(min_length=2, max_length=30)
    cancel_role: Role = "manager"
    missing_role: Role = "clerk"

    @field_validator("stages")
    @classmethod
    def _stages_make_sense(cls, stages: tuple[Stage, ...]) -> tuple[Stage, ...]:
        ids = [stage.id for stage in stages]
        if len(set(ids)) != len(ids):
            raise ValueError(f"stage ids repeat: {ids}")
        reserved = RESERVED_STAGES.intersection(ids)
        if reserved:
            raise ValueError(f"stage ids {sorted(reserved)} are reserved")
        if stages[0].optional or stages[-1].optional:
            raise ValueError("the first and last stages cannot be optional")
        return stages

    def index(self, stage: str) -> int:
        """Position of ``stage``; ``KeyError`` when the workflow has no such stage."""
        for position, candidate in enumerate(self.stages):
            if candidate.id == stage:
                return position
        raise KeyError(stage)

    def stage(self, stage: str) -> Stage:
        return self.stages[self.index(stage)]

    @property
    def first(self) -> Stage:
        return self.stages[0]

    @property
    def last(self) -> Stage:
        return self.stages[-1]


@dataclass(frozen=True)
class FileState:
    """Where a file stands, as far as the workflow cares."""

    stage: str
    status: Status
    stage_entered_at: datetime


MoveKind = Literal["forward", "back", "resume", "missing", "cancel"]


@dataclass(frozen=True)
class Move:
    """An allowed move: the file's stage and status after it."""

    kind: MoveKind
    stage: str
    status: Status


@dataclass(frozen=True)
class MoveRefused:
    """A move the workflow does not allow; ``code`` is the API's error code."""

    code: str


def plan_move(
    workflow: Workflow,
    state: FileState,
    target: str,
    role: str,
    *,
    reason: str | None = None,
    missing: Sequence[object] = (),
) -> Move | MoveRefused:
    """The move of a file in ``state`` to ``target`` by someone with ``role``, or why not."""
    if state.status == "cancelled":
        return MoveRefused("file_cancelled")
    if state.status == "closed":
        return MoveRefused("file_closed")
    has_reason = bool(reason and reason.strip())
    if target == CANCELLED:
        if not ranks_at_least(role, workflow.cancel_role):
            return MoveRefused("role_not_allowed")
        if not has_reason:
            return MoveRefused("reason_required")
        return Move("cancel", state.stage, "cancelled")
    if target == MISSING:
        if not ranks_at_least(role, workflow.missing_role):
            return MoveRefused("role_not_allowed")
        if not missing:
            return MoveRefused("missing_list_required")
        return Move("missing", state.stage, "missing_documents")
    try:
        goal = workflow.index(target)
    except KeyError:
        return MoveRefused("unknown_stage")
    here = workflow.index(state.stage)
    if goal == here:
        if state.status != "missing_documents":
            return MoveRefused("transition_not_allowed")
        if not ranks_at_least(role, workflow.stages[here].role):
            return MoveRefused("role_not_allowed")
        return Move("resume", target, "open")
    if goal > here:
        if any(not stage.optional for stage in workflow.stages[here + 1 : goal]):
            return MoveRefused("transition_not_allowed")
        if not ranks_at_least(role, workflow.stages[goal].role):
            return MoveRefused("role_not_allowed")
        return Move("forward", target, "closed" if goal == len(workflow.stages) - 1 else "open")
    if not (
        ranks_at_least(role, workflow.stages[goal].role)
        and ranks_at_least(role, workflow.stages[here].role)
    ):
        return MoveRefused("role_not_allowed")
    if not has_reason:
        return MoveRefused("reason_required")
    return Move("back", target, "open")


def next_stages(workflow: Workflow, state: FileState) -> list[str]:
    """Stages a forward move may reach from here (the next one, and past optional ones)."""
    if state.status in ("cancelled", "closed"):
        return []
    reachable: list[str] = []
    for stage in workflow.stages[workflow.index(state.stage) + 1 :]:
        reachable.append(stage.id)
        if not stage.optional:
            break
    return reachable


def waits_on_citizen(workflow: Workflow, state: FileState) -> bool:
    """Whether the next step is the citizen's (documents to bring, or a file to pick up)."""
    if state.status == "missing_documents":
        return True
    return state.status == "open" and workflow.stage(state.stage).waits_on == "citizen"


def due_at(workflow: Workflow, state: FileState) -> datetime | None:
    """When the file should have left its current stage, or None when no limit applies."""
    stage = workflow.stage(state.stage)
    if state.status != "open" or stage.waits_on != "center" or stage.expected_hours <= 0:
        return None
    return state.stage_entered_at + timedelta(hours=stage.expected_hours)


def overdue_by(workflow: Workflow, state: FileState, now: datetime) -> timedelta | None:
    """How long the file is past its stage's expected duration, or None if it is not."""
    due = due_at(workflow, state)
    if due is None or now <= due:
        return None
    return now - due


def ready_stage(workflow: Workflow, after: int = 0) -> Stage:
    """The first stage at or after ``after`` that waits on the citizen, else the last stage."""
    for stage in workflow.stages[after:]:
        if stage.waits_on == "citizen":
            return stage
    return workflow.last


def expected_ready_at(workflow: Workflow, state: FileState, now: datetime) -> datetime | None:
    """When the file should be ready for the citizen, or None when that is not the center's to say.

    None when it is cancelled or closed, held for missing documents, or already ready.
    """
    if state.status != "open":
        return None
    here = workflow.index(state.stage)
    current = workflow.stages[here]
    if current.waits_on == "citizen":
        return None
    ready = workflow.index(ready_stage(workflow, here + 1).id)
    when = max(state.stage_entered_at + timedelta(hours=current.expected_hours), now)
    for stage in workflow.stages[here + 1 : ready]:
        when += timedelta(hours=stage.expected_hours)
    return when
