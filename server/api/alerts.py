"""Device alerts: kiosks and counters report faults; staff list and clear them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from server.api.deps import Ctx, permit
from server.api.inputs import INPUT, PlainLine, PlainText
from server.domain.roles import Can
from server.usecases import alerts
from server.usecases.context import Actor

router = APIRouter(tags=["alerts"])


class AlertIn(BaseModel):
    model_config = INPUT
    kind: PlainLine(64, min_length=1) = Field(description="e.g. paper_out, printer_offline")
    message: PlainText(500) = ""
    device: str | None = Field(default=None, max_length=64)


@router.post("/api/v1/alerts", status_code=201)
def post_alert(
    body: AlertIn, ctx: Ctx, actor: Annotated[Actor, Depends(permit(Can.RAISE_ALERT))]
) -> dict[str, Any]:
    return alerts.post_alert(ctx, actor, body.kind, body.message, body.device)


@router.get("/api/v1/alerts")
def list_alerts(
    ctx: Ctx, actor: Annotated[Actor, Depends(permit(Can.HANDLE_ALERTS))], all: bool = False
) -> list[dict[str, Any]]:
    return alerts.list_alerts(ctx, include_resolved=all)


@router.post("/api/v1/alerts/{alert_id}/resolve")
def resolve_alert(
    alert_id: Annotated[int, Path(ge=1, le=2**62)],
    ctx: Ctx,
    actor: Annotated[Actor, Depends(permit(Can.HANDLE_ALERTS))],
) -> dict[str, Any]:
    return alerts.resolve_alert(ctx, actor, alert_id)
