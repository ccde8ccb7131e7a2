"""A refusal is an error value: a code, an optional HTTP status, and the parameters of its message.

The bilingual message comes from a catalog (``assets/i18n/server.toml`` by default, table
``error_<code>``); the API turns every refusal into the one error shape
``{"error": {"code", "message": {"ar", "en"}}}``.
"""

from __future__ import annotations

from typing import Any


class Refusal(Exception):
    """Raised by use cases and domain rules when a request cannot be done as asked."""

    def __init__(
        self, code: str, *, status: int | None = None, text_key: str | None = None, **params: Any
    ) -> None:
        self.code = code
        self.status = status
        self.text_key = text_key or f"server.error_{code}"
        self.params = params
        super().__init__(code)
