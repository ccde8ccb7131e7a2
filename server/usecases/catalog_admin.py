"""Admin: adding and editing categories, services (names, category, letter, target wait, required
documents, opening hours) and counters (the services they serve) through the API. Each edit is one
transaction and one audited event (``*_saved``, with ``created`` when the item is new)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from nafitha.text import both
from server.config import Category, CenterConfig, Counter, Service
from server.domain.errors import Refusal
from server.domain.plain_text import first_unsafe
from server.store.events import append_event
from server.usecases.catalog import (
    bump_version,
    load_catalog,
    write_category,
    write_counter,
    write_service,
)
from server.usecases.context import Actor, Context


def _check_references(
    categories: list[Category], services: list[Service], counters: list[Counter]
) -> None:
    """The checks an admin can trip, refused in catalog words (the admin page shows them in its
    language next to the form), before the config's own English validation below."""
    category_ids = {c.id for c in categories}
    for service in services:
        if service.category not in category_ids:
            _refuse("web.admin_error_unknown_category", id=service.category)
    service_ids = {s.id for s in services}
    numbers: dict[int, str] = {}
    for counter in counters:
        for name in counter.services:
            if name not in service_ids:
                _refuse("web.admin_error_unknown_service", id=name)
        for name in counter.helps:  # its helping services (docs/server.md, "Calling profiles")
            if name not in service_ids:
                _refuse("web.admin_error_unknown_service", id=name)
            if name in counter.services:
                _refuse("web.admin_error_help_is_main", id=name)
        if counter.number in numbers and numbers[counter.number] != counter.id:
            _refuse("web.admin_error_number_taken", number=counter.number)
        numbers[counter.number] = counter.id


def _refuse(key: str, **params: Any) -> None:
    """``invalid_catalog`` with its reason in both languages, from the catalog."""
    raise Refusal("invalid_catalog", reason=both(key, **params))


def _check_whole(
    ctx: Context, categories: list[Category], services: list[Service], counters: list[Counter]
) -> None:
    """The catalog after the edit must still be a valid center config (references, uniqueness)."""
    catalog = load_catalog(ctx)
    _check_references(categories, services, counters)
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
        raise Refusal("invalid_catalog", reason=reason) from None


def _upsert(items: list[Any], item: Any) -> tuple[list[Any], int]:
    for i, existing in enumerate(items):
        if existing.id == item.id:
            return [*items[:i], item, *items[i + 1 :]], i
    return [*items, item], len(items)


def put_category(ctx: Context, actor: Actor, category: Category) -> dict[str, Any]:
    catalog = load_catalog(ctx)
    categories, position = _upsert(list(catalog.categories), category)
    _check_whole(ctx, categories, list(catalog.services.values()), list(catalog.counters.values()))
    created = position == len(catalog.categories)
    return _save(ctx, actor, "category_saved", category, position, write_category, created)


def put_service(ctx: Context, actor: Actor, service: Service) -> dict[str, Any]:
    catalog = load_catalog(ctx)
    services, position = _upsert(list(catalog.services.values()), service)
    _check_whole(ctx, list(catalog.categories), services, list(catalog.counters.values()))
    created = service.id not in catalog.services
    return _save(ctx, actor, "service_saved", service, position, write_service, created)


def put_counter(ctx: Context, actor: Actor, counter: Counter) -> dict[str, Any]:
    catalog = load_catalog(ctx)
    counters, position = _upsert(list(catalog.counters.values()), counter)
    _check_whole(ctx, list(catalog.categories), list(catalog.services.values()), counters)
    created = counter.id not in catalog.counters
    return _save(ctx, actor, "counter_saved", counter, position, write_counter, created)


def _save(
    ctx: Context, actor: Actor, kind: str, item: Any, position: int, writer: Any, created: bool
) -> dict:
    """Write one catalog item; the audited event says whether it was added or changed."""
    unsafe = first_unsafe(item.model_dump(mode="json"))
    if unsafe:  # names citizens read on the board, the kiosk and paper
        raise Refusal("unsafe_text", field=unsafe)
    now = ctx.now()
    with ctx.db.write() as tx:
        writer(tx, item, position)
        bump_version(tx)
        data = {**item.model_dump(mode="json"), "created": created}
        append_event(tx, kind, at=now, actor=actor.name, data=data)
    ctx.cache.pop("catalog", None)
    ctx.on_event()
    return item.model_dump(mode="json")
