"""Every error leaves the server in one shape: {"error": {"code", "message": {"ar", "en"}}}."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from string import Formatter

import pytest

from nafitha.paths import I18N
from server.api.errors import error_body, refusal_response
from server.domain.errors import CODES, Refusal
from tests.server.conftest import AppEnv

SERVER = Path(__file__).resolve().parents[2] / "server"
RAISED = re.compile(r"""(?:Refusal|refuse)\(\s*["']([a-z_]+)["']""")


def assert_shape(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert set(body["error"]["message"]) == {"ar", "en"}
    assert all(body["error"]["message"].values())


def test_malformed_json_is_400(app_env: AppEnv) -> None:
    answer = app_env.http.post(
        "/api/v1/tickets",
        content=b'{"service": ',
        headers={**app_env.kiosk, "Content-Type": "application/json"},
    )
    assert_shape(answer, 400, "malformed_json")


def test_wrong_types_and_unknown_fields_are_422_naming_the_field(app_env: AppEnv) -> None:
    answer = app_env.http.post(
        "/api/v1/tickets",
        json={"service": "civil-extract", "priority": "very"},
        headers=app_env.kiosk,
    )
    assert_shape(answer, 422, "invalid_input")
    assert "priority" in answer.json()["error"]["message"]["en"]
    answer = app_env.http.post(
        "/api/v1/tickets", json={"service": "civil-extract", "color": 1}, headers=app_env.kiosk
    )
    assert_shape(answer, 422, "invalid_input")


def test_oversized_body_is_413_before_any_handler(app_env: AppEnv) -> None:
    big = b'{"service": "' + b"x" * 100_000 + b'"}'
    answer = app_env.http.post(
        "/api/v1/tickets",
        content=big,
        headers={**app_env.kiosk, "Content-Type": "application/json"},
    )
    assert_shape(answer, 413, "body_too_large")
    assert app_env.ctx.db.read().execute("SELECT count(*) FROM tickets").fetchone()[0] == 0


def test_unknown_path_and_method(app_env: AppEnv) -> None:
    assert_shape(app_env.http.get("/api/v1/nothing-here"), 404, "not_found")
    assert_shape(app_env.http.delete("/api/v1/services"), 405, "method_not_allowed")


def test_unexpected_exception_is_500_in_the_same_shape(app_env: AppEnv, monkeypatch) -> None:
    from server.usecases import catalog

    def explode(ctx):
        raise RuntimeError("boom")

    monkeypatch.setattr(catalog, "public_catalog", explode)
    from fastapi.testclient import TestClient

    with TestClient(app_env.http.app, raise_server_exceptions=False) as http:
        answer = http.get("/api/v1/services")
    assert_shape(answer, 500, "internal_error")
    assert "boom" not in answer.text


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_registered_code_has_its_text_in_both_languages(code: str) -> None:
    entry = CODES[code]
    catalog = tomllib.loads((I18N / f"{entry.catalog}.toml").read_text(encoding="utf-8"))
    table = catalog.get(f"error_{code}")
    assert table is not None, f"{entry.catalog}.toml has no [error_{code}]"
    assert table["ar"].strip() and table["en"].strip() and table["ar"] != table["en"]
    assert _placeholders(table["ar"]) == _placeholders(table["en"])
    body = error_body(code, **dict.fromkeys(_placeholders(table["en"]), "x"))
    assert body["error"]["message"] == {
        "ar": table["ar"].format(**dict.fromkeys(_placeholders(table["ar"]), "x")),
        "en": table["en"].format(**dict.fromkeys(_placeholders(table["en"]), "x")),
    }
    assert 400 <= entry.status < 600


def test_every_code_raised_in_the_server_is_registered() -> None:
    raised = {
        code
        for path in SERVER.rglob("*.py")
        for code in RAISED.findall(path.read_text(encoding="utf-8"))
    }
    assert raised, "the scan found no refusal at all"
    assert sorted(raised - set(CODES)) == []


def test_a_refusal_carries_its_registered_status_and_its_headers() -> None:
    refusal = Refusal("too_many_attempts", headers={"Retry-After": "7"}, seconds=7)
    answer = refusal_response(refusal)
    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "7"
    # the registry wins over a status given at the raise site
    assert Refusal("unknown_service", status=500, service="x").status == 404


def test_no_refusal_names_its_own_status_or_text() -> None:
    """The registry is the one home of a code's status and text: no raise site repeats them."""
    own = re.compile(r"Refusal\([^)]*\b(status|text_key)=")
    sites = [
        f"{path.relative_to(SERVER)}:{n}"
        for path in SERVER.rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if own.search(line)
    ]
    assert sites == []


def test_no_router_builds_its_own_error_response() -> None:
    for path in (SERVER / "api").glob("*.py"):
        if path.name == "errors.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert "HTTPException" not in text, path.name
        assert "error_response" not in text, path.name


def test_a_bad_stream_position_is_refused_in_each_language_without_english_inside_arabic(app_env):
    answer = app_env.http.get("/api/v1/events", params={"after": "²"})
    assert answer.status_code == 422
    message = answer.json()["error"]["message"]
    assert "digits" in message["en"]
    assert not re.search("[A-Za-z]", message["ar"].replace("after", ""))


@pytest.mark.parametrize(
    ("body", "field", "en_words"),
    [
        ({"service": "civil-extract", "priority": "yes"}, "priority", "true or false"),
        ({"service": "civil-extract", "colour": "red"}, "colour", "unknown field"),
        ({"service": "x" * 500}, "service", "longer than"),
        ({}, "service", "required"),
    ],
)
def test_input_refusals_say_why_in_each_language(app_env, body, field, en_words):
    answer = app_env.http.post("/api/v1/tickets", json=body, headers=app_env.kiosk)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "invalid_input"
    assert f"«{field}»" in error["message"]["en"] and en_words in error["message"]["en"]
    arabic = error["message"]["ar"].replace(field, "")
    assert not re.search("[A-Za-z]{3,}", arabic.replace("true", "").replace("false", "")), arabic
