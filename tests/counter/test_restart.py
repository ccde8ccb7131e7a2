"""The server killed and restarted in the middle of serving: the counter says so, keeps the
ticket, comes back by itself and carries on."""

from __future__ import annotations

import pytest

from tests.support.server import running_server

pytestmark = pytest.mark.gui


def test_the_counter_survives_a_server_restart_mid_session(tmp_path, counters):
    with running_server(tmp_path / "server") as server:
        kiosk = server.client(server.kiosk_token)
        first = kiosk.issue_ticket("passport-new")
        app = counters(server.url, "c4")
        app.login("clerk4", server.password)
        app.tap("call_next")
        app.wait(lambda s: s["ticket"].get("number") == first["number"], "the call")

        server.kill()  # a crash or a power cut of the server box
        state = app.wait(lambda s: not s["connected"], "the counter to notice", timeout=20)
        assert state["notice_kind"] == "offline"
        assert state["ticket"]["number"] == first["number"]  # what the clerk was doing stays
        app.shots_both("offline")

        # an action while the server is away is not lost silently: the clerk is told
        app.tap("start")
        state = app.wait(lambda s: not s["busy"] and s["notice_kind"] == "offline", "refusal")
        assert state["ticket"]["state"] == "called"

        restarted = server.restart()
        try:
            state = app.wait(lambda s: s["connected"], "the reconnection", timeout=30)
            assert state["notice"]["en"] == (
                f"Connected again - ticket {first['number']} is still with you"
            )
            app.tap("start")
            app.wait(lambda s: s["ticket"].get("state") == "serving", "serving after restart")
            app.tap("finish")
            app.wait(lambda s: s["screen"] == "outcome", "the outcome picker")
            app.tap("confirm")  # the first resolved outcome is chosen: served
            app.wait(lambda s: not s["ticket"] and s["served_count"] == 1, "finished")

            # the live queue works again: a new ticket shows up without any click
            kiosk.issue_ticket("passport-renewal")
            app.wait(
                lambda s: any(
                    r["id"] == "passport-renewal" and r["waiting"] == 1 for r in s["services"]
                ),
                "the live count after the restart",
            )
        finally:
            app.close()  # its event stream would hold the server's graceful stop
            restarted.stop()
