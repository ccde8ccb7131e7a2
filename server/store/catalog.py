"""The catalog's tables: ``meta`` (center, workflows, versions), ``categories``, ``services`` and
``counters`` (each row holds its model as JSON in ``data``; the use cases parse it)."""

from __future__ import annotations

import sqlite_utils


def service_prefixes(db: sqlite_utils.Database) -> list[str]:
    """Every ticket letter of the catalog's services, once each."""
    return [r[0] for r in db.execute("SELECT DISTINCT prefix FROM services ORDER BY prefix")]


def meta(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(tx: sqlite_utils.Database, key: str, value: str) -> None:
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def category_data(db: sqlite_utils.Database) -> list[str]:
    """Every category's JSON, in the kiosk's order."""
    return [r[0] for r in db.execute("SELECT data FROM categories ORDER BY position, id")]


def service_data(db: sqlite_utils.Database) -> list[str]:
    """Every service's JSON (inactive ones too), in the kiosk's order."""
    return [r[0] for r in db.execute("SELECT data FROM services ORDER BY position, id")]


def service_rows(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """(id, JSON) of every service."""
    return db.execute("SELECT id, data FROM services").fetchall()


def counter_data(db: sqlite_utils.Database) -> list[str]:
    """Every counter's JSON, by number."""
    return [r[0] for r in db.execute("SELECT data FROM counters ORDER BY number")]


def upsert_category(tx: sqlite_utils.Database, category_id: str, position: int, data: str) -> None:
    tx.execute(
        "INSERT INTO categories (id, position, data) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE"
        " SET position = excluded.position, data = excluded.data",
        [category_id, position, data],
    )


def upsert_service(
    tx: sqlite_utils.Database, service_id: str, position: int, prefix: str, data: str
) -> None:
    tx.execute(
        "INSERT INTO services (id, position, prefix, data) VALUES (?, ?, ?, ?) ON CONFLICT(id)"
        " DO UPDATE SET position = excluded.position, prefix = excluded.prefix,"
        " data = excluded.data",
        [service_id, position, prefix, data],
    )


def set_service_data(tx: sqlite_utils.Database, service_id: str, data: str) -> None:
    tx.execute("UPDATE services SET data = ? WHERE id = ?", [data, service_id])


def upsert_counter(
    tx: sqlite_utils.Database, counter_id: str, number: int, position: int, data: str
) -> None:
    tx.execute(
        "INSERT INTO counters (id, number, position, data) VALUES (?, ?, ?, ?) ON CONFLICT(id)"
        " DO UPDATE SET number = excluded.number, position = excluded.position,"
        " data = excluded.data",
        [counter_id, number, position, data],
    )


def clear_categories(tx: sqlite_utils.Database) -> None:
    tx.execute("DELETE FROM categories")


def keep_only_counters(tx: sqlite_utils.Database, keep: set[str]) -> None:
    """Remove the counters not in ``keep`` and free every number (they are written again next)."""
    tx.execute("UPDATE counters SET number = -rowid")
    for (counter_id,) in tx.execute("SELECT id FROM counters").fetchall():
        if counter_id not in keep:
            tx.execute("DELETE FROM counters WHERE id = ?", [counter_id])


def add_person_if_new(
    tx: sqlite_utils.Database, username: str, name: str, role: str, at: float
) -> None:
    """A person the config names, added without a password unless the username exists."""
    tx.execute(
        "INSERT INTO people (username, name, role, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(username) DO NOTHING",
        [username, name, role, at],
    )


def counter_status(db: sqlite_utils.Database) -> dict[str, str]:
    """Counter id → status (open, paused, closed)."""
    return dict(db.execute("SELECT id, status FROM counters").fetchall())
