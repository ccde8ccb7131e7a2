"""The security headers every answer carries, added in one ASGI middleware.

- ``Content-Security-Policy``: scripts, styles, images, sounds and fetches from this server only;
  no plugin, no ``<base>``, and no page may frame ours (``frame-ancestors 'none'``). The pages keep
  their data in ``<script type="application/json">`` blocks, which CSP does not run. The few
  ``style="..."`` attributes of the templates are allowed by their hashes, computed here from the
  templates themselves (``'unsafe-hashes'``), so a page gains no inline style by accident.
- ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` (older browsers),
  ``Referrer-Policy: no-referrer`` (a ticket page's address holds its token).
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

TEMPLATES = Path(__file__).resolve().parents[1] / "web" / "templates"
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')


def _style_hashes(folder: Path = TEMPLATES) -> list[str]:
    values = sorted(
        {
            v
            for page in folder.glob("*.html")
            for v in _STYLE_ATTRIBUTE.findall(page.read_text(encoding="utf-8"))
        }
    )
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(v.encode()).digest()).decode() + "'"
        for v in values
    ]


def content_security_policy(folder: Path = TEMPLATES) -> str:
    hashes = _style_hashes(folder)
    styles = " ".join(["'self'", *(["'unsafe-hashes'", *hashes] if hashes else [])])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            f"style-src {styles}",
            "img-src 'self' data:",
            "media-src 'self'",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeaders:
    """Adds the headers above to every HTTP answer (streams included), unless already set."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", content_security_policy().encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)
