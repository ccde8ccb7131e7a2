"""Every operation of the OpenAPI × every kind of caller → allowed or refused, as the table says.

``ENDPOINTS`` names the permission each operation needs (``None``: anyone). The test reads the
operations from the running app's ``/openapi.json``: an endpoint added without an entry here, or
an entry whose endpoint is gone, fails it. Each (operation, caller) pair is then sent for real:
a caller the permission table (``server.domain.roles.PERMISSIONS``) does not grant must get 401
``unauthenticated`` (no token) or 403 ``forbidden``; a caller it grants must get anything else.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from server.domain.roles import PERMISSIONS, Can, Role
from server.usecases import people
from server.usecases.context import SYSTEM
from tests.server.conftest import AppEnv, make_env

ENDPOINTS: dict[tuple[str, str], Can | None] = {
    ("GET", "/api/v1/health"): None,
    ("GET", "/api/v1/services"): None,
    ("GET", "/api/v1/counters"): None,
    ("POST", "/api/v1/auth/login"): None,
    ("POST", "/api/v1/auth/logout"): Can.OWN_SESSION,
    ("GET", "/api/v1/auth/me"): Can.OWN_SESSION,
    ("POST", "/api/v1/tickets"): Can.ISSUE_TICKET,
    ("GET", "/api/v1/tickets/public/{token}"): None,
    ("GET", "/api/v1/tickets/{ticket_id}"): Can.VIEW_TICKET,
    ("POST", "/api/v1/tickets/{ticket_id}/{action}"): Can.ACT_ON_TICKET,
    ("POST", "/api/v1/tickets/{ticket_id}/send-back"): Can.ACT_ON_TICKET,
    ("POST", "/api/v1/counters/{counter}/next"): Can.SERVE_AT_COUNTER,
    ("POST", "/api/v1/counters/{counter}/call/{ticket_id}"): Can.SERVE_AT_COUNTER,
    ("POST", "/api/v1/counters/{counter}/pause"): Can.SERVE_AT_COUNTER,
    ("POST", "/api/v1/counters/{counter}/resume"): Can.SERVE_AT_COUNTER,
    ("GET", "/api/v1/queue"): Can.VIEW_QUEUE,
    ("POST", "/api/v1/alerts"): Can.RAISE_ALERT,
    ("GET", "/api/v1/alerts"): Can.HANDLE_ALERTS,
    ("POST", "/api/v1/alerts/{alert_id}/resolve"): Can.HANDLE_ALERTS,
    ("PUT", "/api/v1/admin/categories/{item_id}"): Can.EDIT_CATALOG,
    ("PUT", "/api/v1/admin/services/{item_id}"): Can.EDIT_CATALOG,
    ("PUT", "/api/v1/admin/counters/{item_id}"): Can.EDIT_CATALOG,
    ("GET", "/api/v1/admin/catalog"): Can.EDIT_CATALOG,
    ("GET", "/api/v1/admin/people"): Can.MANAGE_PEOPLE,
    ("POST", "/api/v1/admin/people"): Can.MANAGE_PEOPLE,
    ("PATCH", "/api/v1/admin/people/{username}"): Can.MANAGE_PEOPLE,
    ("GET", "/api/v1/admin/devices"): Can.MANAGE_DEVICES,
    ("POST", "/api/v1/admin/devices"): Can.MANAGE_DEVICES,
    ("POST", "/api/v1/admin/devices/{device_id}/revoke"): Can.MANAGE_DEVICES,
    ("GET", "/api/v1/admin/events"): Can.READ_AUDIT,
    ("GET", "/api/v1/audit/heads"): Can.READ_CHAIN_HEADS,
    ("POST", "/api/v1/audit/heads"): Can.READ_CHAIN_HEADS,
    ("GET", "/api/v1/events"): None,
    ("POST", "/api/v1/files"): Can.OPEN_FILE,
    ("GET", "/api/v1/files"): Can.VIEW_FILES,
    ("GET", "/api/v1/files/overdue"): Can.VIEW_OVERDUE_FILES,
    ("GET", "/api/v1/files/{reference}"): Can.VIEW_FILES,
    ("POST", "/api/v1/files/{reference}/stage"): Can.MOVE_FILE,
    # complaints and suggestions (docs/complaints.md): filing and reading by reference are public
    ("GET", "/api/v1/complaints/options"): None,
    ("POST", "/api/v1/complaints"): None,
    ("GET", "/api/v1/complaints/{reference}"): None,
    ("GET", "/api/v1/complaints"): Can.HANDLE_COMPLAINTS,
    ("POST", "/api/v1/complaints/{reference}/status"): Can.HANDLE_COMPLAINTS,
    ("POST", "/api/v1/complaints/{reference}/answer"): Can.HANDLE_COMPLAINTS,
    ("POST", "/api/v1/complaints/{reference}/spam"): Can.HANDLE_COMPLAINTS,
    ("GET", "/api/v1/track/{reference}"): None,
    ("GET", "/api/v1/me/today"): Can.SERVE_AT_COUNTER,
    # ratings of visits (docs/ratings.md): by the ticket's token, the counter's screen, managers
    ("GET", "/api/v1/tickets/public/{token}/rating"): None,
    ("POST", "/api/v1/tickets/public/{token}/rating"): None,
    # messages when the turn is near (docs/sms.md): the ticket's token is the capability
    ("POST", "/api/v1/tickets/public/{token}/notify"): None,
    ("GET", "/api/v1/counters/{counter}/rating"): Can.RATE_AT_COUNTER,
    ("POST", "/api/v1/counters/{counter}/rating"): Can.RATE_AT_COUNTER,
    ("GET", "/api/v1/ratings"): Can.VIEW_RATINGS,
    ("GET", "/api/v1/ratings.csv"): Can.VIEW_RATINGS,
    ("GET", "/api/v1/me/ratings"): Can.VIEW_OWN_RATINGS,
    ("GET", "/api/v1/assessment"): Can.VIEW_STATS,
    ("GET", "/api/v1/stats"): Can.VIEW_STATS,
    ("GET", "/api/v1/sms/figures"): Can.VIEW_STATS,
    ("GET", "/api/v1/stats/tickets.csv"): Can.VIEW_STATS,
    ("GET", "/api/v1/stats/files.csv"): Can.VIEW_STATS,
    ("GET", "/api/v1/board"): None,
    ("GET", "/api/v1/integrity"): None,
    ("GET", "/api/v1/counters/{counter}/callable"): Can.SERVE_AT_COUNTER,
    ("PUT", "/api/v1/board/message"): Can.SET_BOARD_MESSAGE,
    ("GET", "/api/v1/admin/center/profile"): Can.SET_CALL_PROFILE,
    ("PUT", "/api/v1/admin/center/profile"): Can.SET_CALL_PROFILE,
    ("GET", "/api/v1/admin/counters/{counter}/profile"): Can.SET_CALL_PROFILE,
    ("PUT", "/api/v1/admin/counters/{counter}/profile"): Can.SET_CALL_PROFILE,
    ("PUT", "/api/v1/admin/services/{service_id}/cutoff-override"): Can.OVERRIDE_CUTOFF,
    ("GET", "/api/v1/admin/cutoff"): Can.OVERRIDE_CUTOFF,
    ("POST", "/api/v1/tickets/reprint"): Can.REPRINT_AT_KIOSK,
    ("POST", "/api/v1/tickets/{ticket_id}/reprint"): Can.REPRINT_TICKET,
    ("POST", "/api/v1/counters/{counter}/alarm"): Can.RAISE_SILENT_ALARM,
    ("GET", "/api/v1/alerts/wait"): Can.HANDLE_ALERTS,
    # appointments (docs/appointments.md): public by code, check-in, the manager's side
    ("GET", "/api/v1/appointments/services"): None,
    ("GET", "/api/v1/appointments/slots"): None,
    ("POST", "/api/v1/appointments"): None,
    ("GET", "/api/v1/appointments/{code}"): None,
    ("POST", "/api/v1/appointments/{code}/cancel"): None,
    ("POST", "/api/v1/appointments/{code}/move"): None,
    ("POST", "/api/v1/appointments/{code}/check-in"): Can.CHECK_IN_APPOINTMENT,
    # places taken from a phone (docs/appointments.md): public by token, confirmed by the kiosk
    ("POST", "/api/v1/places"): None,
    ("GET", "/api/v1/places/{token}"): None,
    ("POST", "/api/v1/places/{token}/confirm"): Can.ISSUE_TICKET,
    ("GET", "/api/v1/appointments/figures"): Can.MANAGE_APPOINTMENTS,
    ("GET", "/api/v1/admin/appointments/days/{day}"): Can.MANAGE_APPOINTMENTS,
    ("PUT", "/api/v1/admin/appointments/days/{day}"): Can.MANAGE_APPOINTMENTS,
    ("PUT", "/api/v1/admin/appointments/slots"): Can.MANAGE_APPOINTMENTS,
}

# Endpoints that stream for ever: only their table entry is checked, not a request.
STREAMS = {("GET", "/api/v1/events")}

# caller -> (role it acts with, or None for anyone; how it gets its token)
CALLERS: dict[str, Role | None] = {
    "anonymous": None,
    "kiosk device": Role.KIOSK,
    "counter device": Role.COUNTER,
    "board device": Role.BOARD,
    "clerk at counter": Role.CLERK,
    "clerk without counter": Role.CLERK,
    "manager": Role.MANAGER,
    "admin": Role.ADMIN,
    "auditor": Role.AUDITOR,
}

PATH_VALUES = {
    "token": "no-such-token",
    "ticket_id": "1",
    "action": "recall",
    "counter": "c1",
    "alert_id": "1",
    "item_id": "no-such-item",
    "service_id": "no-such-service",
    "username": "no-such-person",
    "device_id": "no-such-device",
    "reference": "7KQ2-M9XD-M",
    "code": "7KQ2-M9XD-M",  # a booking code (this one is a file's: mistyped as a booking)
    "day": "2026-11-23",
}


@pytest.fixture(scope="module")
def env(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppEnv]:
    yield from make_env(seeded_db, tmp_path_factory.mktemp("roles"))


def _operations(env: AppEnv) -> set[tuple[str, str]]:
    spec = env.http.get("/openapi.json").json()
    return {(method.upper(), path) for path, ops in spec["paths"].items() for method in ops}


def _token(env: AppEnv, caller: str) -> str | None:
    """A fresh token for ``caller`` (fresh, so a logout or a revoke cannot spoil the next call)."""
    if caller == "anonymous":
        return None
    if caller.endswith("device"):
        kind = caller.split()[0]
        device = f"roles-{kind}"
        if not env.ctx.db.read().execute("SELECT 1 FROM devices WHERE id = ?", [device]).fetchone():
            people.create_device(env.ctx, SYSTEM, device, kind, device, token=device)
        return device
    if (
        caller == "auditor"
        and not env.ctx.db.read()
        .execute("SELECT 1 FROM people WHERE username = 'auditor1'")
        .fetchone()
    ):
        people.create_person(env.ctx, SYSTEM, "auditor1", "auditor", "demo")
    username, counter = {
        "auditor": ("auditor1", None),
        "clerk at counter": ("clerk1", "c1"),
        "clerk without counter": ("clerk2", None),
        "manager": ("manager", None),
        "admin": ("admin", None),
    }[caller]
    return env.login(username, counter)["Authorization"].removeprefix("Bearer ")


def test_every_endpoint_has_an_entry_in_the_table(env: AppEnv) -> None:
    operations = _operations(env)
    assert operations, "the OpenAPI lists no operation"
    missing = sorted(operations - set(ENDPOINTS))
    stale = sorted(set(ENDPOINTS) - operations)
    assert missing == [], f"endpoints without a permission entry: {missing}"
    assert stale == [], f"entries for endpoints that are gone: {stale}"


def test_every_person_role_and_device_kind_is_in_the_table() -> None:
    granted = set().union(*PERMISSIONS.values())
    assert granted == set(Role), "a role no permission grants anything is a dead name"
    assert set(PERMISSIONS) == set(Can)


@pytest.mark.parametrize("caller", sorted(CALLERS))
def test_each_caller_is_allowed_exactly_what_the_table_grants(env: AppEnv, caller: str) -> None:
    role = CALLERS[caller]
    wrong: list[str] = []
    kept = _token(env, caller)
    for method, path in sorted(ENDPOINTS):
        if (method, path) in STREAMS:
            continue
        permission = ENDPOINTS[method, path]
        allowed = permission is None or (role is not None and role in PERMISSIONS[permission])
        url = path.format(**PATH_VALUES)
        if path == "/api/v1/auth/login":
            continue  # anyone may try; the answer depends on the password, not on a role
        token = _token(env, caller) if path == "/api/v1/auth/logout" else kept
        answer = env.http.request(
            method,
            url,
            headers=env.headers(token),
            json={} if method in ("POST", "PUT", "PATCH") else None,
        )
        body = answer.json() if answer.headers.get("content-type") == "application/json" else {}
        code = body.get("error", {}).get("code") if isinstance(body, dict) else None
        refused = code in ("unauthenticated", "forbidden")
        if allowed and refused:
            wrong.append(f"{method} {path}: refused ({answer.status_code} {code})")
        if not allowed:
            expected = (401, "unauthenticated") if role is None else (403, "forbidden")
            if (answer.status_code, code) != expected:
                wrong.append(f"{method} {path}: {answer.status_code} {code}, not {expected}")
    assert wrong == []


def test_the_roles_table_of_docs_api_md_is_the_code_s() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    table = text.split("<!-- roles-table:")[1].split("<!-- /roles-table -->")[0]
    documented = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].startswith("`"):
            documented[Can(cells[0].strip("`"))] = {Role(r.strip()) for r in cells[1].split(",")}
    assert documented == {can: set(roles) for can, roles in PERMISSIONS.items()}
