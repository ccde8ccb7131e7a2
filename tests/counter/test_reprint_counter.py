"""The counter's reprint key on the real counter (Xvfb) against a real server: D prints the called
ticket again on the counter's printer (the virtual printer: same QR, REPRINT band read back); a
counter without a printer tells the clerk and asks the server nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from printers.virtual import VirtualPrinter
from tests.support.ports import free_port
from tests.support.reprint_paper import qr_texts, read_banner
from tests.support.server import RunningServer

pytestmark = pytest.mark.gui

SERVICE = "civil-extract"


@pytest.fixture
def printer(tmp_path: Path):
    with VirtualPrinter("127.0.0.1", free_port(), tmp_path / "printed") as virtual:
        yield virtual


def test_d_prints_the_called_ticket_again_on_the_counters_printer(
    counters, demo_server: RunningServer, printer: VirtualPrinter, tmp_path: Path
) -> None:
    ticket = demo_server.client("demo-kiosk-1").issue_ticket(SERVICE)
    counter = counters(demo_server.url, "c1", printer=printer.url, lang="en")
    counter.login("clerk1", demo_server.password)
    counter.press("f1")
    counter.wait(lambda s: s["ticket"].get("id") == ticket["id"], "the call")
    assert not counter.describe("reprint")["disabled"]
    counter.shot("reprint-en")
    counter.press("d")
    state = counter.wait(lambda s: "printed again" in s["notice"].get("en", ""), "the reprint")
    assert state["notice"]["en"] == f"{ticket['number']} printed again (copy 1)"
    assert state["ticket"]["id"] == ticket["id"] and state["ticket"]["state"] == "called"
    assert state["ticket"]["reprints"] == 1
    counter.app.wait_for(
        lambda: any("printed again: 1" in t for t in counter.texts()), 10, "the copies line"
    )
    page = printer.wait_for_pages(1)[-1]
    page.save(counter.artifacts / "counter-paper-reprint.png")
    assert qr_texts(page) == [ticket["status_url"]]
    arabic, english = read_banner(page, tmp_path)
    assert "نسخة مكررة" in arabic and "REPRINT" in english, (arabic, english)
    counter.app.call("press", name="f12")
    counter.wait(lambda s: s["lang"] == "ar", "Arabic")
    counter.shot("reprint-ar")


def test_without_a_printer_the_clerk_is_told_and_nothing_is_counted(
    counters, demo_server: RunningServer
) -> None:
    ticket = demo_server.client("demo-kiosk-1").issue_ticket(SERVICE)
    counter = counters(demo_server.url, "c2")
    counter.login("clerk2", demo_server.password)
    counter.press("f1")
    counter.wait(lambda s: s["ticket"].get("id") == ticket["id"], "the call")
    counter.press("d")
    state = counter.wait(lambda s: s["notice_kind"] == "error", "the clerk told")
    assert state["notice"]["ar"].startswith("لا توجد طابعة في هذا الشباك")
    assert ticket["number"] in state["notice"]["en"]
    counter.shot("reprint-no-printer-ar")
    # the server counted nothing: the kiosk's first reprint of it is the first
    again = demo_server.client("demo-kiosk-2").reprint_ticket(number=ticket["number"])
    assert again["reprints"] == 1
