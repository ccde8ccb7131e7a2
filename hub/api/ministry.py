"""The ministry's dashboard: its figures (``/api/v1/ministry/*``), the intake status
(``/api/v1/status/centers``) and its page (``/ministry``).

Each endpoint checks the permission it needs before reading anything (anonymous requests get a
401 and no figure); the reads run on a ``hub_web`` connection, which PostgreSQL refuses the
``personal`` table. Routes are made by :func:`ministry_routers` and mounted by ``hub/api/app.py``.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from hub.api.auth import PREFIX, Hub, auth_router, guarded
from hub.config import MinistrySettings
from hub.usecases import ministry
from hub.usecases.auth import AuthOptions
from hub.usecases.status import intake_report
from hub.web.ministry.pages import page_router

NO_STORE = {"Cache-Control": "no-store"}


def _figures_router(hub: Hub, silent_after_s: float) -> APIRouter:
    router = APIRouter(prefix=PREFIX)

    @router.get("/period", response_model=None)
    def period(
        request: Request,
        date_from: str = Query(alias="from", max_length=10),
        date_to: str = Query(alias="to", max_length=10),
    ) -> Any:
        """All centers side by side for a period, each against the period before it."""

        def work() -> Any:
            with hub.session(request) as (conn, person):
                return ministry.period_report(conn, person, date_from, date_to, time.time())

        return guarded(work)

    @router.get("/period.csv", response_model=None)
    def period_csv(
        request: Request,
        date_from: str = Query(alias="from", max_length=10),
        date_to: str = Query(alias="to", max_length=10),
    ) -> Any:
        """The same figures as CSV (UTF-8 with a byte order mark, so spreadsheets read Arabic)."""

        def work() -> Any:
            with hub.session(request) as (conn, person):
                report = ministry.period_report(conn, person, date_from, date_to, time.time())
            name = f"nafitha-centers-{report['period']['from']}-{report['period']['to']}.csv"
            return Response(
                "\ufeff" + ministry.period_csv(report),
                media_type="text/csv; charset=utf-8",
                headers={**NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'},
            )

        return guarded(work)

    @router.get("/live", response_model=None)
    def live(request: Request) -> Any:
        """Now: waiting and longest wait per center, silent or stopped centers, alarms, alerts."""

        def work() -> Any:
            with hub.session(request) as (conn, person):
                return ministry.live(conn, person, time.time(), silent_after_s)

        return guarded(work)

    @router.get("/complaints", response_model=None)
    def complaints(request: Request) -> Any:
        """Complaints escalated to the ministry by their centers: open ones first."""

        def work() -> Any:
            with hub.session(request) as (conn, person):
                return ministry.complaints(conn, person, time.time())

        return guarded(work)

    @router.get("/integrity", response_model=None)
    def integrity(
        request: Request,
        date_from: str = Query(alias="from", max_length=10),
        date_to: str = Query(alias="to", max_length=10),
    ) -> Any:
        """Per center: the verified chain head, calls in and out of order with their reasons."""

        def work() -> Any:
            with hub.session(request) as (conn, person):
                return ministry.integrity(conn, person, date_from, date_to)

        return guarded(work)

    return router


def _status_router(hub: Hub) -> APIRouter:
    router = APIRouter()

    @router.get("/api/v1/status/centers", response_model=None)
    def centers_status(request: Request) -> Any:
        """Each center's intake: head, lag, last contact, status, open alarms (signed in)."""

        def work() -> Any:
            with hub.session(request) as (conn, person):
                return intake_report(conn, person)

        return guarded(work)

    return router


def ministry_routers(dsn: str, settings: MinistrySettings | None = None) -> list[APIRouter]:
    """Every router of the ministry's side: sign-in and people, figures, the page."""
    settings = settings or MinistrySettings()
    options = AuthOptions(
        session_hours=settings.session_hours,
        failures_per_address=settings.login_failures_per_address,
        failures_per_name=settings.login_failures_before_delay,
    )
    hub = Hub(dsn, options)
    return [
        auth_router(hub),
        _figures_router(hub, settings.silent_after_min * 60),
        _status_router(hub),
        page_router(),
    ]
