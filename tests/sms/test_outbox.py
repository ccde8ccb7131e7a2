"""The outbox on a real SQLite file: written with its event or not at all, consent and STOP, rate
limit, quiet hours, expiry, retries and giving up, purge, and the crash rule."""

from __future__ import annotations

import pytest

from server.domain.errors import Refusal
from server.sms.transport import FolderModem
from server.store import outbox
from server.store.alerts import latest_alerts
from server.store.events import append_event
from tests.sms.conftest import PHONE, SmsEnv, local_ts, make_sms_env

OTHER = "+963933123456"


def open_alert_kinds(env: SmsEnv) -> set[str]:
    return {row[2] for row in latest_alerts(env.ctx.db.read(), include_resolved=False)}


def drain(env: SmsEnv, sender, steps: int = 20) -> None:
    for _ in range(steps):
        if not sender.step():
            break


def test_a_message_is_written_with_its_event_or_not_at_all(sms_env: SmsEnv) -> None:
    env = sms_env
    env.consent()
    events_before = env.ctx.db.read().execute("SELECT count(*) FROM events").fetchone()[0]
    with pytest.raises(RuntimeError), env.ctx.db.write() as tx:
        append_event(tx, "ticket_called", at=env.clock(), actor="clerk1", data={})
        assert outbox.queue_message(tx, "called", PHONE, "en", _called(), env.clock())
        raise RuntimeError("the use case failed after queueing")
    assert outbox.messages(env.ctx.db.read()) == []
    with env.ctx.db.write() as tx:
        append_event(tx, "ticket_called", at=env.clock(), actor="clerk1", data={})
        message_id = outbox.queue_message(tx, "called", PHONE, "en", _called(), env.clock())
    assert env.row(message_id)["body"] == "Demo: ticket A-042 is called now to counter 3."
    events = env.ctx.db.read().execute("SELECT count(*) FROM events").fetchone()[0]
    assert events == events_before + 1


def _called() -> dict[str, object]:
    return {"center": "Demo", "number": "A-042", "counter": 3}


def test_notices_need_consent_and_stop_cancels_the_queued_ones(sms_env: SmsEnv) -> None:
    env = sms_env
    assert env.queue() is None  # no consent: no message, no error
    env.consent()
    first, second = env.queue(), env.queue()
    with env.ctx.db.write() as tx:
        assert outbox.stop_number(tx, PHONE, env.clock(), env.clock() + 86_400) == 2
    assert {env.row(first)["error"], env.row(second)["error"]} == {"stopped"}
    assert env.queue() is None
    env.consent()  # asked again at the center
    assert env.queue() is not None


def test_a_text_past_the_parts_limit_is_refused_and_rolls_back(sms_env: SmsEnv) -> None:
    env = sms_env
    env.consent(lang="ar")
    documents = {"ar": "، ".join(["صورة عن الهوية مصدقة من المختار"] * 12), "en": "x"}
    with pytest.raises(Refusal) as refused, env.ctx.db.write() as tx:
        outbox.queue_message(
            tx, "documents_missing", PHONE, "ar",
            {"center": "م", "reference": "7KQ2-M9XD-M", "documents": documents}, env.clock(),
            refuse_too_long=True,
        )  # fmt: skip
    assert refused.value.code == "sms_too_long"
    assert refused.value.params["allowed"] == 4 and refused.value.params["parts"] > 4
    assert outbox.messages(env.ctx.db.read()) == []


def test_arabic_is_ucs2_in_parts_and_english_gsm7(sms_env: SmsEnv) -> None:
    env = sms_env
    env.consent()
    with env.ctx.db.write() as tx:
        ar = outbox.queue_message(tx, "turn_near", PHONE, "ar",
                                  {"center": "مركز خدمة المواطن في بيروت", "number": "A-042",
                                   "ahead": 3}, env.clock())  # fmt: skip
    en = env.queue("turn_near", ahead=3)
    assert (env.row(ar)["encoding"], env.row(ar)["parts"]) == ("ucs2", 2)
    assert (env.row(en)["encoding"], env.row(en)["parts"]) == ("gsm7", 1)


def test_the_folder_modem_gets_each_message_once_and_reports_delivery(sms_env: SmsEnv) -> None:
    env = sms_env
    env.consent()
    ids = [env.queue(number=f"A-{n:03d}") for n in range(3)]
    sender = env.sender()
    drain(env, sender)
    files = sorted((env.folder / "sent").glob("*.txt"))
    assert [f.name for f in files] == [f"{i:08d}_{PHONE}.txt" for i in ids]
    assert "ticket A-001 is called" in files[1].read_text(encoding="utf-8")
    env.clock.advance(2)
    sender.step()  # the modem is asked again: the delivery reports come in
    assert [env.row(i)["state"] for i in ids] == ["delivered"] * 3


