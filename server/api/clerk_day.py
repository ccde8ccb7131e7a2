"""GET /api/v1/me/today: the signed-in clerk's own figures for the counter terminal."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from server.api.deps import Ctx, permit
from server.domain.roles import Can
from server.usecases import clerk_day
from server.usecases.context import Actor

router = APIRouter(tags=["counters"])


@router.get("/api/v1/me/today")
def clerk_today(
    ctx: Ctx, actor: Annotated[Actor, Depends(permit(Can.SERVE_AT_COUNTER))]
) -> dict[str, Any]:
    """Tickets this clerk finished today and their average service time (start to finish)."""
    return clerk_day.clerk_today(ctx, actor)
