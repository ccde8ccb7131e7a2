"""The clock's and time zone's warnings (server/clock.py) as alerts on the manager's dashboard."""

from __future__ import annotations

from server.clock import ClockWarning
from server.store import alerts as store
from server.store.events import append_event
from server.usecases.context import Context

ACTOR = "server"


def raise_clock_alerts(ctx: Context, warnings: list[ClockWarning]) -> list[str]:
    """One open alert per warning's kind (none added while one is still open); the kinds added.

    The alert's ``kind`` is the warning's code (the dashboard's text is ``web.alert_<code>``) and
    its message the details (``system=Etc/UTC center=Asia/Beirut``), so a restart every night
    does not pile up copies of the same alert.
    """
    added: list[str] = []
    if not warnings:
        return added
    now = ctx.now()
    with ctx.db.write() as tx:
        open_kinds = {row[2] for row in store.latest_alerts(tx, include_resolved=False)}
        for warning in warnings:
            if warning.code in open_kinds:
                continue
            message = " ".join(f"{key}={value}" for key, value in warning.params.items())
            alert_id = store.insert_alert(tx, now, warning.code, message, None, ACTOR, None)
            append_event(
                tx,
                "alert_raised",
                at=now,
                actor=ACTOR,
                data={"alert": alert_id, "kind": warning.code, "message": message, "label": None},
            )
            added.append(warning.code)
    if added:
        ctx.on_event()
    return added
