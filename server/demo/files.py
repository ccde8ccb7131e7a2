"""Sample files for the demo center, so "where is my file" has something to find on first start.

Five files at telling points of their workflows (ready for pickup, waiting for a missing document,
overdue at the ministry, in progress, delivered), opened and moved through the real use cases with
a clock set back to when each would have happened. Seeded once per database; their references are
kept in the data folder and printed at every demo start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from server.domain.files import Citizen
from server.usecases.context import Actor, Context
from server.usecases.files import move_file, open_file

DAY = 86400.0
STEP = 3 * 3600.0  # between the moves of one sample
CLERK = Actor("person", "clerk1", "clerk", "c1")
MANAGER = Actor("person", "manager", "manager")

# (service, documents received, what it shows, days ago it was opened, moves: (stage, who, extra))
SAMPLES: tuple[tuple[str, list[int], str, float, list[tuple[str, Actor, dict[str, Any]]]], ...] = (
    ("passport-new", [0, 1, 2, 3], "ready for pickup", 6.0, [
        ("document-check", CLERK, {}), ("biometrics", CLERK, {}),
        ("security-check", CLERK, {}), ("printing", CLERK, {}),
        ("signature", MANAGER, {}), ("ready", CLERK, {"note": "Bring your old passport"}),
    ]),
    ("civil-extract", [0], "a document missing", 0.1, []),
    ("work-permit", [0, 1, 2, 3], "overdue at the ministry", 8.0, [
        ("document-check", CLERK, {}), ("ministry-review", CLERK, {}),
    ]),
    ("vehicle-transfer", [0, 1, 2, 3], "in progress", 0.5, [
        ("document-check", CLERK, {}), ("fees", CLERK, {}), ("registration", CLERK, {}),
    ]),
    ("consumer-complaint", [0, 1], "closed", 9.0, [
        ("study", CLERK, {}), ("decision", MANAGER, {}), ("result-ready", CLERK, {}),
        ("closed", CLERK, {}),
    ]),
)  # fmt: skip


def seed_demo_files(ctx: Context) -> list[tuple[str, str, str]]:
    """Open and move the sample files; (printed reference, service, what it shows) for each."""
    now = ctx.now()
    made: list[tuple[str, str, str]] = []
    for service, received, shows, days_ago, moves in SAMPLES:
        moment = now - days_ago * DAY

        def at(t: float) -> Callable[[], float]:
            return lambda: t

        opened = open_file(
            replace(ctx, clock=at(moment)), CLERK, service,
            Citizen("Demo Citizen", "DEMO0001", "+9610000000"), received,
        )  # fmt: skip
        for i, (stage, who, extra) in enumerate(moves, start=1):
            move_file(replace(ctx, clock=at(moment + i * STEP)), who, opened["reference"], stage,
                      **extra)  # fmt: skip
        made.append((opened["reference"], service, shows))
    return made


def demo_files_step(setup: Any) -> None:
    """A ``nafitha demo`` step: seed the samples once, then print them at every start."""
    from server.app import open_context
    from server.config import ServerSettings

    listing: Path = setup.data / "demo-files.txt"
    if not listing.exists():
        settings = ServerSettings(db=setup.db, center_config=setup.center, ignore_hours=True)
        ctx = open_context(settings)
        try:
            lines = [f"{ref}  {service}: {shows}" for ref, service, shows in seed_demo_files(ctx)]
        finally:
            ctx.db.close()
        listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"  files to track (kiosk, or {setup.url}/f/REFERENCE):")
    for line in listing.read_text(encoding="utf-8").splitlines():
        print(f"    {line}")
