"""The audit log as the admin pages read it: every change but ticket traffic, newest first.

Each change comes with a sentence saying what it did in both languages; passwords and tokens in
an event's data are masked, whoever reads it.
"""

from __future__ import annotations

import json
from typing import Any

from server.domain.roles import Can, require
from server.store.events import changes
from server.usecases.catalog import load_catalog
from server.usecases.change_log_text import describe
from server.usecases.context import Actor, Context
from server.usecases.ticket_view import iso

# Ticket traffic is not what an admin audits here; everything else is (catalog, people, devices,
# sign-ins, board message, files, alerts).
TRAFFIC = "ticket_%"
MAX_EVENTS = 500


def change_log(ctx: Context, actor: Actor, limit: int = 100, before: int | None = None) -> list:
    """The newest changes first (``before``: an event id to page back from)."""
    require(actor, Can.READ_AUDIT)
    catalog = load_catalog(ctx)
    timezone = catalog.center.timezone
    limit = max(1, min(limit, MAX_EVENTS))
    rows = changes(ctx.db.read(), TRAFFIC, before if before is not None else 2**62, limit)
    events = [
        {
            "id": r[0],
            "at": iso(r[1], timezone),
            "kind": r[2],
            "actor": r[3],
            "counter": r[4],
            "device": r[5],
            "data": _without_secrets(json.loads(r[6])),
        }
        for r in rows
    ]
    # What each change did, as a sentence in both languages (the page shows one).
    return [{**event, "description": describe(event, catalog)} for event in events]


def _without_secrets(data: Any) -> Any:
    if isinstance(data, dict):
        return {
            k: ("•••" if "password" in k or "token" in k else _without_secrets(v))
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [_without_secrets(v) for v in data]
    return data
