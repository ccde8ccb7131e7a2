"""From a call made through the API to the waiting hall's board showing it, over many calls.

    .venv/bin/python bench/board.py [--calls 200]

Starts a real ``nafitha server`` (demo accounts), opens ``/board`` in headless Chromium at
1920x1080, then a clerk calls ``--calls`` tickets one after another through the API. A
MutationObserver in the page stamps the moment the big ticket number changes; the figure is that
stamp minus the moment just before the HTTP call was sent (one clock: same machine). Each ticket is
finished right after it shows, so the next call can go.

In the same run, two references: the API call alone (``POST /counters/c1/next`` round trip as the
clerk sees it), and a ``fetch('/api/v1/health')`` round trip from inside the page (the browser's
own floor on this machine).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from nafitha.harness.browser import CHROMIUM, CHROMIUM_ARGS
from nafitha.harness.server import running_server

OBSERVER = """() => {
  window.benchSeen = {};
  const target = document.getElementById('now-ticket');
  new MutationObserver(() => {
    const n = target.textContent;
    if (!(n in window.benchSeen)) window.benchSeen[n] = performance.timeOrigin + performance.now();
  }).observe(target, {childList: true, characterData: true, subtree: true});
}"""

FETCH_RTT = """async () => {
  const t = performance.now();
  await fetch('/api/v1/health', {cache: 'no-store'});
  return performance.now() - t;
}"""


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def line(name: str, samples_ms: list[float]) -> str:
    p50, p99 = statistics.median(samples_ms), pct(samples_ms, 0.99)
    return (
        f"{name:<42} p50 {p50:7.1f} ms   p99 {p99:7.1f} ms"
        f"   max {max(samples_ms):7.1f} ms   (n={len(samples_ms)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_server(Path(tmp)) as server,
        sync_playwright() as playwright,
    ):
        kiosk = server.client(server.kiosk_token)
        for _ in range(args.calls):
            kiosk.issue_ticket("civil-extract", idempotency_key=str(uuid.uuid4()))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{server.url}/board")
        page.wait_for_function("window.NFBoard && window.NFBoard.Board.stream !== null")
        page.evaluate(OBSERVER)
        clerk = server.login("clerk1", counter="c1")
        to_board: list[float] = []
        api_only: list[float] = []
        for _ in range(args.calls):
            sent = time.time()
            called = clerk.call_next("c1")
            api_only.append((time.time() - sent) * 1000)
            number = called["number"]
            page.wait_for_function("n => n in window.benchSeen", arg=number, timeout=10000)
            shown = page.evaluate("n => window.benchSeen[n]", number)
            to_board.append(shown - sent * 1000)
            clerk.ticket_action(called["id"], "finish")
        fetch_rtt = [page.evaluate(FETCH_RTT) for _ in range(args.calls)]
        browser.close()
    print(f"board latency over {args.calls} calls (server + Chromium on this machine)")
    print(line("call through the API -> board DOM shows it", to_board))
    print("reference, same run:")
    print(line("the API call alone (clerk's round trip)", api_only))
    print(line("fetch('/api/v1/health') from the page", fetch_rtt))
    return 0


if __name__ == "__main__":
    sys.exit(main())
