"""Signing the ministry's people in and out at the hub, recognising a session, managing people.

The model is the center's (server/usecases/auth.py): Argon2id passwords, a random bearer token
of which only the SHA-256 is stored, sessions that expire, and a throttle counted *before* the
password is checked, by address and by name-from-address, so a guesser is slowed whatever names
it tries and cannot lock the real owner out from elsewhere. Here the throttle is a PostgreSQL
table, so every hub worker process counts the same guesses.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from typing import Any

import psycopg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hub.domain.roles import ROLES, Can, Person, Refusal, Role, require
from hub.store import people as store

FAILURE_WINDOW_S = 300.0
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
_USERNAME_MAX = 64
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_SLOTS = threading.BoundedSemaphore(2)  # at most two hashes at a time per process
_DUMMY = HASHER.hash("not a password of anyone")  # unknown names cost the same time


@dataclass(frozen=True)
class AuthOptions:
    session_hours: float = 12.0
    failures_per_address: int = 20
    failures_per_name: int = 5


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise Refusal("weak_password", {"minimum": MIN_PASSWORD_LENGTH})
    with _SLOTS:
        return HASHER.hash(password)


def _check_password(stored: str | None, password: str) -> bool:
    with _SLOTS:
        try:
            return HASHER.verify(stored or _DUMMY, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False


def _check_name(username: str) -> str:
    name = username.strip()
    if not name or len(name) > _USERNAME_MAX or any(c.isspace() or ord(c) < 32 for c in name):
        raise Refusal("invalid_input", {"field": "username"})
    return name


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise Refusal("invalid_input", {"field": "role"})
    return role


def _limits(options: AuthOptions, username: str, address: str) -> list[tuple[str, int]]:
    return [
        (f"login:{address}", options.failures_per_address),
        (f"login:{address}:{username}", options.failures_per_name),
    ]


def login(
    conn: psycopg.Connection,
    options: AuthOptions,
    username: str,
    password: str,
    address: str,
    now: float,
) -> dict[str, Any]:
    """A session token for a person of the hub, or a refusal (401, or 429 with Retry-After)."""
    limits = _limits(options, username[:_USERNAME_MAX], address)
    wait = 0.0
    for key, limit in limits:
        attempts, started = store.count_attempt(conn, key, now, FAILURE_WINDOW_S)
        if attempts > limit:
            wait = max(wait, started + FAILURE_WINDOW_S - now)
    if wait > 0:
        raise Refusal.retry_after("too_many_attempts", wait)
    row = store.credentials(conn, username)
    valid = _check_password(row[0] if row else None, password)
    if not valid or row is None or not row[2]:
        raise Refusal("bad_credentials")
    token = secrets.token_urlsafe(32)
    expires = now + options.session_hours * 3600
    with conn.transaction():
        store.give_back(conn, limits[0][0])
        store.forget(conn, limits[1][0])
        store.open_session(conn, token_hash(token), username, now, expires)
    return {"token": token, "username": username, "role": row[1], "expires_at": expires}


def authenticate(conn: psycopg.Connection, token: str | None, now: float) -> Person | None:
    """Who holds ``token``: None without one; a refusal for an unknown, ended or expired one."""
    if not token:
        return None
    row = store.session_of(conn, token_hash(token))
    if row is None or row[3] is not None or not row[4]:
        raise Refusal("unauthenticated")
    if row[2] <= now:
        raise Refusal("token_expired")
    return Person(row[0], row[1])


def logout(conn: psycopg.Connection, token: str, now: float) -> None:
    store.end_session(conn, token_hash(token), now)


# --------------------------------------------------------------------------- people (hub_admin)


def add_person(
    conn: psycopg.Connection, username: str, role: str, password: str, now: float
) -> None:
    """A new person of the hub (``nafitha hub user add`` and the admin endpoint)."""
    name, role = _check_name(username), _check_role(role)
    if not store.add(conn, name, role, hash_password(password), now):
        raise Refusal("person_exists")


def change_person(
    conn: psycopg.Connection,
    username: str,
    now: float,
    *,
    role: str | None = None,
    password: str | None = None,
    active: bool | None = None,
) -> None:
    """Change a person's role, password or whether they may sign in; their sessions end when the
    password changes or they are disabled. The last active hub_admin stays one."""
    if role is not None:
        _check_role(role)
    digest = hash_password(password) if password is not None else None
    with conn.transaction():
        row = store.credentials(conn, username)
        if row is None:
            raise Refusal("unknown_person")
        demoted = (
            row[1] == Role.HUB_ADMIN
            and row[2]
            and ((role is not None and role != Role.HUB_ADMIN) or active is False)
        )
        if demoted and store.active_admins(conn) <= 1:
            raise Refusal("last_admin")
        store.update(conn, username, now, role=role, password_hash=digest, active=active)
        if digest is not None or active is False or role is not None:
            store.end_sessions_of(conn, username, now)


def people(conn: psycopg.Connection, person: Person | None) -> list[dict[str, Any]]:
    require(person, Can.MANAGE_PEOPLE)
    return store.listing(conn)
