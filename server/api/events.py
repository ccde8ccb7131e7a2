"""GET /api/v1/events: Server-Sent Events of calls and queue changes, public fields only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent

router = APIRouter(tags=["events"])


@router.get("/api/v1/events", response_class=EventSourceResponse)
async def events(
    request: Request,
    last_event_id: Annotated[str | None, Header(max_length=20)] = None,
    after: Annotated[int | None, Query(ge=0, description="resume after this event id")] = None,
) -> AsyncIterator[ServerSentEvent]:
    """Each event: ``id`` (resume with ``Last-Event-ID``), ``event`` (its kind), JSON ``data``.

    Kinds: ticket_issued, ticket_called, ticket_called_out_of_order, ticket_recall,
    ticket_no_show, ticket_start, ticket_finish, ticket_transfer, ticket_cancel, counter_opened,
    counter_paused, person_signed_in / person_signed_out (counter status only).
    """
    start = after
    if start is None and last_event_id and last_event_id.isdigit():
        start = int(last_event_id)
    feed = request.app.state.feed
    async for event in feed.subscribe(start):
        yield ServerSentEvent(data=event.data, event=event.kind, id=str(event.id))
