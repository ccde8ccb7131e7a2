"""Overdue complaints climb: an alert to the manager, then the ministry (docs/complaints.md).

A complaint or suggestion still open (received, under review), not spam, past its deadline gets
one alert on the dashboard (``complaint_overdue``, the ``alerts`` table) and a
``complaint_escalated`` event at level ``"manager"``. Still open ``escalate_after_days`` after
that alert, it is escalated at level ``"ministry"``: an event the national hub receives in the
chain. Each climb is one transaction and happens once; answering or closing clears the alert.
``now`` is the caller's (a simulated clock in tests).
"""

from __future__ import annotations

from typing import Any

from server.domain import complaints as rules
from server.store import alerts as alerts_store
from server.store import complaints as store
from server.store.events import append_event
from server.usecases.catalog import load_catalog
from server.usecases.complaints import printed, record_step
from server.usecases.context import SYSTEM, Context

ALERT_KIND = "complaint_overdue"
DAY_S = 86_400.0


def _climb(ctx: Context, reference: str, level: str, now: float) -> bool:
    """One complaint one level up, unless someone dealt with it meanwhile."""
    with ctx.db.write() as tx:
        row = store.complaint(tx, reference)
        if row is None or not rules.is_overdue(row, now):
            return False
        changes: dict[str, Any] = {"steps": row["steps"] + 1, "updated_at": now}
        extra: dict[str, Any] = {"level": level}
        if level == "manager":
            if row["alerted_at"] is not None:
                return False
            message = printed(reference)
            alert_id = alerts_store.insert_alert(
                tx, now, ALERT_KIND, message, None, SYSTEM.name or "system", None
            )
            append_event(
                tx,
                "alert_raised",
                at=now,
                actor=SYSTEM.name,
                data={"alert": alert_id, "kind": ALERT_KIND, "message": message, "label": None},
            )
            changes.update(alerted_at=now, alert_id=alert_id)
            extra["alert"] = alert_id
        else:
            if row["escalated_at"] is not None:
                return False
            changes["escalated_at"] = now
        store.update_complaint(tx, reference, **changes)
        after = store.complaint(tx, reference)
        assert after is not None
        extra["overdue_s"] = round(now - row["deadline_at"])
        step = f"escalated_{level}"
        record_step(ctx, tx, after, "complaint_escalated", step, SYSTEM, now, extra)
    return True


def run_overdue(ctx: Context, now: float | None = None) -> dict[str, int]:
    """Alert the manager about newly overdue complaints, escalate the long-overdue ones."""
    now = ctx.now() if now is None else now
    wait = load_catalog(ctx).center.complaints.escalate_after_days * DAY_S
    reader = ctx.db.read()
    alerted = sum(_climb(ctx, ref, "manager", now) for ref in store.due_for_alert(reader, now))
    escalated = sum(
        _climb(ctx, ref, "ministry", now) for ref in store.due_for_escalation(reader, now - wait)
    )
    if alerted or escalated:
        ctx.on_event()
    return {"alerted": alerted, "escalated": escalated}
