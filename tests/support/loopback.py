"""HTTP requests from a chosen loopback source address, to act as many clients on one machine.

Linux routes all of 127.0.0.0/8 to the loopback interface, so binding the client's socket to
127.0.0.2, 127.0.0.3... makes the server see as many different client addresses: a guesser and
the real owner, or a hall full of phones.
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any

    @property
    def code(self) -> str | None:
        return self.body.get("error", {}).get("code") if isinstance(self.body, dict) else None


def request(
    url: str,
    method: str,
    path: str,
    body: Any = None,
    source: str = "127.0.0.1",
    headers: dict[str, str] | None = None,
    timeout: float = 60.0,
) -> Answer:
    """One request to the server at ``url`` from ``source``; the JSON answer (or its text)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(
        parts.hostname or "127.0.0.1", parts.port, timeout=timeout, source_address=(source, 0)
    )
    try:
        payload = None if body is None else json.dumps(body).encode()
        sent = {"Content-Type": "application/json", **(headers or {})} if payload else headers
        conn.request(method, path, body=payload, headers=sent or {})
        response = conn.getresponse()
        raw = response.read()
        try:
            parsed: Any = json.loads(raw)
        except ValueError:
            parsed = raw.decode(errors="replace")
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, parsed)
    finally:
        conn.close()


def login(url: str, username: str, password: str, source: str = "127.0.0.1") -> Answer:
    body = {"username": username, "password": password}
    return request(url, "POST", "/api/v1/auth/login", body, source)
