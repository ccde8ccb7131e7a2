"""Signing in at the hub and managing its people: ``/api/v1/ministry/auth/*``, ``.../people``.

Every handler opens one short connection acting as ``hub_web`` (the hub's people, sessions and
throttle, and what ``hub_reader`` reads: never ``personal``), finds who holds the bearer token,
and checks the permission it needs (:mod:`hub.domain.roles`). :func:`guarded` turns a refusal
into the one error shape ``{"error": {"code", "message": {"ar", "en"}}}``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from hub.domain.roles import Can, Person, Refusal, require
from hub.store.database import connect
from hub.store.figures import tune_session
from hub.usecases import auth

WEB_ROLE = "hub_web"
PREFIX = "/api/v1/ministry"


def refusal_response(refusal: Refusal) -> JSONResponse:
    from nafitha.text import both

    message = both(f"ministry.error_{refusal.code}", **refusal.params)
    return JSONResponse(
        {"error": {"code": refusal.code, "message": message}},
        status_code=refusal.status,
        headers=refusal.headers,
    )


def guarded(work: Callable[[], Any]) -> Any:
    """Run a handler's work: a refusal or a database that does not answer becomes an error."""
    try:
        return work()
    except Refusal as refusal:
        return refusal_response(refusal)
    except psycopg.OperationalError:
        return refusal_response(Refusal("hub_database_unavailable"))


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


class Hub:
    """What the handlers share: the database and the sign-in options."""

    def __init__(self, dsn: str, options: auth.AuthOptions) -> None:
        self.dsn = dsn
        self.options = options

    @contextmanager
    def session(self, request: Request) -> Iterator[tuple[psycopg.Connection, Person | None]]:
        """A ``hub_web`` connection and who holds the request's token (None: nobody)."""
        with connect(self.dsn, role=WEB_ROLE) as conn:
            tune_session(conn)
            yield conn, auth.authenticate(conn, bearer(request), time.time())


class Login(BaseModel):
    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)


class NewPerson(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    role: str
    password: str = Field(min_length=1, max_length=1000)


class PersonChange(BaseModel):
    role: str | None = None
    password: str | None = Field(default=None, max_length=1000)
    active: bool | None = None


def auth_router(hub: Hub) -> APIRouter:
    router = APIRouter(prefix=PREFIX)

    @router.post("/auth/login", response_model=None)
    def login(request: Request, body: Login) -> Any:
        """A session token for the hub's people (throttled per address and name)."""
        address = request.client.host if request.client else "unknown"

        def work() -> Any:
            with connect(hub.dsn, role=WEB_ROLE) as conn:
                return auth.login(
                    conn, hub.options, body.username, body.password, address, time.time()
                )

        return guarded(work)

    @router.post("/auth/logout", response_model=None)
    def logout(request: Request) -> Any:
        def work() -> Any:
            with hub.session(request) as (conn, person):
                require(person, Can.OWN_SESSION)
                auth.logout(conn, bearer(request) or "", time.time())
            return Response(status_code=204)

        return guarded(work)

    @router.get("/auth/me", response_model=None)
    def me(request: Request) -> Any:
        def work() -> Any:
            with hub.session(request) as (_, person):
                who = require(person, Can.OWN_SESSION)
            return {"username": who.username, "role": who.role}

        return guarded(work)

    @router.get("/people", response_model=None)
    def people(request: Request) -> Any:
        def work() -> Any:
            with hub.session(request) as (conn, person):
                return {"people": auth.people(conn, person)}

        return guarded(work)

    @router.post("/people", response_model=None)
    def add_person(request: Request, body: NewPerson) -> Any:
        def work() -> Any:
            with hub.session(request) as (conn, person):
                require(person, Can.MANAGE_PEOPLE)
                auth.add_person(conn, body.username, body.role, body.password, time.time())
            return JSONResponse({"username": body.username.strip(), "role": body.role}, 201)

        return guarded(work)

    @router.patch("/people/{username}", response_model=None)
    def change_person(request: Request, username: str, body: PersonChange) -> Any:
        def work() -> Any:
            with hub.session(request) as (conn, person):
                require(person, Can.MANAGE_PEOPLE)
                auth.change_person(
                    conn, username, time.time(),
                    role=body.role, password=body.password, active=body.active,
                )  # fmt: skip
            return {"username": username}

        return guarded(work)

    return router
