"""Is the server up and can it read and write its database: the body of ``GET /api/v1/health``."""

from __future__ import annotations

from typing import Any

from nafitha import __version__
from server.clock import clock_warnings, read_clock_state, system_zone_name
from server.domain.roles import Can, may
from server.sms.health import sms_health
from server.usecases.catalog import load_catalog
from server.usecases.context import Actor, Context


def _clock(ctx: Context) -> dict[str, Any]:
    """The kernel's sync flag and the clock's warnings (server/clock.py): a syscall, no I/O."""
    state = read_clock_state()
    zone = load_catalog(ctx).center.timezone
    warnings = clock_warnings(state, system_zone_name(), zone, ctx.now())
    return {"synchronised": state.synchronised, "warnings": [w.code for w in warnings]}


def health(ctx: Context) -> tuple[dict[str, Any], bool]:
    """The health answer and whether writes work.

    The database is read once (a broken file raises here, as any request would). Writes count as
    failing while the last write met a storage fault (read-only file, disk full, I/O error) and
    no write has succeeded since: a monitor then sees what every kiosk and counter sees, rather
    than an "ok" over failing writes.
    """
    ctx.db.ping()
    fault = ctx.db.storage_error
    body: dict[str, Any] = {
        "status": "ok" if fault is None else "storage_unavailable",
        "version": __version__,
        "time": ctx.now(),
        "writable": fault is None,
    }
    if fault is not None:
        body["storage"] = fault
    body["clock"] = _clock(ctx)  # docs/operations.md, "What to monitor"
    if (relay := ctx.cache.get("national_relay")) is not None:  # docs/national.md, "Relay"
        body["national"] = relay.status()
        if (responder := ctx.cache.get("portal_responder")) is not None:  # portal requests
            body["national"]["portal"] = responder.status()  # state, answered, error
    if (sender := ctx.cache.get("sms_sender")) is not None:  # docs/sms.md, "Health"
        body["sms"] = sms_health(ctx, sender)  # a standby worker answers from the alerts
    return body, fault is None


def replica_status(ctx: Context, actor: Actor) -> dict[str, Any] | None:
    """The off-site replica's state for the health answer (None without a ``[replica]``).

    Anyone sees its one-word status (``starting``, ``ok``, ``behind``, ``failing``); staff also
    see where it goes, its position, lag and last error (docs/operations.md, "Monitoring").
    """
    read = ctx.cache.get("replica")
    if read is None:
        return None
    state = read()
    if state is None:
        return None
    if not may(actor, Can.HANDLE_ALERTS):
        return {"status": state.status}
    return state.to_json()
