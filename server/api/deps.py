"""What handlers depend on: the use-case context, and who is asking (with a role check).

Usage in a router::

    @router.post("/things", status_code=201)
    def make_thing(body: ThingIn, ctx: Ctx, actor: Actor = Depends(allow(*STAFF))) -> dict:
        return things.make_thing(ctx, actor, body.name)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from server.domain.errors import Refusal
from server.usecases.auth import authenticate
from server.usecases.context import Actor, Context

STAFF = ("clerk", "manager", "admin")
MANAGERS = ("manager", "admin")
ADMINS = ("admin",)
KIOSKS = ("kiosk",)
DEVICES = ("kiosk", "counter", "board")

_bearer = HTTPBearer(auto_error=False, description="A person's session token or a device token")


async def get_context(request: Request) -> Context:
    return request.app.state.ctx


Ctx = Annotated[Context, Depends(get_context)]


async def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str | None:
    return credentials.credentials if credentials else None


async def current_actor(ctx: Ctx, token: Annotated[str | None, Depends(bearer_token)]) -> Actor:
    """Anyone (no token), a person, or a device; a bad or expired token is refused (401).

    Async on purpose: one indexed lookup is cheaper on the event loop than a threadpool hop.
    """
    return authenticate(ctx, token)


def allow(*roles: str) -> Callable[..., Actor]:
    """A dependency admitting only these roles (people's roles or device kinds)."""

    async def check(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        if actor.kind == "anonymous":
            raise Refusal("unauthenticated", status=401)
        if actor.role not in roles:
            raise Refusal("forbidden", status=403)
        return actor

    return check
