"""The hub's database made ready at start: schema migrated, hub.toml's centers registered."""

from __future__ import annotations

from collections.abc import Iterable

from hub.store import centers
from hub.store.database import connect, prepare


def prepare_hub(dsn: str, entries: Iterable[tuple[str, dict[str, str], str | None]]) -> list[int]:
    """Migrate the schema and upsert each (id, name, public_key); the migrations applied."""
    applied = prepare(dsn)
    with connect(dsn) as conn, conn.transaction():
        centers.register(conn, list(entries))
    return applied
