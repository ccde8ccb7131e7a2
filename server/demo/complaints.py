"""Demo complaints, so the manager's page, the dashboard's alerts, the ministry's escalated
complaints (``nafitha demo --national``) and the kiosk's "where is my file?" have something on
first start: a complaint long past its deadline (its manager's alert raised three days ago, then
escalated to the ministry), one answered, and a fresh suggestion. Filed through the real use
cases with the clock set back; seeded once per database, listed at every demo start
(docs/complaints.md).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from server.usecases import complaints, complaints_handling
from server.usecases.complaints_overdue import run_overdue
from server.usecases.context import Actor, Context

KIOSK = Actor("device", "demo-kiosk-1", "kiosk")
MANAGER = Actor("person", "manager", "manager")
DAY_S = 86_400.0


def _file(ctx: Context, days_ago: float, **body: Any) -> str:
    when = ctx.now() - days_ago * DAY_S
    fields = {"service": None, "ticket_token": None, "topic": None, "text": None,
              "anonymous": True, "phone": None, "lang": "ar", **body}  # fmt: skip
    filed = complaints.file_complaint(replace(ctx, clock=lambda: when), KIOSK, "demo", **fields)
    return str(filed["reference"])


def seed_demo_complaints(ctx: Context) -> list[tuple[str, str]]:
    """File the samples; (printed reference, what it shows) for each."""
    late = _file(ctx, 12, kind="complaint", about="center", topic="long_wait",
                 text="انتظرت ساعتين ولم يُنادَ رقمي.")  # fmt: skip
    answered = _file(ctx, 2, kind="complaint", about="service", service="civil-extract",
                     topic="documents_asked", lang="en",
                     text="I was asked for a paper the website does not list.")  # fmt: skip
    complaints_handling.answer(
        replace(ctx, clock=lambda: ctx.now() - DAY_S), MANAGER, answered,
        "The list is corrected; thank you.", "en",
    )  # fmt: skip
    fresh = _file(ctx, 0, kind="suggestion", about="center", topic="seating")
    run_overdue(ctx, ctx.now() - 3 * DAY_S)  # the manager was alerted three days ago...
    run_overdue(ctx)  # ...and did not answer: escalated to the ministry
    return [
        (late, "overdue: the manager's alert is on the dashboard, escalated to the ministry"),
        (answered, "answered"),
        (fresh, "a suggestion just received"),
    ]


def seeded_complaints(db: Path, center_config: Path, listing: Path) -> list[str]:
    """The samples, filed once per database (``listing`` keeps what was made); its lines."""
    if not listing.exists():
        from server.app import open_context
        from server.config import ServerSettings

        settings = ServerSettings(db=db, center_config=center_config, ignore_hours=True)
        ctx = open_context(settings)
        try:
            lines = [f"{ref}  {shows}" for ref, shows in seed_demo_complaints(ctx)]
        finally:
            ctx.db.close()
        listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return listing.read_text(encoding="utf-8").splitlines()


def demo_complaints_step(setup: Any) -> None:
    """A ``nafitha demo`` step: seed the complaints once, then print them at every start."""
    lines = seeded_complaints(setup.db, setup.center, setup.data / "demo-complaints.txt")
    print(f"  complaints (managers: {setup.url}/complaints-admin; citizens: {setup.url}/c/REF):")
    for line in lines:
        print(f"    {line}")
