"""What every use case receives: the database, the settings, the clock, and who is asking.

Time enters here (``Context.clock``), so tests and simulations run the same use cases with an
injected clock; nothing below reads the wall clock itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from server.config import ServerSettings
from server.store.database import Database

if TYPE_CHECKING:
    from server.usecases.audit_keys import AuditKeys


@dataclass(frozen=True)
class Actor:
    """Who makes a request: a person (with role and counter), a device (kiosk...), or anyone."""

    kind: Literal["person", "device", "anonymous"]
    name: str | None = None  # username or device id
    role: str | None = (
        None  # clerk / manager / admin for people; kiosk / counter / board for devices
    )
    counter: str | None = None  # the counter a person signed in at

    @property
    def person(self) -> str | None:
        return self.name if self.kind == "person" else None

    @property
    def device(self) -> str | None:
        return self.name if self.kind == "device" else None


ANYONE = Actor("anonymous")
SYSTEM = Actor("person", "system", "admin")


@dataclass
class Context:
    db: Database
    settings: ServerSettings
    clock: Callable[[], float] = time.time
    # Called after a commit that appended public events, to wake this process's live stream.
    on_event: Callable[[], None] = lambda: None
    cache: dict[str, Any] = field(default_factory=dict)  # per-process caches (catalog, ...)
    # The audit's keys, read from outside the database at start (server/usecases/audit_keys.py).
    audit: AuditKeys | None = None

    def now(self) -> float:
        return self.clock()
