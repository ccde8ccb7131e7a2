"""Smaller holes: spoofing characters, loose coercion, weak passwords, the last admin, staff
retries, alerts in another device's name or without end, and file references tried through
ticket issue."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from pydantic import BaseModel

from server.app import ROUTERS
from server.usecases import people
from server.usecases.context import SYSTEM
from tests.server.conftest import AppEnv

SPOOFS = ["\u202e", "\u202a", "\u202d", "\u2066", "\u2069", "\x00", "\x1b", "\x07", "\x85"]


def error(answer) -> str:
    return answer.json()["error"]["code"]


def open_file(env: AppEnv, clerk: dict[str, str], **changes: object):
    body = {"service": "civil-extract", "citizen": {"name": "Rami Haddad"}, **changes}
    return env.http.post("/api/v1/files", json=body, headers=clerk)


@pytest.mark.parametrize("char", SPOOFS)
def test_spoofing_characters_are_refused_in_every_free_text(app_env: AppEnv, char: str) -> None:
    admin, manager = app_env.login("admin"), app_env.login("manager")
    clerk = app_env.login("clerk1", counter="c1")
    text = f"Counter 3{char}5 ذهب"
    answers = {
        "name": app_env.http.post(
            "/api/v1/admin/people",
            json={"username": "newclerk", "name": text, "password": "long enough"},
            headers=admin,
        ),
        "citizen.name": open_file(app_env, clerk, citizen={"name": text}),
        "note": open_file(app_env, clerk, note=text),
        "message": app_env.http.put(
            "/api/v1/board/message", json={"message": text}, headers=manager
        ),
        "alert": app_env.http.post(
            "/api/v1/alerts", json={"kind": "paper_out", "message": text}, headers=app_env.kiosk
        ),
        "kind": app_env.http.post(
            "/api/v1/alerts", json={"kind": f"paper{char}out"}, headers=app_env.kiosk
        ),
        "pause": app_env.http.post(
            "/api/v1/counters/c1/pause", json={"reason": text}, headers=clerk
        ),
    }
    for where, answer in answers.items():
        assert answer.status_code == 422 and error(answer) == "unsafe_text", (where, answer.text)
        message = answer.json()["error"]["message"]
        assert message["ar"] and message["en"]
    db = app_env.ctx.db.read()
    assert db.execute("SELECT count(*) FROM people WHERE username = 'newclerk'").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM files").fetchone()[0] == 0


def test_arabic_marks_and_line_breaks_in_notes_stay_allowed(app_env: AppEnv) -> None:
    clerk = app_env.login("clerk1", counter="c1")
    name = "رامي\u200f حداد"  # a right-to-left mark is ordinary Arabic typing
    answer = open_file(app_env, clerk, citizen={"name": name}, note="first line\nsecond\tline")
    assert answer.status_code == 201, answer.text
    manager = app_env.login("manager")
    one_line = app_env.http.put(
        "/api/v1/board/message", json={"message": "two\nlines"}, headers=manager
    )
    assert one_line.status_code == 422 and error(one_line) == "unsafe_text"


def test_no_loose_coercion_of_input_values(app_env: AppEnv) -> None:
    for priority in ("yes", "true", 1, "1"):
        answer = app_env.http.post(
            "/api/v1/tickets",
            json={"service": "civil-extract", "priority": priority},
            headers=app_env.kiosk,
        )
        assert answer.status_code == 422 and error(answer) == "invalid_input", priority
        assert "priority" in answer.json()["error"]["message"]["en"]
    admin = app_env.login("admin")
    answer = app_env.http.patch(
        "/api/v1/admin/people/clerk2", json={"active": "false"}, headers=admin
    )
    assert answer.status_code == 422 and error(answer) == "invalid_input"
    db = app_env.ctx.db.read()
    assert db.execute("SELECT count(*) FROM tickets").fetchone()[0] == 0
    assert db.execute("SELECT active FROM people WHERE username = 'clerk2'").fetchone()[0] == 1


def _models_in(annotation: object, found: set[type[BaseModel]]) -> None:
    """Every pydantic model in ``annotation``, and in their fields, into ``found``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation not in found:
            found.add(annotation)
            for field in annotation.model_fields.values():
                _models_in(field.annotation, found)
        return
    for inner in getattr(annotation, "__args__", ()):
        _models_in(inner, found)


