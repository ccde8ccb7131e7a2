"""Two counters serving side by side, with transfers between them, on a real server."""

from __future__ import annotations

import re
from typing import Any

import pytest

from nafitha.text import t

pytestmark = pytest.mark.gui

OFFERED = (
    "call_next",
    "finish_next",
    "recall",
    "start",
    "finish",
    "no_show",
    "undo_no_show",
    "transfer",
    "pause",
)


def waiting(state: dict[str, Any], service: str) -> int | None:
    for row in state["services"]:
        if row["id"] == service:
            return row["waiting"]
    return None


def offered(app: Any) -> set[str]:
    return {name for name in OFFERED if not app.describe(name)["disabled"]}


def test_two_counters_serve_and_transfer_tickets_between_them(demo_server, counters):
    kiosk = demo_server.client(demo_server.kiosk_token)
    manager = demo_server.login("manager")
    extract = kiosk.issue_ticket("civil-extract")  # served at c1 and c2
    record = kiosk.issue_ticket("criminal-record")  # served at c1 only

    one = counters(demo_server.url, "c1")
    one.shots_both("login")
    two = counters(demo_server.url, "c2", lang="en")
    one.login("clerk1", demo_server.password)
    two.login("clerk2", demo_server.password)

    state = one.wait(
        lambda s: waiting(s, "civil-extract") == 1 and waiting(s, "criminal-record") == 1,
        "the waiting counts",
    )
    assert state["connected"] and state["ticket"] == {}
    assert offered(one) == {"call_next", "pause"}

    # c1 calls the longest waiting; c2's counts follow live, from the event stream
    one.tap("call_next")
    state = one.wait(lambda s: s["ticket"].get("number") == extract["number"], "the call")
    assert state["ticket"]["state"] == "called"
    two.wait(lambda s: waiting(s, "civil-extract") == 0, "c2 to see the call live")
    assert extract["number"] in one.describe("ticket_number")["texts"]

    # only what can succeed is offered: no call while a ticket is open, no no-show right after
    # the call (the citizen may be walking over), finish (which implies start) at once
    assert offered(one) == {"finish_next", "recall", "start", "finish", "transfer"}
    one.tap("recall")
    one.wait(lambda s: s["ticket"].get("recalls") == 1 and not s["busy"], "the recall")
    one.wait(lambda s: "no_show" in offered(one), "no-show offered after a recall")
    one.shots_both("serve-called")

    # transfer: each target says whether it can call the ticket now; a closed counter warns
    one.tap("transfer")
    one.wait(lambda s: s["screen"] == "transfer", "the transfer screen")
    opened, closed = t("counter.counter_open", "ar"), t("counter.counter_closed", "ar")
    one.wait(lambda s: opened in " ".join(one.describe("to_counter_c2")["texts"]), "c2 open")
    assert closed in " ".join(one.describe("to_counter_c3")["texts"])
    one.tap("to_counter_c3")
    one.tap("confirm")
    state = one.wait(lambda s: s["notice_kind"] == "error", "the warning")
    assert state["notice"]["en"].startswith("Counter 3 is not open now")
    assert state["screen"] == "transfer" and manager.ticket(extract["id"])["state"] == "called"
    one.tap("to_counter_c2")
    one.fill("note", "needs the stamp desk")
    one.shots_both("transfer")
    one.tap("confirm")
    state = one.wait(lambda s: s["screen"] == "serve" and not s["ticket"], "the transfer")
    assert state["notice"]["en"] == f"{extract['number']} transferred to Counter 2"
    assert state["notice"]["ar"] == f"حُوّلت {extract['number']} إلى الشباك 2"
    moved = manager.ticket(extract["id"])
    assert (moved["state"], moved["target_counter"], moved["transfers"]) == ("waiting", "c2", 1)

    # c2 calls it, starts, and sends it on to a service only c1 serves
    two.tap("call_next")
    two.wait(lambda s: s["ticket"].get("number") == extract["number"], "c2's call")
    two.tap("start")
    two.wait(lambda s: s["ticket"].get("state") == "serving", "c2 serving")
    assert offered(two) == {"finish_next", "finish", "transfer"}
    two.tap("transfer")
    two.wait(lambda s: s["screen"] == "transfer", "c2's transfer screen")
    two.tap("to_service_criminal-record")
    two.tap("confirm")
    two.wait(lambda s: s["screen"] == "serve" and not s["ticket"], "c2's transfer")
    assert manager.ticket(extract["id"])["service"]["id"] == "criminal-record"
    one.wait(lambda s: waiting(s, "criminal-record") == 2, "c1 to see both waiting")

    # c1: the transferred ticket keeps its issue time, so it comes first; one key finishes it
    # (never started: finish implies start) and calls the next
    one.tap("call_next")
    one.wait(lambda s: s["ticket"].get("number") == extract["number"], "the second call")
    one.tap("finish_next")
    one.wait(lambda s: s["ticket"].get("number") == record["number"], "finish and call next")
    assert manager.ticket(extract["id"])["state"] == "done"
    one.wait(lambda s: s["served_count"] == 1, "today's count")

    # a refused action shows the server's words in the clerk's language (no English code inside
    # the Arabic), and the ticket the manager closed meanwhile leaves the screen
    manager.ticket_action(record["id"], "finish")
    one.tap("recall")
    state = one.wait(lambda s: s["notice_kind"] == "error", "the refusal")
    assert "«" in state["notice"]["ar"] and not re.search("[A-Za-z]", state["notice"]["ar"])
    assert state["notice"]["en"] == "Cannot recall a ticket that is done."
    one.shots_both("serve-refused")
    one.wait(lambda s: not s["ticket"], "the closed ticket off the screen")

    one.tap("call_next")
    state = one.wait(lambda s: s["notice"].get("en") == "Nobody is waiting now", "nobody")
    assert not state["ticket"]

    # pause with a reason, resume
    one.tap("pause")
    one.wait(lambda s: s["screen"] == "pause", "the pause screen")
    one.tap("reason_prayer")
    one.shots_both("pause")
    one.tap("confirm")
    state = one.wait(lambda s: s["screen"] == "paused", "paused")
    assert state["pause_reason"] == "صلاة"
    assert _counter(manager.queue(), "c1")["status"] == "paused"
    one.shots_both("paused")
    one.tap("resume")
    one.wait(lambda s: s["screen"] == "serve" and not s["paused"], "resumed")
    assert _counter(manager.queue(), "c1")["status"] == "open"

    one.tap("logout")
    one.wait(lambda s: s["screen"] == "login" and not s["user"], "logged out")


def _counter(queue: dict[str, Any], counter: str) -> dict[str, Any]:
    return next(row for row in queue["counters"] if row["id"] == counter)
