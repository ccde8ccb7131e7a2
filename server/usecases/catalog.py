"""The center's catalog (categories, services, counters) as the database holds it.

The center config file seeds the catalog: at start, when the file differs from the one imported
last (its hash is kept in ``meta``), its categories, services and counters replace the database's.
Between changes of the file, an admin's edits through the API stand. Each process caches the
catalog and reloads it when ``meta.catalog_version`` moves (every edit bumps it).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from server.config import Category, Center, CenterConfig, Counter, Service
from server.domain.errors import Refusal
from server.domain.hours import is_open, local_day
from server.store import catalog as store
from server.store.events import append_event, canonical
from server.usecases import estimates
from server.usecases.context import SYSTEM, Actor, Context


@dataclass(frozen=True)
class Catalog:
    version: int
    center: Center
    categories: tuple[Category, ...]
    services: dict[str, Service]
    counters: dict[str, Counter]
    workflows: tuple[dict[str, Any], ...]
    _derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def service(self, service_id: str) -> Service:
        service = self.services.get(service_id)
        if service is None or not service.active:
            raise Refusal("unknown_service", service=service_id)
        return service

    def counter(self, counter_id: str) -> Counter:
        counter = self.counters.get(counter_id)
        if counter is None:
            raise Refusal("unknown_counter", counter=counter_id)
        return counter

    def counters_of(self, service_id: str) -> frozenset[str]:
        return self.counters_by_service().get(service_id, frozenset())

    def counters_by_service(self) -> dict[str, frozenset[str]]:
        """Service id -> the counters serving it (computed once per catalog version)."""
        cached = self._derived.get("counters_by_service")
        if cached is None:
            cached = {
                s: frozenset(c.id for c in self.counters.values() if s in c.services)
                for s in self.services
            }
            self._derived["counters_by_service"] = cached
        return cached

    def services_by_counter(self) -> dict[str, frozenset[str]]:
        """Counter id -> the services it serves (computed once per catalog version)."""
        cached = self._derived.get("services_by_counter")
        if cached is None:
            cached = {c.id: frozenset(c.services) for c in self.counters.values()}
            self._derived["services_by_counter"] = cached
        return cached

    def target_wait_s(self) -> dict[str, float]:
        """Service id -> its target wait in seconds (the target-ratio call policy weighs it)."""
        cached = self._derived.get("target_wait_s")
        if cached is None:
            cached = {s.id: s.target_wait_min * 60.0 for s in self.services.values()}
            self._derived["target_wait_s"] = cached
        return cached


_meta = store.meta
_set_meta = store.set_meta


def bump_version(tx: sqlite_utils.Database) -> None:
    current = int(_meta(tx, "catalog_version") or 0)
    _set_meta(tx, "catalog_version", str(current + 1))


CHECK_EVERY_S = 1.0  # how stale another process's catalog edit may look here


def load_catalog(ctx: Context, fresh: bool = False) -> Catalog:
    """This process's copy of the catalog, reloaded when a writer changed it.

    Edits made by this process drop the cache at once; edits by other worker processes are seen
    within ``CHECK_EVERY_S`` (the version in ``meta`` is checked at most that often).
    """
    cached: Catalog | None = ctx.cache.get("catalog")
    checked = ctx.cache.get("catalog_checked", 0.0)
    if cached is not None and not fresh and time.monotonic() - checked < CHECK_EVERY_S:
        return cached
    reader = ctx.db.read()
    version = int(_meta(reader, "catalog_version") or 0)
    ctx.cache["catalog_checked"] = time.monotonic()
    if cached is not None and cached.version == version:
        return cached
    center_json = _meta(reader, "center")
    if center_json is None:
        raise RuntimeError("the catalog was never imported (import_center_config at start)")
    catalog = Catalog(
        version=version,
        center=Center.model_validate_json(center_json),
        categories=tuple(
            Category.model_validate_json(data) for data in store.category_data(reader)
        ),
        services={
            s.id: s
            for s in (Service.model_validate_json(data) for data in store.service_data(reader))
        },
        counters={
            c.id: c
            for c in (Counter.model_validate_json(data) for data in store.counter_data(reader))
        },
        workflows=tuple(json.loads(_meta(reader, "workflows") or "[]")),
    )
    ctx.cache["catalog"] = catalog
    return catalog


def catalog_with(ctx: Context, service: str | None = None, counter: str | None = None) -> Catalog:
    """The catalog, re-checked at once if it lacks ``service`` or ``counter`` (just added by
    another worker process), so a fresh edit is never refused as unknown."""
    catalog = load_catalog(ctx)
    if (service is not None and service not in catalog.services) or (
        counter is not None and counter not in catalog.counters
    ):
        catalog = load_catalog(ctx, fresh=True)
    return catalog


def config_hash(config: CenterConfig) -> str:
    return hashlib.sha256(canonical(config.model_dump(mode="json")).encode()).hexdigest()


def write_category(tx: sqlite_utils.Database, category: Category, position: int) -> None:
    store.upsert_category(tx, category.id, position, category.model_dump_json())


def write_service(tx: sqlite_utils.Database, service: Service, position: int) -> None:
    store.upsert_service(tx, service.id, position, service.prefix, service.model_dump_json())


def write_counter(tx: sqlite_utils.Database, counter: Counter, position: int) -> None:
    store.upsert_counter(tx, counter.id, counter.number, position, counter.model_dump_json())


# A catalog bigger than this is not put in its event: the event must stay under the national
# wire's 256 kB (nafitha.national.wire.MAX_MESSAGE_BYTES); the demo's is about 30 kB.
SHIPPED_CATALOG_MAX = 192 * 1024


def _shipped_catalog(tx: sqlite_utils.Database, config: CenterConfig) -> dict[str, Any]:
    """``{"catalog": ...}``: what the national hub's portal shows (services, documents,
    workflows), or nothing when too big for one event (the portal then says it lacks it)."""
    catalog = {
        "center": config.center.model_dump(mode="json"),
        "categories": [c.model_dump(mode="json") for c in config.categories],
        "services": [json.loads(data) for data in store.service_data(tx)],
        "counters": [c.model_dump(mode="json") for c in config.counters],
        "workflows": [w.model_dump(mode="json") for w in config.workflows],
    }
    if len(canonical(catalog).encode()) > SHIPPED_CATALOG_MAX:
        return {}
    return {"catalog": catalog}


def import_center_config(ctx: Context, config: CenterConfig, actor: Actor = SYSTEM) -> bool:
    """Make the database's catalog the file's, unless this very file was imported already.

    Services dropped from the file stay in the database as inactive (old tickets still name them);
    counters dropped from the file are removed. People of the file are added (without password).
    Returns True when something was imported.
    """
    digest = config_hash(config)
    with ctx.db.write() as tx:
        if _meta(tx, "center_config_hash") == digest:
            return False
        _set_meta(tx, "center", config.center.model_dump_json())
        _set_meta(tx, "workflows", canonical([w.model_dump(mode="json") for w in config.workflows]))
        store.clear_categories(tx)
        for i, category in enumerate(config.categories):
            write_category(tx, category, i)
        keep = {s.id for s in config.services}
        for service_id, data in store.service_rows(tx):
            if service_id not in keep:
                old = Service.model_validate_json(data)
                inactive = old.model_copy(update={"active": False})
                store.set_service_data(tx, service_id, inactive.model_dump_json())
        for i, service in enumerate(config.services):
            write_service(tx, service, i)
        counters = {c.id for c in config.counters}
        store.keep_only_counters(tx, counters)
        for i, counter in enumerate(config.counters):
            write_counter(tx, counter, i)
        now = ctx.now()
        for person in config.people:
            store.add_person_if_new(tx, person.username, person.name, person.role, now)
        _set_meta(tx, "center_config_hash", digest)
        bump_version(tx)
        append_event(
            tx,
            "catalog_imported",
            at=now,
            actor=actor.name,
            data={
                "hash": digest,
                "categories": len(config.categories),
                "services": len(config.services),
                "counters": len(config.counters),
                **_shipped_catalog(tx, config),
            },
        )
    ctx.cache.pop("catalog", None)
    return True


def service_is_open(ctx: Context, catalog: Catalog, service: Service, at: float) -> bool:
    if ctx.settings.ignore_hours:
        return True
    return is_open(service.hours, at, catalog.center.timezone)


def public_catalog(ctx: Context) -> dict[str, Any]:
    """Categories and services (GET /api/v1/services): documents, open now, and each service's
    queue as a ticket taken now would be told it (``estimates.queue_figures``)."""
    catalog = load_catalog(ctx)
    now = ctx.now()
    timezone = catalog.center.timezone
    from server.usecases.cutoff import cutoffs  # it reads this module's catalog

    with ctx.db.snapshot() as db:
        day = local_day(now, timezone)
        queues = estimates.queue_figures(db, catalog, day, ctx.cache, now=now)
        cutoff = cutoffs(ctx, db, catalog, now, queues)  # the honest cut-off, docs/server.md
    services = [
        {
            **s.model_dump(mode="json", exclude={"active"}),
            "open_now": service_is_open(ctx, catalog, s, now),
            "queue": queues[s.id],
            "cutoff": cutoff[s.id],
        }
        for s in catalog.services.values()
        if s.active
    ]
    from server.usecases.ticket_sms import catalog_fields  # it reads this module's catalog

    return {
        "center": catalog.center.model_dump(mode="json"),
        "timezone": timezone,
        "categories": [c.model_dump(mode="json") for c in catalog.categories],
        "services": services,
        "sms": catalog_fields(ctx),  # text messages offered (docs/sms.md)
    }


def public_counters(ctx: Context) -> list[dict[str, Any]]:
    """Counters with the services each serves and whether it is open (GET /api/v1/counters)."""
    catalog = load_catalog(ctx)
    status = store.counter_status(ctx.db.read())
    return [
        {
            **c.model_dump(mode="json"),
            "status": status.get(c.id, "closed"),
            "open": status.get(c.id) == "open",
        }
        for c in catalog.counters.values()
    ]
