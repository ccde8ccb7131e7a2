"""The public portal's API: the center's tracking contract at the same path, and the centers now.

- ``GET /api/v1/track/{reference}[?center=ID]``: the center's public view of the file plus
  ``center`` {id, name}, ``as_of`` and ``stale``; rate-limited per client address with buckets
  every HTTP worker shares (:mod:`hub.store.portal_limits`); 429 ``track_rate_limited`` with
  ``Retry-After``. A reference held by several centers: 409 with the centers to choose from.
- ``GET /api/v1/centers``: every center, per service people waiting and the wait now, last
  contact, ``stale`` and ``as_of`` (public fields only).
- ``GET /api/v1/services?q=&center=``: every center's services and required documents, searched.

Every read runs on a ``hub_reader`` connection: PostgreSQL refuses it the ``personal`` table.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

import psycopg
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from hub.api.portal_workers import worker_index
from hub.config import PortalSettings
from hub.store.database import connect_reader
from hub.usecases import portal
from hub.usecases.portal import Catalogs, PortalRefusal

CLEAN_EVERY = 500  # lookups between two clean-ups of quiet rate-limit rows (per process)
NO_STORE = {"Cache-Control": "no-store"}


@dataclass
class Portal:
    """What the portal's routes share in one process: the database, settings, catalogs."""

    dsn: str
    settings: PortalSettings
    catalogs: Catalogs = field(default_factory=Catalogs)
    _lookups: itertools.count = field(default_factory=itertools.count)

    def read(self, work: Callable[[psycopg.Connection], Any]) -> Any:
        """``work`` on a fresh reader connection; a database failure is a 503 refusal."""
        try:
            with connect_reader(self.dsn) as conn:
                return work(conn)
        except psycopg.Error:
            raise PortalRefusal("hub_database_unavailable") from None

    def track(self, client: str, reference: str, center: str | None) -> dict[str, Any]:
        """Count the lookup against ``client``'s bucket, then answer it."""
        settings = self.settings
        now = time.time()

        def work(conn: psycopg.Connection) -> dict[str, Any]:
            clean = next(self._lookups) % CLEAN_EVERY == CLEAN_EVERY - 1
            per_minute, burst = settings.track_per_minute, settings.track_burst
            portal.allow_lookup(conn, client, now, per_minute, burst, clean)
            return portal.track(conn, self.catalogs, reference, center, now, settings.stale_after_s)

        return self.read(work)

    def centers(self) -> dict[str, Any]:
        now = time.time()
        stale = self.settings.stale_after_s
        return self.read(lambda conn: portal.centers_now(conn, self.catalogs, now, stale))

    def services(self, query: str, center: str | None) -> dict[str, Any]:
        return self.read(lambda conn: portal.services(conn, self.catalogs, query, center))


def refusal_response(refusal: PortalRefusal) -> JSONResponse:
    headers = dict(NO_STORE)
    if refusal.retry_after:
        headers["Retry-After"] = str(refusal.retry_after)
    return JSONResponse(refusal.body(), refusal.status, headers=headers)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


# Query values are clipped, not refused: FastAPI's own 422 body is not the contract's error shape,
# and a page must answer with a page (an unknown center simply holds no file).
CenterId = Annotated[str | None, Query()]


def clip(value: str | None, size: int) -> str | None:
    return value[:size] if value else None


def api_router(hub: Portal) -> APIRouter:
    router = APIRouter(tags=["portal"])

    @router.get("/api/v1/track/{reference}", response_model=None)
    def track(reference: str, request: Request, center: CenterId = None) -> JSONResponse:
        """A file's public view by reference, from any center (rate-limited per address)."""
        served_by = {"X-Hub-Worker": worker_index()}  # which HTTP worker process answered
        try:
            view = hub.track(client_address(request), reference[:64], clip(center, 32))
        except PortalRefusal as refusal:
            answer = refusal_response(refusal)
            answer.headers.update(served_by)
            return answer
        return JSONResponse(view, headers=NO_STORE | served_by)

    @router.get("/api/v1/centers", response_model=None)
    def centers() -> JSONResponse:
        """Every center: per service waiting and the wait now; last contact; stale or not."""
        try:
            return JSONResponse(hub.centers(), headers=NO_STORE)
        except PortalRefusal as refusal:
            return refusal_response(refusal)

    @router.get("/api/v1/services", response_model=None)
    def services(q: Annotated[str, Query()] = "", center: CenterId = None) -> JSONResponse:
        """Every center's services and required documents, searched in Arabic or English."""
        try:
            return JSONResponse(hub.services(q[:100], clip(center, 32)))
        except PortalRefusal as refusal:
            return refusal_response(refusal)

    return router
