"""GET /api/v1/health: is the server up, which version, can it read and write its database."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from nafitha import __version__
from server.api.deps import Ctx

router = APIRouter(tags=["health"])


@router.get(
    "/api/v1/health",
    responses={503: {"description": "the database cannot be written (`writable` is false)"}},
)
async def health(ctx: Ctx) -> JSONResponse:
    """Async: a check that the database answers must not queue behind the threadpool's work.

    ``writable`` is false (and the status 503) while the last write met a storage fault
    (read-only file, disk full, I/O error) and no write has succeeded since: a monitor then sees
    what every kiosk and counter sees, rather than an "ok" over failing writes.
    """
    ctx.db.read().execute("SELECT 1").fetchone()
    fault = ctx.db.storage_error
    body = {
        "status": "ok" if fault is None else "storage_unavailable",
        "version": __version__,
        "time": ctx.now(),
        "writable": fault is None,
    }
    if fault is not None:
        body["storage"] = fault
    return JSONResponse(body, status_code=200 if fault is None else 503)
