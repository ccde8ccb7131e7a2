"""GET /api/v1/admin/catalog and /api/v1/admin/events: what the admin pages list (admins)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from server.api.deps import Ctx, permit
from server.domain.roles import Can
from server.usecases import admin_pages, audit_log
from server.usecases.context import Actor

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])
CatalogEditor = Annotated[Actor, Depends(permit(Can.EDIT_CATALOG))]
AuditReader = Annotated[Actor, Depends(permit(Can.READ_AUDIT))]


@router.get("/catalog")
def full_catalog(ctx: Ctx, actor: CatalogEditor) -> dict[str, Any]:
    """Categories, services (inactive too) and counters, as PUT /api/v1/admin/... takes them."""
    return admin_pages.full_catalog(ctx, actor)


@router.get("/events")
def change_log(
    ctx: Ctx,
    actor: AuditReader,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> list[dict[str, Any]]:
    """The change log (ticket traffic left out), newest first."""
    return audit_log.change_log(ctx, actor, limit, before)
