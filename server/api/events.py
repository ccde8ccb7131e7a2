"""GET /api/v1/events: Server-Sent Events of calls and queue changes, public fields only."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator, Callable
from typing import Annotated

import anyio
from fastapi import APIRouter, Header, Query, Request
from fastapi.sse import EventSourceResponse
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from server.api.deps import client_address
from server.domain.errors import Refusal
from server.stream_slots import StreamSlots

router = APIRouter(tags=["events"])

_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only ("²".isdigit() is true), below 2**63
UNREPLAYABLE = -1  # an id the log cannot have: the feed answers with a reset


def parse_after(after: str | None, last_event_id: str | None) -> int | None:
    """The id to resume after: ``after`` must be a plain id (else 422); a bad header resets.

    Browsers send ``Last-Event-ID`` by themselves, so a junk one must not lock a client out:
    it gets a ``reset`` and reloads. A bad ``after`` is the caller's own mistake.
    """
    if after is not None:
        if not _ID.fullmatch(after):
            raise Refusal(
                "invalid_input",
                field="after",
                reason={"ar": "رقم حدث (أرقام فقط)", "en": "an event id (digits)"},
            )
        return int(after)
    if last_event_id is not None:
        return int(last_event_id) if _ID.fullmatch(last_event_id.strip()) else UNREPLAYABLE
    return None


class EventStream(EventSourceResponse):
    """The SSE answer: the feed's bytes, ended quietly when the client goes or the server stops.

    A task watches for the client's disconnect, so a closed tab frees its slot at once rather
    than at the next event; a write to a gone client ends the stream without a traceback.
    """

    def __init__(self, content: AsyncIterator[bytes], release: Callable[[], None]) -> None:
        super().__init__(content, headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        self._content = content
        self._release = release

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            async with anyio.create_task_group() as group:

                async def watch() -> None:
                    while (await receive())["type"] != "http.disconnect":
                        pass
                    group.cancel_scope.cancel()

                group.start_soon(watch)
                with contextlib.suppress(OSError):  # the client went while we wrote
                    await send(
                        {"type": "http.response.start", "status": 200, "headers": self.raw_headers}
                    )
                    async for chunk in self._content:
                        await send({"type": "http.response.body", "body": chunk, "more_body": True})
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                group.cancel_scope.cancel()
        finally:
            with contextlib.suppress(RuntimeError):
                await self._content.aclose()  # type: ignore[attr-defined]
            self._release()


@router.get(
    "/api/v1/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}}},
)
async def events(
    request: Request,
    last_event_id: Annotated[str | None, Header(max_length=40)] = None,
    after: Annotated[
        str | None, Query(max_length=40, description="resume after this event id")
    ] = None,
) -> EventStream:
    """Each event: ``id`` (resume with ``Last-Event-ID``), ``event`` (its kind), JSON ``data``.

    Kinds: ticket_issued, ticket_called, ticket_called_out_of_order, ticket_recall,
    ticket_no_show, ticket_start, ticket_finish, ticket_transfer, ticket_cancel, counter_opened,
    counter_paused, person_signed_in / person_signed_out (counter status only), board_message,
    and ``reset``: the position asked for is older than what the server replays (or unknown to
    it); reload the state and follow on from the reset's ``id``. At most
    ``event_streams_per_address`` streams per client address and ``event_streams_max`` in all
    per worker: beyond, 503 ``too_many_streams`` with ``Retry-After``.
    """
    start = parse_after(after, last_event_id)
    slots: StreamSlots = request.app.state.stream_slots
    address = client_address(request)
    slots.take(address)
    released = False

    def release() -> None:
        nonlocal released
        if not released:
            released = True
            slots.give_back(address)

    return EventStream(request.app.state.feed.subscribe(start), release)
