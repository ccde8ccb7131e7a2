"""Stateful property test: random kiosk and clerk operations through the use cases on a real file.

Whatever the interleaving, a ticket is called at most once per trip through waiting, a counter holds
at most one called/serving ticket, numbering per prefix is gapless, refusals leave no trace, and the
trigger-kept waiting counts agree with the tickets.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from server.app import open_context
from server.config import ServerSettings
from server.domain.errors import Refusal
from server.usecases import calling, ticket_actions, tickets
from server.usecases.context import Actor
from tests.server.conftest import FakeClock

KIOSK = Actor("device", "k", "kiosk")
CLERKS = {c: Actor("person", f"clerk-{c}", "clerk", c) for c in ("c1", "c2", "c10")}
SERVICES = ["civil-extract", "family-extract", "criminal-record", "passport-renewal"]


class QueueMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        folder = self.folder = Path(tempfile.mkdtemp(prefix="nafitha-hyp-"))
        self.clock = FakeClock()
        self.ctx = open_context(ServerSettings(db=folder / "n.db"), clock=self.clock)
        self.issued: list[int] = []

    def teardown(self) -> None:
        self.ctx.db.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule(service=st.sampled_from(SERVICES), priority=st.booleans())
    def issue(self, service: str, priority: bool) -> None:
        ticket, created = tickets.issue_ticket(self.ctx, KIOSK, service, priority)
        assert created
        self.issued.append(ticket["id"])
        self.clock.advance(7)

    @rule(counter=st.sampled_from(sorted(CLERKS)))
    def call_next(self, counter: str) -> None:
        try:
            ticket = calling.call_next(self.ctx, CLERKS[counter], counter)
        except Refusal as refusal:
            assert refusal.code == "counter_busy"
            return
        if ticket is not None:
            assert ticket["counter"]["id"] == counter

    @rule(
        counter=st.sampled_from(sorted(CLERKS)),
        action=st.sampled_from(["recall", "no-show", "start", "finish", "cancel", "transfer"]),
    )
    def act(self, counter: str, action: str) -> None:
        row = (
            self.ctx.db.read()
            .execute(
                "SELECT id FROM tickets WHERE counter = ? AND state IN ('called','serving')",
                [counter],
            )
            .fetchone()
        )
        if row is None:
            return
        extra = {"service": "civil-extract"} if action == "transfer" else {"reason": "test"}
        try:
            ticket_actions.ticket_action(self.ctx, CLERKS[counter], row[0], action, **extra)
        except Refusal as refusal:
            assert refusal.code in ("wrong_state", "no_show_too_soon")

    @invariant()
    def one_ticket_per_counter_and_gapless_numbers(self) -> None:
        db = self.ctx.db.read()
        busy = db.execute(
            "SELECT counter, count(*) FROM tickets WHERE state IN ('called','serving')"
            " GROUP BY counter HAVING count(*) > 1"
        ).fetchall()
        assert busy == []
        for prefix, count, top in db.execute(
            "SELECT prefix, count(*), max(seq) FROM tickets GROUP BY prefix"
        ):
            assert count == top, prefix
        calls = db.execute("SELECT count(*) FROM events WHERE kind = 'ticket_called'").fetchone()[0]
        trips = db.execute("SELECT count(*) + coalesce(sum(transfers), 0) FROM tickets").fetchone()[
            0
        ]
        assert calls <= trips

    @invariant()
    def waiting_counts_agree_with_the_tickets(self) -> None:
        """The trigger-kept counts (people ahead of a new ticket) equal a count of the rows."""
        db = self.ctx.db.read()
        counted = db.execute(
            "SELECT day, service, priority, count(*) FROM tickets WHERE state = 'waiting'"
            " GROUP BY day, service, priority ORDER BY day, service, priority"
        ).fetchall()
        kept = db.execute(
            "SELECT day, service, priority, waiting FROM waiting_counts WHERE waiting != 0"
            " ORDER BY day, service, priority"
        ).fetchall()
        assert kept == counted


QueueMachine.TestCase.settings = settings(max_examples=15, stateful_step_count=25, deadline=None)
test_queue_machine = QueueMachine.TestCase
