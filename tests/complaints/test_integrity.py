"""A complaint cannot quietly disappear: rows deleted, edited or slipped in are flagged."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from server.usecases.complaints_integrity import check_complaints
from tests.complaints.conftest import AppEnv
from tests.support.cli import run_nafitha


def filed_and_answered(env: AppEnv) -> list[str]:
    boss = env.login("manager")
    references = []
    for text in ("The toilets are locked", "Nobody answers the phone"):
        body = {"kind": "complaint", "about": "center", "text": text}
        references.append(env.http.post("/api/v1/complaints", json=body).json()["reference"])
    first = references[0]
    env.http.post(
        f"/api/v1/complaints/{first}/status", json={"status": "under_review"}, headers=boss
    )
    env.http.post(f"/api/v1/complaints/{first}/answer", json={"text": "Fixed."}, headers=boss)
    return [r.replace("-", "") for r in references]


def problems(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        _checked, found = check_complaints(sqlite_utils.Database(conn))
    finally:
        conn.close()
    return [f"{p.reference}: {p.reason}" for p in found]


def tamper(path: Path, sql: str, params: tuple[object, ...] = ()) -> None:
    conn = sqlite3.connect(path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def test_intact_complaints_verify(app_env: AppEnv) -> None:
    filed_and_answered(app_env)
    assert problems(app_env.db_path) == []
    result = run_nafitha("audit", "verify", "--db", str(app_env.db_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_deleted_complaint_is_flagged_by_audit_verify(app_env: AppEnv) -> None:
    first, _second = filed_and_answered(app_env)
    tamper(app_env.db_path, "DELETE FROM complaints WHERE reference = ?", (first,))
    tamper(app_env.db_path, "DELETE FROM complaint_steps WHERE reference = ?", (first,))
    assert problems(app_env.db_path) == [f"{first}: the row was deleted: its events remain"]
    result = run_nafitha("audit", "verify", "--db", str(app_env.db_path))
    assert result.returncode == 1 and f"complaint {first}: the row was deleted" in result.stdout


def test_an_edited_text_answer_or_status_is_flagged(app_env: AppEnv) -> None:
    first, second = filed_and_answered(app_env)
    edit = "UPDATE complaints SET {} WHERE reference = ?"
    tamper(app_env.db_path, edit.format("answer = 'We never said that'"), (first,))
    tamper(app_env.db_path, edit.format("text = 'all fine', status = 'closed'"), (second,))
    found = problems(app_env.db_path)
    assert found == [
        f"{first}: row differs from its last event: answer_sha256",
        f"{second}: row differs from its last event: status, text_sha256",
    ]
    result = run_nafitha("audit", "verify", "--db", str(app_env.db_path))
    assert result.returncode == 1 and f"complaint {second}" in result.stdout


def test_an_edited_phone_is_flagged_with_the_digest_key(app_env: AppEnv) -> None:
    """The answer would go to someone else's number: the keyed digest in the chain shows it."""
    body = {"kind": "complaint", "about": "center", "text": "Call me back", "anonymous": False,
            "phone": "71 123 456"}  # fmt: skip
    filed = app_env.http.post("/api/v1/complaints", json=body)
    assert filed.status_code == 201, filed.text
    reference = filed.json()["reference"].replace("-", "")
    assert problems(app_env.db_path) == []
    result = run_nafitha("audit", "verify", "--db", str(app_env.db_path))
    assert result.returncode == 0, result.stdout + result.stderr
    tamper(app_env.db_path, "UPDATE complaints SET phone = '+96171999999' WHERE reference = ?",
           (reference,))  # fmt: skip
    assert problems(app_env.db_path) == []  # without the key only "a phone was given" is known
    result = run_nafitha("audit", "verify", "--db", str(app_env.db_path))
    assert result.returncode == 1, result.stdout
    assert f"complaint {reference}: row differs from its last event: phone_hmac" in result.stdout


def test_a_row_slipped_in_or_a_step_removed_is_flagged(app_env: AppEnv) -> None:
    first, _second = filed_and_answered(app_env)
    tamper(
        app_env.db_path,
        "INSERT INTO complaints (reference, kind, about, channel, filed_at, deadline_at, due_day,"
        " updated_at) VALUES ('ZZZZZZZZZ', 'complaint', 'center', 'phone', 0, 0, '2026-01-01', 0)",
    )
    tamper(app_env.db_path, "DELETE FROM complaint_steps WHERE reference = ? AND seq = 2", (first,))
    assert sorted(problems(app_env.db_path)) == [
        f"{first}: its steps do not match its events",
        "ZZZZZZZZZ: no event records this complaint (inserted)",
    ]
