"""Gammu's real AT driver against a simulated modem on a pty: the PDUs it sends, multipart Arabic
joined by one concatenation id, and the modem's faults as alerts within the sender's next checks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import gammu
import pytest

from nafitha.harness.at_modem import AtModem
from server.sms.gammu_modem import GammuModem
from server.store import outbox
from server.store.alerts import latest_alerts
from tests.sms.conftest import PHONE, SmsEnv, make_sms_env


@pytest.fixture
def modem() -> Iterator[AtModem]:
    with AtModem() as running:
        yield running


@pytest.fixture
def env(tmp_path: Path) -> Iterator[SmsEnv]:
    yield from make_sms_env(tmp_path, mode="gammu", max_tries=3, retry_after_s=10, health_s=5)


def open_alerts(env: SmsEnv) -> set[str]:
    return {row[2] for row in latest_alerts(env.ctx.db.read(), include_resolved=False)}


def decoded(pdu: str) -> dict:
    return gammu.DecodePDU(bytes.fromhex(pdu), SMSC=True)


def test_an_arabic_message_goes_as_ucs2_parts_with_one_concatenation_id(
    env: SmsEnv, modem: AtModem
) -> None:
    env.consent(lang="ar")
    with env.ctx.db.write() as tx:
        message_id = outbox.queue_message(
            tx, "turn_near", PHONE, "ar",
            {"center": "مركز خدمة المواطن في بيروت", "number": "A-042", "ahead": 3}, env.clock(),
        )  # fmt: skip
    sender = env.sender(GammuModem(modem.device))
    try:
        assert sender.step()
    finally:
        sender.transport.close()
    row = env.row(message_id)
    assert (row["state"], row["parts"], row["parts_sent"]) == ("sent", 2, 2)
    assert row["modem_refs"] == ["1", "2"]  # what the modem answered: +CMGS: 1, +CMGS: 2
    parts = [decoded(pdu) for pdu in modem.sent]
    assert [p["Number"] for p in parts] == [PHONE, PHONE]
    assert {p["Coding"] for p in parts} == {"Unicode_No_Compression"}
    assert {p["UDH"]["ID8bit"] for p in parts} == {message_id % 256}
    assert "".join(p["Text"] for p in parts) == row["body"]
    assert all(_first_octet(pdu) & 0x20 for pdu in modem.sent)  # a delivery report is asked


def _first_octet(pdu: str) -> int:
    """The SMS-SUBMIT's first octet (after the SMS center's address): bit 0x20 asks a report."""
    smsc = int(pdu[:2], 16)
    return int(pdu[2 + 2 * smsc : 4 + 2 * smsc], 16)


def test_modem_faults_raise_alerts_and_nothing_is_lost(env: SmsEnv, modem: AtModem) -> None:
    env.consent()
    message_id = env.queue()
    modem.state.network = 0  # the SIM lost its network
    sender = env.sender(GammuModem(modem.device))
    try:
        assert not sender.step()
        assert "sms_modem_no_network" in open_alerts(env)
        assert env.row(message_id)["state"] == "queued"
        modem.state.network = 1
        env.clock.advance(1.1)  # a faulty modem is looked at every second
        assert sender.step()
        assert "sms_modem_no_network" not in open_alerts(env)
        assert env.row(message_id)["state"] == "sent"
    finally:
        sender.transport.close()


def test_a_missing_modem_is_an_alert(env: SmsEnv, tmp_path: Path) -> None:
    env.consent()
    message_id = env.queue()
    sender = env.sender(GammuModem(str(tmp_path / "ttyUSB9")))
    assert not sender.step()
    assert "sms_modem_absent" in open_alerts(env)
    assert env.row(message_id)["state"] == "queued"


def test_the_sms_center_refusing_retries_with_backoff_then_gives_up(
    env: SmsEnv, modem: AtModem
) -> None:
    env.consent()
    message_id = env.queue()
    modem.state.cms_error = 500  # the SMS center refuses (no credit, bad SMSC number)
    sender = env.sender(GammuModem(modem.device))
    try:
        sender.step()
        row = env.row(message_id)
        assert (row["state"], row["tries"], row["next_try_at"]) == ("queued", 1, env.clock() + 10)
        assert "sms_modem_rejected" in open_alerts(env)
        assert not sender.step()  # not due yet
        env.clock.advance(10)
        sender.step()
        assert env.row(message_id)["next_try_at"] == env.clock() + 20  # doubled
        env.clock.advance(20)
        sender.step()
        assert env.row(message_id)["state"] == "failed"
        assert "sms_given_up" in open_alerts(env)
        assert modem.sent == []
    finally:
        sender.transport.close()


def test_delivery_reports_and_citizens_messages_come_back_through_the_modem(
    env: SmsEnv, modem: AtModem
) -> None:
    """The modem keeps a status report per part and a citizen's messages on its SIM; Gammu reads
    them (AT+CPMS, AT+CMGL, AT+CMGR), the sender records delivery and answers, the SIM empties."""
    env.consent()
    message_id = env.queue()
    sender = env.sender(GammuModem(modem.device))
    try:
        assert sender.step()
        assert env.row(message_id)["state"] == "sent"
        modem.deliver(PHONE, "STOP")
        env.clock.advance(2)  # the modem is asked every 2 s
        sender.step()
        assert env.row(message_id)["state"] == "delivered"
        assert env.queue() is None  # STOP took effect
        [reply] = [m for m in outbox.messages(env.ctx.db.read()) if m["kind"] == "stopped"]
        assert reply["state"] == "sent"
        stop_reply = gammu.DecodePDU(bytes.fromhex(modem.sent[-1]), SMSC=True)
        assert stop_reply["Number"] == PHONE and "no more messages" in stop_reply["Text"]
        assert len(modem.stored) == 1  # the reply's own status report, read at the next turn
        env.clock.advance(2)
        sender.step()
        assert env.row(reply["id"])["state"] == "delivered"
        assert modem.stored == {}
    finally:
        sender.transport.close()


def test_every_sms_alert_has_its_title_on_the_dashboard() -> None:
    """The dashboard names an alert by ``web.alert_<kind>`` (else "Device fault")."""
    from nafitha.text import catalogs
    from server.sms.sender import FAULTS, GIVEN_UP, alert_kind

    for kind in [*map(alert_kind, FAULTS), GIVEN_UP]:
        assert f"web.alert_{kind}" in catalogs(), kind


def test_a_hung_modem_is_an_alert_within_seconds(env: SmsEnv, modem: AtModem) -> None:
    """A modem that stops answering keeps Gammu retrying a command for about 45 s; the watchdog
    raises the alert after STUCK_S while the call still hangs, and the message stays claimed."""
    import time

    from server.sms.sender import STUCK_S

    env.consent()
    first = env.queue()
    sender = env.sender(GammuModem(modem.device))
    sender.start()
    try:
        deadline = time.monotonic() + 60
        while env.row(first)["state"] != "sent":
            assert time.monotonic() < deadline, "the first message was not sent"
            time.sleep(0.05)
        modem.state.silent = True  # the modem hangs
        hung = env.queue(number="A-002")
        started = time.monotonic()
        while "sms_modem_absent" not in open_alerts(env):
            assert time.monotonic() - started < STUCK_S + 10, "no alert for a hung modem"
            time.sleep(0.1)
        assert env.row(hung)["state"] == "sending"  # handed over, unanswered: never sent twice
        assert sender.status()["state"] == "fault:absent"
    finally:
        sender.stop(timeout=1)
