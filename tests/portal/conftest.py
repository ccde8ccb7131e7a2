"""The portal's fixtures: a real center's day relayed into a real PostgreSQL hub, once per module.

One real center (``nafitha server`` process) issues, calls and serves tickets and opens and moves
files; its log, encoded as its relay sends it, is taken by the hub's intake as center ``c1`` and,
a second time, as center ``c2`` (so every reference exists at two centers: the collision case).
The center's own tracking answers are kept to compare the hub's with.
"""

from __future__ import annotations

import time
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from hub.api.app import create_app
from hub.config import PortalSettings
from hub.store import centers
from hub.store.database import PERSONAL_ROLE, connect, prepare
from hub.usecases.intake import Message, take_batch
from nafitha.harness.server import running_server
from nafitha.postgres import PostgresCluster
from tests.hub.center_flows import audit, drive_files, drive_tickets, relayed, server_toml
from tests.hub.conftest import pg_cluster
from tests.web.conftest import browser

__all__ = ["browser", "pg_cluster"]

with warnings.catch_warnings():  # starlette warns about httpx once, at import
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

NAMES = {"c1": {"ar": "مركز الاختبار ١", "en": "Test center 1"},
         "c2": {"ar": "مركز الاختبار ٢", "en": "Test center 2"}}  # fmt: skip


def assert_same_view(hub_view: dict[str, Any], center_view: dict[str, Any]) -> None:
    """The hub's answer is the center's, but for where it came from and when it was read.

    While a stage is already due, the ready time counts from "now", and each side reads its own:
    the two may differ by the time between the two reads, never by more.
    """
    told = {k: v for k, v in hub_view.items() if k not in ("center", "as_of", "stale")}
    kept = {k: v for k, v in center_view.items() if k != "track_url"}
    hub_ready, center_ready = told.pop("expected_ready_at"), kept.pop("expected_ready_at")
    assert told == kept
    assert (hub_ready is None) == (center_ready is None), (hub_ready, center_ready)
    if hub_ready is not None:
        apart = datetime.fromisoformat(hub_ready) - datetime.fromisoformat(center_ready)
        assert abs(apart) <= timedelta(seconds=60), (hub_ready, center_ready)


@dataclass
class LoadedHub:
    dsn: str
    references: list[str]  # printed, as the center gave them
    center_views: dict[str, dict[str, Any]]  # the center's own GET /api/v1/track answers
    personal: list[dict[str, Any]]  # what the hub keeps apart: every name, id, phone
    center_queues: dict[str, dict[str, Any]]  # the center's own GET /api/v1/services queues

    def client(self, **portal: Any) -> TestClient:
        settings = PortalSettings(**({"track_per_minute": 6000, "track_burst": 1000} | portal))
        return TestClient(create_app(self.dsn, portal=settings))


@pytest.fixture(scope="session")
def loaded_hub(
    tmp_path_factory: pytest.TempPathFactory, pg_cluster: PostgresCluster
) -> Iterator[LoadedHub]:
    folder = tmp_path_factory.mktemp("portal-center")
    extra = ["--config", str(server_toml(folder))]
    with running_server(folder / "center", extra_args=extra) as server:
        drive_tickets(server)
        references = drive_files(server)
        views = {ref: server.client().track(ref) for ref in references}
        public_key = audit(server.db, "public-key").strip()
        queues = {
            s["id"]: s["queue"]
            for s in server.client().request("GET", "/api/v1/services")["services"]
        }
    name = f"portal_{uuid.uuid4().hex[:10]}"
    dsn = pg_cluster.create_database(name)
    prepare(dsn)
    with connect(dsn) as conn:
        for center in ("c1", "c2"):
            centers.register(conn, [(center, NAMES[center], public_key)])
            bodies = relayed(center, server.db)
            # c1 was heard from just now; c2's last contact is an hour old: stale
            heard = time.time() - (0 if center == "c1" else 3600)
            done = take_batch(conn, center, [Message(b) for b in bodies], heard)
            assert done.stopped is None, done.stopped
    with connect(dsn, role=PERSONAL_ROLE) as conn:
        rows = conn.execute("SELECT name, national_id, phone FROM personal").fetchall()
    personal = [dict(zip(("name", "national_id", "phone"), row, strict=True)) for row in rows]
    try:
        yield LoadedHub(dsn, references, views, personal, queues)
    finally:
        pg_cluster.drop_database(name)
