"""Fixtures of the ratings' tests: the in-process API on a fresh database (tests/server), a real
server process, and headless Chromium (tests/web)."""

from __future__ import annotations

from tests.server.conftest import app_env, seeded_db  # noqa: F401 - fixtures
from tests.support.server import demo_server  # noqa: F401 - a real server process per module
from tests.web.conftest import browser, open_page  # noqa: F401 - fixtures
