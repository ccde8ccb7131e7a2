"""The counter calls a chosen waiting ticket out of order with a reason from the center's list,
on a real server; the reason reaches the integrity report by name, the clerk's note only the
audit log."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from counter.screens.call_chosen import matches, reason_text
from tests.support.server import running_server

pytestmark = pytest.mark.gui


def shown(app) -> set[str]:
    return set(app.app.call("names"))


def test_typed_numbers_match_tickets() -> None:
    assert matches("A-012", "a-012") and matches("A-012", "12") and matches("A-012", "A12")
    assert not matches("A-012", "B12") and not matches("A-012", "13")
    assert matches("A-012", "")
    assert reason_text("appointment", "  booked  by phone ") == "appointment: booked by phone"
    assert reason_text("special_needs", "") == "special_needs"


def test_the_clerk_calls_a_chosen_ticket_with_a_reason(tmp_path: Path, counters) -> None:
    with running_server(tmp_path / "server") as server:
        kiosk = server.client(server.kiosk_token)
        tickets = [kiosk.issue_ticket("civil-extract") for _ in range(3)]
        chosen = tickets[2]
        app = counters(server.url, "c1")
        app.login("clerk1", server.password)
        app.press("c")
        app.wait(lambda s: s["screen"] == "call_chosen", "the call-chosen screen")
        names = [f"ticket_{t['id']}" for t in tickets]
        app.app.wait_for(lambda: {*names, "reason_other"} <= shown(app), what="the choices")

        # "other" needs a note; a ticket must be chosen first
        app.tap("confirm")
        app.wait(lambda s: s["notice_kind"] == "error", "choose a ticket")
        app.fill("number", chosen["number"].split("-")[1])  # "003": the paper's digits
        app.app.wait_for(
            lambda: {n for n in shown(app) if n.startswith("ticket_")} == {names[2]},
            what="only the typed ticket",
        )
        app.tap("reason_other")
        app.tap("confirm")
        state = app.wait(lambda s: s["notice_kind"] == "error", "a note for other")
        assert state["screen"] == "call_chosen"

        app.tap("reason_special_needs")
        app.fill("note", "wheelchair, Mr Samir Khoury")
        app.shots_both("call-chosen")
        app.tap("confirm")
        state = app.wait(
            lambda s: s["screen"] == "serve" and s["ticket"].get("number") == chosen["number"],
            "the chosen ticket called",
        )
        assert state["ticket"]["state"] == "called"

        conn = sqlite3.connect(f"file:{server.db}?mode=ro", uri=True)
        data = conn.execute(
            "SELECT data FROM events WHERE kind = 'ticket_called_out_of_order'"
            " ORDER BY id DESC LIMIT 1"
        ).fetchone()[0]
        conn.close()
        assert json.loads(data)["reason"] == "special_needs: wheelchair, Mr Samir Khoury"
        manager = server.login("manager")
        report = manager.request("GET", "/api/v1/integrity")
        assert [(c["number"], c["reason"]) for c in report["out_of_order"]] == [
            (chosen["number"], "special_needs")
        ]
        assert "Samir" not in json.dumps(report, ensure_ascii=False)
