"""The off-site replica's parts that need no Litestream running: settings, its log lines (as
Litestream 0.5.17 writes them), the state's lag and status, health's two views, the alerts, and
the writer leaving checkpoints to Litestream. End-to-end runs are in tests/replica/."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from nafitha.paths import ROOT
from nafitha.settings import ConfigError
from server.config import ReplicaSettings, load_server_settings
from server.replica import litestream
from server.replica.alerts import BEHIND, FAILING, ReplicaAlerts
from server.replica.state import ReplicaState, Tracker, read_state, state_path, write_state
from server.store.database import Database
from server.usecases.alerts import list_alerts
from tests.server.conftest import AppEnv, make_env

# Lines of Litestream 0.5.17 (logging type json, level debug), as it printed them here.
UPLOADED = (
    '{"time":"2026-11-29T07:38:56.211581167Z","level":"DEBUG","msg":"ltx file uploaded",'
    '"system":"store","db":"db.sqlite","replica":"file","level":0,"minTXID":"0000000000000001",'
    '"maxTXID":"000000000000001a","size":585}'
)
SYNC = (
    '{"time":"2026-11-29T07:38:56.209568994Z","level":"DEBUG","msg":"replica sync",'
    '"system":"store","db":"db.sqlite","replica":"file",'
    '"txid":{"replica":"0000000000000019","db":"000000000000001a"}}'
)
ERROR = (
    '{"time":"2026-11-29T07:40:01Z","level":"ERROR","msg":"monitor error","system":"store",'
    '"error":"write ltx file: connection reset by peer","consecutive_errors":1}'
)


def test_every_replica_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for name in ReplicaSettings.model_fields:
        assert f"`{name}`" in doc, f"ReplicaSettings.{name} is not in docs/configuration.md"


def test_a_replica_table_is_read_and_a_bad_url_refused(tmp_path: Path) -> None:
    good = tmp_path / "server.toml"
    good.write_text('[replica]\nurl = "s3://bucket/center?endpoint=http://127.0.0.1:9000"\n')
    settings = load_server_settings(good)
    assert settings.replica is not None and settings.replica.sync_interval_s == 0.5
    for url, reason in (
        ("http://example/x", "file://, s3:// or sftp://"),
        ("file://relative/x", "absolute path"),
        ("s3:///no-bucket", "bucket or host"),
    ):
        bad = tmp_path / "bad.toml"
        bad.write_text(f'[replica]\nurl = "{url}"\n')
        with pytest.raises(ConfigError) as caught:
            load_server_settings(bad)
        assert caught.value.key == "replica.url" and reason in caught.value.reason


def test_litestream_config_has_no_secret_and_the_child_gets_the_credentials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_CA_BUNDLE", "/etc/ssl/bundle.pem")
    settings = ReplicaSettings(
        url="s3://b/c?endpoint=http://127.0.0.1:9000",
        access_key_id="AKID",
        secret_access_key="s3cr3t-value",
        sync_interval_s=0.2,
    )
    config = litestream.config(settings, tmp_path / "nafitha.db", tmp_path / "ls.sock")
    assert "s3cr3t-value" not in str(config)
    assert config["dbs"][0]["replica"]["sync-interval"] == "200ms"
    env = litestream.environment(settings)
    assert env["AWS_SECRET_ACCESS_KEY"] == "s3cr3t-value" and "AWS_CA_BUNDLE" not in env
    assert litestream.redact("sftp://user:pw@host:22/p") == "sftp://user@host:22/p"


def test_litestream_lines_are_read() -> None:
    assert litestream.parse_line(UPLOADED) == litestream.Line("uploaded", replica_txid=0x1A)
    assert litestream.parse_line(SYNC) == litestream.Line("sync", replica_txid=0x19, db_txid=0x1A)
    error = litestream.parse_line(ERROR)
    assert error.kind == "error" and "connection reset" in (error.error or "")
    assert litestream.parse_line("not json").kind == "other"


def test_lag_is_the_age_of_the_oldest_local_transaction_not_replicated() -> None:
    tracker = Tracker("file:///r", alert_lag_s=5)
    tracker.started(pid=1, now=100.0)
    tracker.local(1, 100.0)
    tracker.line(litestream.Line("uploaded", replica_txid=1), 100.2)
    assert tracker.tick(100.3).status == "ok" and tracker.state.lag_s == 0
    tracker.local(2, 101.0)
    tracker.local(3, 102.0)
    assert tracker.tick(103.0).lag_s == 2.0  # txid 2, first seen at 101, waits
    tracker.line(litestream.Line("uploaded", replica_txid=2), 103.5)
    assert tracker.tick(104.0).lag_s == 2.0  # now txid 3, seen at 102
    assert tracker.tick(108.0).status == "behind"
    tracker.line(litestream.Line("uploaded", replica_txid=3), 108.1)
    state = tracker.tick(108.2)
    assert (state.status, state.lag_s, state.caught_up_at) == ("ok", 0.0, 108.2)


def test_an_error_fails_until_an_upload_or_a_caught_up_sync_and_an_exit_fails() -> None:
    tracker = Tracker("file:///r", alert_lag_s=5)
    tracker.started(pid=1, now=100.0)
    tracker.line(litestream.Line("sync", replica_txid=4, db_txid=4), 100.0)
    tracker.line(litestream.parse_line(ERROR), 101.0)
    state = tracker.tick(101.5)
    assert state.status == "failing" and "connection reset" in (state.error or "")
    tracker.line(litestream.Line("sync", replica_txid=4, db_txid=5), 102.0)
    assert tracker.tick(102.5).status == "failing"
    tracker.line(litestream.Line("uploaded", replica_txid=5), 103.0)
    assert tracker.tick(103.1).status == "ok" and tracker.state.error is None
    tracker.exited("litestream exited with status 1", 104.0)
    state = tracker.tick(104.5, wal_changed_at=104.2)
    assert (state.status, state.running, state.restarts) == ("failing", False, 1)
    assert tracker.tick(110.0, wal_changed_at=104.2).lag_s == 5.5  # a write it never saw


def test_a_state_nobody_updates_reads_as_failing(tmp_path: Path) -> None:
    path = state_path(tmp_path / "nafitha.db")
    write_state(path, ReplicaState(url="file:///r", status="ok", running=True, updated_at=100.0))
    assert read_state(path, 105.0).status == "ok"  # type: ignore[union-attr]
    stale = read_state(path, 200.0)
    assert stale is not None and stale.status == "failing" and "supervises" in (stale.error or "")


@pytest.fixture
def replicated_env(seeded_db: Path, tmp_path: Path):
    yield from make_env(seeded_db, tmp_path, replica=ReplicaSettings(url="file:///mnt/off/c"))


def test_health_shows_the_replica_status_to_anyone_and_its_details_to_staff(
    replicated_env: AppEnv,
) -> None:
    env = replicated_env
    state = ReplicaState(
        url="file:///mnt/off/c",
        status="failing",
        running=True,
        local_txid=9,
        replicated_txid=7,
        lag_s=12.5,
        error="write ltx file: no space left on device",
        updated_at=time.time(),
    )
    write_state(state_path(env.db_path), state)
    anyone = env.http.get("/api/v1/health").json()
    assert anyone["replica"] == {"status": "failing"}
    kiosk = env.http.get("/api/v1/health", headers=env.kiosk).json()
    assert kiosk["replica"] == {"status": "failing"}
    revoked = env.http.get("/api/v1/health", headers=env.headers("no-such-token"))
    assert revoked.status_code == 200 and revoked.json()["replica"] == {"status": "failing"}
    staff = env.http.get("/api/v1/health", headers=env.login("manager")).json()["replica"]
    assert staff["error"].endswith("no space left on device")
    assert (staff["replicated_txid"], staff["local_txid"], staff["lag_s"]) == (7, 9, 12.5)


def test_health_without_a_replica_says_nothing_of_it(app_env: AppEnv) -> None:
    assert "replica" not in app_env.http.get("/api/v1/health").json()


def test_replica_alerts_are_raised_once_and_resolved_when_it_is_back(
    replicated_env: AppEnv,
) -> None:
    ctx = replicated_env.ctx
    alerts = ReplicaAlerts(ctx)
    failing = ReplicaState(
        url="file:///r", status="failing", error="connection refused", updated_at=100.0
    )
    alerts(failing)
    assert not list_alerts(ctx)  # one failed upload on a flaky link pages nobody...
    alerts(ReplicaState(url="file:///r", status="ok", updated_at=101.0))
    alerts(failing)
    alerts(ReplicaState(**{**failing.to_json(), "updated_at": 104.9}))
    assert not list_alerts(ctx)
    failing.updated_at = 105.0
    alerts(failing)  # ...a failure lasting 5 s does
    alerts(failing)
    ReplicaAlerts(ctx, settle_s=0)(failing)  # a restarted server finds it open: no second one
    open_now = [a for a in list_alerts(ctx) if a["kind"] == FAILING]
    assert len(open_now) == 1 and "connection refused" in open_now[0]["message"]
    assert open_now[0]["actor"] == "system" and open_now[0]["device"] is None
    alerts(ReplicaState(url="file:///r", status="behind", lag_s=40, updated_at=106.0))
    assert FAILING not in {a["kind"] for a in list_alerts(ctx)}  # resolved at once
    alerts(ReplicaState(url="file:///r", status="behind", lag_s=45, updated_at=111.0))
    assert {a["kind"] for a in list_alerts(ctx)} == {BEHIND}
    alerts(ReplicaState(url="file:///r", status="ok", updated_at=112.0))
    assert not [a for a in list_alerts(ctx) if a["kind"].startswith("replica_")]
    resolved = [a for a in list_alerts(ctx, include_resolved=True) if a["kind"] == FAILING]
    assert resolved[0]["resolved_by"] == "system"


def test_with_a_replica_the_writer_leaves_checkpoints_to_litestream(tmp_path: Path) -> None:
    own = Database(tmp_path / "own.db")
    replicated = Database(tmp_path / "replicated.db", checkpoints=False)
    try:
        for db, expected in ((own, 1000), (replicated, 0)):
            with db.write() as tx:
                assert tx.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == expected
            assert db.read().execute("PRAGMA wal_autocheckpoint").fetchone()[0] == expected
    finally:
        own.close()
        replicated.close()


PUT = (
    '{"time":"2026-11-29T07:50:25.322189787Z","level":"DEBUG","msg":"s3 request","system":"store",'
    '"db":"db.sqlite","replica":"s3","s3":{"method":"PUT","url":"http://127.0.0.1:37845/replica/c/'
    '0000/0000000000000003-0000000000000003.ltx?x-id=PutObject","x-tigris-consistent":""}}'
)


def test_a_put_sent_again_before_its_upload_means_the_replica_does_not_answer() -> None:
    tracker = Tracker("s3://replica/c", alert_lag_s=5)
    tracker.started(pid=1, now=100.0)
    tracker.line(litestream.parse_line(PUT), 100.0)
    assert tracker.tick(100.1).error is None  # one attempt: in flight
    tracker.line(litestream.parse_line(PUT), 100.5)
    state = tracker.tick(100.6)
    assert state.status == "failing"
    assert state.error == (
        "the replica does not answer: sending /replica/c/0000/"
        "0000000000000003-0000000000000003.ltx?x-id=PutObject again (attempt 2)"
    )
    tracker.line(litestream.Line("uploaded", replica_txid=3), 120.0)
    assert tracker.tick(120.1).error is None


def test_a_replica_silent_since_the_start_fails_after_a_grace() -> None:
    tracker = Tracker("s3://replica/c", alert_lag_s=5)
    tracker.started(pid=1, now=100.0)
    assert tracker.tick(120.0).status == "starting"
    state = tracker.tick(131.0)
    assert state.status == "failing" and "not answered since Litestream started 31 s" in (
        state.error or ""
    )
    tracker.line(litestream.Line("sync", replica_txid=0, db_txid=0), 140.0)
    tracker.line(litestream.Line("uploaded", replica_txid=1), 140.5)
    assert tracker.tick(141.0).status == "ok"


def test_the_parts_of_one_multipart_upload_are_not_retries() -> None:
    tracker = Tracker("s3://replica/c", alert_lag_s=5)
    tracker.started(pid=1, now=100.0)
    for part in (1, 2, 3):
        tracker.line(
            litestream.parse_line(PUT.replace("x-id=PutObject", f"partNumber={part}&uploadId=u")),
            100.0 + part,
        )
    assert tracker.tick(140.0).status == "starting"  # a long first snapshot, not a silent replica


def test_while_litestream_is_down_the_supervisor_checkpoints_a_grown_wal(tmp_path: Path) -> None:
    from server.replica.supervisor import FALLBACK_CHECKPOINT_PAGES, Supervisor

    db = Database(tmp_path / "nafitha.db", checkpoints=False)  # as the server runs replicated
    try:
        with db.write() as tx:
            tx.execute("CREATE TABLE t (v BLOB)")
            for _ in range(FALLBACK_CHECKPOINT_PAGES + 200):
                tx.execute("INSERT INTO t VALUES (zeroblob(4000))")
        before = db.path.stat().st_size
        supervisor = Supervisor(ReplicaSettings(url="file:///mnt/off/c"), db.path)
        supervisor._fallback_checkpoint()
        assert db.path.stat().st_size > before + FALLBACK_CHECKPOINT_PAGES * 4000
    finally:
        db.close()
