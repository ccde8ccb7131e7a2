"""Counters: call next, call out of order, pause/resume; the staff's queue summary."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel, Field

from server.api.deps import Ctx, permit
from server.api.inputs import INPUT, PlainText
from server.domain.roles import Can
from server.usecases import calling, counters
from server.usecases.context import Actor

router = APIRouter(tags=["counters"])

CounterId = Annotated[str, Path(max_length=64)]
Serving = Annotated[Actor, Depends(permit(Can.SERVE_AT_COUNTER))]


class CallIn(BaseModel):
    model_config = INPUT
    reason: PlainText(500) = Field(description="why this ticket is called out of order")


@router.post("/api/v1/counters/{counter}/next", responses={204: {"description": "nobody waits"}})
async def call_next(counter: CounterId, ctx: Ctx, actor: Serving) -> Any:
    ticket = await ctx.db.run(calling.call_next, ctx, actor, counter)
    if ticket is None:
        return Response(status_code=204)
    return ticket


@router.post("/api/v1/counters/{counter}/call/{ticket_id}")
async def call_ticket(
    counter: CounterId,
    ticket_id: Annotated[int, Path(ge=1, le=2**62)],
    body: CallIn,
    ctx: Ctx,
    actor: Serving,
) -> dict[str, Any]:
    return await ctx.db.run(calling.call_ticket, ctx, actor, counter, ticket_id, body.reason)


class PauseIn(BaseModel):
    model_config = INPUT
    reason: PlainText(500) | None = Field(None, description="why the counter pauses (audited)")


@router.post("/api/v1/counters/{counter}/pause")
def pause(
    counter: CounterId,
    ctx: Ctx,
    actor: Serving,
    body: PauseIn | None = None,
) -> dict[str, Any]:
    reason = body.reason.strip() if body and body.reason else None
    return counters.set_counter_status(ctx, actor, counter, "paused", reason or None)


@router.post("/api/v1/counters/{counter}/resume")
def resume(counter: CounterId, ctx: Ctx, actor: Serving) -> dict[str, Any]:
    return counters.set_counter_status(ctx, actor, counter, "open")


@router.get("/api/v1/queue")
def queue(ctx: Ctx, actor: Annotated[Actor, Depends(permit(Can.VIEW_QUEUE))]) -> dict[str, Any]:
    return counters.queue_summary(ctx)
