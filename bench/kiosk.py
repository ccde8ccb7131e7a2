"""Kiosk speed: app start, and the confirming tap to the ticket's bytes at the printer.

    .venv/bin/python bench/kiosk.py [--tickets 5] [--size 1080x1920]

Starts a real server (demo data), the virtual printer and the real kiosk under a private Xvfb
display, taps through the quick path N times and prints, per ticket: tap → server answer, answer →
print call returned (render + encode + send + status), and tap → the cut page received by the
printer. In the same run it prints the references this machine reaches without the kiosk: one issue
request over HTTP, and one direct ``Printer.print_ticket`` to the same printer.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.printing import ticket_to_print
from nafitha.harness.kiosk_driver import start_kiosk
from nafitha.harness.server import running_server
from nafitha.harness.xvfb import xvfb_display
from printers import Printer
from printers.virtual import VirtualPrinter


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


def summary(name: str, values: list[float]) -> None:
    print(f"  {name:<44} median {ms(statistics.median(values))}   max {ms(max(values))}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=5)
    parser.add_argument("--size", default="1080x1920")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        xvfb_display() as display,
        running_server(Path(tmp) / "server") as server,
        VirtualPrinter(out_dir=Path(tmp) / "paper") as paper,
    ):
        os.environ["DISPLAY"] = display
        spawned = time.perf_counter()
        kiosk = start_kiosk(Path(tmp) / "kiosk", Path(tmp), server.url, paper.url, size=args.size)
        loaded = time.perf_counter() - spawned
        state = kiosk.state()
        print(f"Kiosk at {args.size}, {args.tickets} tickets (2 cores, shared machine)")
        print("Start")
        print(f"  spawn → answering (window up, screens built)  {ms(kiosk.app.ready_after)}")
        print(f"  app object → first frame                      {ms(state['first_frame_s'])}")
        print(f"  spawn → catalog loaded, ready for a citizen   {ms(loaded)}")
        to_server, to_printed, to_paper = [], [], []
        try:
            quick = next(n for n in kiosk.names() if n.startswith("quick_") and n != "quick_title")
            for _ in range(args.tickets):
                kiosk.home()
                pages = len(paper.pages)
                kiosk.tap_to(quick, "confirm")
                kiosk.tap("print_ticket")
                paper.wait_for_pages(pages + 1, timeout=60)
                arrived = time.perf_counter()
                timings = kiosk.wait_state(lambda s: "printed" in s["timings"], "printed")[
                    "timings"
                ]
                to_server.append(timings["issued"] - timings["confirm"])
                to_printed.append(timings["printed"] - timings["issued"])
                to_paper.append(arrived - timings["confirm"])
        finally:
            kiosk.close()
        print("Confirming tap → ticket")
        summary("tap → server's ticket (HTTP, committed)", to_server)
        summary("server answer → print call returned", to_printed)
        summary("tap → cut page received by the printer", to_paper)

        client = server.client(server.kiosk_token)
        center = client.services()["center"]["name"]
        direct_issue, direct_print = [], []
        for _ in range(args.tickets):
            started = time.perf_counter()
            answer = client.issue_ticket(quick.removeprefix("quick_"))
            direct_issue.append(time.perf_counter() - started)
            started = time.perf_counter()
            Printer(paper.url).print_ticket(ticket_to_print(answer, center))
            direct_print.append(time.perf_counter() - started)
        print("Reference (same machine, same run, no kiosk)")
        summary("one issue request from a plain client", direct_issue)
        summary("Printer.print_ticket to the virtual printer", direct_print)
    return 0


if __name__ == "__main__":
    sys.exit(main())
