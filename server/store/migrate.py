"""Applying the schema migrations in ``server/store/migrations/`` that a database has not seen yet.

Each module ``mNNN_what.py`` defines ``up(db: sqlite_utils.Database) -> None``. Each runs in its own
``BEGIN IMMEDIATE`` transaction together with its row in ``migrations``, so a crash never leaves a
half-applied step, and two processes starting at once apply each step exactly once.

Migrations are one sequence for the whole server (no number ranges kept per area): a new one takes
the next number after the newest. The runner refuses a missing migration numbered below the newest
a database has applied, since it would run after steps written assuming it was not there.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
from dataclasses import dataclass
from types import ModuleType

from server.store import migrations as migrations_package
from server.store.database import Database

_NAME = re.compile(r"^m(\d{3})_\w+$")


class MigrationOrderError(RuntimeError):
    """A migration not yet applied is numbered below the newest applied one."""


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    module: ModuleType


def discover() -> list[Migration]:
    """Every migration module, in number order; two modules with one number is an error."""
    found: dict[int, Migration] = {}
    for info in pkgutil.iter_modules(migrations_package.__path__):
        match = _NAME.match(info.name)
        if not match:
            continue
        number = int(match.group(1))
        if number in found:
            raise RuntimeError(f"two migrations numbered {number:03d}: {info.name}")
        module = importlib.import_module(f"{migrations_package.__name__}.{info.name}")
        found[number] = Migration(number, info.name, module)
    return [found[n] for n in sorted(found)]


def applied(db: Database) -> set[int]:
    reader = db.read()
    if "migrations" not in reader.table_names():
        return set()
    return {row["number"] for row in reader.query("SELECT number FROM migrations")}


def migrate(db: Database, upto: int | None = None) -> list[str]:
    """Apply the missing migrations (up to ``upto`` inclusive); the names applied now."""
    done: list[str] = []
    for step in discover():
        if upto is not None and step.number > upto:
            break
        with db.write() as tx:
            tx.execute(
                "CREATE TABLE IF NOT EXISTS migrations ("
                "number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)"
            )
            seen = tx.execute("SELECT 1 FROM migrations WHERE number = ?", [step.number])
            if seen.fetchone():
                continue
            newest = tx.execute("SELECT max(number) FROM migrations").fetchone()[0]
            if newest is not None and step.number < newest:
                raise MigrationOrderError(
                    f"migration {step.name} is numbered below {newest:03d}, the newest this"
                    f" database has applied: give it the next number after the newest"
                )
            step.module.up(tx)
            tx.execute(
                "INSERT INTO migrations (number, name, applied_at) VALUES (?, ?, ?)",
                [step.number, step.name, time.time()],
            )
            done.append(step.name)
    return done
