"""Appointments in the estimate benchmark's day: how long do booked and walk-in citizens wait?

The day of ``bench/estimate_accuracy.py`` (arrivals peaking mid-morning, log-normal service times,
60 counters, some opening late, pausing, closing early) run twice through the real use cases and
database: once with every citizen walking in (the reference), once with ``--booked`` (30 %) of
them having booked, the day before, the slot of their service holding the moment they would have
come (the next slot with room if it is full; a walk-in if none of the next three has room). A booked
citizen comes a few minutes before the slot, some late (beyond the grace: a walk-in, as the rule
says), some not at all. Prints, for each run, the walk-in wait (issue → call) and, for the second,
the appointment wait (the later of slot and arrival → call) and how often an appointment was
called late (more than ``grace_min`` after its slot), with the run's wall time as the machine's
reference (the same day without appointments, on the same machine, in the same run).

    .venv/bin/python bench/appointments.py [--tickets 6000] [--booked 0.3] [--seed 7]
"""

from __future__ import annotations

import argparse
import heapq
import math
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from estimate_accuracy import DAY_START, HOUR_SHARE, Clock, build_center

from server.app import open_context
from server.config import ServerSettings
from server.domain.errors import Refusal
from server.usecases import (
    appointment_checkin,
    appointments,
    calling,
    counters,
    ticket_actions,
    tickets,
)
from server.usecases.context import Actor

DAY = "2026-11-23"
EARLY_MIN = (0.0, 15.0)  # a booked citizen arrives this many minutes before the slot
LATE_SHARE = 0.08  # ... or this share of them up to 30 minutes after it
NO_SHOW_SHARE = 0.07


@dataclass
class Outcome:
    """What one simulated day measured."""

    walk_in: list[float] = field(default_factory=list)  # waits, seconds
    appointment: list[float] = field(default_factory=list)
    lateness: list[float] = field(default_factory=list)  # call - slot, appointment tickets
    booked: int = 0
    overflow: int = 0  # wanted a booking, no room in the next three slots
    late_arrivals: int = 0  # came after slot + grace: their ticket is a walk-in's
    no_shows: int = 0
    refused: int = 0  # walk-ins refused a ticket (a service's cut-off)
    grace_s: float = 0.0
    seconds: float = 0.0


