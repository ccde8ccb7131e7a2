"""POST /api/v1/tickets/public/{token}/notify: a ticket's holder asks for text messages.

No login: the ticket's public token is the capability (the kiosk right after printing, the phone
page ``/t/<token>``). Rate-limited per client (address, or kiosk device) and per number; the
refusals are bilingual (``server/usecases/ticket_sms.py``, docs/sms.md).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field

from server.api.deps import Ctx, client_address, current_actor
from server.api.inputs import INPUT
from server.usecases import ticket_sms
from server.usecases.context import Actor

router = APIRouter(tags=["tickets"])

Anyone = Annotated[Actor, Depends(current_actor)]


class NotifyIn(BaseModel):
    model_config = INPUT
    phone: str = Field(
        min_length=1, max_length=40, description="a mobile number, local or +international"
    )
    lang: Literal["ar", "en"] = Field(default="ar", description="the messages' language")


@router.post("/api/v1/tickets/public/{token}/notify")
def notify(
    token: Annotated[str, Path(max_length=64)],
    body: NotifyIn,
    ctx: Ctx,
    actor: Anyone,
    request: Request,
) -> dict[str, Any]:
    """Text "your turn is near" (at the service's ``turn_near`` people ahead) and "you are
    called" to this number. Answers ``{ticket, phone (masked), lang, turn_near, near}``; the
    same number again gives the same answer."""
    return ticket_sms.opt_in(ctx, actor, token, body.phone, body.lang, client_address(request))
