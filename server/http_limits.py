"""uvicorn's fast HTTP parser (httptools) with a bound on the size of a request's head.

uvicorn bounds the head only with its h11 parser (``h11_max_incomplete_event_size``); with
httptools, the parser's Python wrapper keeps appending a header's bytes until the header ends, so
six 48 MB headers took a server from 83 to 430 MB. This protocol counts the bytes of each
request's line and headers and, past ``h11_max_incomplete_event_size`` (the same setting, so one
number bounds both parsers), answers 431 in the API's error shape and closes the connection.
"""

from __future__ import annotations

import json
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

DEFAULT_MAX_HEAD = 32 * 1024


def _refusal_bytes() -> bytes:
    from server.api.errors import error_body  # the one error shape (and its catalog text)

    body = json.dumps(error_body("headers_too_large"), ensure_ascii=False).encode()
    head = (
        "HTTP/1.1 431 Request Header Fields Too Large\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    ).encode()
    return head + body


class BoundedHttpTools(HttpToolsProtocol):
    """httptools, refusing a request line plus headers longer than the configured bound."""

    def __init__(self, config: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        self.max_head = config.h11_max_incomplete_event_size or DEFAULT_MAX_HEAD
        self._in_head = True  # bytes now arriving belong to a request's line and headers
        self._head_bytes = 0
        self._refused = False

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._in_head = True
        self._head_bytes = 0
        super().on_message_complete()

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        if not self._in_head:
            super().data_received(data)
            return
        room = self.max_head - self._head_bytes
        if len(data) <= room:
            self._head_bytes += len(data)
            super().data_received(data)
            return
        if room > 0:  # the head may end within what fits: feed that, then look again
            self._head_bytes += room
            super().data_received(data[:room])
            if not self._in_head and not self._refused and not self.transport.is_closing():
                self.data_received(data[room:])
                return
        if self._in_head:
            self._refuse()

    def _refuse(self) -> None:
        self._refused = True
        self.logger.warning("refused a request head over %d bytes", self.max_head)
        if not self.transport.is_closing():
            self.transport.write(_refusal_bytes())
            self.transport.close()
