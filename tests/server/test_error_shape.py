"""Every error leaves the server in one shape: {"error": {"code", "message": {"ar", "en"}}}."""

from __future__ import annotations

import tomllib

import pytest

from nafitha.paths import I18N
from server.api.errors import STATUS, error_body
from tests.server.conftest import AppEnv


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


@pytest.mark.parametrize("code", sorted(STATUS))
def test_every_error_code_has_both_languages_in_the_catalog(code: str) -> None:
    catalog = tomllib.loads((I18N / "server.toml").read_text(encoding="utf-8"))
    if f"error_{code}" not in catalog:
        pytest.skip(f"{code} is another part's code")  # pragma: no cover
    body = error_body(
        code,
        seconds=1,
        limit=1,
        field="f",
        reason="r",
        state="s",
        action="a",
        service="x",
        counter="c",
        number="A-1",
        username="u",
        device="d",
        category="k",
    )
    assert body["error"]["message"]["ar"] != body["error"]["message"]["en"]