def test_every_request_body_model_is_strict_and_closed() -> None:
    models: set[type[BaseModel]] = set()
    for name in ROUTERS:
        for route in importlib.import_module(name).router.routes:
            if getattr(route, "body_field", None) is not None:
                _models_in(route.body_field.field_info.annotation, models)
    assert {"TicketIn", "CitizenIn", "BilingualIn"} <= {m.__name__ for m in models}
    # The catalog's models (the admin's PUT) are the center config's, read from TOML as well:
    # server/config.py and nafitha/bilingual.py, not the API's own.
    loose = [
        m.__name__
        for m in models
        if m.__module__.startswith("server.api.")
        and not (m.model_config.get("strict") and m.model_config.get("extra") == "forbid")
    ]
    assert loose == []


def test_new_passwords_need_eight_characters(app_env: AppEnv) -> None:
    admin = app_env.login("admin")
    short = app_env.http.post(
        "/api/v1/admin/people",
        json={"username": "short", "password": "abcd"},
        headers=admin,
    )
    assert short.status_code == 422 and error(short) == "weak_password"
    assert "8" in short.json()["error"]["message"]["en"]
    change = app_env.http.patch(
        "/api/v1/admin/people/clerk2", json={"password": "1234567"}, headers=admin
    )
    assert change.status_code == 422 and error(change) == "weak_password"
    good = app_env.http.post(
        "/api/v1/admin/people",
        json={"username": "longer", "password": "12345678"},
        headers=admin,
    )
    assert good.status_code == 201, good.text


def test_the_last_active_admin_cannot_deactivate_or_demote_itself(app_env: AppEnv) -> None:
    admin = app_env.login("admin")
    for change in ({"active": False}, {"role": "manager"}):
        answer = app_env.http.patch("/api/v1/admin/people/admin", json=change, headers=admin)
        assert answer.status_code == 403 and error(answer) == "last_admin", change
    assert app_env.http.get("/api/v1/auth/me", headers=admin).status_code == 200
    people.create_person(app_env.ctx, SYSTEM, "admin2", "admin", "another admin")
    answer = app_env.http.patch("/api/v1/admin/people/admin", json={"active": False}, headers=admin)
    assert answer.status_code == 200 and answer.json()["active"] is False


def test_a_staff_retry_with_the_same_idempotency_key_makes_one_ticket(app_env: AppEnv) -> None:
    clerk = app_env.login("clerk1", counter="c1")
    other = app_env.login("clerk2")
    headers = {**clerk, "Idempotency-Key": "phone-call-17"}
    first = app_env.http.post("/api/v1/tickets", json={"service": "civil-extract"}, headers=headers)
    again = app_env.http.post("/api/v1/tickets", json={"service": "civil-extract"}, headers=headers)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["number"] == first.json()["number"]
    # another person's same key is their own request
    theirs = app_env.http.post(
        "/api/v1/tickets",
        json={"service": "civil-extract"},
        headers={**other, "Idempotency-Key": "phone-call-17"},
    )
    assert theirs.status_code == 201 and theirs.json()["number"] != first.json()["number"]
    assert app_env.ctx.db.read().execute("SELECT count(*) FROM tickets").fetchone()[0] == 2


def _device(env: AppEnv, device: str, kind: str = "kiosk") -> dict[str, str]:
    people.create_device(env.ctx, SYSTEM, device, kind, device, token=f"token-{device}")
    return env.headers(f"token-{device}")


