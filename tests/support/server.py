"""A real Nafitha server process for end-to-end tests (:mod:`nafitha.harness.server`), and the
``demo_server`` fixture: one demo-seeded server per test module.

    from tests.support.server import running_server

    def test_something(tmp_path):
        with running_server(tmp_path) as server:
            kiosk = server.client(server.kiosk_token)      # nafitha.client.Client
            clerk = server.login("clerk1", counter="c1")  # a signed-in Client
            ...

Or, in a conftest: ``from tests.support.server import demo_server  # noqa: F401``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from nafitha.harness.server import (
    LOAD_SERVICES,
    RunningServer,
    load_service,
    running_server,
    start_server,
)

__all__ = [
    "LOAD_SERVICES",
    "RunningServer",
    "demo_server",
    "load_service",
    "running_server",
    "start_server",
]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A demo-seeded server process for the tests of one module."""
    with running_server(tmp_path_factory.mktemp("server")) as server:
        yield server
