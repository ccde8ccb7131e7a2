"""POST /api/v1/auth/login and /logout: person sessions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from server.api.deps import Ctx, bearer_token, client_address, permit
from server.api.inputs import INPUT
from server.bounded_pool import BoundedPool
from server.domain.roles import Can
from server.usecases import auth
from server.usecases.context import Actor

router = APIRouter(tags=["auth"])


class LoginIn(BaseModel):
    model_config = INPUT
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)
    counter: str | None = Field(default=None, max_length=64)
    take_over: bool = Field(
        default=False, description="take the counter from the clerk holding it (audited)"
    )


@router.post("/api/v1/auth/login")
async def login(body: LoginIn, ctx: Ctx, request: Request) -> dict[str, Any]:
    """Async: the password check runs on the login pool (429 when full), not the threadpool."""
    pool = ctx.cache.get("login_pool")
    if pool is None:
        settings = ctx.settings
        pool = ctx.cache["login_pool"] = BoundedPool(
            settings.login_hash_threads, settings.login_queue, "login"
        )
    address = client_address(request)
    return await pool.run(
        auth.login, ctx, body.username, body.password, body.counter, body.take_over, address
    )


@router.post("/api/v1/auth/logout", status_code=204)
def logout(
    ctx: Ctx,
    actor: Annotated[Actor, Depends(permit(Can.OWN_SESSION))],
    token: Annotated[str | None, Depends(bearer_token)],
) -> Response:
    auth.logout(ctx, actor, token or "")
    return Response(status_code=204)


@router.get("/api/v1/auth/me")
def me(actor: Annotated[Actor, Depends(permit(Can.OWN_SESSION))]) -> dict[str, Any]:
    return {"username": actor.name, "role": actor.role, "counter": actor.counter}