def test_a_device_raises_alerts_only_under_its_own_id(app_env: AppEnv) -> None:
    kiosk = _device(app_env, "hall-kiosk")
    answer = app_env.http.post(
        "/api/v1/alerts", json={"kind": "paper_out", "device": "demo-kiosk-2"}, headers=kiosk
    )
    # the name it gave is only its label: the alert is the token's device's
    assert answer.status_code == 201, answer.text
    assert answer.json()["device"] == "hall-kiosk" and answer.json()["label"] == "demo-kiosk-2"
    own = app_env.http.post("/api/v1/alerts", json={"kind": "paper_out"}, headers=kiosk)
    assert own.status_code == 201 and own.json()["label"] is None
    rows = app_env.ctx.db.read().execute("SELECT device FROM alerts").fetchall()
    assert rows == [("hall-kiosk",), ("hall-kiosk",)]
    # staff may report for a device they name
    clerk = app_env.login("clerk1")
    staff = app_env.http.post(
        "/api/v1/alerts", json={"kind": "jam", "device": "demo-kiosk-2"}, headers=clerk
    )
    assert staff.status_code == 201 and staff.json()["device"] == "demo-kiosk-2"


def test_alerts_from_one_device_are_rate_limited(app_env: AppEnv) -> None:
    kiosk = _device(app_env, "noisy-kiosk")
    statuses = []
    for _ in range(40):
        answer = app_env.http.post("/api/v1/alerts", json={"kind": "paper_out"}, headers=kiosk)
        statuses.append(answer.status_code)
        if answer.status_code == 429:
            break
    assert statuses[-1] == 429 and set(statuses[:-1]) == {201}
    assert 15 <= len(statuses) - 1 <= 25
    assert int(answer.headers["Retry-After"]) >= 1 and error(answer) == "alerts_rate_limited"
    # another device is not held back by this one
    quiet = _device(app_env, "quiet-kiosk")
    assert app_env.http.post("/api/v1/alerts", json={"kind": "x"}, headers=quiet).status_code == 201


def test_file_references_tried_through_ticket_issue_are_rate_limited(
    app_env: AppEnv, tmp_path: Path
) -> None:
    kiosk = _device(app_env, "guessing-kiosk")
    statuses = []
    for i in range(600):
        answer = app_env.http.post(
            "/api/v1/tickets",
            json={"service": "civil-extract", "file": f"7KQ2-M9XD-{i % 10}"},
            headers=kiosk,
        )
        statuses.append(answer.status_code)
        if answer.status_code == 429:
            break
    assert statuses[-1] == 429, sorted(set(statuses))
    assert error(answer) == "track_rate_limited" and int(answer.headers["Retry-After"]) >= 1
    # a ticket without a file is never held back by it
    plain = app_env.http.post("/api/v1/tickets", json={"service": "civil-extract"}, headers=kiosk)
    assert plain.status_code == 201


def test_catalog_names_citizens_read_refuse_spoofing_characters(app_env: AppEnv) -> None:
    admin = app_env.login("admin")
    counter = {
        "id": "c31",
        "number": 31,
        "name": {"ar": "الشباك ٣١", "en": "Counter \u202e31"},
        "services": ["id-card"],
    }
    answer = app_env.http.put("/api/v1/admin/counters/c31", json=counter, headers=admin)
    assert answer.status_code == 422 and error(answer) == "unsafe_text", answer.text
    assert "name.en" in answer.json()["error"]["message"]["en"]
    assert all(c["id"] != "c31" for c in app_env.http.get("/api/v1/counters").json())
    counter["name"] = {"ar": "الشباك ٣١", "en": "Counter 31"}
    answer = app_env.http.put("/api/v1/admin/counters/c31", json=counter, headers=admin)
    assert answer.status_code == 200, answer.text


def test_a_center_config_with_spoofing_characters_does_not_load(tmp_path: Path) -> None:
    from nafitha.settings import ConfigError
    from server.config import DEFAULT_CENTER, load_center_config

    text = DEFAULT_CENTER.read_text(encoding="utf-8")
    assert load_center_config(DEFAULT_CENTER)  # the demo's own loads
    first_en = text.index('en = "') + len('en = "')
    bad = tmp_path / "center.toml"
    bad.write_text(text[:first_en] + "\u202e" + text[first_en:], encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_center_config(bad)
    assert refused.value.key.endswith(".en") and "direction-override" in str(refused.value)
