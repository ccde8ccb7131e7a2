"""Admin: people (staff accounts) and devices (kiosk tokens). Every change is an audited event."""

from __future__ import annotations

import secrets
from typing import Any

from server.domain.errors import Refusal
from server.store import people as store
from server.store.events import append_event
from server.usecases.auth import token_hash
from server.usecases.context import Actor, Context
from server.usecases.passwords import hash_password


def list_people(ctx: Context) -> list[dict[str, Any]]:
    return [
        {
            "username": r[0],
            "name": r[1],
            "role": r[2],
            "active": bool(r[3]),
            "has_password": bool(r[4]),
        }
        for r in store.people_rows(ctx.db.read())
    ]


def create_person(
    ctx: Context, actor: Actor, username: str, role: str, password: str | None, name: str = ""
) -> dict[str, Any]:
    hashed = hash_password(password) if password else None
    now = ctx.now()
    with ctx.db.write() as tx:
        if store.person_exists(tx, username):
            raise Refusal("duplicate_username", username=username)
        store.insert_person(tx, username, name, role, hashed, now)
        append_event(
            tx,
            "person_created",
            at=now,
            actor=actor.name,
            data={"username": username, "role": role, "name": name},
        )
    return {
        "username": username,
        "name": name,
        "role": role,
        "active": True,
        "has_password": hashed is not None,
    }


def update_person(
    ctx: Context,
    actor: Actor,
    username: str,
    role: str | None = None,
    password: str | None = None,
    name: str | None = None,
    active: bool | None = None,
) -> dict[str, Any]:
    """Change a person's role, name, password or active flag; deactivating ends their sessions."""
    hashed = hash_password(password) if password else None
    now = ctx.now()
    with ctx.db.write() as tx:
        current = store.role_and_active(tx, username)
        if not current:
            raise Refusal("unknown_person", username=username)
        _keep_an_admin(tx, username, current, role, active)
        changes: dict[str, Any] = {}
        if role is not None:
            changes["role"] = role
        if name is not None:
            changes["name"] = name
        if active is not None:
            changes["active"] = int(active)
        if hashed is not None:
            changes["password_hash"] = hashed
        store.update_person(tx, username, changes)
        if active is False or hashed is not None:
            store.end_sessions(tx, username, now)
        audited = {k: v for k, v in changes.items() if k != "password_hash"}
        append_event(
            tx,
            "person_updated",
            at=now,
            actor=actor.name,
            data={"username": username, **audited, "password_changed": hashed is not None},
        )
    return next(p for p in list_people(ctx) if p["username"] == username)


def _keep_an_admin(
    tx: Any, username: str, current: tuple[str, int], role: str | None, active: bool | None
) -> None:
    """Refuse a change that would leave no active admin (nobody could manage people again)."""
    leaves = (role is not None and role != "admin") or active is False
    if current[0] != "admin" or not current[1] or not leaves:
        return
    if not store.other_active_admins(tx, username):
        raise Refusal("last_admin")


def list_devices(ctx: Context) -> list[dict[str, Any]]:
    return [
        {"id": r[0], "kind": r[1], "name": r[2], "active": bool(r[3])}
        for r in store.device_rows(ctx.db.read())
    ]


def create_device(
    ctx: Context, actor: Actor, device_id: str, kind: str, name: str = "", token: str | None = None
) -> dict[str, Any]:
    """A device and its bearer token (shown once: only its hash is kept)."""
    token = token or secrets.token_urlsafe(24)
    now = ctx.now()
    with ctx.db.write() as tx:
        if store.device_exists(tx, device_id):
            raise Refusal("duplicate_device", device=device_id)
        store.insert_device(tx, device_id, kind, name, token_hash(token), now)
        append_event(
            tx,
            "device_created",
            at=now,
            actor=actor.name,
            device=device_id,
            data={"kind": kind, "name": name},
        )
    return {"id": device_id, "kind": kind, "name": name, "active": True, "token": token}


def revoke_device(ctx: Context, actor: Actor, device_id: str) -> dict[str, Any]:
    now = ctx.now()
    with ctx.db.write() as tx:
        if not store.deactivate_device(tx, device_id):
            raise Refusal("unknown_device", device=device_id)
        append_event(tx, "device_revoked", at=now, actor=actor.name, device=device_id)
    return {"id": device_id, "active": False}
