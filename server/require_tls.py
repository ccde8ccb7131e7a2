"""With ``[tls] require``, staff secrets are accepted only over HTTPS (docs/operations.md, "TLS").

A sign-in (its password) or any request carrying a bearer token (a person's or a device's) that
came over plain HTTP is refused with ``tls_required`` (403) before any handler reads it. "Over
HTTPS" is the connection's own scheme: uvicorn's TLS, or a proxy named in
``forwarded_allow_ips`` that says ``X-Forwarded-Proto: https``; a proxy's word is believed only
from those addresses. Public pages, the board and its live stream stay reachable over plain HTTP
(citizens' phones hold no secret and cannot be asked to trust the center's own CA).

The refusal cannot un-send what the client already sent; what it does is make a terminal or a
browser left on ``http://`` fail at once and visibly, instead of leaking a password every morning.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from server.api.errors import error_response

LOGIN_PATH = "/api/v1/auth/login"


def carries_staff_secret(scope: Scope) -> bool:
    """A sign-in, or any request with an ``Authorization`` header."""
    if scope["path"] == LOGIN_PATH:
        return True
    return any(name == b"authorization" for name, _ in scope["headers"])


class RequireTls:
    """ASGI middleware: staff secrets over plain HTTP get the ``tls_required`` refusal."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope.get("scheme") != "https"
            and carries_staff_secret(scope)
        ):
            await error_response("tls_required")(scope, receive, send)
            return
        await self.app(scope, receive, send)
