"""Fixtures of the client tests: a real server process per module."""

from tests.support.server import demo_server  # noqa: F401 - a fixture
