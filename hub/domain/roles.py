"""Who may do what at the hub: its people's roles, the one permission table, the one check.

The hub's people are the ministry's, not a center's: ``ministry`` reads every figure of every
center, ``auditor`` reads the same (figures and integrity) and changes nothing, ``hub_admin``
also manages the hub's people. Every dashboard endpoint and use case calls
``require(person, Can.X)``; nothing else compares role names. Nobody here can read personal data:
that is PostgreSQL's to refuse (the API's role has no grant on ``personal``), not this table's.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    MINISTRY = "ministry"
    AUDITOR = "auditor"
    HUB_ADMIN = "hub_admin"


ROLES: frozenset[str] = frozenset(r.value for r in Role)


class Can(StrEnum):
    """Everything the permission table grants."""

    OWN_SESSION = "own_session"  # who am I, sign out
    VIEW_FIGURES = "view_figures"  # period figures, CSV export, live picture
    VIEW_INTEGRITY = "view_integrity"  # chain heads, out-of-order calls
    MANAGE_PEOPLE = "manage_people"  # the hub's people: add, change role, disable


_READERS = frozenset({Role.MINISTRY, Role.AUDITOR, Role.HUB_ADMIN})

PERMISSIONS: dict[Can, frozenset[Role]] = {
    Can.OWN_SESSION: _READERS,
    Can.VIEW_FIGURES: _READERS,
    Can.VIEW_INTEGRITY: _READERS,
    Can.MANAGE_PEOPLE: frozenset({Role.HUB_ADMIN}),
}


# Every refusal the hub's ministry side gives: its HTTP status. The text is the catalog's
# ``hub.error_<code>`` (assets/i18n/hub.toml), in both languages.
STATUS: dict[str, int] = {
    "unauthenticated": 401,
    "token_expired": 401,
    "bad_credentials": 401,
    "forbidden": 403,
    "unknown_person": 404,
    "unknown_center": 404,
    "bad_period": 422,
    "invalid_input": 422,
    "weak_password": 422,
    "person_exists": 409,
    "last_admin": 409,
    "too_many_attempts": 429,
    "hub_database_unavailable": 503,
}


class Refusal(Exception):
    """A refused request: a code of :data:`STATUS`, its message's parameters, its headers."""

    def __init__(
        self,
        code: str,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        if code not in STATUS:
            raise ValueError(f"unregistered refusal code {code!r}")
        super().__init__(code)
        self.code = code
        self.params = params or {}
        self.headers = headers or {}

    @property
    def status(self) -> int:
        return STATUS[self.code]

    @classmethod
    def retry_after(cls, code: str, seconds: float) -> Refusal:
        wait = max(1, int(seconds + 0.999))
        return cls(code, {"seconds": wait}, {"Retry-After": str(wait)})


@dataclass(frozen=True)
class Person:
    """Who holds a live session at the hub (``None`` stands for nobody)."""

    username: str
    role: str


def may(person: Person | None, permission: Can) -> bool:
    return person is not None and person.role in PERMISSIONS[permission]


def require(person: Person | None, permission: Can) -> Person:
    """``person`` if they hold ``permission``: else 401 for nobody, 403 for the wrong role."""
    if person is None:
        raise Refusal("unauthenticated")
    if not may(person, permission):
        raise Refusal("forbidden")
    return person
