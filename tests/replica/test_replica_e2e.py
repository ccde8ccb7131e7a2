"""The off-site replica on real parts: ``nafitha server`` with Litestream 0.5.17, a file replica
and a real S3-compatible server (moto) on 127.0.0.1, the building lost (SIGKILL, data folder
deleted), ``nafitha restore`` on another folder, ``nafitha audit verify``, the server started
again; the replica's link cut and restored under a running server."""

from __future__ import annotations

import concurrent.futures
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nafitha.client import Client
from nafitha.harness.s3 import ACCESS_KEY, SECRET_KEY, s3_server
from nafitha.harness.server import RunningServer, start_server
from nafitha.harness.tcp_proxy import TcpProxy
from nafitha.paths import ROOT
from tests.replica.conftest import Sftp

SERVICE = "civil-extract"  # prefix A


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nafitha.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def replica_details(staff: Client) -> dict[str, Any]:
    return staff.request("GET", "/api/v1/health")["replica"]


def wait_for(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(0.2)
    raise AssertionError(f"{what} within {timeout}s (last: {last})")


def wait_caught_up(staff: Client, after: float, timeout: float = 30) -> dict[str, Any]:
    """The replica holds every transaction written before ``after`` (Litestream has read the
    WAL several times since, and nothing local waits)."""

    def caught_up() -> dict[str, Any] | None:
        state = replica_details(staff)
        done = (
            state["status"] == "ok"
            and state["lag_s"] == 0
            and (state["caught_up_at"] or 0) > after + 1.0
            and (state["replicated_txid"] or 0) >= (state["local_txid"] or 1)
        )
        return state if done else None

    return wait_for(caught_up, timeout, "the replica caught up")


def issue(kiosk: Client, count: int) -> list[str]:
    return [kiosk.issue_ticket(SERVICE)["number"] for _ in range(count)]


def litestream_pids(config: Path) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv and argv[0].endswith(b"litestream") and str(config).encode() in argv:
            found.append(int(proc.name))
    return found


def restored_numbers(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT number FROM tickets ORDER BY id")]
    finally:
        conn.close()


def restore_and_check(
    source: str,
    data: Path,
    keys: Path,
    issued: list[str],
    env: dict[str, str] | None = None,
    extra: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """Restore into ``data``: the same tickets, audit verify passes, the server starts and
    numbering goes on past a margin (tickets printed just before the loss may be missing)."""
    done = cli(
        "restore", "--from", source, "--data", str(data), "--keys", str(keys), *extra, env=env
    )
    assert done.returncode == 0, done.stderr
    assert f"{len(issued)} tickets (the last {issued[-1]}" in done.stdout
    assert restored_numbers(data / "nafitha.db") == issued
    last = int(issued[-1].split("-")[1])
    assert f"A {last}→{last + 50}" in done.stdout, done.stdout
    with sqlite3.connect(data / "nafitha.db") as conn:
        skipped = [json.loads(d) for (d,) in conn.execute(
            "SELECT data FROM events WHERE kind = 'numbering_skipped'")]  # fmt: skip
    assert {"prefix": "A", "from": last, "to": last + 50, "reason": "restore"}.items() <= next(
        s for s in skipped if s["prefix"] == "A"
    ).items()
    verified = cli("audit", "verify", "--db", str(data / "nafitha.db"))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    server = start_server(data, seed=False)
    try:
        following = server.client(server.kiosk_token).issue_ticket(SERVICE)["number"]
        assert following == f"A-{last + 51:03d}"  # never a number a lost ticket may hold
    finally:
        server.stop()
    return done


def test_file_replica_under_load_with_two_workers_survives_the_building(tmp_path: Path) -> None:
    replica = tmp_path / "offsite"
    server = start_server(
        tmp_path / "center", workers=2, extra_args=["--replica", f"file://{replica}"]
    )
    config = server.db.with_name("nafitha.db.replica.yml")
    try:
        assert len(wait_for(lambda: litestream_pids(config), 20, "litestream started")) == 1
        staff = server.login("manager")
        kiosks = [server.client(server.kiosk_token) for _ in range(6)]
        wal = server.db.with_name("nafitha.db-wal")
        salts = {wal.read_bytes()[16:24]}
        issued: list[str] = []
        # Load: six kiosks at once through both workers, while Litestream checkpoints the WAL
        # (the server's own connections do not) and holds the write lock around each checkpoint.
        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            for _ in range(12):
                issued += [n for batch in pool.map(lambda k: issue(k, 6), kiosks) for n in batch]
                salts.add(wal.read_bytes()[16:24])
        last_ack = time.time()
        state = wait_caught_up(staff, last_ack)
        salts.add(wal.read_bytes()[16:24])
        assert len(issued) == 432 and state["error"] is None and state["restarts"] == 0
        assert len(salts) > 1, "the WAL never restarted: nobody checkpointed it"
        assert len(litestream_pids(config)) == 1  # one per database, whatever the workers
        keys = shutil.copytree(server.db.parent / "keys", tmp_path / "keys-kept-apart")
        assert cli("audit", "sign", "--db", str(server.db)).returncode == 0
        wait_caught_up(staff, time.time())
        head = server.db.with_name("chain-heads.jsonl").read_text().splitlines()[-1]
        # a copy of the heads kept elsewhere, with one head signed after the replica's last
        # transaction (the building burnt in between): it is set aside, not trusted or dropped
        later = head.replace('"seq": ', '"seq": 1000000', 1)
        heads = tmp_path / "heads-kept-apart.jsonl"
        heads.write_text(f"{head}\n{later}\n")
    finally:
        server.kill()  # the building is gone: every process SIGKILLed...
    wait_for(lambda: not litestream_pids(config), 10, "litestream gone with the server")
    shutil.rmtree(tmp_path / "center")  # ...and the data folder with it
    issued.sort(key=lambda n: int(n.split("-")[1]))
    done = restore_and_check(
        f"file://{replica}", tmp_path / "elsewhere", keys, issued, extra=("--heads", str(heads))
    )
    assert "1 signed chain heads" in done.stdout and "WARNING: 1 signed heads" in done.stdout
    assert (tmp_path / "elsewhere" / "chain-heads.lost.jsonl").read_text() == later + "\n"


def test_s3_replica_cut_off_raises_the_alert_and_catches_up(tmp_path: Path) -> None:
    with s3_server() as s3, TcpProxy(s3.port) as link:
        settings = tmp_path / "server.toml"
        settings.write_text(
            "[replica]\n"
            f'url = "{s3.url("beirut-1", port=link.port)}"\n'
            f'access_key_id = "{ACCESS_KEY}"\nsecret_access_key = "{SECRET_KEY}"\n'
            "sync_interval_s = 0.2\nalert_lag_s = 5\n"
        )
        server = start_server(tmp_path / "center", extra_args=["--config", str(settings)])
        try:
            staff = server.login("manager")
            kiosk = server.client(server.kiosk_token)
            issued = issue(kiosk, 5)
            wait_caught_up(staff, time.time())
            link.cut()  # the replica's server is gone (connections reset, new ones refused)
            issued += issue(kiosk, 5)  # the center goes on: nothing waits for the replica
            failing = wait_for(
                lambda: (s := replica_details(staff))["status"] == "failing" and s, 60, "failing"
            )
            assert failing["error"] and failing["lag_s"] > 0
            assert failing["replicated_txid"] < failing["local_txid"]
            alert = wait_for(
                lambda: [a for a in staff.alerts() if a["kind"] == "replica_failing"], 10, "alert"
            )
            assert "beirut-1" in alert[0]["message"] and alert[0]["actor"] == "system"
            status = cli("status", "--config", str(settings), "--url", server.url, "--db",
                         str(server.db))  # fmt: skip
            assert status.returncode == 1 and "failing" in status.stdout, status.stdout
            assert "last error" in status.stdout
            link.restore()
            wait_caught_up(staff, time.time(), timeout=60)
            assert not [a for a in staff.alerts() if a["kind"].startswith("replica_")]
            resolved = [a for a in staff.alerts(True) if a["kind"] == "replica_failing"]
            assert resolved[0]["resolved_by"] == "system"
            status = cli("status", "--config", str(settings), "--url", server.url, "--db",
                         str(server.db))  # fmt: skip
            assert status.returncode == 0 and ": ok," in status.stdout, status.stdout
            keys = shutil.copytree(server.db.parent / "keys", tmp_path / "keys-kept-apart")
        finally:
            server.kill()
        shutil.rmtree(tmp_path / "center")
        restore_and_check(s3.url("beirut-1"), tmp_path / "elsewhere", keys, issued, env=s3.env())


def test_litestream_is_restarted_when_it_dies_and_dies_with_the_server(tmp_path: Path) -> None:
    server: RunningServer = start_server(
        tmp_path / "center", extra_args=["--replica", f"file://{tmp_path / 'offsite'}"]
    )
    config = server.db.with_name("nafitha.db.replica.yml")
    try:
        staff = server.login("manager")
        first = wait_for(lambda: litestream_pids(config), 20, "litestream started")[0]
        os.kill(first, signal.SIGKILL)
        state = wait_for(
            lambda: (s := replica_details(staff))["restarts"] >= 1 and s["running"] and s,
            20,
            "litestream restarted",
        )
        assert state["pid"] != first and litestream_pids(config) == [state["pid"]]
        kiosk = server.client(server.kiosk_token)
        before = issue(kiosk, 2)
        wait_caught_up(staff, time.time())
        moment = time.time()
        time.sleep(1)
        issue(kiosk, 2)
        wait_caught_up(staff, time.time())
        second = cli(
            "server", "--db", str(server.db), "--port", "1", "--replica", "file:///elsewhere"
        )
        assert second.returncode == 2 and "already replicated" in second.stderr
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(moment)) + f"{moment % 1:.3f}"[1:]
        # the new box's settings: their own database name and key folder are kept
        settings = tmp_path / "server.toml"
        settings.write_text(
            f'db = "{tmp_path / "earlier" / "center.db"}"\n'
            f'audit_keys = "{tmp_path / "earlier-keys"}"\n'
            f'[replica]\nurl = "file://{tmp_path / "offsite"}"\n'
        )
        earlier = cli(
            "restore", "--config", str(settings), "--data", str(tmp_path / "earlier"),
            "--keys", str(server.db.parent / "keys"), "--timestamp", stamp + "Z",
        )  # fmt: skip
        assert earlier.returncode == 0, earlier.stderr
        assert restored_numbers(tmp_path / "earlier" / "center.db") == before
        assert (tmp_path / "earlier-keys" / "chain-signing.key").stat().st_mode & 0o777 == 0o600
        verified = cli("audit", "verify", "--config", str(settings))
        assert verified.returncode == 0, verified.stdout + verified.stderr
        os.kill(server.process.pid, signal.SIGKILL)  # the server alone, not its process group
        wait_for(lambda: not litestream_pids(config), 10, "litestream gone with its server")
    finally:
        server.kill()


def test_restore_refuses_a_used_folder_missing_keys_and_a_bad_time(tmp_path: Path) -> None:
    used = tmp_path / "used"
    used.mkdir()
    (used / "x").write_text("x")
    answer = cli("restore", "--from", "file:///nowhere", "--data", str(used), "--without-keys")
    assert answer.returncode == 2 and "not empty" in answer.stderr
    answer = cli("restore", "--from", "file:///nowhere", "--data", str(tmp_path / "new"))
    assert answer.returncode == 2 and "--keys" in answer.stderr
    answer = cli(
        "restore", "--from", "file:///nowhere", "--data", str(tmp_path / "n"), "--without-keys",
        "--timestamp", "not-a-time",
    )  # fmt: skip
    assert answer.returncode == 2 and "not-a-time" in answer.stderr


def test_the_demo_runs_with_a_replica(tmp_path: Path) -> None:
    from nafitha.harness.ports import free_port, wait_for_http

    port = free_port()
    replica = tmp_path / "offsite"
    demo = subprocess.Popen(
        [sys.executable, "-m", "nafitha.cli", "demo", "--no-gui", "--history", "0",
         "--port", str(port), "--data", str(tmp_path / "demo"), "--replica", f"file://{replica}"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_http(url + "/api/v1/health", timeout=60)
        staff = Client(url)
        staff.login("manager", "demo")
        Client(url, token="demo-kiosk-1").issue_ticket(SERVICE)
        wait_caught_up(staff, time.time())
        assert list((replica / "ltx").iterdir())
    finally:
        os.killpg(demo.pid, signal.SIGTERM)
        demo.wait(timeout=30)


def test_sftp_replica_survives_the_building(tmp_path: Path, sftp_server: Sftp) -> None:
    settings = tmp_path / "server.toml"
    settings.write_text(
        f'[replica]\nurl = "{sftp_server.url(tmp_path / "offsite")}"\n'
        f'sftp_key_path = "{sftp_server.key}"\nsftp_host_key = "{sftp_server.host_key}"\n'
    )
    server = start_server(tmp_path / "center", extra_args=["--config", str(settings)])
    try:
        issued = issue(server.client(server.kiosk_token), 4)
        state = wait_caught_up(server.login("manager"), time.time())
        assert state["url"] == sftp_server.url(tmp_path / "offsite")
        keys = shutil.copytree(server.db.parent / "keys", tmp_path / "keys-kept-apart")
    finally:
        server.kill()
    shutil.rmtree(tmp_path / "center")
    done = cli(
        "restore", "--config", str(settings), "--data", str(tmp_path / "elsewhere"),
        "--keys", str(keys),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert restored_numbers(tmp_path / "elsewhere" / "nafitha.db") == issued


def test_a_litestream_that_cannot_start_is_retried_and_says_why(tmp_path: Path) -> None:
    from server.config import ReplicaSettings
    from server.replica.state import read_state
    from server.replica.supervisor import Supervisor

    db = tmp_path / "nafitha.db"
    sqlite3.connect(db).close()
    broken = ReplicaSettings(url="sftp://nobody@127.0.0.1:1/x", sftp_key_path=tmp_path / "no-key")
    supervisor = Supervisor(broken, db).start()
    try:
        state = wait_for(
            lambda: (s := read_state(supervisor.state_file, time.time())) and s.restarts >= 2 and s,
            15,
            "two restarts",
        )
        # between restarts the state stays fresh: it reads as failing for its own reason
        assert state.status == "failing" and time.time() - state.updated_at < 2
        assert "exited with status 1: Error: cannot open store" in (state.error or "")
    finally:
        supervisor.stop()
    assert not litestream_pids(supervisor.config_file)
