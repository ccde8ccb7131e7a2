"""A visit through three counters on a real server process: submit at counter 4, pay at the
cashier (counter 11), collect at counter 5. One number throughout; the history (events table)
and what the board is told (the live stream and ``GET /api/v1/board``) follow the citizen."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from tests.support.server import running_server


def test_a_visit_passes_three_counters_and_the_board_calls_it_to_each(tmp_path: Path) -> None:
    with running_server(tmp_path) as server:
        kiosk = server.client(server.kiosk_token)
        ticket = kiosk.issue_ticket("passport-new", idempotency_key=str(uuid.uuid4()))
        number = ticket["number"]
        clerks = {
            c: server.login(f"clerk{n}", counter=c) for c, n in (("c4", 4), ("c11", 11), ("c5", 5))
        }
        board = server.client()
        outcomes = {"c4": "served", "c11": "served", "c5": "served"}
        notes = {"c4": "fee: 50 000", "c11": "receipt 7781", "c5": None}
        for step, counter in enumerate(("c4", "c11", "c5"), start=1):
            called = clerks[counter].call_next(counter)
            assert called is not None and called["id"] == ticket["id"]
            assert (called["number"], called["step"], called["steps"]) == (number, step, 3)
            latest = board.request("GET", "/api/v1/board")["calls"][0]
            assert (latest["number"], latest["counter"]) == (number, counter)
            body = {"outcome": outcomes[counter]}
            if notes[counter]:
                body["note"] = notes[counter]
            after = clerks[counter].ticket_action(ticket["id"], "finish", **body)
            assert after["number"] == number
            if step < 3:
                assert after["state"] == "waiting" and after["note"] == notes[counter]
                # between the steps the board shows the ticket at no counter
                numbers = [c["number"] for c in board.request("GET", "/api/v1/board")["calls"]]
                assert number not in numbers
            else:
                assert (after["state"], after["outcome"]) == ("done", "served")

        # what the live stream told every board, replayed from the first event
        seen = []
        for event in board.events(last_event_id=0, read_timeout=10):
            data = event.get("data") or {}
            if data.get("ticket") == number:
                seen.append(
                    (data["kind"], (data.get("counter") or {}).get("number"), data["state"])
                )
            if sum(1 for s in seen if s[0] == "ticket_finish") == 3:
                break
        calls = [(k, c) for k, c, _s in seen if k == "ticket_called"]
        assert calls == [("ticket_called", 4), ("ticket_called", 11), ("ticket_called", 5)]
        moves = [s for s in seen if s[0] == "ticket_next_step"]
        assert moves == [("ticket_next_step", None, "waiting")] * 2

    # the history, from the database the server left
    db = sqlite3.connect(tmp_path / "nafitha.db")
    rows = db.execute(
        "SELECT kind, counter, json_extract(data, '$.to_service'), json_extract(data, '$.step'),"
        " json_extract(data, '$.outcome') FROM events WHERE ticket_id = ? ORDER BY id",
        [ticket["id"]],
    ).fetchall()
    db.close()
    assert [r[0] for r in rows] == [
        "ticket_issued",
        *["ticket_called", "ticket_start", "ticket_finish", "ticket_next_step"] * 2,
        "ticket_called",
        "ticket_start",
        "ticket_finish",
    ]
    moves = [(r[1], r[2], r[3]) for r in rows if r[0] == "ticket_next_step"]
    assert moves == [("c4", "cashier", 2), ("c11", "passport-collect", 3)]
    finishes = [(r[1], r[3], r[4]) for r in rows if r[0] == "ticket_finish"]
    assert finishes == [("c4", 1, "served"), ("c11", 2, "served"), ("c5", 3, "served")]
