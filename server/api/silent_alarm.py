"""The counter's silent alarm, and the dashboard's wait for a new alert (how it shows at once)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse

from server.api.deps import Ctx, permit
from server.domain.roles import Can
from server.usecases import silent_alarm
from server.usecases.context import Actor

router = APIRouter(tags=["alerts"])


@router.post("/api/v1/counters/{counter}/alarm", status_code=202)
def raise_alarm(
    counter: Annotated[str, Path(max_length=64)],
    ctx: Ctx,
    actor: Annotated[Actor, Depends(permit(Can.RAISE_SILENT_ALARM))],
) -> JSONResponse:
    """A staff member in trouble: an urgent ``silent_alarm`` alert for the managers naming the
    counter, and an audited ``silent_alarm`` event that is never public. Only a person signed in
    at that counter (``not_at_counter`` otherwise). 202 ``{alert, repeat}``."""
    return JSONResponse(silent_alarm.raise_silent_alarm(ctx, actor, counter), status_code=202)


@router.get("/api/v1/alerts/wait")
async def wait_for_alerts(
    request: Request,
    ctx: Ctx,
    actor: Annotated[Actor, Depends(permit(Can.HANDLE_ALERTS))],
    after: Annotated[int | None, Query(ge=0, le=2**62)] = None,
) -> dict[str, Any]:
    """``{last, alerts}``: the open alerts once one newer than alert id ``after`` exists, or
    after 20 s with what there is (ask again with ``after=last``); at once without ``after``.
    The dashboard keeps one open, so a silent alarm is on screen within a fraction of a second
    without ever being on the public stream."""
    feed = request.app.state.feed
    return await silent_alarm.wait_for_alerts(
        ctx, after, lambda: feed.closed or feed.stopping, feed.read_guarded
    )
