"""A real center's day for the hub's tests: tickets and files driven through its HTTP API, and its
event log read back from its SQLite file as the relay would send it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from nafitha.harness.server import RunningServer
from nafitha.national.wire import encode
from nafitha.paths import ROOT
from nafitha.replay import FILE_COLUMNS, HISTORY_COLUMNS, TICKET_COLUMNS

SERVER_TOML = "no_show_after_s = 0\naudit_sign_events = 1000000\naudit_sign_s = 86400\n"
CITIZEN = {"name": "رنا الحلبي", "national_id": "01020304050", "phone": "+963 944 000 111"}


def server_toml(folder: Path) -> Path:
    path = folder / "server.toml"
    path.write_text(SERVER_TOML)
    return path


def audit(db: Path, *action: str) -> str:
    """``nafitha audit ACTION --db db`` at the center; its output."""
    done = subprocess.run(
        [sys.executable, "-m", "nafitha.cli", "audit", *action, "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def drive_tickets(server: RunningServer) -> None:
    """Issue, call, recall, serve, no-show, transfer and cancel tickets at counters c1 and c2."""
    kiosk = server.client(server.kiosk_token)
    c1 = server.login("clerk1", counter="c1")
    c2 = server.login("clerk2", counter="c2")
    issued = [kiosk.issue_ticket("civil-extract", priority=(i == 3)) for i in range(6)]
    issued.append(kiosk.issue_ticket("family-extract"))
    first = c1.call_next("c1")
    c1.ticket_action(first["id"], "start")
    c1.ticket_action(first["id"], "finish")
    second = c1.call_next("c1")
    c1.ticket_action(second["id"], "recall")
    c1.ticket_action(second["id"], "no-show")
    third = c2.call_next("c2")
    c2.ticket_action(third["id"], "transfer", service="criminal-record", counter="c1")
    fourth = c2.call_next("c2")
    c2.ticket_action(fourth["id"], "start")
    c2.ticket_action(fourth["id"], "finish")
    c1.ticket_action(issued[-1]["id"], "cancel", reason="left")
    moved = c1.call_next("c1")
    c1.ticket_action(moved["id"], "start")


def drive_files(server: RunningServer) -> list[str]:
    """Open three files (one from a ticket) and move them through stages; their references."""
    kiosk = server.client(server.kiosk_token)
    clerk = server.login("clerk2", counter="c2")
    manager = server.login("manager")
    kiosk.issue_ticket("civil-extract")
    called = clerk.call_next("c2")
    clerk.ticket_action(called["id"], "start")
    opened = [
        clerk.open_file("civil-extract", CITIZEN, [0, 1], ticket=called["id"], note="first"),
        clerk.open_file("civil-extract", {"name": "Omar"}, [0]),
        clerk.open_file("passport-new", {"name": "Lina", "phone": "+961 3 123"}, [0, 1, 2, 3]),
    ]
    refs = [f["reference"] for f in opened]
    clerk.move_file(refs[0], "document-check")
    clerk.move_file(refs[0], "registry", note="to the register")
    manager.move_file(refs[0], "signature")
    clerk.move_file(refs[1], "missing_documents", missing=[1, "a recent photo"])
    clerk.move_file(refs[2], "document-check")
    manager.move_file(refs[2], "cancelled", reason="citizen withdrew")
    clerk.ticket_action(called["id"], "finish")
    return refs


def _rows(db: Path, query: str) -> list[dict[str, Any]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(query)]
    finally:
        conn.close()


def center_events(db: Path) -> list[dict[str, Any]]:
    return _rows(db, "SELECT * FROM events ORDER BY id")


def relayed(center: str, db: Path) -> list[bytes]:
    """Every event of the center's log encoded as its relay sends it (personal data of a
    ``file_opened`` event taken from the ``files`` table)."""
    people = {
        f["reference"]: {"name": f["citizen_name"], "national_id": f["national_id"],
                         "phone": f["phone"]}
        for f in _rows(db, "SELECT reference, citizen_name, national_id, phone FROM files")
    }  # fmt: skip
    out = []
    for event in center_events(db):
        personal = None
        if event["kind"] == "file_opened":
            personal = people.get(json.loads(event["data"])["reference"])
        out.append(encode(center, event, personal))
    return out


def center_tickets(db: Path) -> dict[int, dict[str, Any]]:
    rows = _rows(db, f"SELECT id, {', '.join(TICKET_COLUMNS)} FROM tickets")
    return {r.pop("id"): r for r in rows}


def center_files(db: Path) -> dict[str, dict[str, Any]]:
    rows = _rows(db, f"SELECT reference, {', '.join(FILE_COLUMNS)} FROM files")
    return {r.pop("reference"): r for r in rows}


def center_people(db: Path) -> dict[str, dict[str, Any]]:
    rows = _rows(db, "SELECT reference, citizen_name, national_id, phone FROM files")
    return {r.pop("reference"): r for r in rows}


def center_history(db: Path) -> dict[str, dict[str, Any]]:
    columns = ", ".join(f'"{c}"' for c in HISTORY_COLUMNS)
    rows = _rows(db, f"SELECT reference, seq, {columns} FROM file_history")
    return {f"{r.pop('reference')}#{r.pop('seq')}": r for r in rows}
