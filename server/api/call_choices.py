"""GET /api/v1/counters/{counter}/callable: what the clerk there may call out of order."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from server.api.deps import Ctx, permit
from server.domain.roles import Can
from server.usecases import call_choices
from server.usecases.context import Actor

router = APIRouter(tags=["counters"])


@router.get("/api/v1/counters/{counter}/callable")
def callable_tickets(
    counter: Annotated[str, Path(max_length=64)],
    ctx: Ctx,
    actor: Annotated[Actor, Depends(permit(Can.SERVE_AT_COUNTER))],
) -> dict[str, Any]:
    return call_choices.callable_tickets(ctx, actor, counter)
