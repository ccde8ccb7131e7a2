"""Admin: editing categories, services and counters through the API. Each edit is audited."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from server.config import Category, CenterConfig, Counter, Service
from server.domain.errors import Refusal
from server.store.events import append_event
from server.usecases.catalog import (
    bump_version,
    load_catalog,
    write_category,
    write_counter,
    write_service,
)
from server.usecases.context import Actor, Context


def _check_whole(
    ctx: Context, categories: list[Category], services: list[Service], counters: list[Counter]
) -> None:
    """The catalog after the edit must still be a valid center config (references, uniqueness)."""
    catalog = load_catalog(ctx)
    try:
        CenterConfig.model_validate(
            {
                "center": catalog.center,
                "categories": categories,
                "services": services,
                "counters": counters,
                "workflows": list(catalog.workflows),
            }
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        reason = str(first["msg"]).removeprefix("Value error, ")
        raise Refusal("invalid_catalog", status=422, reason=reason) from None


def _upsert(items: list[Any], item: Any) -> tuple[list[Any], int]:
    for i, existing in enumerate(items):
        if existing.id == item.id:
            return [*items[:i], item, *items[i + 1 :]], i
    return [*items, item], len(items)


def put_category(ctx: Context, actor: Actor, category: Category) -> dict[str, Any]:
    catalog = load_catalog(ctx)
    categories, position = _upsert(list(catalog.categories), category)
    _check_whole(ctx, categories, list(catalog.services.values()), list(catalog.counters.values()))
    return _save(ctx, actor, "category_saved", category, position, write_category)


def put_service(ctx: Context, actor: Actor, service: Service) -> dict[str, Any]:
    catalog = load_catalog(ctx)
    services, position = _upsert(list(catalog.services.values()), service)
    _check_whole(ctx, list(catalog.categories), services, list(catalog.counters.values()))
    return _save(ctx, actor, "service_saved", service, position, write_service)


def put_counter(ctx: Context, actor: Actor, counter: Counter) -> dict[str, Any]:
    catalog = load_catalog(ctx)
    counters, position = _upsert(list(catalog.counters.values()), counter)
    _check_whole(ctx, list(catalog.categories), list(catalog.services.values()), counters)
    return _save(ctx, actor, "counter_saved", counter, position, write_counter)


def _save(ctx: Context, actor: Actor, kind: str, item: Any, position: int, writer: Any) -> dict:
    now = ctx.now()
    with ctx.db.write() as tx:
        writer(tx, item, position)
        bump_version(tx)
        append_event(tx, kind, at=now, actor=actor.name, data=item.model_dump(mode="json"))
    ctx.cache.pop("catalog", None)
    ctx.on_event()
    return item.model_dump(mode="json")