def test_the_rate_limit_per_number_holds_one_number_not_the_others(tmp_path) -> None:
    for env in make_sms_env(tmp_path, per_number_per_hour=2):
        env.consent()
        env.consent(OTHER)
        mine = [env.queue() for _ in range(3)]
        other = env.queue(phone=OTHER)
        sender = env.sender()
        drain(env, sender)
        assert [env.row(i)["state"] for i in mine] != ["queued"] * 3
        assert env.row(mine[2])["state"] == "queued"
        assert env.row(other)["state"] in ("sent", "delivered")
        env.clock.advance(3601)
        drain(env, sender)
        assert env.row(mine[2])["state"] in ("sent", "delivered")


def test_quiet_hours_hold_notices_but_answer_a_citizen_at_once(sms_env: SmsEnv) -> None:
    env = sms_env
    env.clock.t = local_ts("2026-11-23 22:30")
    env.consent()
    notice = env.queue()
    with env.ctx.db.write() as tx:
        reply = outbox.queue_message(tx, "track_help", OTHER, "ar", {}, env.clock())
    sender = env.sender()
    drain(env, sender)
    assert env.row(notice)["state"] == "queued"
    assert env.row(reply)["state"] in ("sent", "delivered")
    env.clock.t = local_ts("2026-11-24 08:00")
    drain(env, sender)
    assert env.row(notice)["state"] in ("sent", "delivered")


def test_a_stale_notice_expires_instead_of_being_sent(sms_env: SmsEnv) -> None:
    env = sms_env
    env.consent()
    with env.ctx.db.write() as tx:
        stale = outbox.queue_message(
            tx, "called", PHONE, "en", _called(), env.clock(), expires_at=env.clock() + 60
        )
    env.clock.advance(61)
    drain(env, env.sender())
    assert (env.row(stale)["state"], env.row(stale)["error"]) == ("failed", "expired")


def test_purge_forgets_numbers_and_keeps_the_counts(sms_env: SmsEnv) -> None:
    env = sms_env
    env.consent()
    sent = env.queue()
    drain(env, env.sender())
    env.clock.advance(31 * 86_400)
    done = env.sender().purge()
    assert done["consent"] == 1 and done["outbox"] == 1
    assert (env.row(sent)["phone"], env.row(sent)["body"]) == ("", "")
    assert env.queue() is None  # consent is gone with the number
    assert sum(outbox.counts(env.ctx.db.read(), 0).values()) == 1


def test_after_a_crash_the_folder_modem_finishes_or_resends_never_twice(sms_env: SmsEnv) -> None:
    env = sms_env
    env.consent()
    reached, lost = env.queue(number="A-001"), env.queue(number="A-002")
    with env.ctx.db.write() as tx:  # two claims, then the process died
        first = outbox.claim_due(tx, env.clock(), False, 10)
        second = outbox.claim_due(tx, env.clock(), False, 10)
    assert first is not None and second is not None
    modem = FolderModem(env.folder)
    modem.connect()
    modem.send(_outgoing(first), lambda ref: None)  # the first reached the modem
    sender = env.sender(modem)
    drain(env, sender)
    assert env.row(reached)["state"] in ("sent", "delivered")
    assert env.row(lost)["state"] in ("sent", "delivered")
    assert len(list((env.folder / "sent").glob("*.txt"))) == 2
    assert env.row(reached)["tries"] == 1 and env.row(lost)["tries"] == 2


def _outgoing(row):
    from server.sms.sender import _outgoing as outgoing

    return outgoing(row)


def test_after_a_crash_a_real_modem_message_is_failed_not_resent(sms_env: SmsEnv) -> None:
    """A modem keeps no record to ask: a message left ``sending`` may have gone, so it never
    goes again (the crash rule of docs/sms.md); one whose every part is recorded is sent."""
    from server.sms.gammu_modem import GammuModem

    env = sms_env
    env.consent()
    unknown, recorded = env.queue(number="A-001"), env.queue(number="A-002")
    with env.ctx.db.write() as tx:
        outbox.claim_due(tx, env.clock(), False, 10)
        outbox.claim_due(tx, env.clock(), False, 10)
        outbox.record_part(tx, recorded, "17")
    sender = env.sender(GammuModem("/dev/null-no-modem"))
    assert sender.resolve_interrupted() == 2
    assert (env.row(unknown)["state"], env.row(unknown)["error"]) == ("failed", "interrupted")
    assert env.row(recorded)["state"] == "sent"  # its one part has the modem's reference
    assert env.row(recorded)["modem_refs"] == ["17"]
