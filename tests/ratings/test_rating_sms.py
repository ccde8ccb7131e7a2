"""The rating link by text message: after the visit ends, once, to an opted-in ticket only, with
its phone page's address; nothing at all without ``[sms]``; nothing to a number that said STOP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nafitha.text import t
from server.store import outbox
from tests.server.conftest import AppEnv, make_env

SERVICE = "birth-registration"  # served by counter c3 alone in the demo


@pytest.fixture
def sms_app(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:
    sms = {"mode": "folder", "folder": str(tmp_path / "sms")}
    yield from make_env(seeded_db, tmp_path, sms=sms, ignore_hours=True)


def opt_in(env: AppEnv, ticket: dict[str, Any], lang: str) -> None:
    answer = env.http.post(
        f"/api/v1/tickets/public/{ticket['token']}/notify",
        json={"phone": "03 123 456", "lang": lang},
        headers=env.kiosk,
    )
    assert answer.status_code == 200, answer.text


def serve(env: AppEnv, ticket: dict[str, Any]) -> None:
    clerk = env.login("clerk3", counter="c3")
    called = env.http.post("/api/v1/counters/c3/next", headers=clerk).json()
    assert called["id"] == ticket["id"]
    done = env.http.post(f"/api/v1/tickets/{ticket['id']}/finish", json={}, headers=clerk)
    assert done.status_code == 200 and done.json()["state"] == "done", done.text


def links(env: AppEnv) -> list[dict[str, Any]]:
    return [m for m in outbox.messages(env.ctx.db.read()) if m["kind"] == "rating_link"]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_an_opted_in_visit_gets_the_rating_link_once_it_ends(sms_app: AppEnv, lang: str) -> None:
    ticket = sms_app.issue(SERVICE)
    other = sms_app.issue(SERVICE)  # not opted in
    opt_in(sms_app, ticket, lang)
    assert links(sms_app) == []
    serve(sms_app, ticket)
    serve(sms_app, other)
    sent = links(sms_app)
    assert len(sent) == 1 and sent[0]["ticket_id"] == ticket["id"] and sent[0]["lang"] == lang
    url = f"/t/{ticket['token']}"
    assert url in sent[0]["body"] and ticket["number"] in sent[0]["body"]
    head = t("sms.msg_rating_link", lang, center="", number="", url="").split(":")[0]
    assert head in sent[0]["body"]


def test_without_sms_nothing_is_queued(app_env: AppEnv) -> None:
    ticket = app_env.issue("civil-extract")
    clerk = app_env.login("clerk1", counter="c1")
    app_env.http.post("/api/v1/counters/c1/next", headers=clerk)
    assert (
        app_env.http.post(
            f"/api/v1/tickets/{ticket['id']}/finish", json={}, headers=clerk
        ).status_code
        == 200
    )
    assert links(app_env) == []


def test_a_number_that_said_stop_gets_no_link(sms_app: AppEnv) -> None:
    ticket = sms_app.issue(SERVICE)
    opt_in(sms_app, ticket, "en")
    with sms_app.ctx.db.write() as tx:
        tx.execute("UPDATE sms_consent SET stopped_at = ?", [sms_app.clock.t])
    serve(sms_app, ticket)
    assert links(sms_app) == []
