"""The replay from events alone, as the hub will run it: old events (before they carried their
columns) replay by their kind; what they did not record is skipped, never guessed."""

from __future__ import annotations

from typing import Any

from nafitha.replay import UNKNOWN, replay_files, replay_tickets, ticket_changes
from nafitha.replay_compare import compare_rows


def event(id_: int, kind: str, ticket: int | None, data: dict[str, Any], **more: Any) -> dict:
    base = {"id": id_, "at": 100.0 * id_, "kind": kind, "actor": "clerk1", "counter": "c1"}
    return {**base, "device": None, "ticket_id": ticket, "data": data, **more}


def test_events_written_before_they_carried_their_columns_still_replay() -> None:
    """A log from before the audit was hardened: derived from each kind, unknowns skipped."""
    events = [
        event(1, "ticket_issued", 7, {"number": "A-012", "service": "s", "priority": False},
              device="kiosk-1", actor="kiosk-1", counter=None),
        event(2, "ticket_called", 7, {"number": "A-012", "service": "s"}),
        event(3, "ticket_recall", 7, {"to_state": "called"}),
        event(4, "ticket_transfer", 7, {"to_state": "waiting", "to_service": "t",
                                        "to_counter": "c2"}),
        event(5, "ticket_called", 7, {"number": "A-012", "service": "t"}),
        event(6, "ticket_start", 7, {"to_state": "serving"}),
        event(7, "ticket_finish", 7, {"to_state": "done"}),
    ]  # fmt: skip
    replayed = replay_tickets(events)[7].values
    assert replayed["prefix"] == "A" and replayed["seq"] == 12
    assert replayed["day"] is UNKNOWN and replayed["quoted_wait_s"] is UNKNOWN
    assert (replayed["state"], replayed["service"], replayed["recalls"]) == ("done", "t", 1)
    assert (replayed["transfers"], replayed["target_counter"]) == (1, None)
    assert (replayed["called_at"], replayed["started_at"], replayed["finished_at"]) == (
        500.0,
        600.0,
        700.0,
    )
    row = {**{k: v for k, v in replayed.items()}, "day": "2026-11-23", "quoted_wait_s": 60.0}
    assert compare_rows("ticket", {7: replay_tickets(events)[7]}, {7: row}, tuple(row)) == []
    row["clerk"] = "clerk9"
    (difference,) = compare_rows("ticket", replay_tickets(events), {7: row}, tuple(row))
    assert (difference.column, difference.table, difference.log) == ("clerk", "clerk9", "clerk1")
    assert difference.event == 7


def test_old_file_events_replay_their_moves() -> None:
    events = [
        event(1, "file_opened", None, {"reference": "ABCDEFGHJ", "service": "s", "workflow": "w",
                                       "stage": "a", "missing": [], "note": None}),
        event(2, "file_moved", None, {"reference": "ABCDEFGHJ", "kind": "missing",
                                      "stage": "a", "status": "missing_documents", "seq": 2,
                                      "missing": [{"ar": "صورة", "en": "photo"}]}),
        event(3, "file_moved", None, {"reference": "ABCDEFGHJ", "kind": "resume", "stage": "a",
                                      "status": "open", "seq": 3, "missing": []}),
    ]  # fmt: skip
    state = replay_files(events)["ABCDEFGHJ"].values
    assert (state["status"], state["moves"], state["missing"]) == ("open", 3, [])
    assert state["stage_entered_at"] == 300.0 and state["due_at"] is UNKNOWN


def test_ticket_changes_are_only_what_changed() -> None:
    before = {"state": "called", "recalls": 0, "counter": "c1"}
    assert ticket_changes(before, {**before, "recalls": 1}) == {"recalls": 1}


def test_an_event_about_a_ticket_never_issued_is_reported() -> None:
    replayed = replay_tickets([event(4, "ticket_start", 9, {"to_state": "serving"})])
    row = dict.fromkeys(replayed[9].values, None)
    (difference,) = compare_rows("ticket", replayed, {9: row}, ())
    assert "the event that created it is not in the log" in difference.describe()
