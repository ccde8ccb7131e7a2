"""The one error shape of the API, produced here and nowhere else.

Every refusal, validation failure, unknown path, oversized body and unexpected exception leaves the
server as ``{"error": {"code": "...", "message": {"ar": "...", "en": "..."}}}`` with a 4xx/5xx
status; ``tests/server/test_error_shape.py`` pins it.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nafitha.text import MissingText, both
from server.api.validation_text import validation_reason
from server.domain.errors import Refusal, code_of
from server.store.faults import storage_fault

log = logging.getLogger("nafitha.server")


def error_body(code: str, text_key: str | None = None, **params: Any) -> dict[str, Any]:
    """The one error shape; the text is the registered code's catalog entry."""
    key = text_key or code_of(code).text_key(code)
    try:
        message = both(key, **params)
    except (MissingText, KeyError, IndexError):
        log.error("no catalog text %s for error %s %s", key, code, params)
        message = {"ar": code, "en": code}
    return {"error": {"code": code, "message": message}}


def refusal_response(refusal: Refusal) -> JSONResponse:
    """The answer for a refusal: its registered status, its text, its headers."""
    return JSONResponse(
        error_body(refusal.code, refusal.text_key, **refusal.params),
        status_code=refusal.status,
        headers=refusal.headers or None,
    )


def error_response(code: str, **params: Any) -> JSONResponse:
    return refusal_response(Refusal(code, **params))


def _refusal(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Refusal)
    return refusal_response(exc)


def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response("malformed_json")
    first = errors[0] if errors else {"loc": (), "msg": "invalid"}
    field = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
    return error_response("invalid_input", field=field or "body", reason=validation_reason(first))


def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        return error_response("not_found")
    if exc.status_code == 405:
        return error_response("method_not_allowed")
    if exc.status_code == 401:
        return error_response("unauthenticated")
    if exc.status_code == 403:
        return error_response("forbidden")
    if exc.status_code == 413:
        return error_response("body_too_large", limit="?")
    if exc.status_code < 500:
        refusal = Refusal("invalid_input", field="request", reason=str(exc.detail))
        refusal.status = exc.status_code  # keep the framework's own 4xx (400, 406, ...)
        return refusal_response(refusal)
    return error_response("internal_error")


def _database(request: Request, exc: Exception) -> JSONResponse:
    """A storage fault (read-only, disk full, I/O error) is the disk's, not the request's: a 503
    and one log line; any other database error is a bug like any other."""
    if (fault := storage_fault(exc)) is not None:
        log.error("%s %s: database %s (%s)", request.method, request.url.path, fault, exc)
        return error_response("storage_unavailable")
    return _unexpected(request, exc)


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response("internal_error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Refusal, _refusal)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(sqlite3.Error, _database)
    app.add_exception_handler(Exception, _unexpected)


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with the error shape, before any handler runs."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await self._refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.limit:
                await self._refuse(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response("body_too_large", limit=self.limit)
        await response(scope, receive, send)
