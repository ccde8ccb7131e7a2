"""How good is the quoted wait? A simulated busy day run through the real use cases and database.

6,000 tickets between 08:00 and 14:00 with arrivals peaking mid-morning, 17 services with their own
service-time distributions (log-normal, some long outliers), 60 counters of which some open late,
take a break and close early. Each ticket's quoted wait (at issue) is compared with the wait it
actually had (issue → call). Prints mean, median and 90th-percentile absolute error, overall and
per hour, next to a naive baseline (people ahead × the configured service time ÷ counters).

    .venv/bin/python bench/estimate_accuracy.py [--tickets 6000] [--seed 7]
"""

from __future__ import annotations

import argparse
import heapq
import math
import random
import statistics
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.app import open_context
from server.config import DEFAULT_CENTER, Counter, ServerSettings, load_center_config
from server.usecases import calling, counters, ticket_actions, tickets
from server.usecases.context import Actor

TZ = ZoneInfo("Asia/Beirut")
DAY_START = datetime(2026, 11, 23, 8, 0, tzinfo=TZ).timestamp()
HOUR_SHARE = [0.12, 0.22, 0.22, 0.18, 0.15, 0.11]  # of the day's arrivals, 08:00..14:00
COUNTERS = 60


class Clock:
    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def build_center(rng: random.Random):
    """The demo catalog with 60 counters, each serving one category, sized to its load."""
    config = load_center_config(DEFAULT_CENTER)
    weights = {s.id: rng.uniform(0.5, 2.0) for s in config.services}
    load: dict[str, float] = {}
    for s in config.services:
        load[s.category] = load.get(s.category, 0) + weights[s.id] * s.service_time_s
    total = sum(load.values())
    made = []
    number = 1
    for category, share in sorted(load.items()):
        services = [s.id for s in config.services if s.category == category]
        for _ in range(max(1, round(COUNTERS * share / total))):
            made.append(
                Counter(
                    id=f"k{number}",
                    number=number,
                    name={"ar": f"شباك {number}", "en": f"Counter {number}"},
                    services=services,
                )
            )
            number += 1
    return config.model_copy(update={"counters": made}), weights


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    center, weights = build_center(rng)
    services = {s.id: s for s in center.services}
    # Actual mean service time differs from the configured prior by a per-service factor.
    true_mean = {s: services[s].service_time_s * rng.uniform(0.25, 0.45) for s in services}
    clock = Clock(DAY_START - 600)
    with tempfile.TemporaryDirectory(prefix="nafitha-estimate-") as tmp:
        ctx = open_context(
            ServerSettings(db=Path(tmp) / "sim.db", ignore_hours=True), clock=clock, center=center
        )
        ctx.db._writer.conn.execute("PRAGMA synchronous=OFF")  # accuracy, not durability, here
        kiosk = Actor("device", "sim-kiosk", "kiosk")
        events: list[tuple[float, int, str, str]] = []
        seq = 0

        def push(at: float, kind: str, what: str) -> None:
            nonlocal seq
            seq += 1
            heapq.heappush(events, (at, seq, kind, what))

        # Arrivals: a Poisson stream whose rate follows HOUR_SHARE.
        ids, probs = zip(*weights.items(), strict=True)
        for hour, share in enumerate(HOUR_SHARE):
            count = round(args.tickets * share)
            for _ in range(count):
                push(
                    DAY_START + hour * 3600 + rng.uniform(0, 3600),
                    "arrive",
                    rng.choices(ids, probs)[0],
                )
        # Counters: most open at 08:00, some at 08:30; a third take a 30-minute break; a few
        # close at 13:00.
        clerks = {}
        for c in center.counters:
            clerks[c.id] = Actor("person", f"sim-{c.id}", "clerk", c.id)
            opens = DAY_START + (1800 if rng.random() < 0.2 else 0)
            push(opens, "open", c.id)
            if rng.random() < 0.33:
                start = DAY_START + rng.uniform(2, 4) * 3600
                push(start, "pause", c.id)
                push(start + 1800, "resume", c.id)
            if rng.random() < 0.1:
                push(DAY_START + 5 * 3600, "pause", c.id)
        quoted: dict[int, tuple[float, float | None, int, str]] = {}
        unquoted = 0
        errors: list[tuple[int, float, float, float]] = []  # hour, |error|, naive |error|, wait
        free: set[str] = set()
        busy: set[str] = set()
        paused: set[str] = set()

        def call(counter_id: str) -> None:
            ticket = calling.call_next(ctx, clerks[counter_id], counter_id)
            if ticket is None:
                free.add(counter_id)
                return
            free.discard(counter_id)
            busy.add(counter_id)
            issued, quote, naive_ahead, service = quoted.pop(ticket["id"])
            actual = clock.t - issued
            naive = (
                naive_ahead
                * services[service].service_time_s
                / max(1, len([c for c in center.counters if service in c.services]))
            )
            hour = int((issued - DAY_START) // 3600)
            if quote is not None:  # None: issued when no open counter served it
                errors.append((hour, abs(quote - actual), abs(naive - actual), actual))
            mean = true_mean[ticket["service"]["id"]]
            sigma = 0.5
            duration = rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma)
            if rng.random() < 0.02:
                duration *= 6  # the file that takes forever
            push(clock.t + duration, "finish", f"{counter_id}:{ticket['id']}")

        while events:
            at, _, kind, what = heapq.heappop(events)
            clock.t = at
            if kind == "arrive":
                # The naive baseline counts only the same service's waiting tickets (the
                # server's people_ahead spans every service sharing the ticket's counters).
                same_service = sum(1 for q in quoted.values() if q[3] == what)
                ticket, _ = tickets.issue_ticket(ctx, kiosk, what)
                unquoted += ticket["estimated_wait_s"] is None
                quoted[ticket["id"]] = (at, ticket["estimated_wait_s"], same_service, what)
                for counter_id in sorted(free):
                    if what in next(c for c in center.counters if c.id == counter_id).services:
                        call(counter_id)
                        break
            elif kind == "open":
                counters.set_counter_status(ctx, clerks[what], what, "open")
                call(what)
            elif kind == "pause":
                paused.add(what)
                free.discard(what)
                if what not in busy:
                    counters.set_counter_status(ctx, clerks[what], what, "paused")
            elif kind == "resume":
                paused.discard(what)
                counters.set_counter_status(ctx, clerks[what], what, "open")
                if what not in busy:
                    call(what)
            elif kind == "finish":
                counter_id, ticket_id = what.split(":")
                busy.discard(counter_id)
                ticket_actions.ticket_action(ctx, clerks[counter_id], int(ticket_id), "start")
                ticket_actions.ticket_action(ctx, clerks[counter_id], int(ticket_id), "finish")
                if counter_id in paused:
                    counters.set_counter_status(ctx, clerks[counter_id], counter_id, "paused")
                else:
                    call(counter_id)
        ctx.db.close()

    def line(label: str, values: list[float]) -> str:
        ordered = sorted(values)
        p90 = ordered[int(0.9 * (len(ordered) - 1))]
        return (
            f"{label:<18} n={len(values):>5}  mean={statistics.mean(values) / 60:6.1f} min"
            f"  median={statistics.median(values) / 60:6.1f} min  p90={p90 / 60:6.1f} min"
        )

    served = len(errors)
    print("absolute error of the quoted wait against the actual wait (issue -> call):")
    print(
        f"simulated day: {served} tickets called of {args.tickets}, {len(center.counters)}"
        f" counters, {len(services)} services; {unquoted} issued with no open counter (no quote)"
    )
    print(line("actual wait", [e[3] for e in errors]))
    print(line("quoted (Nafitha)", [e[1] for e in errors]))
    print(line("naive baseline", [e[2] for e in errors]))
    for hour in range(len(HOUR_SHARE)):
        values = [e[1] for e in errors if e[0] == hour]
        if values:
            print(line(f"  issued {8 + hour:02d}:00", values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
