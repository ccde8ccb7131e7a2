"""What the admin pages read that the admin API does not list: the whole catalog (inactive services
included, every field as the admin API's PUT takes it back). The change log they show is read by
:mod:`server.usecases.audit_log`."""

from __future__ import annotations

from typing import Any

from server.domain.roles import Can, require
from server.usecases.catalog import load_catalog
from server.usecases.context import Actor, Context


def full_catalog(ctx: Context, actor: Actor) -> dict[str, Any]:
    require(actor, Can.EDIT_CATALOG)
    catalog = load_catalog(ctx)
    return {
        "categories": [c.model_dump(mode="json") for c in catalog.categories],
        "services": [s.model_dump(mode="json") for s in catalog.services.values()],
        "counters": [c.model_dump(mode="json") for c in catalog.counters.values()],
    }
