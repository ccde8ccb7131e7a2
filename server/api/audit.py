"""The signed chain heads, for auditors: read them, or have the head signed now (docs/audit.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from server.api.deps import Ctx, permit
from server.domain.roles import Can
from server.usecases import audit_heads
from server.usecases.context import Actor

router = APIRouter(tags=["audit"])

Auditor = Annotated[Actor, Depends(permit(Can.READ_CHAIN_HEADS))]


@router.get("/api/v1/audit/heads")
def signed_heads(
    ctx: Ctx, actor: Auditor, limit: Annotated[int, Query(ge=1, le=1000)] = 50
) -> dict[str, Any]:
    """The newest signed heads, the current head and the center's public key: write one down
    and check it later with ``nafitha audit verify --head SEQ:HASH``."""
    return audit_heads.list_heads(ctx, actor, limit)


@router.post("/api/v1/audit/heads")
def sign_head(ctx: Ctx, actor: Auditor) -> dict[str, Any]:
    """Sign the current head now (``signed`` false when nothing was written since the last)."""
    return audit_heads.sign_on_demand(ctx, actor)
