"""Forging the log needs the signing key and the records kept outside the database.

Each test plays someone who can open the database file: they edit what they like and re-hash the
chain with the project's own function, or cut its tail. ``nafitha audit verify`` must say so,
naming the event, and exit 1.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

from server.store.events import verify_chain
from server.usecases.audit_heads import sign_now
from server.usecases.audit_keys import heads_file
from tests.server.conftest import AppEnv
from tests.support.chain import rehash
from tests.support.cli import run_nafitha


def work(env: AppEnv, tickets: int = 4) -> int:
    """Some tickets issued, one called and started; the id of the ticket being served."""
    clerk = env.login("clerk1", counter="c1")
    for _ in range(tickets):
        env.issue()
    ticket = env.http.post("/api/v1/counters/c1/next", headers=clerk).json()
    assert env.http.post(f"/api/v1/tickets/{ticket['id']}/start", headers=clerk).status_code == 200
    return int(ticket["id"])


def sign(env: AppEnv) -> tuple[int, str]:
    """Sign the head now; (seq, hash) of the signed head."""
    done = sign_now(env.ctx)
    assert done is not None
    return done[1].seq, done[1].hash


def verify(env: AppEnv, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_nafitha("audit", "verify", "--db", str(env.db_path), *extra)


def sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def chain_alone_passes(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        import sqlite_utils

        return verify_chain(sqlite_utils.Database(conn))[1] == []
    finally:
        conn.close()


def called_event(env: AppEnv) -> int:
    row = env.ctx.db.read().execute("SELECT id FROM events WHERE kind = 'ticket_called'")
    return int(row.fetchone()[0])


def test_an_intact_log_with_signed_heads_verifies(app_env: AppEnv) -> None:
    work(app_env)
    sign(app_env)
    result = verify(app_env)
    assert result.returncode == 0, result.stdout
    assert "chain intact, signatures valid, tables match" in result.stdout
    assert "1 heads kept outside the database checked" in result.stdout


def test_an_edit_rehashed_with_the_projects_function_breaks_the_signature(
    app_env: AppEnv,
) -> None:
    work(app_env)
    sign(app_env)
    edited = called_event(app_env)
    sql(app_env.db_path, f"UPDATE events SET actor = 'clerk2' WHERE id = {edited}")
    rehash(app_env.db_path)
    assert chain_alone_passes(app_env.db_path)  # the hash chain alone is fooled
    heads_file(app_env.ctx.settings).unlink()  # even with no record outside the database
    result = verify(app_env)
    assert result.returncode == 1
    assert "re-hashed after it was signed" in result.stdout
    assert "FAILED" in result.stdout


def test_an_edit_rehashed_without_its_signatures_is_caught_by_the_heads_file(
    app_env: AppEnv,
) -> None:
    work(app_env)
    seq, digest = sign(app_env)
    edited = called_event(app_env)
    sql(
        app_env.db_path,
        f"UPDATE events SET actor = 'clerk2' WHERE id = {edited}",
        "DELETE FROM events WHERE kind = 'chain_signed'",
    )
    rehash(app_env.db_path)
    result = verify(app_env)
    assert result.returncode == 1
    assert "the log was rewritten up to it" in result.stdout
    assert "chain-heads.jsonl:1" in result.stdout
    # an auditor's note of the head catches it as well, with the heads file gone
    heads_file(app_env.ctx.settings).unlink()
    noted = verify(app_env, "--head", f"{seq}:{digest}")
    assert noted.returncode == 1 and f"--head {seq}:{digest}" in noted.stdout
    # and with no record outside the database at all, the report says what it cannot rule out
    blind = verify(app_env)
    assert blind.returncode == 0 and "WARNING: no head kept outside the database" in blind.stdout


def test_a_cut_tail_is_caught_by_the_heads_file_and_by_head(app_env: AppEnv) -> None:
    work(app_env)
    seq, digest = sign(app_env)
    kept = seq - 3
    sql(
        app_env.db_path,
        f"DELETE FROM events WHERE id > {kept}",
        f"UPDATE sqlite_sequence SET seq = {kept} WHERE name = 'events'",
    )
    assert chain_alone_passes(app_env.db_path)
    result = verify(app_env)
    assert result.returncode == 1
    assert f"events {kept + 1}..{seq} were cut off" in result.stdout
    heads_file(app_env.ctx.settings).unlink()
    noted = verify(app_env, "--head", f"{seq}:{digest}")
    assert noted.returncode == 1 and "were cut off" in noted.stdout


def test_a_ticket_row_edited_in_sqlite_is_named(app_env: AppEnv) -> None:
    serving = work(app_env)
    number = (
        app_env.ctx.db.read()
        .execute("SELECT number FROM tickets WHERE id = ?", [serving])
        .fetchone()[0]
    )
    sql(app_env.db_path, f"UPDATE tickets SET state = 'done' WHERE id = {serving}")
    result = verify(app_env)
    assert result.returncode == 1
    assert f"ticket {serving} ({number}" in result.stdout
    assert "state is 'done' in the table, 'serving' by the events" in result.stdout


def test_a_reprint_count_edited_in_sqlite_is_named(app_env: AppEnv) -> None:
    """The kiosk's cap on reprints reads ``tickets.reprints``: lowered behind the log's back, a
    ticket could be printed again past the cap; raised, refused. Either edit is named."""
    serving = work(app_env)
    waiting = app_env.issue()
    for _ in range(2):
        answer = app_env.http.post(
            "/api/v1/tickets/reprint", json={"number": waiting["number"]}, headers=app_env.kiosk
        )
        assert answer.status_code == 200, answer.text
    assert verify(app_env).returncode == 0
    sql(
        app_env.db_path,
        f"UPDATE tickets SET reprints = 0 WHERE id = {waiting['id']}",
        f"UPDATE tickets SET reprints = 3 WHERE id = {serving}",
    )
    result = verify(app_env)
    assert result.returncode == 1
    assert "reprints is 0 in the table, 2 by the events" in result.stdout
    assert "reprints is 3 in the table, 0 by the events" in result.stdout


def test_a_ticket_row_added_behind_the_logs_back_is_named(app_env: AppEnv) -> None:
    work(app_env)
    sql(
        app_env.db_path,
        "INSERT INTO tickets (day, prefix, seq, number, service, priority, state, public_token,"
        " issued_at) VALUES ('2026-11-23', 'Z', 1, 'Z-001', 'civil-extract', 1, 'waiting', 'x',"
        " 0)",
    )
    result = verify(app_env)
    assert result.returncode == 1 and "(Z-001, 2026-11-23): in the table, but no event" in (
        result.stdout
    )


def test_the_heads_file_holds_only_what_the_center_signed(app_env: AppEnv) -> None:
    """A line added to the heads file without the key is refused, not trusted."""
    work(app_env)
    sign(app_env)
    path = heads_file(app_env.ctx.settings)
    line = json.loads(path.read_text().splitlines()[0])
    line["seq"] += 100
    with path.open("a") as out:
        out.write(json.dumps(line) + "\n")
    result = verify(app_env)
    assert result.returncode == 1 and "does not verify (forged or edited)" in result.stdout


def test_a_heads_file_gone_while_the_log_holds_signatures_fails(app_env: AppEnv) -> None:
    work(app_env)
    seq, digest = sign(app_env)
    heads_file(app_env.ctx.settings).unlink()
    result = verify(app_env)
    assert result.returncode == 1 and "the heads file is missing" in result.stdout
    assert verify(app_env, "--head", f"{seq}:{digest}").returncode == 0


def test_an_event_edited_into_unreadable_data_is_reported_not_a_crash(app_env: AppEnv) -> None:
    work(app_env)
    edited = called_event(app_env)
    sql(app_env.db_path, f"UPDATE events SET data = '{{not json' WHERE id = {edited}")
    result = verify(app_env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"event {edited}: content does not match its hash (edited)" in result.stdout
