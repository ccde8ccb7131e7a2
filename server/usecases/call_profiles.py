"""The manager chooses the calling profiles: the center's default, and each counter's own profile
and helping services (docs/server.md, "Calling profiles"; docs/api.md, "Calling profiles").

Each change is one transaction and one audited event, ``call_profile_saved`` (``scope``: "center"
or "counter", the profile, for a counter its helping services); the catalog version moves so every
worker process calls by the new profile within a second. Like the admin's catalog edits, they
stand until the center file changes.
"""

from __future__ import annotations

from typing import Any

from nafitha.text import both
from server.config import CallProfile, Counter
from server.domain.errors import Refusal
from server.domain.roles import Can, require
from server.store import catalog as store
from server.store.events import append_event
from server.usecases.catalog import bump_version, catalog_with, load_catalog, write_counter
from server.usecases.context import Actor, Context


def _dump(profile: CallProfile | None) -> dict[str, Any] | None:
    return None if profile is None else profile.model_dump(mode="json")


def center_profile(ctx: Context, actor: Actor) -> dict[str, Any]:
    """The center's default calling profile."""
    require(actor, Can.SET_CALL_PROFILE)
    return {"profile": _dump(load_catalog(ctx).center.call_profile)}


def counter_profile(ctx: Context, actor: Actor, counter_id: str) -> dict[str, Any]:
    """A counter's own profile (None: the center's), its helping services, and what applies."""
    require(actor, Can.SET_CALL_PROFILE)
    catalog = catalog_with(ctx, counter=counter_id)
    counter = catalog.counter(counter_id)
    return _counter_answer(counter, catalog.center.call_profile)


def _counter_answer(counter: Counter, default: CallProfile) -> dict[str, Any]:
    return {
        "counter": counter.id,
        "services": list(counter.services),
        "profile": _dump(counter.profile),
        "helps": list(counter.helps),
        "effective": _dump(counter.profile or default),
    }


def put_center_profile(ctx: Context, actor: Actor, profile: CallProfile) -> dict[str, Any]:
    """Make ``profile`` the center's default (``call_policy`` follows its policy)."""
    require(actor, Can.SET_CALL_PROFILE)
    catalog = load_catalog(ctx)
    center = catalog.center.model_copy(
        update={"call_profile": profile, "call_policy": profile.policy}
    )
    now = ctx.now()
    with ctx.db.write() as tx:
        store.set_meta(tx, "center", center.model_dump_json())
        bump_version(tx)
        append_event(
            tx,
            "call_profile_saved",
            at=now,
            actor=actor.name,
            data={"scope": "center", "profile": _dump(profile)},
        )
    ctx.cache.pop("catalog", None)
    ctx.on_event()
    return {"profile": _dump(profile)}


def put_counter_profile(
    ctx: Context, actor: Actor, counter_id: str, profile: CallProfile | None, helps: list[str]
) -> dict[str, Any]:
    """Give the counter its own ``profile`` (None: the center's) and its helping services."""
    require(actor, Can.SET_CALL_PROFILE)
    catalog = catalog_with(ctx, counter=counter_id)
    counter = catalog.counter(counter_id)
    helps = list(dict.fromkeys(helps))
    for name in helps:
        if name not in catalog.services or not catalog.services[name].active:
            raise Refusal(
                "invalid_catalog", reason=both("web.admin_error_unknown_service", id=name)
            )
        if name in counter.services:
            raise Refusal("invalid_catalog", reason=both("web.admin_error_help_is_main", id=name))
    changed = counter.model_copy(update={"profile": profile, "helps": helps})
    position = list(catalog.counters).index(counter_id)
    now = ctx.now()
    with ctx.db.write() as tx:
        write_counter(tx, changed, position)
        bump_version(tx)
        append_event(
            tx,
            "call_profile_saved",
            at=now,
            actor=actor.name,
            counter=counter_id,
            data={"scope": "counter", "profile": _dump(profile), "helps": helps},
        )
    ctx.cache.pop("catalog", None)
    ctx.on_event()
    return _counter_answer(changed, catalog.center.call_profile)
