"""What the admin pages read that the admin API does not list: the whole catalog (inactive services
included, every field as the admin API's PUT takes it back) and the change log."""

from __future__ import annotations

import json
from typing import Any

from server.domain.roles import Can, require
from server.usecases.catalog import load_catalog
from server.usecases.change_log_text import describe
from server.usecases.context import Actor, Context
from server.usecases.ticket_view import iso

# Ticket traffic is not what an admin audits here; everything else is (catalog, people, devices,
# sign-ins, board message, files, alerts).
_TRAFFIC = ("ticket_%",)
MAX_EVENTS = 500


def full_catalog(ctx: Context, actor: Actor) -> dict[str, Any]:
    require(actor, Can.EDIT_CATALOG)
    catalog = load_catalog(ctx)
    return {
        "categories": [c.model_dump(mode="json") for c in catalog.categories],
        "services": [s.model_dump(mode="json") for s in catalog.services.values()],
        "counters": [c.model_dump(mode="json") for c in catalog.counters.values()],
    }


def change_log(ctx: Context, actor: Actor, limit: int = 100, before: int | None = None) -> list:
    """The newest changes first (``before``: an event id to page back from)."""
    require(actor, Can.READ_AUDIT)
    timezone = load_catalog(ctx).center.timezone
    limit = max(1, min(limit, MAX_EVENTS))
    rows = ctx.db.read().execute(
        "SELECT id, at, kind, actor, counter, device, data FROM events"
        " WHERE kind NOT LIKE ? AND id < ? ORDER BY id DESC LIMIT ?",
        [_TRAFFIC[0], before if before is not None else 2**62, limit],
    )
    catalog = load_catalog(ctx)
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
