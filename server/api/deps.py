"""What handlers depend on: the use-case context, and who is asking (with a permission check).

Usage in a router::

    @router.post("/things", status_code=201)
    def make_thing(
        body: ThingIn, ctx: Ctx, actor: Annotated[Actor, Depends(permit(Can.MAKE_THING))]
    ) -> dict:
        return things.make_thing(ctx, actor, body.name)

The permission table is ``server/domain/roles.py``; the use cases check with the same
``require()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from server.domain.roles import Can, require
from server.usecases.auth import authenticate
from server.usecases.context import Actor, Context

_bearer = HTTPBearer(auto_error=False, description="A person's session token or a device token")


async def get_context(request: Request) -> Context:
    return request.app.state.ctx


Ctx = Annotated[Context, Depends(get_context)]


def client_address(request: Request) -> str:
    """The caller's address, the key of every per-address limit (as uvicorn saw it, proxies
    trusted only through ``forwarded_allow_ips``)."""
    return request.client.host if request.client else "unknown"


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def bearer_token(credentials: Credentials) -> str | None:
    return credentials.credentials if credentials else None


async def current_actor(request: Request, credentials: Credentials) -> Actor:
    """Anyone (no token), a person, or a device; a bad or expired token is refused (401).

    Async on purpose: one indexed lookup is cheaper on the event loop than a threadpool hop. The
    context comes from the request rather than a dependency: each dependency level costs as much
    as the lookup itself on the hottest endpoints.
    """
    return authenticate(request.app.state.ctx, credentials.credentials if credentials else None)


def permit(permission: Can) -> Callable[..., Actor]:
    """A dependency admitting only actors the permission table grants ``permission``."""

    async def check(request: Request, credentials: Credentials) -> Actor:
        actor = await current_actor(request, credentials)  # called, not a dependency level
        require(actor, permission)
        return actor

    return check
