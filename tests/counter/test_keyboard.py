"""A whole serving session with the keyboard only: no touch, shortcuts shown on the buttons."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def test_a_clerk_serves_with_the_keyboard_only(demo_server, counters):
    kiosk = demo_server.client(demo_server.kiosk_token)
    manager = demo_server.login("manager")
    plain = kiosk.issue_ticket("birth-registration")
    elderly = kiosk.issue_ticket("death-registration", priority=True)

    app = counters(demo_server.url, "c3", lang="en")
    app.wait(lambda s: s["screen"] == "login", "the log-in screen")
    # the username field has the focus; Tab moves on, Enter logs in
    app.type_text("clerk3")
    app.press("tab")
    app.type_text(demo_server.password)
    app.press("enter")
    app.wait(lambda s: s["screen"] == "serve" and len(s["services"]) == 3, "the serve screen")

    # the shortcuts are on the buttons
    assert app.describe("call_next")["texts"] == ["Call next  ·  F1 / Space"]
    assert app.describe("recall")["texts"] == ["Recall  ·  R"]

    # Space calls: the elderly citizen first (priority), shown as such
    app.press("spacebar")
    state = app.wait(lambda s: s["ticket"].get("number") == elderly["number"], "the call")
    assert state["ticket"]["priority"] is True
    assert app.describe("ticket_priority")["texts"] == ["Priority"]
    app.press("r")
    app.wait(lambda s: s["ticket"].get("recalls") == 1, "the recall")
    app.press("s")
    app.wait(lambda s: s["ticket"].get("state") == "serving", "serving")
    app.press("f")  # F asks how it ended; Enter takes the chosen (first resolved) outcome
    app.wait(lambda s: s["screen"] == "outcome", "the outcome picker")
    app.press("enter")
    app.wait(lambda s: not s["ticket"] and s["served_count"] == 1, "finished")
    finished = manager.ticket(elderly["id"])
    assert (finished["state"], finished["outcome"]) == ("done", "served")

    # F1 calls the next one; T, Down twice then Up (the first other service), a note, Enter
    app.press("f1")
    app.wait(lambda s: s["ticket"].get("number") == plain["number"], "the second call")
    app.press("t")
    app.wait(lambda s: s["screen"] == "transfer", "the transfer form")
    app.press("down")
    app.press("down")
    app.press("up")
    app.type_text("wrong window")
    app.press("enter")
    # no open counter serves civil extracts now: the counter warns, a second Enter sends it anyway
    state = app.wait(lambda s: s["notice_kind"] == "error", "the warning")
    assert "civil status extract" in state["notice"]["en"]
    assert plain["number"] in state["notice"]["en"]
    assert state["screen"] == "transfer"
    app.press("enter")
    state = app.wait(lambda s: s["screen"] == "serve" and not s["ticket"], "the transfer")
    assert (
        state["notice"]["en"] == f"{plain['number']} transferred to Individual civil status extract"
    )
    moved = manager.ticket(plain["id"])
    assert moved["state"] == "waiting" and moved["service"]["id"] == "civil-extract"

    # the third: N is not offered right after the call (the citizen may be walking over); after
    # a recall it is, asks first (Enter confirms), and U undoes it for a while
    third = kiosk.issue_ticket("marriage-registration")
    app.press("f1")
    app.wait(lambda s: s["ticket"].get("number") == third["number"], "the third call")
    assert app.describe("no_show")["disabled"]
    assert any(text.endswith(" s") for text in app.describe("no_show")["texts"])
    app.press("r")
    app.wait(lambda s: s["ticket"].get("recalls") == 1 and not s["busy"], "the recall")
    app.wait(lambda s: not app.describe("no_show")["disabled"], "no-show offered")
    app.press("n")
    state = app.wait(lambda s: s["confirming"] == "no_show", "the question")
    assert state["ticket"]["state"] == "called"
    assert third["number"] in " ".join(app.describe("confirm_question")["texts"])
    app.press("enter")
    app.wait(lambda s: not s["ticket"] and s["undo"], "the no-show")
    assert manager.ticket(third["id"])["state"] == "no_show"
    app.press("u")
    app.wait(lambda s: s["ticket"].get("number") == third["number"], "the undo")
    assert manager.ticket(third["id"])["state"] == "called"
    app.press("n")
    app.wait(lambda s: s["confirming"] == "no_show", "the question again")
    app.press("escape")  # Esc: nothing happens, the ticket stays
    state = app.wait(lambda s: s["confirming"] == "", "the question dropped")
    assert state["ticket"]["state"] == "called"
    app.press("n")
    app.wait(lambda s: s["confirming"] == "no_show", "the question once more")
    app.press("enter")
    app.wait(lambda s: not s["ticket"], "the no-show")
    assert manager.ticket(third["id"])["state"] == "no_show"

    # P opens the pause form with the reason field focused: letters typed there are text, not
    # shortcuts ("p", "r", "n", "s" and "f" all appear below); Enter confirms
    app.press("p")
    app.wait(lambda s: s["screen"] == "pause", "the pause form")
    app.type_text("printer refill")
    app.press("enter")
    state = app.wait(lambda s: s["screen"] == "paused", "paused")
    assert state["pause_reason"] == "printer refill"
    app.press("p")
    app.wait(lambda s: s["screen"] == "serve" and not s["paused"], "resumed")

    # L goes to files: a reference typed as people type it (lower case, no dashes) and Enter
    # finds the file; Escape comes back; F12 switches the language, F10 logs out
    opened = manager.open_file("birth-registration", {"name": "Sami Haddad"}, [0])
    app.press("l")
    app.wait(lambda s: s["screen"] == "files", "the files screen")
    app.type_text(opened["reference"].replace("-", "").lower())
    app.press("enter")
    state = app.wait(lambda s: s["file"].get("reference") == opened["reference"], "the lookup")
    assert state["file"]["citizen"]["name"] == "Sami Haddad"
    app.press("escape")
    app.wait(lambda s: s["screen"] == "serve", "back to serving")
    app.press("f12")
    app.wait(lambda s: s["lang"] == "ar", "Arabic")
    assert app.describe("recall")["texts"] == ["إعادة النداء  ·  R"]
    app.press("f10")
    app.wait(lambda s: s["screen"] == "login" and not s["user"], "logged out")

    # the language is each clerk's: another clerk switches to English; clerk3 gets Arabic back
    app.login("clerk5", demo_server.password)
    app.press("f12")
    app.wait(lambda s: s["lang"] == "en", "clerk5's English")
    app.press("f10")
    app.wait(lambda s: s["screen"] == "login", "clerk5 logged out")
    state = app.login("clerk3", demo_server.password)
    assert state["lang"] == "ar"
