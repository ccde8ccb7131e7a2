"""A real `nafitha server` process: live events with resume, online backup, client errors."""

from __future__ import annotations

import signal
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from tests.support.cli import run_nafitha
from tests.support.server import RunningServer, start_server


def test_live_events_carry_calls_and_resume_after_last_event_id(
    demo_server: RunningServer,
) -> None:
    kiosk = demo_server.client(demo_server.kiosk_token)
    clerk = demo_server.login("clerk2", counter="c2")
    first = kiosk.issue_ticket("family-extract")
    clerk.call_next("c2")
    events = list(_take(demo_server.client().events(last_event_id=0), "ticket_called", 1))
    called = events[-1]
    assert called["data"]["ticket"] == first["number"]
    assert called["data"]["counter"]["number"] == 2
    assert "clerk" not in called["data"] and "actor" not in called["data"]
    clerk.ticket_action(first["id"], "finish")
    second = kiosk.issue_ticket("family-extract")
    clerk.call_next("c2")
    # A board that saw `called` reconnects with its id and gets what it missed, in order.
    resumed = list(
        _take(demo_server.client().events(last_event_id=called["id"]), "ticket_called", 1)
    )
    assert resumed[0]["id"] == called["id"] + 1
    assert [e["event"] for e in resumed][-1] == "ticket_called"
    assert resumed[-1]["data"]["ticket"] == second["number"]


def test_events_arrive_live_to_a_waiting_subscriber(demo_server: RunningServer) -> None:
    got: list[dict] = []
    listening = threading.Event()  # set once the stream has delivered: it exists and is followed
    kiosk = demo_server.client(demo_server.kiosk_token)

    def listen() -> None:
        for event in demo_server.client().events(read_timeout=20):
            got.append(event)
            listening.set()
            if event.get("event") == "ticket_issued" and event["data"].get("ticket") == target:
                return

    target = ""
    thread = threading.Thread(target=listen)
    thread.start()
    deadline = time.monotonic() + 20
    while not listening.wait(0.2):  # tickets until the stream shows one: then it is live
        assert time.monotonic() < deadline, "the stream never delivered an event"
        kiosk.issue_ticket("id-card")
    ticket = kiosk.issue_ticket("id-card")
    target = ticket["number"]
    thread.join(20)
    assert not thread.is_alive(), "the ticket issued while subscribed never arrived"
    assert got[-1]["event"] == "ticket_issued" and got[-1]["data"]["ticket"] == target


def _take(stream, kind: str, count: int):
    seen = 0
    for event in stream:
        yield event
        if event.get("event") == kind:
            seen += 1
            if seen == count:
                return


def test_backup_of_a_running_server_is_consistent(
    demo_server: RunningServer,
    tmp_path: Path,
) -> None:
    kiosk = demo_server.client(demo_server.kiosk_token)
    for _ in range(20):
        kiosk.issue_ticket("civil-extract")
    dest = tmp_path / "copy.db"
    result = run_nafitha("backup", str(dest), "--db", str(demo_server.db))
    assert result.returncode == 0, result.stderr
    copy = sqlite3.connect(dest)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM tickets").fetchone()[0] >= 20
    copy.close()
    audit = run_nafitha("audit", "verify", "--db", str(dest))
    assert audit.returncode == 0, audit.stdout
    again = run_nafitha("backup", str(dest), "--db", str(demo_server.db))
    assert again.returncode == 1 and "exists" in again.stderr


def test_retried_issue_with_one_key_makes_one_ticket(demo_server: RunningServer) -> None:
    kiosk = demo_server.client(demo_server.kiosk_token)
    one = kiosk.issue_ticket("criminal-record", idempotency_key="same-key")
    two = kiosk.issue_ticket("criminal-record", idempotency_key="same-key")
    assert one["id"] == two["id"]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_server_with_live_streams_open_stops_on_sigterm(tmp_path: Path, workers: int) -> None:
    """Boards keep a stream open all day; a stop (systemd, Ctrl+C) must still end the server."""
    server = start_server(tmp_path, workers=workers)
    streams = []
    try:
        for _ in range(3):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            sock.sendall(b"GET /api/v1/events HTTP/1.1\r\nHost: x\r\n\r\n")
            assert sock.recv(4096).startswith(b"HTTP/1.1 200")
            streams.append(sock)
        server.process.send_signal(signal.SIGTERM)  # the main process only, as systemd does
        # uvicorn stops gracefully, then re-raises the signal it caught (one worker: -SIGTERM)
        assert server.process.wait(timeout=15) in (0, -signal.SIGTERM)
        for sock in streams:  # each stream was ended by the server, not cut off at a timeout
            received = b""
            while chunk := sock.recv(4096):
                received += chunk
            assert received.endswith(b"0\r\n\r\n")  # the last chunk of a finished answer
    finally:
        for sock in streams:
            sock.close()
        server.kill()
