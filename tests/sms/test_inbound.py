"""A citizen's own message in the folder modem's inbox: a reference gets its stage back
(typo-checked, no personal data), STOP/قف stops every notice, a flood is answered only so often."""

from __future__ import annotations

import os
import time
from pathlib import Path

from server.domain.files import Citizen
from server.store import outbox
from server.usecases import files
from server.usecases.context import Actor
from server.usecases.sms import give_consent, is_stop
from tests.sms.conftest import PHONE, SmsEnv, make_sms_env

CLERK = Actor("person", "clerk1", "clerk", "c1")


def drop(env: SmsEnv, name: str, text: str) -> Path:
    inbox = env.folder / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    path = inbox / name
    path.write_text(text, encoding="utf-8")
    settled = time.time() - 1  # written a moment ago: the modem reads settled files only
    os.utime(path, (settled, settled))
    return path


def replies(env: SmsEnv) -> list[dict]:
    return [m for m in outbox.messages(env.ctx.db.read()) if m["kind"] in outbox.REPLIES]


def run(env: SmsEnv) -> None:
    sender = env.sender()
    for _ in range(30):
        if not sender.step():
            break


def test_a_reference_texted_gets_its_stage_and_nothing_personal(sms_env: SmsEnv) -> None:
    env = sms_env
    opened = files.open_file(env.ctx, CLERK, "passport-new", Citizen("Rana Haddad"), [0, 1, 2])
    reference = opened["reference"]
    drop(env, f"IN20261123_100000_00_{PHONE}_00.txt", f"  file {reference.lower()} ?\n")
    run(env)
    [reply] = replies(env)
    assert reply["kind"] == "track_stage" and reply["phone"] == PHONE
    assert reply["body"].startswith(f"المعاملة {reference}: ")  # Latin text, no consent: Arabic
    assert "Rana" not in reply["body"] and "Haddad" not in reply["body"]
    assert reply["state"] in ("sent", "delivered")
    assert (env.folder / "inbox" / "read").iterdir()


def test_a_mistyped_or_unknown_reference_and_chatter_get_help(sms_env: SmsEnv) -> None:
    env = sms_env
    opened = files.open_file(env.ctx, CLERK, "passport-new", Citizen("R"), [])
    reference = opened["reference"]
    typo = reference[:-1] + ("A" if reference[-1] != "A" else "B")
    drop(env, f"{PHONE}_1.txt", typo)
    drop(env, f"{PHONE}_2.txt", "مرحبا، متى جواز سفري؟")
    run(env)
    kinds = sorted(m["kind"] for m in replies(env))
    assert kinds == ["track_help", "track_mistyped"]


def test_stop_in_arabic_or_english_stops_every_notice(sms_env: SmsEnv) -> None:
    env = sms_env
    give_consent(env.ctx, CLERK, "03 123 456", "ar")
    queued = env.queue()
    assert is_stop(" STOP ") and is_stop("قف") and not is_stop("stop the queue")
    drop(env, f"{PHONE}.txt", "قف")
    sender = env.sender()
    sender.step()
    assert env.row(queued)["error"] == "stopped"
    assert env.queue() is None
    assert [m["kind"] for m in replies(env)] == ["stopped"]


def test_a_flood_is_answered_only_so_often_and_foreign_senders_never(tmp_path: Path) -> None:
    for env in make_sms_env(tmp_path, inbound_per_hour=3):
        for n in range(8):
            drop(env, f"{PHONE}_{n}.txt", "hello?")
        drop(env, "+14155552671.txt", "7KQ2-M9XD-M")
        drop(env, "no-number.txt", "hello")
        run(env)
        assert len(replies(env)) == 3
        outcomes = (
            env.ctx.db.read()
            .execute("SELECT outcome, count(*) FROM sms_inbound GROUP BY outcome ORDER BY outcome")
            .fetchall()
        )
        assert outcomes == [("help", 3), ("refused", 1), ("throttled", 5)]
        assert (env.folder / "inbox" / "refused" / "no-number.txt").exists()


def test_consent_refuses_a_number_with_the_reason_in_both_languages(sms_env: SmsEnv) -> None:
    from server.domain.errors import Refusal

    try:
        give_consent(sms_env.ctx, CLERK, "+961 900 12345", "ar")
    except Refusal as refused:
        assert refused.code == "sms_phone_refused"
        assert "premium" in refused.params["reason"]["en"]
        assert "المدفوعة" in refused.params["reason"]["ar"]
    else:
        raise AssertionError("a premium number was accepted")


def test_the_national_hub_takes_the_sms_events_in(sms_env: SmsEnv) -> None:
    """A kind the hub does not know stops a center's intake: ours are known, and personal-free."""
    from nafitha.national.wire import KNOWN_KINDS

    give_consent(sms_env.ctx, CLERK, "03 123 456", "ar")
    drop(sms_env, f"{PHONE}.txt", "STOP")
    run(sms_env)
    rows = (
        sms_env.ctx.db.read()
        .execute("SELECT kind, data FROM events WHERE kind LIKE 'sms_%' ORDER BY id")
        .fetchall()
    )
    assert [kind for kind, _ in rows] == ["sms_consent_given", "sms_stopped"]
    assert {kind for kind, _ in rows} <= KNOWN_KINDS
    assert all("3123456" not in data for _, data in rows)  # a digest, never the number
