"""``nafitha server`` with an ``[sms]`` table and Gammu on a pty modem: SIGKILL in the middle of
sending, restart, and every message reaches the modem at most once (docs/sms.md, the crash rule)."""

from __future__ import annotations

import time
from pathlib import Path

import gammu
import requests

from nafitha.harness.at_modem import AtModem
from nafitha.harness.server import running_server
from server.store import outbox
from server.store.database import Database

COUNT = 12


def phone(n: int) -> str:
    return f"+961310{n:04d}"


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def settings_file(folder: Path, device: str) -> Path:
    path = folder / "server.toml"
    path.write_text(
        "[sms]\n"
        'mode = "gammu"\n'
        f'device = "{device}"\n'
        "quiet_start = 00:00:00\n"  # equal: no quiet hours, whatever the time the test runs
        "quiet_end = 00:00:00\n"
        "poll_s = 0.05\n",
        encoding="utf-8",
    )
    return path


def queue_all(db_path: Path) -> list[int]:
    db = Database(db_path)
    try:
        now = time.time()
        ids = []
        with db.write() as tx:
            for n in range(COUNT):
                outbox.record_consent(tx, phone(n), now, "clerk1", "en", now + 86_400)
                params = {"center": "Demo", "number": f"A-{n:03d}", "counter": 2}
                ids.append(outbox.queue_message(tx, "called", phone(n), "en", params, now))
        return ids
    finally:
        db.close()


def states(db_path: Path) -> dict[int, tuple[str, str | None]]:
    db = Database(db_path)
    try:
        return {m["id"]: (m["state"], m["error"]) for m in outbox.messages(db.read())}
    finally:
        db.close()


def test_sigkill_in_the_middle_of_sending_sends_nothing_twice(tmp_path: Path) -> None:
    with AtModem() as modem:
        modem.state.send_delay_s = 0.1  # the network takes its time with each part
        modem.state.hold_from = 4  # the fourth part gets no answer until the server is killed
        config = settings_file(tmp_path, modem.device)
        with running_server(tmp_path / "data", extra_args=["--config", str(config)]) as server:
            queue_all(server.db)
            wait_until(lambda: modem.pdus_received == 4, 60, "the fourth message at the modem")
            assert modem.sent_count() == 3  # the fourth is in the middle of sending
            server.kill()
            modem.state.release.set()  # the network did take the part: the modem sent it
            wait_until(lambda: modem.sent_count() == 4, 10, "the modem to finish the part")
            after_kill = states(server.db)
            assert sorted(s for s, _ in after_kill.values()).count("sending") == 1
            restarted = server.restart()
            try:
                wait_until(
                    lambda: all(s != "queued" for s, _ in states(server.db).values()),
                    90,
                    "the outbox to empty",
                )
                wait_until(lambda: modem.sent_count() >= COUNT, 30, "every message sent")
                health = requests.get(f"{restarted.url}/api/v1/health", timeout=10).json()
                assert health["sms"] == {"state": "connected"}
            finally:
                restarted.stop()
    texts = [gammu.DecodePDU(bytes.fromhex(pdu), SMSC=True) for pdu in modem.sent]
    numbers = [t["Number"] for t in texts]
    assert len(numbers) == len(set(numbers)) == COUNT  # each number got its message once
    final = states(server.db)
    interrupted = [i for i, (s, e) in final.items() if (s, e) == ("failed", "interrupted")]
    assert len(interrupted) == 1  # the one the kill caught: the modem did send it, never again
    assert sum(s in ("sent", "delivered") for s, _ in final.values()) == COUNT - 1


def test_two_worker_processes_run_one_sender(tmp_path: Path) -> None:
    """Each worker process starts a sender; the lock beside the database lets one send."""
    folder = tmp_path / "modem"
    config = tmp_path / "server.toml"
    config.write_text(
        f'[sms]\nmode = "folder"\nfolder = "{folder}"\nquiet_start = 00:00:00\n'
        "quiet_end = 00:00:00\npoll_s = 0.05\n",
        encoding="utf-8",
    )
    with running_server(
        tmp_path / "data", workers=2, extra_args=["--config", str(config)]
    ) as server:
        ids = queue_all(server.db)
        wait_until(
            lambda: all(s in ("sent", "delivered") for s, _ in states(server.db).values()),
            60,
            "every message sent",
        )
    sent = sorted(p.name for p in (folder / "sent").glob("*.txt"))
    assert sent == sorted(f"{i:08d}_{phone(n)}.txt" for n, i in enumerate(ids))
    assert all(row["tries"] == 1 for row in _rows(server.db))


def _rows(db_path: Path) -> list[dict]:
    db = Database(db_path)
    try:
        return outbox.messages(db.read())
    finally:
        db.close()
