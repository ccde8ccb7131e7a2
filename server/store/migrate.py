"""Applying the schema migrations in ``server/store/migrations/`` that a database has not seen yet.

Each module ``mNNN_what.py`` defines ``up(db: sqlite_utils.Database) -> None``. Each runs in its own
``BEGIN IMMEDIATE`` transaction together with its row in ``migrations``, so a crash never leaves a
half-applied step, and two processes starting at once apply each step exactly once.

Migrations are one sequence for the whole server (no number ranges kept per area): a new one takes
the next number after the newest. The runner refuses a missing migration numbered below the newest
a database has applied, since it would run after steps written assuming it was not there.

Upgrades: a database that has applied a migration newer than any this code knows was written by a
newer Nafitha; it is refused before anything is written (:class:`DatabaseTooNewError`), never
half-migrated. Before the first missing migration runs on a database that already holds data, a
consistent copy is taken beside it (``<name>-before-mNNN-<UTC time>.db``, the newest
:data:`KEEP_UPGRADE_COPIES` kept): an upgrade that goes wrong is undone by putting it back.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from server.store import migrations as migrations_package
from server.store.database import Database
from server.store.snapshots import take_snapshot

# Copies taken before upgrades that are kept beside the database (older ones are deleted).
KEEP_UPGRADE_COPIES = 3

_NAME = re.compile(r"^m(\d{3})_\w+$")


class MigrationOrderError(RuntimeError):
    """A migration not yet applied is numbered below the newest applied one."""


class DatabaseTooNewError(RuntimeError):
    """The database was migrated by a newer version of Nafitha than this one."""


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


def check_not_newer(db: Database, steps: list[Migration]) -> None:
    """Refuse a database that applied a migration this code does not know, numbered above ours."""
    if not steps:
        return
    known = steps[-1]
    reader = db.read()
    if "migrations" not in reader.table_names():
        return
    row = reader.execute(
        "SELECT number, name FROM migrations ORDER BY number DESC LIMIT 1"
    ).fetchone()
    if row is not None and row[0] > known.number:
        raise DatabaseTooNewError(
            f"{db.path} was upgraded by a newer version of Nafitha (its newest migration is"
            f" {row[1]}; this version knows up to {known.name}). Nothing was changed. Run the"
            " newer version, or restore the copy taken before that upgrade"
            " (docs/operations.md, 'Upgrading')."
        )


def refuse_newer(path: Path) -> None:
    """:class:`DatabaseTooNewError` if the database at ``path`` is newer than this code."""
    db = Database(path)
    try:
        check_not_newer(db, discover())
    finally:
        db.close()


def _copy_before_upgrade(db: Database, first: Migration) -> Path:
    """A consistent copy beside the database before ``first`` runs; older copies rotated."""
    folder = db.path.parent
    stem = f"{db.path.stem}-before-m{first.number:03d}"
    copy = take_snapshot(db, folder, stem, time.time())
    for old in sorted(folder.glob(f"{db.path.stem}-before-m*.db"))[:-KEEP_UPGRADE_COPIES]:
        old.unlink(missing_ok=True)
    return copy


def migrate(db: Database, upto: int | None = None) -> list[str]:
    """Apply the missing migrations (up to ``upto`` inclusive); the names applied now.

    Refuses a database newer than this code (:class:`DatabaseTooNewError`) before writing; takes
    a copy beside a database that has data before its first missing migration runs.
    """
    steps = discover()
    check_not_newer(db, steps)
    seen = applied(db)
    missing = [s for s in steps if s.number not in seen and (upto is None or s.number <= upto)]
    if seen and missing:
        _copy_before_upgrade(db, missing[0])
    done: list[str] = []
    for step in steps:
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
