"""The hub's HTTP API: ``GET /api/v1/health``, the public portal (hub/api/portal.py,
hub/web/portal/) and the ministry's side: its dashboard and the intake status
(``GET /api/v1/status/centers``, for the hub's signed-in people: hub/api/ministry.py).

Every request reads through a connection that has taken the ``hub_reader`` role, which
PostgreSQL refuses the ``personal`` table: no handler here can serve personal data, whatever it
asks. Handlers are sync (FastAPI runs them in its thread pool) and each opens its own short
connection, so a restarted PostgreSQL costs one failed request, never a stuck one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from hub.api.center_link import CenterLink, ForwardLink
from hub.api.ministry import ministry_routers
from hub.api.portal import Portal, api_router
from hub.api.portal_forward import forward_router
from hub.config import MinistrySettings, PortalSettings
from hub.store.database import connect_reader, ping
from hub.web.portal.forward_pages import forward_page_router
from hub.web.portal.pages import page_router
from nafitha import __version__


def create_app(
    dsn: str,
    ministry: MinistrySettings | None = None,
    portal: PortalSettings | None = None,
    forward: ForwardLink | None = None,
) -> FastAPI:
    link = CenterLink(forward) if forward else None  # one NATS connection, kept open

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if link is not None:  # HTTP workers run without lifespan: their exit closes the socket
            await link.close()

    app = FastAPI(title="Nafitha hub", version=__version__, lifespan=lifespan)
    public = Portal(dsn, portal or PortalSettings())  # the public portal (docs/portal.md)
    app.include_router(api_router(public))
    app.include_router(forward_router(public, link))  # bookings/complaints to a center
    app.include_router(forward_page_router(public))
    app.include_router(page_router(public))
    for router in ministry_routers(dsn, ministry):  # the ministry's dashboard (hub/api/ministry.py)
        app.include_router(router)

    @app.get("/api/v1/health")
    def health() -> JSONResponse:
        """Up, and whether PostgreSQL answers (503 when it does not)."""
        try:
            with connect_reader(dsn) as conn:
                up = ping(conn)
        except psycopg.Error:
            up = False
        body = {"status": "ok" if up else "degraded", "version": __version__, "database": up}
        return JSONResponse(body, status_code=200 if up else 503)

    return app
