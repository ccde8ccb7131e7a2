"""GET /api/v1/sms/figures: per local day, messages by state, received, consents and opt-in rate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from server.store import outbox, ticket_phones
from tests.server.conftest import AppEnv, make_env
from tests.sms.conftest import PHONE


@pytest.fixture
def env(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:
    yield from make_env(seeded_db, tmp_path)  # no [sms]: no sender moves the rows meanwhile


def test_the_days_figures_count_states_consents_and_the_opt_in_rate(env: AppEnv) -> None:
    tickets = [env.issue() for _ in range(4)]
    now = env.clock()
    with env.ctx.db.write() as tx:
        outbox.record_consent(tx, PHONE, now, "clerk1", "en", now + 86_400)
        # one ticket's holder asked at the kiosk (a file's consent is not a ticket's opt-in)
        ticket_phones.opt_in(tx, tickets[0]["id"], "2026-11-23", "+9613999999", "ar", now)
        params = {"center": "Demo", "number": "A-001", "counter": 1}
        first = outbox.queue_message(tx, "called", PHONE, "en", params, now)
        second = outbox.queue_message(tx, "called", PHONE, "en", params, now)
        outbox.queue_message(tx, "track_help", "+963933123456", "ar", {}, now)
        outbox.record_inbound(tx, now, "+963933123456", "hello", "help")
        outbox.claim_due(tx, now, False, 10)
        outbox.record_part(tx, first, "1")
        outbox.mark_sent(tx, first, now)
        outbox.stop_number(tx, PHONE, now, now + 86_400)  # the second fails as "stopped"
    manager = env.login("manager")
    answer = env.http.get(
        "/api/v1/sms/figures", params={"from": "2026-11-22", "to": "2026-11-23"}, headers=manager
    )
    assert answer.status_code == 200, answer.text
    quiet, today = answer.json()["days"]
    assert quiet == {
        "day": "2026-11-22", "queued": 0, "sent": 0, "delivered": 0, "failed": 0, "given_up": 0,
        "withdrawn": 0, "received": 0, "consents": 0, "tickets": 0, "opted_in": 0,
        "opt_in_rate": None,
    }  # fmt: skip
    assert today == {
        "day": "2026-11-23", "queued": 1, "sent": 1, "delivered": 0, "failed": 1, "given_up": 0,
        "withdrawn": 0, "received": 1, "consents": 1, "tickets": 4, "opted_in": 1,
        "opt_in_rate": 0.25,
    }  # fmt: skip
    assert second is not None
    clerk = env.login("clerk1", "c1")
    refused = env.http.get(
        "/api/v1/sms/figures", params={"from": "2026-11-23", "to": "2026-11-23"}, headers=clerk
    )
    assert refused.status_code == 403
    too_long = env.http.get(
        "/api/v1/sms/figures", params={"from": "2026-01-01", "to": "2026-11-23"}, headers=manager
    )
    assert too_long.json()["error"]["code"] == "bad_period"
