"""Reprinting a ticket: the kiosk's (by the QR's token or the typed number) and the counter's.

Registered before ``server.api.tickets`` (``server/app.py``): its ``/tickets/{id}/{action}``
would otherwise take ``/tickets/{id}/reprint`` and refuse the action's name.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from server.api.deps import Ctx, permit
from server.api.inputs import INPUT
from server.domain.roles import Can
from server.usecases import reprint
from server.usecases.context import Actor

router = APIRouter(tags=["tickets"])


class ReprintIn(BaseModel):
    model_config = INPUT
    token: str | None = Field(
        default=None, min_length=1, max_length=64, description="the token of the QR's status URL"
    )
    number: str | None = Field(
        default=None, min_length=1, max_length=12, description="the printed number, e.g. A-042"
    )


@router.post("/api/v1/tickets/reprint")
async def reprint_at_kiosk(
    body: ReprintIn,
    ctx: Ctx,
    actor: Annotated[Actor, Depends(permit(Can.REPRINT_AT_KIOSK))],
) -> dict[str, Any]:
    """Today's waiting or called ticket, by ``token`` or ``number`` (one of the two), as a fresh
    ticket shows it, with ``reprint: true`` and ``reprints`` (the count so far). Refusals:
    ``ticket_not_found``, ``reprint_not_today``, ``reprint_closed``, ``reprint_limit_reached``
    (two reprints of one ticket at kiosks), ``reprint_rate_limited`` (429, ``Retry-After``)."""
    return await ctx.db.run(reprint.reprint_at_kiosk, ctx, actor, body.token, body.number)


@router.post("/api/v1/tickets/{ticket_id}/reprint")
async def reprint_at_counter(
    ticket_id: Annotated[int, Path(ge=1, le=2**62)],
    ctx: Ctx,
    actor: Annotated[Actor, Depends(permit(Can.REPRINT_TICKET))],
) -> dict[str, Any]:
    """A clerk reprints a ticket of their counter (called or serving there, or waiting for it);
    the same answer as the kiosk's. Audited as ``ticket_reprinted`` (``by: "counter"``)."""
    return await ctx.db.run(reprint.reprint_at_counter, ctx, actor, ticket_id)
