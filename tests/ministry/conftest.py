"""The dashboard's fixtures: the hub's PostgreSQL (tests/hub), one hub database fed with two real
centers' logs for the whole session, a signed-in API, and headless Chromium (one module)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from hub.store import centers
from hub.store.database import connect, prepare
from hub.usecases.auth import add_person
from hub.usecases.intake import Message, take_batch
from nafitha.harness.server import running_server
from nafitha.paths import DEMO
from nafitha.postgres import PostgresCluster
from server.demo.complaints import seeded_complaints
from server.demo.history import seed_demo_history
from tests.hub.center_flows import audit, drive_files, drive_tickets, relayed, server_toml
from tests.hub.conftest import pg_cluster, pg_dsn
from tests.ministry.support import HubHttp, running_hub
from tests.web.conftest import browser, open_page

__all__ = ["browser", "open_page", "pg_cluster", "pg_dsn"]

CENTERS = ("north", "south")


PASSWORD = "a long enough secret"


def drive_out_of_order(server: Any, resolve_alarm: bool) -> None:
    """Three tickets; counter c2 calls the last first, with a reason; a printer alert; c2's
    silent alarm pressed twice (one alarm), which the manager closes if ``resolve_alarm``."""
    kiosk = server.client(server.kiosk_token)
    tickets = [kiosk.issue_ticket("civil-extract") for _ in range(3)]
    clerk = server.login("clerk2", counter="c2")
    clerk.call_ticket("c2", tickets[-1]["id"], "an elderly citizen, by the manager's leave")
    kiosk.post_alert("printer_paper", "out of paper")
    alarm = clerk.silent_alarm("c2")
    assert clerk.silent_alarm("c2") == {"alert": alarm["alert"], "repeat": True}
    if resolve_alarm:
        server.login("manager").request("POST", f"/api/v1/alerts/{alarm['alert']}/resolve")


@pytest.fixture(scope="session")
def hub_dsn(pg_cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    name = f"hub_{uuid.uuid4().hex[:12]}"
    dsn = pg_cluster.create_database(name)
    prepare(dsn)
    for index, center in enumerate(CENTERS):
        folder = tmp_path_factory.mktemp(center)
        extra = ["--config", str(server_toml(folder))]
        with running_server(folder / "center", extra_args=extra) as server:
            seed_demo_history(server.db, DEMO / "center.toml", 6, as_events=True, seed=7 + index)
            drive_tickets(server)
            drive_files(server)
            drive_out_of_order(server, resolve_alarm=center == "north")
            seeded_complaints(server.db, DEMO / "center.toml", folder / "complaints.txt")
            key = audit(server.db, "public-key").strip()
        bodies = relayed(center, server.db)
        with connect(dsn) as conn:
            centers.register(conn, [(center, {"ar": f"مركز {center}", "en": center}, key)])
            for start in range(0, len(bodies), 500):
                chunk = [Message(b) for b in bodies[start : start + 500]]
                assert take_batch(conn, center, chunk, time.time()).stopped is None
    with connect(dsn) as conn:
        add_person(conn, "mona", "ministry", PASSWORD, time.time())
    yield dsn
    pg_cluster.drop_database(name)


@pytest.fixture(scope="session")
def api(hub_dsn: str) -> Iterator[HubHttp]:
    with running_hub(hub_dsn) as http:
        token = http.post(
            "/api/v1/ministry/auth/login", json={"username": "mona", "password": PASSWORD}
        ).json()["token"]
        http.http.headers["Authorization"] = f"Bearer {token}"
        yield http
