"""Scheduled and withdrawn messages (m031): ``not_before`` holds a message until its time,
``withdraw`` takes back what still waits, and a database written before m031 keeps its messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.store import outbox
from server.store.database import Database
from server.store.migrate import migrate
from server.usecases.sms_figures import sms_figures
from tests.sms.conftest import PHONE, SmsEnv, local_ts

REMINDER = {"center": "Demo", "number": "A-042", "counter": 3}


def drain(sender, steps: int = 20) -> None:
    for _ in range(steps):
        if not sender.step():
            break


def _queue(env: SmsEnv, **options: object) -> int:
    with env.ctx.db.write() as tx:
        found = outbox.queue_message(tx, "called", PHONE, "en", REMINDER, env.clock(), **options)
    assert found is not None
    return found


def test_a_message_is_never_claimed_before_its_not_before(sms_env: SmsEnv) -> None:
    env = sms_env
    env.consent()
    at_nine = local_ts("2026-11-24 09:00")  # after the quiet hours
    later = _queue(env, not_before=at_nine, about="booking:7KQ2M9XDM")
    now = _queue(env)
    sender = env.sender()
    drain(sender)
    assert env.row(now)["state"] in ("sent", "delivered")
    assert env.row(later)["state"] == "queued"
    assert env.row(later)["about"] == "booking:7KQ2M9XDM"
    env.clock.t = at_nine - 1
    with env.ctx.db.write() as tx:
        assert outbox.claim_due(tx, env.clock(), False, 100) is None
    env.clock.t = at_nine
    drain(sender)
    assert env.row(later)["state"] in ("sent", "delivered")


def test_claim_due_checks_not_before_even_when_next_try_is_due(sms_env: SmsEnv) -> None:
    """A row whose ``next_try_at`` was moved earlier (a retry computed from an old try) still
    waits for its ``not_before``."""
    env = sms_env
    env.consent()
    message = _queue(env, not_before=env.clock() + 600)
    with env.ctx.db.write() as tx:
        tx.execute("UPDATE sms_outbox SET next_try_at = ? WHERE id = ?", [env.clock(), message])
        assert outbox.claim_due(tx, env.clock(), False, 100) is None
    env.clock.advance(600)
    with env.ctx.db.write() as tx:
        claimed = outbox.claim_due(tx, env.clock(), False, 100)
    assert claimed is not None and claimed["id"] == message


def test_withdraw_takes_back_what_waits_and_counts_it_neither_sent_nor_failed(
    sms_env: SmsEnv,
) -> None:
    env = sms_env
    env.consent()
    about = "booking:7KQ2M9XDM"
    first = _queue(env, not_before=env.clock() + 3600, about=about)
    second = _queue(env, not_before=env.clock() + 7200, about=about)
    other = _queue(env, not_before=env.clock() + 3600, about="booking:OTHER0000")
    sent = _queue(env, about="complaint:ABCD")
    drain(env.sender())
    assert env.row(sent)["state"] in ("sent", "delivered")
    with env.ctx.db.write() as tx:
        assert outbox.withdraw(tx, about, env.clock()) == 2
        assert outbox.withdraw(tx, "complaint:ABCD", env.clock()) == 0  # already sent
        assert outbox.withdraw(tx, about, env.clock()) == 0  # once
    assert {env.row(first)["state"], env.row(second)["state"]} == {"withdrawn"}
    assert env.row(first)["withdrawn_at"] == env.clock()
    env.clock.advance(7200)
    drain(env.sender())
    assert env.row(first)["state"] == env.row(second)["state"] == "withdrawn"
    assert env.row(other)["state"] in ("sent", "delivered")
    sent_files = list((env.folder / "sent").glob("*.txt"))
    assert sorted(int(f.name.split("_")[0]) for f in sent_files) == [other, sent]
    day = outbox.counts(env.ctx.db.read(), 0.0)
    assert day.get("withdrawn") == 2 and "failed" not in day
    figures = sms_figures(env.ctx, "2026-11-23", "2026-11-23")["days"][0]
    assert figures["withdrawn"] == 2
    assert (figures["sent"], figures["failed"], figures["given_up"], figures["queued"]) == (
        2, 0, 0, 0,
    )  # fmt: skip


def test_a_kind_without_a_catalog_text_is_refused(sms_env: SmsEnv) -> None:
    env = sms_env
    env.consent()
    with pytest.raises(ValueError, match=r"sms\.msg_no_such_kind"), env.ctx.db.write() as tx:
        outbox.queue_message(tx, "no_such_kind", PHONE, "en", {}, env.clock())
    assert outbox.is_kind("called") and not outbox.is_kind("no_such_kind")


def test_a_database_from_before_m031_keeps_its_messages(tmp_path: Path) -> None:
    db = Database(tmp_path / "old.db")
    try:
        migrate(db, upto=29)
        with db.write() as tx:
            tx.execute(
                "INSERT INTO sms_outbox (created_at, kind, phone, lang, body, encoding, parts,"
                " next_try_at, state, modem_refs) VALUES (1.0, 'called', ?, 'en', 'hello',"
                " 'gsm7', 1, 1.0, 'sent', '[\"7\"]')",
                [PHONE],
            )
        assert "031_sms_schedule" in " ".join(migrate(db))
        row = outbox.message(db.read(), 1)
        assert row is not None
        assert (row["body"], row["state"], row["modem_refs"]) == ("hello", "sent", ["7"])
        assert (row["not_before"], row["about"], row["withdrawn_at"]) == (None, None, None)
        indexes = {r[1] for r in db.read().execute("PRAGMA index_list(sms_outbox)")}
        expected = {"sms_outbox_due", "sms_outbox_phone", "sms_outbox_day", "sms_outbox_about"}
        assert expected <= indexes
    finally:
        db.close()