def simulate(args: argparse.Namespace, booked_share: float) -> Outcome:
    rng = random.Random(args.seed)
    center, weights = build_center(rng)
    services = {s.id: s for s in center.services}
    true_mean = {s: services[s].service_time_s * rng.uniform(0.25, 0.45) for s in services}
    bookable = [
        s.model_copy(update={"appointments": True}) if s.hours else s for s in center.services
    ]
    center = center.model_copy(update={"services": bookable})
    settings = center.center.appointments
    out = Outcome(grace_s=settings.grace_min * 60.0)
    slot_s = settings.slot_min * 60
    clock = Clock(DAY_START - 20 * 3600)  # the day before: bookings are made then
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nafitha-appointments-") as tmp:
        ctx = open_context(
            ServerSettings(db=Path(tmp) / "sim.db", ignore_hours=True), clock=clock, center=center
        )
        ctx.db._writer.conn.execute("PRAGMA synchronous=OFF")  # waits, not durability, here
        kiosk = Actor("device", "sim-kiosk", "kiosk")
        citizen = Actor("anonymous")
        events: list[tuple[float, int, str, str]] = []
        seq = 0

        def push(at: float, kind: str, what: str) -> None:
            nonlocal seq
            seq += 1
            heapq.heappush(events, (at, seq, kind, what))

        def book(service: str, wanted: float) -> tuple[str, float] | None:
            first = int((wanted - DAY_START) // slot_s)
            for k in range(first, first + 3):
                at = DAY_START + k * slot_s
                start = time.strftime("%H:%M", time.gmtime(at + 2 * 3600))  # Beirut, winter
                try:
                    answer = appointments.book(ctx, citizen, service, DAY, start, "ar")
                except Refusal:
                    continue
                return answer["code"], answer["at"]
            return None

        offered = {k: w for k, w in weights.items() if services[k].kiosk}  # no step-only service
        ids, probs = zip(*offered.items(), strict=True)
        for hour, share in enumerate(HOUR_SHARE):
            for _ in range(round(args.tickets * share)):
                at = DAY_START + hour * 3600 + rng.uniform(0, 3600)
                service = rng.choices(ids, probs)[0]
                wants = rng.random() < booked_share and services[service].hours
                made = book(service, at) if wants else None
                if wants and made is None:
                    out.overflow += 1
                if made is None:
                    push(at, "arrive", service)
                    continue
                out.booked += 1
                code, slot_at = made
                draw = rng.random()
                if draw < NO_SHOW_SHARE:
                    out.no_shows += 1
                    continue
                if draw < NO_SHOW_SHARE + LATE_SHARE:
                    arrive = slot_at + rng.uniform(0, 30) * 60
                else:
                    arrive = slot_at - rng.uniform(*EARLY_MIN) * 60
                push(arrive, "check_in", code)
                push(slot_at, "wake", "")  # counters left idle look again at the slot's time
        clerks = {}
        for c in center.counters:
            clerks[c.id] = Actor("person", f"sim-{c.id}", "clerk", c.id)
            push(DAY_START + (1800 if rng.random() < 0.2 else 0), "open", c.id)
            if rng.random() < 0.33:
                start = DAY_START + rng.uniform(2, 4) * 3600
                push(start, "pause", c.id)
                push(start + 1800, "resume", c.id)
            if rng.random() < 0.1:
                push(DAY_START + 5 * 3600, "pause", c.id)
        waiting: dict[int, tuple[float, float | None]] = {}  # id -> (ready at, slot or None)
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
            entry = waiting.pop(ticket["id"], None)
            if entry is None:  # a later step of a visit: its first call was measured
                pass
            elif (slot_at := entry[1]) is None:
                ready = entry[0]
                out.walk_in.append(clock.t - ready)
            else:
                ready = entry[0]
                out.appointment.append(clock.t - max(ready, slot_at))
                out.lateness.append(clock.t - slot_at)
            mean = true_mean[ticket["service"]["id"]]
            duration = rng.lognormvariate(math.log(mean) - 0.125, 0.5)
            if rng.random() < 0.02:
                duration *= 6
            push(clock.t + duration, "finish", f"{counter_id}:{ticket['id']}")

        def serve_free(service: str | None = None) -> None:
            for counter_id in sorted(free):
                if (
                    service is None
                    or service in next(c for c in center.counters if c.id == counter_id).services
                ):
                    call(counter_id)
                    if service is not None:
                        break

        while events:
            at, _, kind, what = heapq.heappop(events)
            clock.t = at
            if kind == "arrive":
                person = {"phone": f"7{rng.randrange(10**7):07d}"}  # services limited per person
                try:
                    ticket, _ = tickets.issue_ticket(ctx, kiosk, what, person=person)
                except Refusal:  # past the service's cut-off: no ticket, as at the kiosk
                    out.refused += 1
                    continue
                waiting[ticket["id"]] = (at, None)
                serve_free(what)
            elif kind == "check_in":
                answer = appointment_checkin.check_in(ctx, kiosk, what)
                ticket = answer["ticket"]
                late = answer["late"]
                out.late_arrivals += late
                slot = None if late else answer["appointment"]["at"]
                waiting[ticket["id"]] = (at, slot)
                serve_free(ticket["service"]["id"])
            elif kind == "wake":
                serve_free()
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
    out.seconds = time.perf_counter() - started
    return out


def line(label: str, values: list[float]) -> str:
    if not values:
        return f"{label:<28} n=    0"
    ordered = sorted(values)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    return (
        f"{label:<28} n={len(values):>5}  mean={statistics.mean(values) / 60:6.1f} min"
        f"  median={statistics.median(values) / 60:6.1f} min  p90={p90 / 60:6.1f} min"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=6000)
    parser.add_argument("--booked", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    reference = simulate(args, 0.0)
    mixed = simulate(args, args.booked)
    print(f"the estimate benchmark's day: {args.tickets} citizens, seed {args.seed}")
    print(
        f"reference, everyone walks in ({reference.seconds:.1f} s of this machine;"
        f" {reference.refused} refused past a cut-off):"
    )
    print(line("  walk-in wait", reference.walk_in))
    print(
        f"with {args.booked:.0%} wanting a booking ({mixed.seconds:.1f} s): {mixed.booked} booked,"
        f" {mixed.overflow} found no room (walked in), {mixed.no_shows} no-shows,"
        f" {mixed.late_arrivals} came past the grace (walk-ins), {mixed.refused} refused past a"
        " cut-off"
    )
    print(line("  walk-in wait", mixed.walk_in))
    print(line("  appointment wait", mixed.appointment))
    late = [x for x in mixed.lateness if x > mixed.grace_s]
    share = len(late) / len(mixed.lateness) if mixed.lateness else 0.0
    print(
        f"  appointments called late (over {mixed.grace_s / 60:.0f} min after the slot):"
        f" {len(late)} of {len(mixed.lateness)} ({share:.1%})"
    )
    if late:
        print(line("  ... by", late))
    return 0


if __name__ == "__main__":
    sys.exit(main())
