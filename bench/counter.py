"""From the clerk's call-next key to the called ticket drawn on the counter's screen.

    .venv/bin/python bench/counter.py [--calls 40]

Starts a real ``nafitha server`` (demo accounts) and the real counter app under a private Xvfb
(1280x800, software GL), signed in as clerk1 at c1. Inside the app (one clock), the figure runs from
the F1 key event entering the window to the first frame flipped with the new ticket number in its
label: the HTTP call on the action worker, the hand-back to the UI thread, the label's re-layout
and one frame. Each ticket is then finished (F) so the next call can go.

Two rounds: the server idle, then under the paced load of the server benchmark (``bench/load.py``:
10 kiosks issuing 5 tickets/s each and 20 clerks at 20 more counters calling once a second each).
In the same run, the references: the API call alone (``POST /counters/c2/next`` round trip from
a plain client, under the same conditions) and the app's own drawing cost (F12, the language
switch, which re-lays out every label of every screen and calls no server, to the first frame
showing it).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nafitha.gui.driver import AppProcess
from nafitha.harness.counter_driver import start_counter
from nafitha.harness.server import RunningServer, running_server
from nafitha.harness.xvfb import xvfb_display


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def line(name: str, samples_ms: list[float]) -> str:
    if not samples_ms:
        return f"{name:<46} (no samples)"
    return (
        f"{name:<46} n={len(samples_ms):>3}  median {statistics.median(samples_ms):7.1f} ms"
        f"  p90 {pct(samples_ms, 0.9):7.1f} ms  max {max(samples_ms):7.1f} ms"
    )


def wait(predicate: Callable[[], Any], timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.01)
    raise TimeoutError("condition not met")


def start_app(server: RunningServer, folder: Path) -> AppProcess:
    """The counter app at c1 in English, signed in as clerk1 (as the counter tests start it)."""
    driver = start_counter(server.url, "c1", folder / "counter.log", folder, lang="en")
    driver.login("clerk1", server.password)
    return driver.app


def key_to_screen(
    app: AppProcess,
    calls: int,
    going: Callable[[], bool] = lambda: True,
    between: Callable[[], None] = lambda: None,
) -> tuple[list[float], list[float], list[float]]:
    """``calls`` timed call-next presses (while ``going()``), each ticket then finished:
    (key to the number set in its label, key to the number drawn, key to the pending mark drawn)
    in ms."""
    samples: list[list[float]] = []
    for _ in range(calls):
        if not going():
            break
        app.call("time_key", name="f1", watch="ticket_number")
        taken = wait(lambda: app.call("key_timings"))
        samples.extend(taken)
        wait(lambda: app.call("state")["ticket"])
        app.call("press", name="f")
        wait(lambda: not app.call("state")["ticket"] and not app.call("state")["busy"])
        between()
    return (
        [s[0] * 1000 for s in samples],
        [s[1] * 1000 for s in samples],
        [s[2] * 1000 for s in samples],
    )


def screen_floor(app: AppProcess, rounds: int) -> list[float]:
    """F12 (every label re-laid out, no server) to the first frame showing it, timed in the app."""
    samples: list[float] = []
    for _ in range(rounds):
        app.call("time_key", name="f12", watch="recall")
        samples.extend(wait(lambda: app.call("key_timings")))
    return [s[1] * 1000 for s in samples]


def api_alone(clerk: Any, calls: int, going: Callable[[], bool] = lambda: True) -> list[float]:
    """``POST /counters/c2/next`` round trips from a plain client (each ticket then finished)."""
    samples = []
    for _ in range(calls):
        if not going():
            break
        started = time.perf_counter()
        ticket = clerk.call_next("c2")
        samples.append((time.perf_counter() - started) * 1000)
        if ticket is None:
            break
        clerk.ticket_action(ticket["id"], "finish")
    return samples


def issue(server: RunningServer, service: str, count: int) -> None:
    kiosk = server.client(server.kiosk_token)
    for _ in range(count):
        kiosk.issue_ticket(service)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=40)
    args = parser.parse_args()
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    from bench import load

    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp) / "server") as server:
        issue(server, "criminal-record", 2 * args.calls)  # c1 only: nobody else takes them
        issue(server, "document-legalization", 2 * args.calls)  # c2 only: the API reference
        with xvfb_display() as display:
            os.environ["DISPLAY"] = display
            app = start_app(server, Path(tmp))
            clerk2 = server.login("clerk2", counter="c2")
            try:
                print(f"counter bench: {args.calls} calls per round, window 1280x800 on Xvfb")
                answered, drawn, pending = key_to_screen(app, args.calls)
                print(line("idle: key -> pending mark on screen", pending))
                print(line("idle: key -> ticket on screen", drawn))
                print(line("idle: key -> number set in label (not drawn)", answered))
                print(line("idle: API call alone (reference)", api_alone(clerk2, args.calls)))
                print(line("idle: F12 relabel all, no server (reference)", screen_floor(app, 20)))
                clerks = load.prepare_counters(server, 20)
                seconds = max(60.0, 3.0 * args.calls)
                outcome: dict[str, list[float]] = {}

                def run_load() -> None:
                    issued, called = asyncio.run(load.paced(server, clerks, seconds))
                    outcome.update(issue=issued, call=called)

                loader = threading.Thread(target=run_load, name="paced-load")
                loader.start()
                time.sleep(2.0)  # let the load settle
                reference: list[float] = []
                answered, loaded, pending = key_to_screen(  # one API call after each, interleaved
                    app,
                    args.calls,
                    loader.is_alive,
                    lambda: reference.extend(api_alone(clerk2, 1, loader.is_alive)),
                )
                floor = screen_floor(app, 20)
                loader.join()
                print(f"load ({seconds:.0f} s paced, bench/load.py):")
                print("  " + load.summary("kiosk issue", outcome["issue"], seconds))
                print("  " + load.summary("clerk call-next", outcome["call"], seconds))
                print(line("loaded: key -> pending mark on screen", pending))
                print(line("loaded: key -> ticket on screen", loaded))
                print(line("loaded: key -> number set in label (not drawn)", answered))
                print(line("loaded: API call alone (reference)", reference))
                print(line("loaded: F12 relabel all, no server (reference)", floor))
            finally:
                app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
