"""A visit through several counters on the real counter app under Xvfb: the outcome picker at
finish (keyboard only), the serve screen's step line and travelling note, and a send-back, in
English and Arabic, against a real server."""

from __future__ import annotations

import pytest

from nafitha.text import t

pytestmark = pytest.mark.gui


def test_the_outcome_picker_sends_the_citizen_on_and_the_next_counter_sees_the_step(
    demo_server, counters
) -> None:
    kiosk = demo_server.client(demo_server.kiosk_token)
    manager = demo_server.login("manager")
    services = {s["id"]: s for s in kiosk.services()["services"]}
    name = {sid: services[sid]["name"] for sid in ("passport-new", "cashier", "passport-collect")}
    ticket = kiosk.issue_ticket("passport-new")

    submit = counters(demo_server.url, "c4", lang="en")
    submit.login("clerk4", demo_server.password)
    submit.press("f1")
    submit.wait(lambda s: s["ticket"].get("id") == ticket["id"], "the call at counter 4")
    assert submit.describe("ticket_step")["texts"] == [
        t("counter.step_line", "en", step=1, steps=3, service=name["passport-new"]["en"])
    ]
    # F asks how it ended; the first resolved outcome is chosen, and says where it leads
    submit.press("f")
    submit.wait(lambda s: s["screen"] == "outcome", "the outcome picker")
    served = submit.describe("outcome_served")
    assert served["texts"] == [
        "Served\n" + t("counter.outcome_goes_on", "en", service=name["cashier"]["en"])
    ]
    missing = submit.describe("outcome_missing_documents")["texts"][0]
    assert missing.endswith(t("counter.outcome_ends", "en"))
    submit.shots_both("outcome")
    submit.press("down")  # missing documents
    submit.press("up")  # back to served
    submit.type_text("fee notice 50 000")
    submit.press("enter")
    state = submit.wait(lambda s: s["screen"] == "serve" and not s["ticket"], "the finish")
    assert state["notice"]["en"] == t(
        "counter.done_next_step", "en", number=ticket["number"], service=name["cashier"]["en"]
    )
    moved = manager.ticket(ticket["id"])
    assert (moved["state"], moved["service"]["id"], moved["step"]) == ("waiting", "cashier", 2)
    assert moved["note"] == "fee notice 50 000"
    submit.close()

    cashier = counters(demo_server.url, "c11", lang="ar")
    cashier.login("clerk11", demo_server.password)
    cashier.press("f1")
    cashier.wait(lambda s: s["ticket"].get("id") == ticket["id"], "the call at the cashier")
    line = t("counter.step_line_from", "ar", step=2, steps=3, service=name["passport-new"]["ar"])
    note = t("counter.step_note", "ar", note="fee notice 50 000")
    assert cashier.describe("ticket_step")["texts"] == [f"{line}\n{note}"]
    cashier.shots_both("serve-step")
    # the cashier sends the citizen back to step 1 (the last choice: Up from the first)
    cashier.press("f")
    cashier.wait(lambda s: s["screen"] == "outcome", "the outcome picker")
    back = cashier.describe("back_1")["texts"]
    assert back == [t("counter.send_back_to", "ar", step=1, service=name["passport-new"]["ar"])]
    cashier.press("up")
    cashier.type_text("unsigned form")
    cashier.shot("outcome-send-back-ar")
    cashier.press("enter")
    state = cashier.wait(lambda s: s["screen"] == "serve" and not s["ticket"], "the send-back")
    assert state["notice"]["ar"] == t(
        "counter.done_sent_back",
        "ar",
        number=ticket["number"],
        step=1,
        service=name["passport-new"]["ar"],
    )
    back_at_one = manager.ticket(ticket["id"])
    assert (back_at_one["state"], back_at_one["service"]["id"]) == ("waiting", "passport-new")
    assert (back_at_one["step"], back_at_one["note"]) == (1, "unsigned form")
