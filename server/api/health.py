"""GET /api/v1/health: is the server up, which version, can it read and write its database."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from server.api.deps import Ctx
from server.usecases.health import health as health_of

router = APIRouter(tags=["health"])


@router.get(
    "/api/v1/health",
    responses={503: {"description": "the database cannot be written (`writable` is false)"}},
)
async def health(ctx: Ctx) -> JSONResponse:
    """Async: a check that the database answers must not queue behind the threadpool's work.

    ``writable`` is false (and the status 503) while the last write met a storage fault; see
    :func:`server.usecases.health.health`.
    """
    body, writable = health_of(ctx)
    return JSONResponse(body, status_code=200 if writable else 503)
