"""GET /api/v1/sms/figures: text messages per day, for the manager's dashboard (docs/sms.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from server.api.deps import Ctx, permit
from server.domain.roles import Can
from server.usecases import sms_figures
from server.usecases.context import Actor

router = APIRouter(tags=["sms"])

Day = Annotated[str, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="a day, YYYY-MM-DD")]
Manager = Annotated[Actor, Depends(permit(Can.VIEW_STATS))]


@router.get("/api/v1/sms/figures")
def figures(
    ctx: Ctx, actor: Manager, date_from: Annotated[Day, Query(alias="from")], to: Day
) -> dict[str, Any]:
    """Per day: messages queued, sent, delivered, failed, given up, received; consents and the
    opt-in rate (consents per ticket issued)."""
    return sms_figures.sms_figures(ctx, date_from, to)
