"""The cut-off's manager endpoints: today's cut-offs and person limits, and the day's override."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field, field_validator

from server.api.deps import Ctx, permit
from server.api.inputs import INPUT
from server.domain.roles import Can
from server.usecases import cutoff
from server.usecases.context import Actor

router = APIRouter(prefix="/api/v1/admin", tags=["cutoff"])
Manager = Annotated[Actor, Depends(permit(Can.OVERRIDE_CUTOFF))]


class OverrideIn(BaseModel):
    model_config = INPUT
    day: str = Field(
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="the center's calendar day, YYYY-MM-DD (today or later)",
    )
    open: bool = Field(description="true: keep issuing past the cut-off; false: the rule applies")

    @field_validator("day")
    @classmethod
    def _a_real_day(cls, value: str) -> str:
        date.fromisoformat(value)  # 2026-02-30 is refused like any malformed value
        return value


@router.put("/services/{service_id}/cutoff-override")
def put_override(
    service_id: Annotated[str, Path(max_length=64)], body: OverrideIn, ctx: Ctx, actor: Manager
) -> dict[str, Any]:
    """Keep a service issuing past its cut-off for one day (until it closes), or undo that."""
    return cutoff.set_override(ctx, actor, service_id, body.day, body.open)


@router.get("/cutoff")
def today(ctx: Ctx, actor: Manager) -> dict[str, Any]:
    """Today per service: ``cutoff`` (as in the services list), ``max_tickets_per_person``,
    ``identify_by`` and ``refusals`` beyond the limit."""
    return cutoff.cutoff_day(ctx, actor)
