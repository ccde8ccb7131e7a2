"""The tickets, files and file history tables equal their replay from the events, through every
action; a row edited behind the log's back is named; seeded demo history is checked as blocks.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlite_utils

from server.demo.history import seed_history
from server.usecases.audit_verify import verify
from server.usecases.context import SYSTEM
from tests.server.conftest import AppEnv
from tests.server.test_files_overdue import move, open_file
from tests.support.chain import rehash


def problems(env: AppEnv) -> list[str]:
    conn = sqlite3.connect(env.db_path)
    try:
        report = verify(sqlite_utils.Database(conn), env.ctx.audit.public, [], env.ctx.audit.digest)
    finally:
        conn.close()
    return [p.text for p in report.problems]


def canonical(printed: str) -> str:
    return printed.replace("-", "")


def post(env: AppEnv, path: str, who: dict[str, str], **body: Any) -> dict[str, Any]:
    answer = env.http.post(path, json=body or None, headers=who)
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def every_action(env: AppEnv) -> str:
    """Tickets through call, recall, no-show and its undo, start, finish (implied start),
    transfer, cancel; a file opened for a ticket and moved (missing documents and back)."""
    clerk = env.login("clerk1", counter="c1")
    manager = env.login("manager")
    for _ in range(5):
        env.issue()
    env.issue(priority=True)
    first = post(env, "/api/v1/counters/c1/next", clerk)
    post(env, f"/api/v1/tickets/{first['id']}/recall", clerk)
    post(env, f"/api/v1/tickets/{first['id']}/no-show", clerk)
    post(env, f"/api/v1/tickets/{first['id']}/undo-no-show", clerk)
    post(env, f"/api/v1/tickets/{first['id']}/finish", clerk)  # finish implies start
    second = post(env, "/api/v1/counters/c1/next", clerk)
    post(env, f"/api/v1/tickets/{second['id']}/start", clerk)
    post(env, f"/api/v1/tickets/{second['id']}/transfer", clerk, counter="c2")
    third = post(env, "/api/v1/counters/c1/next", clerk)
    post(env, f"/api/v1/tickets/{third['id']}/cancel", clerk, reason="left")
    waiting = env.issue()
    post(env, f"/api/v1/tickets/{waiting['id']}/cancel", manager, reason="duplicate")
    fourth = post(env, "/api/v1/counters/c1/next", clerk)
    answer = env.http.post(
        "/api/v1/files",
        json={
            "service": "civil-extract",
            "citizen": {"name": "سمير", "national_id": "12345", "phone": "0999 000 111"},
            "documents_received": [0],
            "ticket": fourth["id"],
        },
        headers=clerk,
    )
    assert answer.status_code == 201, answer.text
    reference = answer.json()["reference"]
    env.clock.advance(600)
    move(env, clerk, reference, "document-check")
    move(env, clerk, reference, "missing_documents", missing=[1])
    env.clock.advance(600)
    move(env, clerk, reference, "document-check")
    other = open_file(env, clerk, "passport-new", [0, 1, 2, 3])
    move(env, manager, other, "cancelled", reason="withdrawn")
    return reference


def test_every_action_replays_to_the_tables(app_env: AppEnv) -> None:
    every_action(app_env)
    assert problems(app_env) == []


def test_a_file_row_edited_in_sqlite_is_named(app_env: AppEnv) -> None:
    reference = every_action(app_env)
    conn = sqlite3.connect(app_env.db_path)
    conn.execute("UPDATE files SET stage = 'ready' WHERE reference = ?", [canonical(reference)])
    conn.commit()
    conn.close()
    found = problems(app_env)
    assert len(found) == 1
    assert found[0].startswith(f"file {canonical(reference)}: stage is 'ready' in the table")


def test_a_file_history_entry_edited_in_sqlite_is_named(app_env: AppEnv) -> None:
    """The history's append-only trigger is no defence against the file's owner: drop it."""
    reference = canonical(every_action(app_env))
    conn = sqlite3.connect(app_env.db_path)
    conn.execute("DROP TRIGGER file_history_append_only_update")
    conn.execute(
        "UPDATE file_history SET by = 'manager' WHERE reference = ? AND seq = 2", [reference]
    )
    conn.commit()
    conn.close()
    (found,) = problems(app_env)
    assert found.startswith(f"file history {reference}#2: by is 'manager' in the table")


def test_personal_data_edited_in_sqlite_is_named(app_env: AppEnv) -> None:
    reference = every_action(app_env)
    conn = sqlite3.connect(app_env.db_path)
    conn.execute(
        "UPDATE files SET national_id = '54321' WHERE reference = ?", [canonical(reference)]
    )
    conn.commit()
    conn.close()
    found = problems(app_env)
    assert len(found) == 1 and "name, national id or phone differ" in found[0]
    assert canonical(reference) in found[0]


def test_seeded_history_is_checked_as_blocks(app_env: AppEnv) -> None:
    summary = seed_history(app_env.ctx, SYSTEM, 2, scale=0.05)
    assert summary["tickets"] > 0
    assert problems(app_env) == []
    conn = sqlite3.connect(app_env.db_path)
    conn.execute("UPDATE tickets SET clerk = 'x' WHERE id = (SELECT min(id) FROM tickets)")
    conn.commit()
    conn.close()
    found = problems(app_env)
    assert len(found) == 1 and "seeded by event" in found[0] and "were changed since" in found[0]


def test_demo_history_seeded_before_blocks_is_noted_not_failed(app_env: AppEnv) -> None:
    """A demo database from before: its history_seeded event names only the days."""
    seed_history(app_env.ctx, SYSTEM, 2, scale=0.05)
    conn = sqlite3.connect(app_env.db_path)
    conn.execute(
        "UPDATE events SET data = json_remove(data, '$.blocks') WHERE kind = 'history_seeded'"
    )
    conn.commit()
    conn.close()
    rehash(app_env.db_path)
    conn = sqlite3.connect(app_env.db_path)
    try:
        report = verify(sqlite_utils.Database(conn), None, [], None)
    finally:
        conn.close()
    assert report.problems == []
    assert any("before its rows were digested" in note for note in report.notes)


def test_history_seeded_as_events_replays_ticket_by_ticket(app_env: AppEnv) -> None:
    """The national demo's past days: every seeded ticket has its own events, in time order."""
    summary = seed_history(app_env.ctx, SYSTEM, 2, scale=0.05, as_events=True)
    assert summary["tickets"] > 0
    conn = sqlite3.connect(app_env.db_path)
    kinds = dict(conn.execute("SELECT kind, count(*) FROM events GROUP BY kind").fetchall())
    ats = [r[0] for r in conn.execute("SELECT at FROM events WHERE kind LIKE 'ticket_%'")]
    conn.close()
    assert kinds["ticket_issued"] == summary["tickets"]
    assert kinds["ticket_finish"] > 0 and kinds["ticket_called"] >= kinds["ticket_finish"]
    assert ats == sorted(ats)
    assert problems(app_env) == []
    conn = sqlite3.connect(app_env.db_path)
    conn.execute("UPDATE tickets SET clerk = 'x' WHERE id = (SELECT min(id) FROM tickets)")
    conn.commit()
    conn.close()
    found = problems(app_env)
    assert len(found) == 1 and "clerk" in found[0]
