"""The head is signed in the background after N events and at shutdown, exported to the heads file,
and shown to auditors by the API."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from nafitha.chain import SignedHead, load_public_key, verify_head
from server.usecases.audit_keys import PUBLIC_KEY
from tests.server.conftest import AppEnv, make_env
from tests.support.cli import run_nafitha
from tests.support.server import running_server

EVERY = 5


def heads_in(path: Path) -> list[SignedHead]:
    if not path.exists():
        return []
    return [SignedHead.from_json(json.loads(line)) for line in path.read_text().splitlines()]


def wait_for_head(path: Path, at_least: int, timeout: float = 60.0) -> SignedHead:
    """The first head in the file signing event ``at_least`` or later (polled, with a deadline)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [h for h in heads_in(path) if h.seq >= at_least]
        if found:
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"no head >= {at_least} in {path} after {timeout} s: {heads_in(path)}")


def head_id(env: AppEnv) -> int:
    return int(env.ctx.db.read().execute("SELECT max(id) FROM events").fetchone()[0])


def test_the_head_is_signed_after_n_events_without_a_request_waiting(
    seeded_db: Path, tmp_path: Path
) -> None:
    for env in make_env(seeded_db, tmp_path, audit_sign_events=EVERY, audit_sign_s=3600):
        start = head_id(env)
        for _ in range(EVERY + 1):
            env.issue()  # each answer came back before any signature was taken
        path = tmp_path / "chain-heads.jsonl"
        head = wait_for_head(path, start + EVERY)
        key = load_public_key((tmp_path / "keys" / PUBLIC_KEY).read_text())
        assert verify_head(key, head)
        stored = (
            env.ctx.db.read()
            .execute("SELECT hash FROM events WHERE id = ?", [head.seq])
            .fetchone()[0]
        )
        assert stored == head.hash
        signed = (
            env.ctx.db.read()
            .execute("SELECT count(*) FROM events WHERE kind = 'chain_signed'")
            .fetchone()[0]
        )
        assert signed == 1
        env.issue()
        last = head_id(env)
    # stopping the server signs what was written since
    assert heads_in(path)[-1].seq == last


def test_a_quiet_center_signs_its_head_after_audit_sign_s(seeded_db: Path, tmp_path: Path) -> None:
    for env in make_env(seeded_db, tmp_path, audit_sign_events=10_000, audit_sign_s=1):
        env.issue()
        issued = head_id(env)
        head = wait_for_head(tmp_path / "chain-heads.jsonl", issued)
        assert head.seq == issued


def test_auditors_read_the_signed_heads_and_ask_for_one(app_env: AppEnv) -> None:
    app_env.issue()
    manager = app_env.login("manager")
    clerk = app_env.login("clerk1", counter="c1")
    assert app_env.http.get("/api/v1/audit/heads", headers=clerk).status_code == 403
    assert app_env.http.get("/api/v1/audit/heads").status_code == 401
    before = app_env.http.get("/api/v1/audit/heads", headers=manager).json()
    assert before["heads"] == [] and before["head"]["seq"] > 0
    signed = app_env.http.post("/api/v1/audit/heads", headers=manager).json()
    assert signed["signed"] is True and signed["head"]["seq"] == before["head"]["seq"]
    again = app_env.http.post("/api/v1/audit/heads", headers=manager).json()
    assert again == {"signed": False, "head": signed["head"]}
    after = app_env.http.get("/api/v1/audit/heads", headers=manager).json()
    assert after["heads"] == [signed["head"]]
    key = load_public_key(after["public_key"])
    assert verify_head(key, SignedHead.from_json(after["heads"][0]))
    assert after["key"] == signed["head"]["key"]


def test_two_worker_processes_sign_each_head_once_and_at_shutdown(tmp_path: Path) -> None:
    """Real processes: both workers' signers race; each head is signed and exported once."""
    settings = tmp_path / "server.toml"
    settings.write_text(f"audit_sign_events = {EVERY}\naudit_sign_s = 3600\n")
    data = tmp_path / "center"
    with running_server(data, workers=2, extra_args=["--config", str(settings)]) as server:
        kiosk = server.client(server.kiosk_token)
        clerk = server.login("clerk1", counter="c1")
        for _ in range(3 * EVERY):
            kiosk.issue_ticket("civil-extract")
        wait_for_head(data / "chain-heads.jsonl", 3 * EVERY)
        clerk.call_next("c1")  # written after the last signature: signed at shutdown
    heads = heads_in(data / "chain-heads.jsonl")
    seqs = [h.seq for h in heads]
    assert seqs == sorted(set(seqs))
    conn = sqlite3.connect(data / "nafitha.db")
    signed = [row[0] for row in conn.execute("SELECT data FROM events WHERE kind = 'chain_signed'")]
    last_called = conn.execute("SELECT max(id) FROM events WHERE kind = 'ticket_called'").fetchone()
    conn.close()
    assert [json.loads(d)["seq"] for d in signed] == seqs
    assert seqs[-1] >= last_called[0]
    result = run_nafitha("audit", "verify", "--db", str(data / "nafitha.db"))
    assert result.returncode == 0, result.stdout
