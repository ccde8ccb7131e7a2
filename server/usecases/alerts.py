"""Device faults (printer out of paper, scanner gone, ...) for the staff to see and clear."""

from __future__ import annotations

from typing import Any

from server.domain.errors import Refusal
from server.store import alerts as store
from server.store.events import append_event
from server.store.rate_limits import shared_buckets
from server.usecases.catalog import load_catalog
from server.usecases.context import SYSTEM, Actor, Context
from server.usecases.ticket_view import iso

# Alerts each device or person may raise: a burst, then a few a minute (a faulty printer
# reporting in a loop, or a stolen kiosk token, cannot flood the staff's list or the log).
ALERTS_PER_MINUTE = 6.0
ALERT_BURST = 20


def _check_alert_rate(ctx: Context, actor: Actor) -> None:
    key = f"alert:{actor.kind}:{actor.name}"
    wait = shared_buckets(ctx.cache, ctx.db.path).allow(
        key, ctx.now(), ALERTS_PER_MINUTE, ALERT_BURST
    )
    if wait:
        raise Refusal.retry_after("alerts_rate_limited", wait)


def _view(row: Any, timezone: str) -> dict[str, Any]:
    return {
        "id": row[0],
        "at": iso(row[1], timezone),
        "kind": row[2],
        "message": row[3],
        "device": row[4],
        "actor": row[5],
        "resolved_at": iso(row[6], timezone),
        "resolved_by": row[7],
        "label": row[8],  # what a device called itself; ``device`` is the id its token proves
    }


def post_alert(
    ctx: Context, actor: Actor, kind: str, message: str, device: str | None = None
) -> dict[str, Any]:
    """Store a fault report. A device reports for itself: the alert's ``device`` is its own id,
    and a ``device`` it sends is only its ``label``; staff may name the device they report for."""
    label = None
    if actor.kind == "device":
        label = device if device not in (None, actor.device) else None
        device = actor.device
    _check_alert_rate(ctx, actor)
    now = ctx.now()
    timezone = load_catalog(ctx).center.timezone
    with ctx.db.write() as tx:
        alert_id = store.insert_alert(tx, now, kind, message, device, actor.name, label)
        append_event(
            tx,
            "alert_raised",
            at=now,
            actor=actor.name,
            device=device,
            counter=actor.counter,
            data={"alert": alert_id, "kind": kind, "message": message, "label": label},
        )
        row = store.alert_row(tx, alert_id)
    ctx.on_event()
    return _view(row, timezone)


def list_alerts(ctx: Context, include_resolved: bool = False) -> list[dict[str, Any]]:
    timezone = load_catalog(ctx).center.timezone
    return [_view(r, timezone) for r in store.latest_alerts(ctx.db.read(), include_resolved)]


def resolve_alert(ctx: Context, actor: Actor, alert_id: int) -> dict[str, Any]:
    now = ctx.now()
    timezone = load_catalog(ctx).center.timezone
    with ctx.db.write() as tx:
        changed = store.resolve(tx, alert_id, actor.name, now)
        row = store.alert_row(tx, alert_id)
        if row is None:
            raise Refusal("unknown_alert")
        if changed:
            append_event(tx, "alert_resolved", at=now, actor=actor.name, data={"alert": alert_id})
    return _view(row, timezone)


def sync_system_alert(ctx: Context, kind: str, active: bool, message: str) -> str | None:
    """Keep one open alert of ``kind`` raised by the server itself (no device) while ``active``,
    and none once it is not: what was done, ``"raised"``, ``"resolved"`` or None.

    For faults the server watches (the off-site replica): raised on the way in, resolved on the
    way out, never repeated while it lasts (an alert already open, e.g. from before a restart,
    is kept).
    """
    now = ctx.now()
    with ctx.db.write() as tx:
        open_ids = [
            row[0]
            for row in store.latest_alerts(tx, include_resolved=False)
            if row[2] == kind and row[4] is None and row[5] == SYSTEM.name
        ]
        if active and not open_ids:
            alert_id = store.insert_alert(tx, now, kind, message, None, SYSTEM.name, None)
            append_event(
                tx,
                "alert_raised",
                at=now,
                actor=SYSTEM.name,
                data={"alert": alert_id, "kind": kind, "message": message, "label": None},
            )
            done: str | None = "raised"
        elif not active and open_ids:
            for alert_id in open_ids:
                store.resolve(tx, alert_id, SYSTEM.name, now)
                append_event(
                    tx, "alert_resolved", at=now, actor=SYSTEM.name, data={"alert": alert_id}
                )
            done = "resolved"
        else:
            done = None
    if done:
        ctx.on_event()
    return done
