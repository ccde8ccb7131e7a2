"""GET /api/v1/health: is the server up, which version, can it read its database."""

from __future__ import annotations

from fastapi import APIRouter

from nafitha import __version__
from server.api.deps import Ctx

router = APIRouter(tags=["health"])


@router.get("/api/v1/health")
async def health(ctx: Ctx) -> dict[str, object]:
    """Async: a check that the database answers must not queue behind the threadpool's work."""
    ctx.db.read().execute("SELECT 1").fetchone()
    return {"status": "ok", "version": __version__, "time": ctx.now()}
