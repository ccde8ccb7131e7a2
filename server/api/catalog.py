"""GET /api/v1/services and /api/v1/counters: the public catalog for kiosks, boards and counters."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from server.api.deps import Ctx
from server.usecases import catalog

router = APIRouter(tags=["catalog"])


@router.get("/api/v1/services")
def services(ctx: Ctx) -> dict[str, Any]:
    """Categories and active services, each with ``open_now`` and its live ``queue``:
    ``{waiting, people_ahead, estimated_wait_s, wait_minutes, callable}`` as a ticket of it taken
    now would be told; the center's ``timezone``."""
    return catalog.public_catalog(ctx)


@router.get("/api/v1/counters")
def counters(ctx: Ctx) -> list[dict[str, Any]]:
    return catalog.public_counters(ctx)
