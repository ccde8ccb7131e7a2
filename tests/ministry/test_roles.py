"""Every dashboard endpoint × every caller (nobody, ministry, auditor, hub_admin) → allowed or
refused exactly as hub/domain/roles.py's table says.

The operations are read from the running app's ``/openapi.json``: a dashboard endpoint added
without an entry in ``ENDPOINTS``, or an entry whose endpoint is gone, fails the test.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from hub.domain.roles import PERMISSIONS, Can
from hub.store.database import connect
from hub.usecases.auth import add_person
from tests.ministry.support import HubHttp, running_hub

PASSWORD = "a long enough secret"
ENDPOINTS: dict[tuple[str, str], Can | None] = {
    ("POST", "/api/v1/ministry/auth/login"): None,
    ("POST", "/api/v1/ministry/auth/logout"): Can.OWN_SESSION,
    ("GET", "/api/v1/ministry/auth/me"): Can.OWN_SESSION,
    ("GET", "/api/v1/ministry/people"): Can.MANAGE_PEOPLE,
    ("POST", "/api/v1/ministry/people"): Can.MANAGE_PEOPLE,
    ("PATCH", "/api/v1/ministry/people/{username}"): Can.MANAGE_PEOPLE,
    ("GET", "/api/v1/ministry/period"): Can.VIEW_FIGURES,
    ("GET", "/api/v1/ministry/period.csv"): Can.VIEW_FIGURES,
    ("GET", "/api/v1/ministry/live"): Can.VIEW_FIGURES,
    ("GET", "/api/v1/ministry/integrity"): Can.VIEW_INTEGRITY,
    ("GET", "/api/v1/ministry/complaints"): Can.VIEW_FIGURES,
    ("GET", "/api/v1/status/centers"): Can.VIEW_INTEGRITY,
}
QUERY = {"from": "2026-11-01", "to": "2026-11-07"}
BODIES = {
    ("POST", "/api/v1/ministry/auth/login"): {"username": "mona", "password": PASSWORD},
    ("POST", "/api/v1/ministry/people"): {
        "username": "new",
        "role": "auditor",
        "password": PASSWORD,
    },
    ("PATCH", "/api/v1/ministry/people/{username}"): {"active": True},
}


@pytest.fixture
def hub(pg_dsn: str) -> Iterator[HubHttp]:
    with connect(pg_dsn) as conn:
        for name, role in (("mona", "ministry"), ("adel", "auditor"), ("root", "hub_admin")):
            add_person(conn, name, role, PASSWORD, time.time())
    with running_hub(pg_dsn) as http:
        yield http


def test_every_dashboard_endpoint_checks_its_role(hub: HubHttp) -> None:
    spec = hub.get("/openapi.json").json()
    operations = {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        if path.startswith(("/api/v1/ministry/", "/api/v1/status/"))
        for method in item
    }
    assert operations == set(ENDPOINTS)
    tokens: dict[str | None, str | None] = {None: None}
    for name, role in (("mona", "ministry"), ("adel", "auditor"), ("root", "hub_admin")):
        answer = hub.post(
            "/api/v1/ministry/auth/login", json={"username": name, "password": PASSWORD}
        )
        tokens[role] = answer.json()["token"]
    for (method, path), permission in sorted(ENDPOINTS.items()):
        if path.endswith("/logout"):
            continue  # below, last: it ends the session the other calls use
        for role, token in tokens.items():
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            answer = hub.request(
                method, path.replace("{username}", "adel"), params=QUERY,
                json=BODIES.get((method, path)), headers=headers,
            )  # fmt: skip
            allowed = permission is None or (role is not None and role in PERMISSIONS[permission])
            where = f"{method} {path} as {role}: {answer.status_code} {answer.text[:200]}"
            if allowed:
                assert answer.status_code not in (401, 403), where
            else:
                code = "unauthenticated" if role is None else "forbidden"
                assert answer.status_code == (401 if role is None else 403), where
                assert answer.json()["error"]["code"] == code, where
                assert set(answer.json()["error"]["message"]) == {"ar", "en"}
    assert hub.post("/api/v1/ministry/auth/logout").status_code == 401
    for role in ("ministry", "auditor", "hub_admin"):
        headers = {"Authorization": f"Bearer {tokens[role]}"}
        assert hub.post("/api/v1/ministry/auth/logout", headers=headers).status_code == 204


def test_nobody_gets_any_figure_or_the_csv(hub: HubHttp) -> None:
    for path in ("/api/v1/ministry/period", "/api/v1/ministry/period.csv",
                 "/api/v1/ministry/live", "/api/v1/ministry/integrity",
                 "/api/v1/ministry/complaints", "/api/v1/status/centers"):  # fmt: skip
        answer = hub.get(path, params=QUERY, headers={"Authorization": "Bearer forged-token"})
        assert answer.status_code == 401 and set(answer.json()) == {"error"}
