"""In-process API tests: ``create_app`` on a fresh SQLite file, an injected clock, demo accounts.

``app_env`` gives an :class:`AppEnv` whose ``http`` is a Starlette TestClient and whose ``clock``
can be moved (``env.clock.set_local("2026-11-23 20:00")``, ``env.clock.advance(3600)``).
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from nafitha.demo import seed_demo
from server.app import create_app
from server.config import DEFAULT_CENTER, CenterConfig, ServerSettings, load_center_config
from server.usecases.context import Context
from tests.support.server import demo_server  # noqa: F401 - a real server process per module

with warnings.catch_warnings():  # starlette warns about httpx once, at import
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TZ = "Asia/Beirut"
MONDAY_10AM = "2026-11-23 10:00"  # a Monday, every demo service open


def local_ts(text: str, tz: str = TZ) -> float:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(tz)).timestamp()


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, local: str = MONDAY_10AM) -> None:
        self.t = local_ts(local)

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds

    def set_local(self, local: str) -> None:
        self.t = local_ts(local)


@dataclass
class AppEnv:
    http: TestClient
    ctx: Context
    clock: FakeClock
    db_path: Path

    def headers(self, token: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"} if token else {}

    @property
    def kiosk(self) -> dict[str, str]:
        return self.headers("demo-kiosk-1")

    def login(self, username: str, counter: str | None = None) -> dict[str, str]:
        answer = self.http.post(
            "/api/v1/auth/login",
            json={"username": username, "password": "demo", "counter": counter},
        )
        assert answer.status_code == 200, answer.text
        return self.headers(answer.json()["token"])

    def issue(self, service: str = "civil-extract", **body: Any) -> dict[str, Any]:
        answer = self.http.post(
            "/api/v1/tickets", json={"service": service, **body}, headers=self.kiosk
        )
        assert answer.status_code == 201, answer.text
        return answer.json()


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the demo catalog and accounts, made once and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "nafitha.db"
    seed_demo(path)
    return path


def make_env(
    seeded_db: Path, folder: Path, center: CenterConfig | None = None, **settings: Any
) -> Iterator[AppEnv]:
    """An AppEnv on a copy of the seeded database (``center`` replaces the demo catalog)."""
    db_path = folder / "nafitha.db"
    shutil.copy(seeded_db, db_path)
    clock = FakeClock()
    app = create_app(ServerSettings(db=db_path, **settings), clock=clock, center=center)
    with TestClient(app) as http:
        yield AppEnv(http, app.state.ctx, clock, db_path)


@contextmanager
def env_in_zone(seeded_db: Path, folder: Path, timezone: str) -> Iterator[AppEnv]:
    """An AppEnv whose center keeps ``timezone`` (opening hours ignored), closed on leaving."""
    config = load_center_config(DEFAULT_CENTER)
    zoned = config.model_copy(
        update={"center": config.center.model_copy(update={"timezone": timezone})}
    )
    env_iter = make_env(seeded_db, folder, center=zoned, ignore_hours=True)
    try:
        yield next(env_iter)
    finally:
        env_iter.close()


@pytest.fixture
def app_env(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:
    yield from make_env(seeded_db, tmp_path)
