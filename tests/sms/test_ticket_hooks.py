"""The calling hooks: "your turn is near" once when the people ahead (the figure the kiosk and the
phone page show) fall to the service's N, "called" once with the counter, nothing for tickets
that did not opt in, nothing queued without ``[sms]``; and, end to end, the message in the folder
modem's ``sent/`` through the real sender of a real server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server.config import DEFAULT_CENTER, load_center_config
from server.sms.sender import Sender, sender_lock_path
from server.sms.transport import FolderModem
from server.store import outbox, ticket_phones
from tests.server.conftest import AppEnv, make_env
from tests.support.server import running_server

PHONE = "+9613123456"
SERVICE = "birth-registration"  # served by counter c3 alone in the demo


@pytest.fixture
def sms_app(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:
    sms = {"mode": "folder", "folder": str(tmp_path / "sms")}
    yield from make_env(seeded_db, tmp_path, sms=sms, ignore_hours=True)


def opt_in(env: AppEnv, ticket: dict[str, Any], phone: str = "03 123 456", lang: str = "en"):
    answer = env.http.post(
        f"/api/v1/tickets/public/{ticket['token']}/notify",
        json={"phone": phone, "lang": lang},
        headers=env.kiosk,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


class Counter:
    """Clerk 3 at counter c3: call the next ticket, finish it, recall, cancel."""

    def __init__(self, env: AppEnv) -> None:
        self.env = env
        self.headers = env.login("clerk3", counter="c3")

    def next(self) -> dict[str, Any]:
        answer = self.env.http.post("/api/v1/counters/c3/next", headers=self.headers)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def act(self, ticket_id: int, action: str, **body: Any) -> dict[str, Any]:
        answer = self.env.http.post(
            f"/api/v1/tickets/{ticket_id}/{action}", json=body or None, headers=self.headers
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    def serve_next(self) -> dict[str, Any]:
        called = self.next()
        self.act(called["id"], "finish")
        return called


def messages(env: AppEnv) -> list[dict[str, Any]]:
    return outbox.messages(env.ctx.db.read())


def ahead(env: AppEnv, ticket: dict[str, Any]) -> int:
    return env.http.get(f"/api/v1/tickets/public/{ticket['token']}").json()["people_ahead"]


def test_turn_near_once_at_n_and_called_once_for_the_opted_in_ticket_only(
    sms_app: AppEnv,
) -> None:
    env = sms_app
    tickets = [env.issue(SERVICE) for _ in range(6)]
    mine = tickets[5]
    opt_in(env, mine)
    counter = Counter(env)
    counter.serve_next()  # opens c3: the first is called, four ahead of mine
    assert ahead(env, mine) == 4 and messages(env) == []
    counter.serve_next()
    assert ahead(env, mine) == 3  # the very figure the phone page shows
    [near] = messages(env)
    assert near["kind"] == "turn_near" and near["phone"] == PHONE
    assert near["ticket_id"] == mine["id"]  # queued, or sent already by the app's sender
    assert near["body"].endswith(
        f"Ticket {mine['number']}, 3 ahead of you. Please come back to the hall."
    )
    assert near["expires_at"] == pytest.approx(env.clock() + 30 * 60)
    counter.serve_next()
    counter.serve_next()
    assert len(messages(env)) == 1  # once, not again at 2 and 1
    counter.serve_next()
    called = counter.next()
    assert called["id"] == mine["id"]
    near_again, call = messages(env)
    assert near_again["id"] == near["id"]
    assert call["kind"] == "called" and call["ticket_id"] == mine["id"]
    assert call["body"].endswith(f"ticket {mine['number']} is called now to counter 3.")
    counter.env.clock.advance(120)
    counter.act(mine["id"], "recall")
    assert len(messages(env)) == 2  # a recall sends nothing more
    opted = ticket_phones.of_ticket(env.ctx.db.read(), mine["id"])
    assert opted is not None and opted["called_sent_at"] and opted["turn_near_sent_at"]
    assert {m["ticket_id"] for m in messages(env)} == {mine["id"]}  # nobody else is texted


def test_a_waiting_ticket_cancelled_ahead_brings_the_turn_near(sms_app: AppEnv) -> None:
    env = sms_app
    tickets = [env.issue(SERVICE) for _ in range(6)]
    opt_in(env, tickets[5], lang="ar")
    counter = Counter(env)
    counter.next()  # opens c3 and calls the first: four ahead
    assert messages(env) == []
    counter.act(tickets[2]["id"], "cancel", reason="left")
    [near] = messages(env)
    assert near["kind"] == "turn_near" and near["lang"] == "ar"
    assert "أمامك 3" in near["body"] and near["encoding"] == "ucs2"


def test_a_counter_resumed_brings_the_turn_near_of_the_tickets_it_alone_can_call(
    sms_app: AppEnv,
) -> None:
    """c3 alone serves the service: paused, nobody can call the ticket and nothing is sent (the
    kiosk says so too); resumed, the ticket one away from its call is told at once, not at the
    next call."""
    env = sms_app
    counter = Counter(env)
    assert env.http.post("/api/v1/counters/c3/pause", headers=counter.headers).status_code == 200
    tickets = [env.issue(SERVICE) for _ in range(2)]
    assert opt_in(env, tickets[1])["near"] is False  # no open counter can call it
    assert messages(env) == []
    assert env.http.post("/api/v1/counters/c3/resume", headers=counter.headers).status_code == 200
    [near] = messages(env)
    assert near["kind"] == "turn_near" and near["ticket_id"] == tickets[1]["id"]
    assert near["body"].endswith(
        f"Ticket {tickets[1]['number']}, 1 ahead of you. Please come back to the hall."
    )
    assert env.http.post("/api/v1/counters/c3/pause", headers=counter.headers).status_code == 200
    assert env.http.post("/api/v1/counters/c3/resume", headers=counter.headers).status_code == 200
    assert len(messages(env)) == 1  # once


def test_a_service_with_turn_near_off_sends_only_called(seeded_db: Path, tmp_path: Path) -> None:
    config = load_center_config(DEFAULT_CENTER)
    services = [
        s.model_copy(update={"sms_turn_near": 0}) if s.id == SERVICE else s for s in config.services
    ]
    center = config.model_copy(update={"services": services})
    sms = {"mode": "folder", "folder": str(tmp_path / "sms")}
    for env in make_env(seeded_db, tmp_path, center=center, sms=sms, ignore_hours=True):
        tickets = [env.issue(SERVICE) for _ in range(3)]
        assert opt_in(env, tickets[2])["turn_near"] == 0
        counter = Counter(env)
        counter.serve_next()
        counter.serve_next()
        assert messages(env) == []  # 0 ahead, yet no "turn near": switched off
        counter.next()
        assert [m["kind"] for m in messages(env)] == ["called"]


def test_without_sms_the_calls_queue_nothing(seeded_db: Path, tmp_path: Path) -> None:
    for env in make_env(seeded_db, tmp_path, ignore_hours=True):
        tickets = [env.issue(SERVICE) for _ in range(3)]
        now = env.clock()
        with env.ctx.db.write() as tx:  # a ticket that opted in before messages were switched off
            outbox.record_consent(tx, PHONE, now, "kiosk", "en", now + 86_400)
            ticket_phones.opt_in(tx, tickets[2]["id"], tickets[2]["day"], PHONE, "en", now)
        counter = Counter(env)
        for _ in range(3):
            counter.serve_next()
        assert messages(env) == []
        opted = ticket_phones.of_ticket(env.ctx.db.read(), tickets[2]["id"])
        assert opted is not None and opted["called_sent_at"] is None


def test_a_ticket_near_when_it_opts_in_is_told_then_and_only_then(sms_app: AppEnv) -> None:
    env = sms_app
    tickets = [env.issue(SERVICE) for _ in range(3)]
    counter = Counter(env)
    counter.next()  # c3 open: one ahead of the last ticket
    assert opt_in(env, tickets[2])["near"] is True
    [near] = messages(env)
    assert near["kind"] == "turn_near" and "1 ahead" in near["body"]
    opt_in(env, tickets[2])  # the same number again: nothing more
    opt_in(env, tickets[2], phone="70 123 456")  # a corrected number: told already
    assert len(messages(env)) == 1


@pytest.mark.slow
def test_the_called_message_reaches_the_folder_modem_through_the_real_sender(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "modem"
    config = tmp_path / "server.toml"
    config.write_text(
        f'[sms]\nmode = "folder"\nfolder = "{folder}"\nquiet_start = 00:00:00\n'
        "quiet_end = 00:00:00\npoll_s = 0.05\n",
        encoding="utf-8",
    )
    with running_server(tmp_path / "data", extra_args=["--config", str(config)]) as server:
        kiosk = server.client(server.kiosk_token)
        first = kiosk.issue_ticket(SERVICE)
        mine = kiosk.issue_ticket(SERVICE)
        assert kiosk.services()["sms"]["available"] is True
        assert kiosk.ticket_notify(mine["token"], "03 123 456", "en")["phone"] == "+961…56"
        clerk = server.login("clerk3", counter="c3")
        assert clerk.call_next("c3")["id"] == first["id"]  # nobody ahead of mine: turn near
        clerk.ticket_action(first["id"], "finish")
        assert clerk.call_next("c3")["id"] == mine["id"]  # called to counter 3
        sent = folder / "sent"
        deadline = time.monotonic() + 30
        while len(list(sent.glob(f"*_{PHONE}.txt"))) < 2:
            assert time.monotonic() < deadline, f"sent: {list(sent.glob('*'))}"
            time.sleep(0.1)
        texts = [p.read_text("utf-8") for p in sorted(sent.glob(f"*_{PHONE}.txt"))]
        assert "your turn is near" in texts[0] and "0 ahead of you" in texts[0]
        assert f"ticket {mine['number']} is called now to counter 3." in texts[1]


def test_the_sender_purges_a_tickets_number_with_the_rest(sms_app: AppEnv, tmp_path: Path) -> None:
    env = sms_app
    ticket = env.issue(SERVICE)
    opt_in(env, ticket)
    settings = env.ctx.settings.sms
    assert settings is not None
    sender = Sender(
        env.ctx, settings, FolderModem(tmp_path / "sms"), sender_lock_path(env.ctx.db.path)
    )
    env.clock.advance((settings.purge_days - 1) * 86_400.0)
    assert sender.purge()["ticket_phones"] == 0
    assert ticket_phones.of_ticket(env.ctx.db.read(), ticket["id"]) is not None
    env.clock.advance(2 * 86_400.0)
    assert sender.purge()["ticket_phones"] == 1
    assert ticket_phones.of_ticket(env.ctx.db.read(), ticket["id"]) is None
    assert not outbox.may_message(env.ctx.db.read(), PHONE)  # the consent went too


def test_every_ticket_of_a_queue_that_comes_near_in_one_call_is_told(sms_app: AppEnv) -> None:
    env = sms_app
    tickets = [env.issue(SERVICE) for _ in range(6)]
    for n, ticket in enumerate(tickets[3:]):
        opt_in(env, ticket, phone=f"70 123 45{n}")
    Counter(env).next()  # opens c3: 2, 3 and 4 ahead of the three opted in
    told = {m["ticket_id"]: m["body"] for m in messages(env) if m["kind"] == "turn_near"}
    assert set(told) == {tickets[3]["id"], tickets[4]["id"]}  # the third is still 4 away
    assert "2 ahead" in told[tickets[3]["id"]] and "3 ahead" in told[tickets[4]["id"]]
