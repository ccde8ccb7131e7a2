"""GET /api/v1/health: is the server up, which version, can it read and write its database."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from server.api.deps import Credentials, Ctx, current_actor
from server.domain.errors import Refusal
from server.usecases.context import ANYONE, Actor
from server.usecases.health import health as health_of
from server.usecases.health import replica_status

router = APIRouter(tags=["health"])


async def _caller(request: Request, credentials: Credentials) -> Actor:
    """Who asks, or anyone: health never refuses a token (a revoked kiosk still sees it)."""
    try:
        return await current_actor(request, credentials)
    except Refusal:
        return ANYONE


@router.get(
    "/api/v1/health",
    responses={503: {"description": "the database cannot be written (`writable` is false)"}},
)
async def health(ctx: Ctx, actor: Annotated[Actor, Depends(_caller)]) -> JSONResponse:
    """Async: a check that the database answers must not queue behind the threadpool's work.

    ``writable`` is false (and the status 503) while the last write met a storage fault; see
    :func:`server.usecases.health.health`. With a ``[replica]``, ``replica`` holds its status
    (staff see its details: :func:`server.usecases.health.replica_status`).
    """
    body, writable = health_of(ctx)
    if (replica := replica_status(ctx, actor)) is not None:
        body["replica"] = replica
    return JSONResponse(body, status_code=200 if writable else 503)
