"""Tickets: issue (kiosk), public status (anyone), actions (clerk)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from server.api.deps import Ctx, client_address, permit
from server.api.inputs import INPUT, PlainText
from server.domain.roles import Can
from server.usecases import cutoff, files_track, ticket_actions, tickets, visit_steps
from server.usecases.context import Actor

router = APIRouter(tags=["tickets"])

TicketId = Annotated[int, Path(ge=1, le=2**62)]


class PersonIn(BaseModel):
    """The person, for the services limiting tickets per person per day (only a keyed digest
    of it is kept, never the value): digits only, as typed on the kiosk's keypad."""

    model_config = INPUT
    phone: str | None = Field(default=None, min_length=1, max_length=15, pattern=r"^[0-9]+$")
    id_digits: str | None = Field(default=None, min_length=1, max_length=4, pattern=r"^[0-9]+$")


class TicketIn(BaseModel):
    model_config = INPUT
    service: str = Field(min_length=1, max_length=64)
    priority: bool = False
    file: str | None = Field(default=None, max_length=64, description="a file reference, if any")
    person: PersonIn | None = Field(
        default=None, description="for a service limiting tickets per person: who takes it"
    )


class ActionIn(BaseModel):
    model_config = INPUT
    service: str | None = Field(default=None, max_length=64, description="transfer: new service")
    counter: str | None = Field(default=None, max_length=64, description="transfer: to a counter")
    reason: PlainText(500) | None = None
    outcome: str | None = Field(
        default=None, max_length=48, description="finish: one of the service's outcome ids"
    )
    note: PlainText(500) | None = Field(
        default=None, description="finish: a note for the clerk of the visit's next step"
    )


class SendBackIn(BaseModel):
    model_config = INPUT
    step: int = Field(ge=1, le=20, description="the earlier step (1-based) to send the ticket to")
    reason: PlainText(500) | None = None


@router.post("/api/v1/tickets", status_code=201)
async def issue_ticket(
    body: TicketIn,
    ctx: Ctx,
    response: Response,
    actor: Annotated[Actor, Depends(permit(Can.ISSUE_TICKET))],
    request: Request,
    idempotency_key: Annotated[str | None, Header(max_length=128)] = None,
) -> dict[str, Any]:
    """A new ticket. Retrying with the same ``Idempotency-Key`` returns the same ticket (200).

    The hot write endpoints are ``async`` and run their use case on the database's writer thread
    (``ctx.db.run``): one hop, grouped with the writes queued beside it into one commit. A ticket
    for a file reference counts as a file lookup (the tracking rate limit): a kiosk cannot test
    references faster here than on the tracking screen.
    """
    if body.file is not None:
        address = client_address(request)
        await run_in_threadpool(files_track.check_track_allowed, ctx, actor, address)
    try:
        ticket, created = await ctx.db.run(
            tickets.issue_ticket,
            ctx,
            actor,
            body.service,
            body.priority,
            body.file,
            idempotency_key,
            body.person.model_dump() if body.person else None,
        )
    except cutoff.LimitReached as refusal:  # rolled back with the issue: counted on its own
        await ctx.db.run(cutoff.record_limit_refusal, ctx, actor, refusal)
        raise
    if not created:
        response.status_code = 200
    return ticket


@router.get("/api/v1/tickets/public/{token}")
def public_status(token: Annotated[str, Path(max_length=64)], ctx: Ctx) -> dict[str, Any]:
    """A ticket by its public token: state, ``people_ahead`` (over the counters that can call
    it), ``estimated_wait_s``, ``wait_minutes`` (the one rounding), ``callable`` (an open counter
    can call it now), the counter once called, and the center's ``timezone``. No personal data.
    """
    return tickets.public_status(ctx, token)


@router.get("/api/v1/tickets/{ticket_id}")
def get_ticket(
    ticket_id: TicketId, ctx: Ctx, actor: Annotated[Actor, Depends(permit(Can.VIEW_TICKET))]
) -> dict[str, Any]:
    return ticket_actions.get_ticket(ctx, ticket_id)


@router.post("/api/v1/tickets/{ticket_id}/send-back")
async def send_back(
    ticket_id: TicketId,
    body: SendBackIn,
    ctx: Ctx,
    actor: Annotated[Actor, Depends(permit(Can.ACT_ON_TICKET))],
) -> dict[str, Any]:
    """Send a ticket called or served here back to an earlier step of its visit."""
    return await ctx.db.run(visit_steps.send_back, ctx, actor, ticket_id, body.step, body.reason)


@router.post("/api/v1/tickets/{ticket_id}/{action}")
async def ticket_action(
    ticket_id: TicketId,
    action: Literal["recall", "no-show", "start", "finish", "transfer", "cancel", "undo-no-show"],
    ctx: Ctx,
    actor: Annotated[Actor, Depends(permit(Can.ACT_ON_TICKET))],
    body: ActionIn | None = None,
) -> dict[str, Any]:
    body = body or ActionIn()
    return await ctx.db.run(
        ticket_actions.ticket_action,
        ctx,
        actor,
        ticket_id,
        action,
        body.service,
        body.counter,
        body.reason,
        body.outcome,
        body.note,
    )
