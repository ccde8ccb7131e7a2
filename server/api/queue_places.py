"""Joining today's queue from a phone (docs/appointments.md, "Joining from a phone").

``POST /api/v1/places`` and ``GET /api/v1/places/{token}`` need no login (the token is the
capability; joining is rate-limited per client address); ``POST /api/v1/places/{token}/confirm``
is the kiosk's (or a clerk's): it issues the ticket, keeping the place's position.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from server.api.deps import Ctx, client_address, current_actor, permit
from server.api.inputs import INPUT
from server.domain.roles import Can
from server.usecases import queue_places
from server.usecases.context import Actor

router = APIRouter(tags=["places"])
Token = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class PlaceIn(BaseModel):
    """A citizen's request for a place: the service, their mobile number, their language."""

    model_config = INPUT
    service: str = Field(min_length=1, max_length=64)
    phone: str = Field(min_length=1, max_length=40, description="a mobile number of the center")
    lang: Literal["ar", "en"] = "ar"
    notify: bool = Field(default=False, description="a text message when the turn is near")


@router.post("/api/v1/places", status_code=201)
async def join_queue(
    body: PlaceIn,
    ctx: Ctx,
    request: Request,
    actor: Annotated[Actor, Depends(current_actor)],
) -> dict[str, Any]:
    """A place in today's queue: ``{id, token, service, url, qr, expires_at, come_back_at,
    ahead, wait_minutes, ...}``; one per phone number per service per day."""
    if actor.kind != "person":
        address = client_address(request)
        await run_in_threadpool(queue_places.check_join_allowed, ctx, address)
    await ctx.db.run(queue_places.sweep, ctx)
    return await ctx.db.run(
        queue_places.join, ctx, actor, body.service, body.phone, body.lang, body.notify
    )


@router.get("/api/v1/places/{token}")
def get_place(token: Token, ctx: Ctx) -> dict[str, Any]:
    """A place by its token: state (waiting, confirmed, lapsed), people ahead now, come-back
    time, time to confirm by. Never the phone number."""
    return queue_places.public_place(ctx, token)


@router.post("/api/v1/places/{token}/confirm")
async def confirm_place(
    token: Token, ctx: Ctx, actor: Annotated[Actor, Depends(permit(Can.ISSUE_TICKET))]
) -> dict[str, Any]:
    """The kiosk scanned the place's QR: ``{place, ticket}`` (the ticket as ``POST
    /api/v1/tickets`` answers it, issued at the join time)."""
    await ctx.db.run(queue_places.sweep, ctx)
    return await ctx.db.run(queue_places.confirm, ctx, actor, token)
