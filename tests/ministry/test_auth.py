"""Signing in at the hub: passwords, sessions, the throttle, people management and the command.

Real PostgreSQL (a fresh database per test), the hub's real app through FastAPI's test client.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from hub.config import MinistrySettings
from hub.domain.roles import Refusal
from hub.store.database import connect
from hub.store.people import listing
from hub.usecases.auth import add_person
from nafitha.paths import ROOT
from tests.ministry.support import HubHttp, running_hub

PASSWORD = "a long enough secret"


@pytest.fixture
def client(pg_dsn: str) -> Iterator[HubHttp]:
    with connect(pg_dsn) as conn:
        add_person(conn, "mona", "ministry", PASSWORD, 1000.0)
        add_person(conn, "adel", "auditor", PASSWORD, 1000.0)
        add_person(conn, "root", "hub_admin", PASSWORD, 1000.0)
    settings = MinistrySettings(login_failures_before_delay=3, login_failures_per_address=10)
    with running_hub(pg_dsn, settings) as http:
        yield http


def login(client: HubHttp, name: str, password: str = PASSWORD) -> dict:
    answer = client.post(
        "/api/v1/ministry/auth/login", json={"username": name, "password": password}
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_person_signs_in_sees_who_they_are_and_signs_out(client: HubHttp) -> None:
    session = login(client, "mona")
    assert session["role"] == "ministry" and len(session["token"]) > 30
    me = client.get("/api/v1/ministry/auth/me", headers=bearer(session["token"]))
    assert me.json() == {"username": "mona", "role": "ministry"}
    assert (
        client.post("/api/v1/ministry/auth/logout", headers=bearer(session["token"])).status_code
        == 204
    )
    again = client.get("/api/v1/ministry/auth/me", headers=bearer(session["token"]))
    assert again.status_code == 401 and again.json()["error"]["code"] == "unauthenticated"
    assert set(again.json()["error"]["message"]) == {"ar", "en"}


def test_a_wrong_password_or_unknown_name_is_refused_alike(client: HubHttp) -> None:
    for name, password in (("mona", "wrong password"), ("nobody", PASSWORD)):
        answer = client.post(
            "/api/v1/ministry/auth/login", json={"username": name, "password": password}
        )
        assert answer.status_code == 401 and answer.json()["error"]["code"] == "bad_credentials"


def test_guessing_is_throttled_per_name_and_the_owner_still_gets_in_after_the_window(
    client: HubHttp, pg_dsn: str
) -> None:
    codes = [
        client.post(
            "/api/v1/ministry/auth/login", json={"username": "mona", "password": f"guess {i}"}
        ).status_code
        for i in range(5)
    ]
    assert codes == [401, 401, 401, 429, 429]
    refused = client.post(
        "/api/v1/ministry/auth/login", json={"username": "mona", "password": PASSWORD}
    )
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    # Another name from the same address is slowed only by the address's larger allowance.
    assert login(client, "adel")["role"] == "auditor"
    # The window passes (moved back in the table itself, as time would): the owner gets in.
    with connect(pg_dsn) as conn:
        conn.execute("UPDATE hub_login_attempts SET window_start = window_start - 301")
    assert login(client, "mona")["role"] == "ministry"


def test_an_admin_manages_people_an_auditor_cannot(client: HubHttp) -> None:
    admin = bearer(login(client, "root")["token"])
    auditor = bearer(login(client, "adel")["token"])
    new = {"username": "salma", "role": "ministry", "password": PASSWORD}
    refused = client.post("/api/v1/ministry/people", json=new, headers=auditor)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/ministry/people", headers=auditor).status_code == 403
    assert client.post("/api/v1/ministry/people", json=new, headers=admin).status_code == 201
    assert client.post("/api/v1/ministry/people", json=new, headers=admin).status_code == 409
    names = [
        p["username"] for p in client.get("/api/v1/ministry/people", headers=admin).json()["people"]
    ]
    assert names == ["adel", "mona", "root", "salma"]
    assert "password_hash" not in str(client.get("/api/v1/ministry/people", headers=admin).json())
    salma = bearer(login(client, "salma")["token"])
    # Disabled: her open session ends and she cannot sign in again.
    assert (
        client.patch(
            "/api/v1/ministry/people/salma", json={"active": False}, headers=admin
        ).status_code
        == 200
    )
    assert client.get("/api/v1/ministry/auth/me", headers=salma).status_code == 401
    answer = client.post(
        "/api/v1/ministry/auth/login", json={"username": "salma", "password": PASSWORD}
    )
    assert answer.status_code == 401
    # The last hub_admin stays one.
    last = client.patch("/api/v1/ministry/people/root", json={"role": "ministry"}, headers=admin)
    assert last.status_code == 409 and last.json()["error"]["code"] == "last_admin"


def test_an_expired_session_is_refused(client: HubHttp, pg_dsn: str) -> None:
    token = login(client, "mona")["token"]
    with connect(pg_dsn) as conn:
        conn.execute("UPDATE hub_sessions SET expires_at = 1")
    answer = client.get("/api/v1/ministry/auth/me", headers=bearer(token))
    assert answer.status_code == 401 and answer.json()["error"]["code"] == "token_expired"


def test_the_dashboards_role_can_never_read_personal_data(pg_dsn: str) -> None:
    with connect(pg_dsn, role="hub_web") as conn:
        conn.execute("SELECT count(*) FROM hub_people").fetchone()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM personal").fetchone()
    # The portal's role reads no password hash.
    with (
        connect(pg_dsn, role="hub_reader") as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute("SELECT count(*) FROM hub_people").fetchone()


def test_the_command_adds_a_person_with_the_password_from_stdin(
    pg_dsn: str, tmp_path: Path
) -> None:
    from tests.hub.test_hub_config import GOOD

    config = tmp_path / "hub.toml"
    text = GOOD.replace('dsn = "host=127.0.0.1 port=5432 user=hub dbname=hub"', f'dsn = "{pg_dsn}"')
    config.write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def hub(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "nafitha.cli", "hub", *args, "--config", str(config)],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )

    added = hub("user", "add", "huda", "--role", "ministry", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    again = hub("user", "add", "huda", "--role", "auditor", stdin=PASSWORD + "\n")
    assert again.returncode == 1 and "exists" in again.stderr
    with connect(pg_dsn) as conn:
        rows = [(r["username"], r["role"], r["active"]) for r in listing(conn)]
        assert rows == [("huda", "ministry", True)]
        with pytest.raises(Refusal) as short:
            add_person(conn, "hala", "auditor", "short", 1.0)
    assert short.value.code == "weak_password" and short.value.status == 422
    with running_hub(pg_dsn) as client:
        assert login(client, "huda")["role"] == "ministry"
