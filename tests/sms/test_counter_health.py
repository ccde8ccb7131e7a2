"""The modem's health as the counters and the dashboard see it, caused for real: ``nafitha server``
with two worker processes (one runs the sender, the other stands by) and Gammu on the pty modem.
The SIM losing its network, the SMS center refusing (no credit), the SIM taken out and the modem
hanging each show in ``GET /api/v1/health`` (whichever worker answers) and on the dashboard's alert
list within seconds; the queue goes on meanwhile and no message is lost (docs/sms.md, "Health")."""

from __future__ import annotations

import os
import time
from pathlib import Path

import requests

from nafitha.harness.at_modem import AtModem
from nafitha.harness.server import RunningServer, running_server
from server.process_lock import try_lock
from server.sms.health import sms_health
from server.sms.sender import sender_lock_path
from server.store import outbox
from server.store.database import Database
from server.usecases.alerts import sync_system_alert
from tests.sms.conftest import SmsEnv

PHONE = "+9613123456"


def wait_for(condition, timeout: float, what: str) -> float:
    """Seconds until ``condition()`` held (polled), or AssertionError after ``timeout``."""
    began = time.monotonic()
    while not condition():
        if time.monotonic() - began > timeout:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)
    return time.monotonic() - began


def settings_file(folder: Path, device: str) -> Path:
    path = folder / "server.toml"
    path.write_text(
        f'[sms]\nmode = "gammu"\ndevice = "{device}"\nquiet_start = 00:00:00\n'
        "quiet_end = 00:00:00\npoll_s = 0.05\nretry_after_s = 1\nmax_tries = 50\n",
        encoding="utf-8",
    )
    return path


def health_states(server: RunningServer, asks: int = 6) -> set[str]:
    """``health.sms.state`` as several requests get it (each may reach either worker)."""
    found = set()
    for _ in range(asks):
        with requests.Session() as session:  # a new connection: any worker may take it
            body = session.get(f"{server.url}/api/v1/health", timeout=10).json()
        found.add(body["sms"]["state"])
    return found


def queue(db_path: Path, number: str) -> int:
    db = Database(db_path)
    try:
        now = time.time()
        with db.write() as tx:
            outbox.record_consent(tx, PHONE, now, "clerk1", "en", now + 86_400)
            found = outbox.queue_message(
                tx, "called", PHONE, "en", {"center": "Demo", "number": number, "counter": 2}, now
            )
        assert found is not None
        return found
    finally:
        db.close()


def state_of(db_path: Path, message_id: int) -> str:
    db = Database(db_path)
    try:
        row = outbox.message(db.read(), message_id)
        assert row is not None
        return str(row["state"])
    finally:
        db.close()


def test_modem_faults_reach_every_worker_and_the_dashboard_within_seconds(
    tmp_path: Path,
) -> None:
    with AtModem() as modem:
        config = settings_file(tmp_path, modem.device)
        with running_server(
            tmp_path / "data", workers=2, extra_args=["--config", str(config)]
        ) as server:
            manager = server.login("manager")
            kiosk = server.client(server.kiosk_token)
            clerk = server.login("clerk1", counter="c1")

            def alerts() -> set[str]:
                return {a["kind"] for a in manager.alerts()}

            taken: dict[str, float] = {}
            taken["connected"] = wait_for(
                lambda: health_states(server) == {"connected"}, 60, "the modem connected"
            )

            # the SIM loses its network: every worker says so, the dashboard lists it
            modem.state.network = 0
            taken["no_network"] = wait_for(
                lambda: health_states(server) == {"fault:no_network"}, 30, "no network"
            )
            assert "sms_modem_no_network" in alerts()
            message = queue(server.db, "A-001")
            ticket = kiosk.issue_ticket("civil-extract")  # the queue goes on
            assert ticket["number"]
            assert state_of(server.db, message) == "queued"  # waits, not lost
            modem.state.network = 1
            wait_for(
                lambda: state_of(server.db, message) in ("sent", "delivered"), 30, "sent once back"
            )
            wait_for(lambda: health_states(server) == {"connected"}, 30, "connected again")
            assert "sms_modem_no_network" not in alerts()

            # the SMS center refuses (no credit): seen at the next message
            modem.state.cms_error = 500
            message = queue(server.db, "A-002")
            taken["rejected"] = wait_for(
                lambda: health_states(server) == {"fault:rejected"}, 30, "the SMS center refusing"
            )
            assert "sms_modem_rejected" in alerts()
            assert state_of(server.db, message) == "queued"  # tried again later
            modem.state.cms_error = None
            wait_for(
                lambda: state_of(server.db, message) in ("sent", "delivered"),
                30,
                "sent once accepted",
            )
            wait_for(lambda: "sms_modem_rejected" not in alerts(), 30, "the alert resolved")

            # the SIM taken out: "absent" until it is back
            modem.state.sim = ""
            taken["no_sim"] = wait_for(
                lambda: health_states(server) == {"fault:absent"}, 30, "the SIM missing"
            )
            assert "sms_modem_absent" in alerts()
            modem.state.sim = "READY"
            wait_for(lambda: health_states(server) == {"connected"}, 30, "the SIM back")
            wait_for(lambda: "sms_modem_absent" not in alerts(), 30, "the alert resolved")

            # the modem hangs (answers nothing): the watchdog says "absent" while Gammu still
            # waits, and a clerk calls the next ticket meanwhile (the queue never waits on it).
            # Last: Gammu gives up on a silent modem only after minutes (docs/sms.md).
            modem.state.silent = True
            taken["hung"] = wait_for(
                lambda: health_states(server) == {"fault:absent"}, 40, "the hung modem"
            )
            assert "sms_modem_absent" in alerts()
            called = clerk.call_next("c1")
            assert called is not None and called["number"] == ticket["number"]
    print("seconds until every worker said it:", {k: round(v, 1) for k, v in taken.items()})


def test_a_standby_worker_answers_from_the_senders_alerts(sms_env: SmsEnv) -> None:
    """Another process holds the sender's lock: this one stands by, and its health answer comes
    from the alerts the active sender keeps in the shared database."""
    env = sms_env
    held = try_lock(sender_lock_path(env.ctx.db.path))  # the other worker, the sender
    assert held is not None
    sender = env.sender()
    sender.start()
    try:
        wait_for(lambda: sender.status()["state"] == "standby", 10, "the standby")
        assert sms_health(env.ctx, sender) == {"state": "connected"}
        sync_system_alert(env.ctx, "sms_modem_no_network", True, "no network / بلا شبكة")
        assert sms_health(env.ctx, sender) == {"state": "fault:no_network"}
        sync_system_alert(env.ctx, "sms_modem_no_network", False, "")
        assert sms_health(env.ctx, sender) == {"state": "connected"}
    finally:
        sender.stop(timeout=2)
        os.close(held)
