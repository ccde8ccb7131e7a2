"""The public portal's use cases: where is my file, which center now, services and documents.

Each reads the hub's projections through one ``hub_reader`` connection (no personal data can be
read) and answers in the center's own shapes. Refusals are :class:`PortalRefusal` values with the
API's error code; the same catalog texts as the center's tracking (``files.error_*``), so a citizen
reads the same words at the kiosk, on the center's page and on the portal.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import psycopg

from hub.domain import portal_catalog, portal_queue, portal_track
from hub.store import portal as store
from hub.store import portal_limits
from nafitha.reference import Malformed, Mistyped, parse_reference
from nafitha.text import both

# code -> (HTTP status, catalog key of its bilingual message)
CODES: dict[str, tuple[int, str]] = {
    "reference_malformed": (422, "files.error_reference_malformed"),
    "reference_mistyped": (422, "files.error_reference_mistyped"),
    "file_not_found": (404, "files.error_file_not_found"),
    "track_rate_limited": (429, "files.error_track_rate_limited"),
    "reference_in_several_centers": (409, "portal.error_reference_in_several_centers"),
    "unknown_center": (404, "portal.error_unknown_center"),
    "center_catalog_missing": (503, "portal.error_center_catalog_missing"),
    "hub_database_unavailable": (503, "hub.error_hub_database_unavailable"),
}


class PortalRefusal(Exception):
    """A portal answer that is not the thing asked for: code, status, bilingual message, extras."""

    def __init__(self, code: str, *, extra: Mapping[str, Any] | None = None, **params: Any):
        super().__init__(code)
        self.code = code
        self.status, key = CODES[code]
        self.message = both(key, **params)
        self.extra = dict(extra or {})
        self.retry_after: int | None = params.get("seconds")

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message}, **self.extra}


@dataclass
class Catalogs:
    """Each center's catalog folded from its events, kept per process and brought up to date
    with the catalog events after the last one seen (an indexed read of a few rows)."""

    _held: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def of(self, conn: psycopg.Connection, center: str) -> dict[str, Any]:
        with self._lock:
            seen, catalog = self._held.get(center, (0, portal_catalog.empty_catalog()))
        newer = store.catalog_events(conn, center, seen)
        for seq, kind, data in newer:
            catalog = portal_catalog.fold(catalog, kind, data)
            seen = seq
        with self._lock:
            self._held[center] = (seen, catalog)
        return catalog


def timezone_of(catalog: Mapping[str, Any]) -> str:
    center = catalog.get("center") or {}
    return str(center.get("timezone") or "UTC")


def allow_lookup(
    conn: psycopg.Connection,
    client: str,
    now: float,
    per_minute: float,
    burst: int,
    clean: bool = False,
) -> None:
    """Count one anonymous lookup by ``client`` (its address), or refuse it with the wait;
    ``clean``: also forget the buckets of clients quiet for an hour (done now and then)."""
    if clean:
        portal_limits.forget_quiet(conn, now)
    wait = portal_limits.take(conn, f"address:{client}", now, per_minute, burst)
    if wait:
        raise PortalRefusal("track_rate_limited", seconds=wait)


def parse_or_refuse(text: str) -> str:
    """The canonical reference typed as ``text``; a typo is said so, never matched to a file."""
    parsed = parse_reference(text)
    if isinstance(parsed, Malformed):
        raise PortalRefusal("reference_malformed")
    if isinstance(parsed, Mistyped):
        raise PortalRefusal("reference_mistyped")
    return parsed.code


def _center_brief(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": row["center"], "name": dict(row["center_name"])}


def track(
    conn: psycopg.Connection,
    catalogs: Catalogs,
    text: str,
    center: str | None,
    now: float,
    stale_after_s: float,
) -> dict[str, Any]:
    """The public view of the file ``text`` names (at ``center`` when given).

    References are random per center, so two centers may hold the same one: without ``center``
    such a reference is refused with the centers that hold it (their ids and names only), and the
    citizen picks theirs (links printed by a center carry ``?center=``).
    """
    reference = parse_or_refuse(text)
    found = store.files_named(conn, reference)
    if center is not None:
        found = [row for row in found if row["center"] == center]
    if not found:
        raise PortalRefusal("file_not_found")
    if len(found) > 1:
        raise PortalRefusal(
            "reference_in_several_centers", extra={"centers": [_center_brief(r) for r in found]}
        )
    row = found[0]
    catalog = catalogs.of(conn, row["center"])
    workflow = portal_catalog.workflow(catalog, row["workflow"])
    service = portal_catalog.service(catalog, row["service"])
    if workflow is None or row["stage"] not in {s["id"] for s in workflow["stages"]}:
        # a center whose log predates the shipped catalog (docs/portal.md): say so, not "no file"
        raise PortalRefusal("center_catalog_missing", extra={"center": _center_brief(row)})
    name = service["name"] if service else {"ar": row["service"], "en": row["service"]}
    timezone = timezone_of(catalog)
    history = store.history(conn, row["center"], reference)
    view = portal_track.public_view(reference, row, history, workflow, name, timezone, now)
    view["center"] = _center_brief(row)
    view["as_of"] = portal_track.iso(row["last_contact"], timezone)
    view["stale"] = portal_queue.is_stale(row["last_contact"], now, stale_after_s)
    return view


def centers_now(
    conn: psycopg.Connection, catalogs: Catalogs, now: float, stale_after_s: float
) -> dict[str, Any]:
    """Every center: per service waiting and the wait now, last contact, and whether stale."""
    out = []
    for row in store.centers(conn):
        catalog = catalogs.of(conn, row["id"])
        timezone = timezone_of(catalog)
        services = portal_catalog.active_services(catalog)
        counter_ids = [c["id"] for c in catalog.get("counters", [])]
        statuses = store.counter_events(conn, row["id"], counter_ids)
        open_now = frozenset(
            cid for cid, (kind, public) in statuses.items()
            if portal_queue.counter_status(kind, public) == "open"
        )  # fmt: skip
        day = portal_queue.local_day(now, timezone)
        figures = portal_queue.service_figures(
            services,
            catalog.get("counters", []),
            open_now,
            store.waiting(conn, row["id"], day),
            store.durations(conn, row["id"], day),
        )
        out.append(
            {
                "id": row["id"],
                "name": dict(row["name"]),
                "timezone": timezone,
                "last_contact": portal_track.iso(row["last_contact"], timezone),
                "as_of": portal_track.iso(row["last_contact"], timezone),
                "stale": portal_queue.is_stale(row["last_contact"], now, stale_after_s),
                "services": figures,
            }
        )
    return {"centers": out}


def services(
    conn: psycopg.Connection, catalogs: Catalogs, query: str, center: str | None
) -> dict[str, Any]:
    """Every center's active services with category and required documents, matching ``query``
    (Arabic normalised: alef forms, taa marbuta, yaa/alef maqsura, diacritics; any case)."""
    out = []
    names = {row["id"]: dict(row["name"]) for row in store.centers(conn)}
    if center is not None and center not in names:
        raise PortalRefusal("unknown_center")
    for center_id in names:
        if center is not None and center_id != center:
            continue
        catalog = catalogs.of(conn, center_id)
        categories = {c["id"]: c for c in catalog.get("categories", [])}
        for service in portal_catalog.active_services(catalog):
            category = categories.get(service.get("category"))
            if query and not portal_catalog.matches(query, service, category):
                continue
            out.append(
                {
                    "center": {"id": center_id, "name": names[center_id]},
                    "id": service["id"],
                    "name": dict(service["name"]),
                    "category": dict(category["name"]) if category else None,
                    "documents": [dict(d) for d in service.get("documents", [])],
                    "target_wait_min": service.get("target_wait_min"),
                    "hours": service.get("hours", []),
                }
            )
    return {"query": query, "services": out}
