"""GET /api/v1/integrity?day=YYYY-MM-DD: the published integrity report of a day (anyone).

Async on purpose: the report runs on a pool of its own (one thread, a short queue; beyond it a
429 at once), so readers on the hall's Wi-Fi can never fill the shared threadpool the clerks'
requests use. The use case rate-limits per address and caches per day and head.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from server.api.deps import Ctx, client_address, current_actor
from server.bounded_pool import BoundedPool
from server.usecases import integrity
from server.usecases.context import Actor, Context

router = APIRouter(tags=["integrity"])

POOL_THREADS = 1
POOL_QUEUE = 8


def integrity_pool(ctx: Context) -> BoundedPool:
    """The process's one pool for integrity reports (closed with the app)."""
    pool = ctx.cache.get("integrity_pool")
    if pool is None:
        pool = ctx.cache.setdefault(
            "integrity_pool", BoundedPool(POOL_THREADS, POOL_QUEUE, "integrity")
        )
    return pool


@router.get(
    "/api/v1/integrity",
    responses={429: {"description": "Too many reads from this address; see Retry-After"}},
)
async def integrity_report(
    request: Request,
    ctx: Ctx,
    actor: Annotated[Actor, Depends(current_actor)],
    day: Annotated[
        str | None, Query(max_length=10, description="YYYY-MM-DD; today by default")
    ] = None,
) -> dict[str, Any]:
    address = client_address(request)
    return await integrity_pool(ctx).run(integrity.day_report, ctx, actor, address, day)
