"""Sign-in, expiring sessions, logout, device tokens, admin edits, the role × endpoint matrix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

from tests.server.conftest import AppEnv
from tests.support.cli import run_nafitha
from tests.support.server import running_server


def code(response) -> str:
    return response.json()["error"]["code"]


def test_login_gives_token_role_and_expiry_and_opens_the_counter(app_env: AppEnv) -> None:
    answer = app_env.http.post(
        "/api/v1/auth/login", json={"username": "clerk3", "password": "demo", "counter": "c3"}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["role"] == "clerk" and body["counter"] == "c3" and body["expires_at"]
    counters = {c["id"]: c for c in app_env.http.get("/api/v1/counters").json()}
    assert counters["c3"]["status"] == "open"
    stored = app_env.ctx.db.read().execute("SELECT token_hash FROM sessions").fetchone()[0]
    assert body["token"] not in stored  # only a hash is kept


def test_wrong_password_and_unknown_user_look_the_same(app_env: AppEnv) -> None:
    for username in ("clerk1", "nobody"):
        answer = app_env.http.post(
            "/api/v1/auth/login", json={"username": username, "password": "wrong"}
        )
        assert answer.status_code == 401 and code(answer) == "bad_credentials"


def test_repeated_failures_are_throttled(app_env: AppEnv) -> None:
    for _ in range(5):
        app_env.http.post("/api/v1/auth/login", json={"username": "admin", "password": "x"})
    answer = app_env.http.post("/api/v1/auth/login", json={"username": "admin", "password": "demo"})
    assert answer.status_code == 429 and code(answer) == "too_many_attempts"
    seconds = int(re.search(r"in (\d+) seconds", answer.json()["error"]["message"]["en"]).group(1))
    assert 1 <= seconds <= 301
    # another person is not held up; the throttle lifts when the window has passed
    assert app_env.login("clerk1")
    app_env.clock.advance(301)
    assert app_env.login("admin")


def test_a_success_clears_the_failures(app_env: AppEnv) -> None:
    for _ in range(4):
        app_env.http.post("/api/v1/auth/login", json={"username": "admin", "password": "x"})
    assert app_env.login("admin")
    wrong = {"username": "admin", "password": "x"}
    for _ in range(4):
        assert app_env.http.post("/api/v1/auth/login", json=wrong).status_code == 401


def test_the_throttle_holds_across_worker_processes(tmp_path: Path) -> None:
    """Each attempt on a new connection, which any of the workers may take."""
    with running_server(tmp_path, workers=2) as server:
        for _ in range(5):
            answer = requests.post(
                server.url + "/api/v1/auth/login",
                json={"username": "admin", "password": "wrong"},
                timeout=10,
            )
            assert answer.status_code == 401
        for _ in range(6):
            answer = requests.post(
                server.url + "/api/v1/auth/login",
                json={"username": "admin", "password": "demo"},
                timeout=10,
            )
            assert answer.status_code == 429 and code(answer) == "too_many_attempts"


def test_token_expires_and_logout_ends_it(app_env: AppEnv) -> None:
    headers = app_env.login("clerk1", counter="c1")
    assert app_env.http.get("/api/v1/queue", headers=headers).status_code == 200
    app_env.clock.advance(13 * 3600)  # default lifetime: 12 hours
    answer = app_env.http.get("/api/v1/queue", headers=headers)
    assert answer.status_code == 401 and code(answer) == "token_expired"
    headers = app_env.login("clerk1", counter="c1")
    assert app_env.http.post("/api/v1/auth/logout", headers=headers).status_code == 204
    answer = app_env.http.get("/api/v1/queue", headers=headers)
    assert answer.status_code == 401 and code(answer) == "unauthenticated"
    counters = {c["id"]: c for c in app_env.http.get("/api/v1/counters").json()}
    assert counters["c1"]["status"] == "closed"


def test_unknown_bearer_token_is_refused(app_env: AppEnv) -> None:
    answer = app_env.http.get("/api/v1/queue", headers=app_env.headers("made-up"))
    assert answer.status_code == 401 and code(answer) == "unauthenticated"


def test_admin_creates_people_and_devices_and_duplicates_are_refused(app_env: AppEnv) -> None:
    admin = app_env.login("admin")
    made = app_env.http.post(
        "/api/v1/admin/people",
        json={"username": "rana", "role": "manager", "password": "s3cret-pass"},
        headers=admin,
    )
    assert made.status_code == 201
    again = app_env.http.post(
        "/api/v1/admin/people", json={"username": "rana", "password": "xxxxxxxx"}, headers=admin
    )
    assert again.status_code == 409 and code(again) == "duplicate_username"
    ok = app_env.http.post(
        "/api/v1/auth/login", json={"username": "rana", "password": "s3cret-pass"}
    )
    assert ok.json()["role"] == "manager"
    off = app_env.http.patch("/api/v1/admin/people/rana", json={"active": False}, headers=admin)
    assert off.json()["active"] is False
    rana = app_env.headers(ok.json()["token"])
    assert app_env.http.get("/api/v1/queue", headers=rana).status_code == 401
    device = app_env.http.post(
        "/api/v1/admin/devices", json={"id": "kiosk-3", "kind": "kiosk"}, headers=admin
    ).json()
    kiosk3 = app_env.headers(device["token"])
    ticket = app_env.http.post("/api/v1/tickets", json={"service": "civil-extract"}, headers=kiosk3)
    assert ticket.status_code == 201
    app_env.http.post("/api/v1/admin/devices/kiosk-3/revoke", headers=admin)
    ticket = app_env.http.post("/api/v1/tickets", json={"service": "civil-extract"}, headers=kiosk3)
    assert ticket.status_code == 401
    kinds = [
        r[0] for r in app_env.ctx.db.read().execute("SELECT kind FROM events WHERE actor='admin'")
    ]
    assert {"person_created", "person_updated", "device_created", "device_revoked"} <= set(kinds)


def test_admin_edits_the_catalog_and_bad_edits_are_refused(app_env: AppEnv) -> None:
    admin = app_env.login("admin")
    service = next(
        s
        for s in app_env.http.get("/api/v1/services").json()["services"]
        if s["id"] == "civil-extract"
    )
    service.pop("open_now")
    service.pop("queue")  # the live queue is shown, not saved
    service.pop("cutoff")  # so is today's cut-off
    service["target_wait_min"] = 5
    answer = app_env.http.put("/api/v1/admin/services/civil-extract", json=service, headers=admin)
    assert answer.status_code == 200, answer.text
    services = {s["id"]: s for s in app_env.http.get("/api/v1/services").json()["services"]}
    assert services["civil-extract"]["target_wait_min"] == 5
    service["category"] = "no-such-category"
    bad = app_env.http.put("/api/v1/admin/services/civil-extract", json=service, headers=admin)
    assert bad.status_code == 422 and code(bad) == "invalid_catalog"
    assert "no-such-category" in bad.json()["error"]["message"]["en"]
    counter = {
        "id": "c11",
        "number": 11,
        "name": {"ar": "الشباك ١١", "en": "Counter 11"},
        "services": ["id-card"],
    }
    assert (
        app_env.http.put("/api/v1/admin/counters/c11", json=counter, headers=admin).status_code
        == 200
    )
    assert any(c["id"] == "c11" for c in app_env.http.get("/api/v1/counters").json())
    dup = {**counter, "id": "c12", "number": 1}
    bad = app_env.http.put("/api/v1/admin/counters/c12", json=dup, headers=admin)
    assert code(bad) == "invalid_catalog"
    category = {"id": "health", "name": {"ar": "الصحة", "en": "Health"}, "icon": "health"}
    assert (
        app_env.http.put(
            "/api/v1/admin/categories/health", json=category, headers=admin
        ).status_code
        == 200
    )


# (method, path, body) of endpoints with who may use them.
ENDPOINTS = {
    "issue": ("POST", "/api/v1/tickets", {"service": "civil-extract"}),
    "queue": ("GET", "/api/v1/queue", None),
    "next": ("POST", "/api/v1/counters/c1/next", None),
    "alert": ("POST", "/api/v1/alerts", {"kind": "paper_out"}),
    "alerts": ("GET", "/api/v1/alerts", None),
    "people": ("GET", "/api/v1/admin/people", None),
    "add_person": ("POST", "/api/v1/admin/people", {"username": "new-one", "password": "pw-12345"}),
    "devices": ("GET", "/api/v1/admin/devices", None),
    "services": ("GET", "/api/v1/services", None),
    "health": ("GET", "/api/v1/health", None),
}
ALLOWED = {
    "anonymous": {"services", "health"},
    "kiosk": {"services", "health", "issue", "alert"},
    "clerk_at_c1": {"services", "health", "issue", "alert", "alerts", "queue", "next"},
    "clerk_elsewhere": {"services", "health", "issue", "alert", "alerts", "queue"},
    "manager": {"services", "health", "issue", "alert", "alerts", "queue"},
    "admin": {
        "services",
        "health",
        "issue",
        "alert",
        "alerts",
        "queue",
        "people",
        "add_person",
        "devices",
    },
}


@pytest.mark.parametrize("who", sorted(ALLOWED))
def test_role_endpoint_matrix(app_env: AppEnv, who: str) -> None:
    headers = {
        "anonymous": {},
        "kiosk": app_env.kiosk,
        "clerk_at_c1": app_env.login("clerk1", counter="c1"),
        "clerk_elsewhere": app_env.login("clerk2", counter="c2"),
        "manager": app_env.login("manager"),
        "admin": app_env.login("admin"),
    }[who]
    for name, (method, path, body) in ENDPOINTS.items():
        answer = app_env.http.request(method, path, json=body, headers=headers)
        if name in ALLOWED[who]:
            assert answer.status_code < 400, (who, name, answer.text)
        else:
            expected = 401 if who == "anonymous" else 403
            assert answer.status_code == expected, (who, name, answer.status_code)
            assert code(answer) in ("unauthenticated", "forbidden", "not_at_counter")


def test_set_password_from_the_command_line_creates_then_changes(tmp_path) -> None:

    from server.app import open_context
    from server.config import ServerSettings
    from server.usecases import auth

    db = tmp_path / "center.db"

    def set_password(password: str) -> str:
        result = run_nafitha(
            "server", "--db", str(db), "--set-password", "rana", "--role", "manager",
            stdin=password + "\n",
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert "created" in set_password("first-password")
    assert "changed" in set_password("second-password")
    short = run_nafitha("server", "--db", str(db), "--set-password", "x1", stdin="short\n")
    assert short.returncode == 2
    ctx = open_context(ServerSettings(db=db))
    try:
        assert auth.login(ctx, "rana", "second-password")["role"] == "manager"
    finally:
        ctx.db.close()
