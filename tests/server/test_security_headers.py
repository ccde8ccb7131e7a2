"""Every answer carries the security headers; no page or doc loads anything from elsewhere; a
client cannot choose its own address with X-Forwarded-For; a page never answers JSON 422."""

from __future__ import annotations

import uuid

import requests

from tests.server.conftest import AppEnv
from tests.support.server import RunningServer

HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def assert_secured(answer) -> None:
    for name, value in HEADERS.items():
        assert answer.headers.get(name) == value, (answer.url, name)
    policy = answer.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no inline script, no CDN
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "http" not in policy


def test_pages_api_answers_and_errors_carry_the_headers(app_env: AppEnv) -> None:
    ticket = app_env.issue()
    for path in ("/board", f"/t/{ticket['token']}", "/f", "/dashboard", "/admin", "/integrity"):
        answer = app_env.http.get(path)
        assert answer.status_code == 200, path
        assert_secured(answer)
    assert_secured(app_env.http.get("/api/v1/health"))
    assert_secured(app_env.http.get("/api/v1/nothing-here"))  # an error answer
    big = app_env.http.post(
        "/api/v1/tickets",
        content=b"x" * 100_000,
        headers={**app_env.kiosk, "Content-Type": "application/json"},
    )
    assert big.status_code == 413
    assert_secured(big)


def test_the_api_docs_pages_are_off_and_the_description_stays(app_env: AppEnv) -> None:
    assert app_env.http.get("/docs").status_code == 404
    assert app_env.http.get("/redoc").status_code == 404
    assert app_env.http.get("/openapi.json").json()["info"]["title"] == "Nafitha"


def test_a_long_accept_language_or_lang_still_gets_the_page(app_env: AppEnv) -> None:
    long_header = ", ".join(f"x{i}-YY;q=0.{i % 10}" for i in range(400)) + ", en"
    assert len(long_header) > 4000
    for answer in (
        app_env.http.get("/board", headers={"Accept-Language": long_header}),
        app_env.http.get("/board?lang=" + "e" * 300),
        app_env.http.get("/board", headers={"Cookie": "lang=" + "a" * 300}),
    ):
        assert answer.status_code == 200, answer.text[:200]
        assert answer.headers["content-type"].startswith("text/html")


def test_x_forwarded_for_from_a_client_is_not_believed(demo_server: RunningServer) -> None:
    """By default no proxy is trusted: every lookup below comes from one address, whatever it
    claims, so the tracking limit stops it (were the header believed, each would be new)."""
    statuses = []
    for i in range(40):
        answer = requests.get(
            f"{demo_server.url}/api/v1/track/7KQ2-M9XD-M",
            headers={"X-Forwarded-For": f"10.9.{i}.{i}"},
            timeout=10,
        )
        statuses.append(answer.status_code)
        if answer.status_code == 429:
            break
    assert statuses[-1] == 429, statuses


def test_no_answer_names_another_origin(demo_server: RunningServer) -> None:
    """The pages load nothing from elsewhere: every src/href is a path on this server."""
    for path in ("/board", "/dashboard", "/admin", "/f", "/integrity", f"/t/{uuid.uuid4().hex}"):
        answer = requests.get(demo_server.url + path, timeout=10)
        assert_secured(answer)
        body = answer.text
        assert 'src="http' not in body and 'href="http' not in body, path
