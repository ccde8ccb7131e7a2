"""The issue's "bad input and limits" for text messages, on a real SQLite file (docs/sms.md,
"Limits"): a notice too long for ``max_parts`` never blocks the call that causes it; STOP works
even from a number past its inbound limit; a flood from many numbers is answered only up to the
center's reply budget; the citizens' notices go before replies to a flood. Every message is kept
(``sms_inbound``) with the reason it was not answered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from server.store import outbox, ticket_phones
from tests.server.conftest import AppEnv, make_env
from tests.sms.conftest import PHONE, SmsEnv, make_sms_env

SERVICE = "birth-registration"  # served by counter c3 alone in the demo


@pytest.fixture
def one_part_app(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:
    sms = {"mode": "folder", "folder": str(tmp_path / "sms"), "max_parts": 1}
    yield from make_env(seeded_db, tmp_path, sms=sms, ignore_hours=True)


def test_a_notice_too_long_for_its_parts_never_blocks_the_call(one_part_app: AppEnv) -> None:
    """One part allowed (``max_parts = 1``): "your turn is near" in Arabic needs two. The call
    that makes it near still happens; the notice is left out and the log says why."""
    env = one_part_app
    first = env.issue(SERVICE)
    second = env.issue(SERVICE)
    answer = env.http.post(
        f"/api/v1/tickets/public/{second['token']}/notify",
        json={"phone": "03 123 456", "lang": "ar"},
        headers=env.kiosk,
    )
    assert answer.status_code == 200, answer.text
    clerk = env.login("clerk3", counter="c3")
    called = env.http.post("/api/v1/counters/c3/next", headers=clerk)
    assert called.status_code == 200, called.text  # the call happens, text or no text
    assert called.json()["number"] == first["number"]
    [near] = outbox.messages(env.ctx.db.read())  # kept, never sent, counted as given up
    assert (near["kind"], near["state"]) == ("turn_near", "failed")
    assert near["error"] == "too_long: 2 parts, 1 allowed"
    opted = ticket_phones.of_ticket(env.ctx.db.read(), second["id"])
    assert opted is not None and opted["turn_near_sent_at"] is not None  # not tried again


@pytest.fixture
def flood_env(tmp_path: Path) -> Iterator[SmsEnv]:
    yield from make_sms_env(tmp_path, inbound_per_hour=3, replies_per_hour=5)


def test_stop_works_even_from_a_number_past_its_limit(flood_env: SmsEnv) -> None:
    from server.usecases.sms import handle_inbound

    env = flood_env
    env.consent()
    for _ in range(3):
        assert handle_inbound(env.ctx, PHONE, "hello") == "help"
    assert handle_inbound(env.ctx, PHONE, "hello") == "throttled"
    notice = env.queue()
    assert handle_inbound(env.ctx, PHONE, "STOP") == "stopped"
    assert not outbox.may_message(env.ctx.db.read(), PHONE)
    assert env.row(notice)["error"] == "stopped"
    replies = [m for m in outbox.messages(env.ctx.db.read()) if m["kind"] == "stopped"]
    assert replies == []  # past its limit: stopped, but not answered again


def test_a_flood_from_many_numbers_is_answered_up_to_the_centers_budget(
    flood_env: SmsEnv,
) -> None:
    from server.usecases.sms import handle_inbound

    env = flood_env
    outcomes = [handle_inbound(env.ctx, f"+96171{n:06d}", "where is my file") for n in range(9)]
    assert outcomes == ["help"] * 5 + ["throttled_center"] * 4
    db = env.ctx.db.read()
    assert db.execute("SELECT count(*) FROM sms_inbound").fetchone()[0] == 9  # every one kept
    assert len(outbox.messages(db)) == 5
    # a STOP still stops, past the budget too
    assert handle_inbound(env.ctx, "+96171999999", "قف") == "stopped"
    assert outbox.messages(db, "queued")[-1]["kind"] != "stopped"


def test_the_citizens_notices_go_before_replies_to_a_flood(flood_env: SmsEnv) -> None:
    from server.usecases.sms import handle_inbound

    env = flood_env
    for n in range(5):
        handle_inbound(env.ctx, f"+96171{n:06d}", "hi")
    env.consent()
    notice = env.queue()  # "called": queued after the five replies
    with env.ctx.db.write() as tx:
        first = outbox.claim_due(tx, env.clock(), False, 100)
    assert first is not None and first["id"] == notice
