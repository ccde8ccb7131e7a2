"""Complaints tests: the server tests' in-process app on a copy of the seeded demo database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.conftest import AppEnv, FakeClock, make_env, seeded_db  # noqa: F401

__all__ = ["AppEnv", "FakeClock"]


@pytest.fixture
def app_env(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:  # noqa: F811
    yield from make_env(seeded_db, tmp_path)


from tests.support.server import demo_server  # noqa: E402, F401 - a server process per module
from tests.web.conftest import browser, open_page  # noqa: E402, F401 - Playwright fixtures

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "complaints"
