"""The replica's state as staff alerts: one when it fails or falls behind, cleared when it is
back (the existing alerts list: dashboard, ``GET /api/v1/alerts``).

A state must last ``settle_s`` (5 s) before its alert is raised: one upload retried over a flaky
link does not page anyone; the alert is resolved as soon as the replica is ``ok`` again.
"""

from __future__ import annotations

import logging

from server.replica.state import ReplicaState
from server.usecases.alerts import sync_system_alert
from server.usecases.context import Context

log = logging.getLogger("nafitha.replica")

FAILING = "replica_failing"
BEHIND = "replica_behind"
SETTLE_S = 5.0


class ReplicaAlerts:
    """Called with each new state; writes only when an alert must be raised or resolved."""

    def __init__(self, ctx: Context, settle_s: float = SETTLE_S) -> None:
        self.ctx = ctx
        self.settle_s = settle_s
        self._active: dict[str, bool] = {}
        self._since: dict[str, float] = {}  # when the state that raises this alert began

    def __call__(self, state: ReplicaState) -> None:
        if state.status == "starting":
            return
        wanted = {
            FAILING: state.status == "failing",
            BEHIND: state.status == "behind",
        }
        for kind, active in wanted.items():
            if active:
                began = self._since.setdefault(kind, state.updated_at)
                if state.updated_at - began < self.settle_s and not self._active.get(kind):
                    continue
            else:
                self._since.pop(kind, None)
            if self._active.get(kind) == active:
                continue
            message = (
                f"{state.error or 'litestream is not running'} ({state.url})"
                if kind == FAILING
                else f"{state.lag_s:.0f} s behind ({state.url})"
            )
            done = sync_system_alert(self.ctx, kind, active, message)
            if done:
                log.warning("replica alert %s: %s", kind, done)
            self._active[kind] = active
