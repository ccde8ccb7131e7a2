"""The hash chain detects an edited, a deleted and a truncated event; so does the CLI."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import sqlite_utils

from server.store.events import event_hash, verify_chain
from tests.server.conftest import AppEnv
from tests.support.cli import run_nafitha


def fill(app_env: AppEnv) -> None:
    clerk = app_env.login("clerk1", counter="c1")
    for _ in range(4):
        app_env.issue()
    ticket = app_env.http.post("/api/v1/counters/c1/next", headers=clerk).json()
    app_env.http.post(f"/api/v1/tickets/{ticket['id']}/start", headers=clerk)


def check(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        _, problems = verify_chain(sqlite_utils.Database(conn))
    finally:
        conn.close()
    return [p.reason for p in problems]


def tamper(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql)
    conn.commit()
    conn.close()


def audit_cli(path: Path) -> subprocess.CompletedProcess[str]:
    return run_nafitha("audit", "verify", "--db", str(path))


def test_intact_chain_verifies(app_env: AppEnv) -> None:
    fill(app_env)
    assert check(app_env.db_path) == []
    result = audit_cli(app_env.db_path)
    assert result.returncode == 0 and "chain intact" in result.stdout


def test_edited_event_is_detected(app_env: AppEnv) -> None:
    fill(app_env)
    event_id = (
        app_env.ctx.db.read()
        .execute("SELECT id FROM events WHERE kind = 'ticket_called'")
        .fetchone()[0]
    )
    tamper(app_env.db_path, f"UPDATE events SET actor = 'clerk2' WHERE id = {event_id}")
    assert any("edited" in r for r in check(app_env.db_path))
    result = audit_cli(app_env.db_path)
    assert result.returncode == 1 and f"event {event_id}:" in result.stdout


def test_deleted_event_is_detected(app_env: AppEnv) -> None:
    fill(app_env)
    tamper(app_env.db_path, "DELETE FROM events WHERE kind = 'ticket_called'")
    reasons = check(app_env.db_path)
    assert any("missing" in r for r in reasons) and any("link" in r for r in reasons)
    assert audit_cli(app_env.db_path).returncode == 1


def test_rehashed_edit_still_breaks_the_next_link(app_env: AppEnv) -> None:
    """Re-hashing the edited event is not enough: the next event points at the old hash."""
    fill(app_env)

    conn = sqlite3.connect(app_env.db_path)
    conn.row_factory = sqlite3.Row
    row = dict(conn.execute("SELECT * FROM events WHERE kind = 'ticket_called'").fetchone())
    row["actor"] = "clerk2"
    conn.execute(
        "UPDATE events SET actor = ?, hash = ? WHERE id = ?",
        ["clerk2", event_hash(row["prev_hash"], row), row["id"]],
    )
    conn.commit()
    conn.close()
    assert any("link" in r for r in check(app_env.db_path))


def test_deleting_the_newest_events_is_detected(app_env: AppEnv) -> None:
    fill(app_env)
    tamper(app_env.db_path, "DELETE FROM events WHERE id >= (SELECT max(id) - 1 FROM events)")
    assert any("from the end" in r for r in check(app_env.db_path))
