"""A real hub HTTP API (uvicorn on a free loopback port, in a thread) for the dashboard's tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests
import uvicorn

from hub.api.app import create_app
from hub.config import MinistrySettings
from nafitha.harness import ports


class HubHttp:
    """requests against the running app, paths relative to its base URL."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.get(self.base + path, timeout=30, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.post(self.base + path, timeout=30, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.patch(self.base + path, timeout=30, **kwargs)

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.http.request(method, self.base + path, timeout=30, **kwargs)


@contextmanager
def running_hub(dsn: str, settings: MinistrySettings | None = None) -> Iterator[HubHttp]:
    """The hub's app served for real until the block ends."""
    port = ports.free_port()
    config = uvicorn.Config(
        create_app(dsn, settings), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the hub's HTTP API did not start")
        time.sleep(0.02)
    client = HubHttp(f"http://127.0.0.1:{port}")
    try:
        yield client
    finally:
        client.http.close()
        server.should_exit = True
        thread.join(timeout=10)
