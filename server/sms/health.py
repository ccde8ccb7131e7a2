"""The modem's state as ``GET /api/v1/health`` tells it (``"sms": {"state"}``), in every worker.

Only one process of a database runs the sender (the lock beside it); the other workers' senders
stand by and know nothing of the modem. A counter polling the health endpoint may reach any
worker, so a standby worker answers from the alerts the active sender keeps in the database: an
open ``sms_modem_<fault>`` alert is ``fault:<fault>``, none is ``connected``. States: ``starting``,
``connected``, ``fault:absent``, ``fault:no_network``, ``fault:rejected``, ``stopped``.
"""

from __future__ import annotations

from typing import Any

from server.usecases.context import Context

FAULTS = ("absent", "no_network", "rejected")  # the order a counter shows them in


def sms_health(ctx: Context, sender: Any) -> dict[str, str]:
    """``{"state": ...}`` of the modem, from this process's sender or the shared alerts."""
    state = str(sender.status()["state"])
    if state != "standby":
        return {"state": state}
    rows = ctx.db.read().execute(
        "SELECT DISTINCT kind FROM alerts WHERE resolved_at IS NULL AND kind LIKE 'sms_modem_%'"
    )
    open_faults = {row[0].removeprefix("sms_modem_") for row in rows}
    for fault in FAULTS:
        if fault in open_faults:
            return {"state": f"fault:{fault}"}
    return {"state": "connected"}


__all__ = ["FAULTS", "sms_health"]
