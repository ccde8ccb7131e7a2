"""GET /api/v1/assessment: the self-assessment page's measures per month (docs/ratings.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from server.api.deps import Ctx, permit
from server.domain.roles import Can
from server.usecases import assessment
from server.usecases.context import Actor

router = APIRouter(tags=["stats"])


@router.get("/api/v1/assessment")
def self_assessment(
    ctx: Ctx,
    actor: Annotated[Actor, Depends(permit(Can.VIEW_STATS))],
    until: Annotated[
        str | None, Query(pattern=r"^\d{4}-\d{2}$", description="the last month, YYYY-MM")
    ] = None,
    months: Annotated[int, Query(ge=1, le=assessment.MAX_MONTHS)] = 6,
) -> dict[str, Any]:
    """Waiting against target, first-visit resolution, satisfaction and complaints answered
    within their deadline, for each of ``months`` months up to ``until`` (default: this month),
    with each month's change from the one before and the goals."""
    return assessment.assessment(ctx, actor, until, months)
