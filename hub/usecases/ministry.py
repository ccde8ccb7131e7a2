"""The ministry's picture of every center: a period's figures against the previous period, the
live state (waiting, alarms, silent centers, device alerts), and the integrity of each log.

Every function takes the person asking and checks their permission first
(:func:`hub.domain.roles.require`); the SQL is in :mod:`hub.store.figures`. Times leave as Unix
seconds with each center's time zone beside them, so a page shows every time in the zone of
the center it happened at.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import psycopg

from hub.domain.roles import Can, Person, Refusal, require
from hub.store import alarms as alarms_store
from hub.store import centers as centers_store
from hub.store import figures as store
from hub.usecases.ministry_merge import merged_rows, span_keys
from nafitha.reference import display

MAX_DAYS = 731
# Periods (with the period before) of up to this many tickets are computed from every ticket
# (about 250 ms per 30,000 on the benchmark machine);
# longer ones are merged from the day aggregates (hub/usecases/ministry_merge.py).
EXACT_TICKETS = 30_000
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
FIGURES = (
    "tickets", "served", "no_shows", "cancelled", "called", "wait_mean", "wait_median",
    "wait_p90", "within_target", "quote_error_mean", "quoted_mean",
)  # fmt: skip


def parse_period(date_from: str, date_to: str) -> tuple[date, date]:
    """Two ISO days, first not after last, at most two years apart; else ``bad_period``."""
    try:
        first, last = date.fromisoformat(date_from), date.fromisoformat(date_to)
    except (TypeError, ValueError):
        raise Refusal("bad_period") from None
    if first > last or (last - first).days >= MAX_DAYS or first < EARLIEST or last > LATEST:
        raise Refusal("bad_period")
    return first, last


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def day_bounds(first: date, last: date, timezone: str | None) -> tuple[float, float]:
    """The center's local days ``first..last`` as ``[start, end)`` in Unix seconds."""
    tz = zone(timezone)
    start = datetime.combine(first, time(0), tz).timestamp()
    return start, datetime.combine(last + timedelta(days=1), time(0), tz).timestamp()


def local_day(moment: float, timezone: str | None) -> str:
    return datetime.fromtimestamp(moment, zone(timezone)).date().isoformat()


def _centers(conn: psycopg.Connection) -> list[dict[str, Any]]:
    """Every center the hub knows, with its time zone and services from its catalog."""
    catalogs = {c: _catalog(events) for c, events in store.catalog_events(conn).items()}
    out = []
    for row in centers_store.overview(conn):
        timezone, services = catalogs.get(row["id"], (None, {}))
        out.append({**row, "timezone": timezone or "UTC", "services": services})
    return out


def _catalog(events: list[tuple[str, dict[str, Any]]]) -> tuple[str | None, dict[str, Any]]:
    """The time zone and services (name, prefix, target wait) a center's catalog events leave:
    ``catalog_imported`` ships the whole catalog, ``service_saved`` one service."""
    timezone: str | None = None
    services: dict[str, Any] = {}

    def take(service: Any) -> None:
        if isinstance(service, Mapping) and isinstance(service.get("id"), str):
            target = service.get("target_wait_min")
            services[service["id"]] = {
                "name": service.get("name"), "prefix": service.get("prefix"),
                "target_wait_s": target * 60.0 if isinstance(target, int | float) else None,
            }  # fmt: skip

    for kind, data in events:
        shipped = data.get("catalog") if kind == "catalog_imported" else None
        if isinstance(shipped, Mapping):
            center = shipped.get("center")
            if isinstance(center, Mapping) and isinstance(center.get("timezone"), str):
                timezone = center["timezone"]
            services = {}
            for service in shipped.get("services") or []:
                take(service)
        elif kind == "service_saved":
            take(data)
    return timezone, services


def _figures(row: Mapping[str, Any] | None) -> dict[str, Any]:
    if row is None:
        return {name: (0 if name in ("tickets", "served", "no_shows", "cancelled", "called")
                       else None) for name in FIGURES}  # fmt: skip
    with_target = row["with_target"]
    return {
        **{name: row[name] for name in FIGURES if name in row},
        "within_target": row["within"] / with_target if with_target else None,
    }


def _change(current: float | None, previous: float | None) -> float | None:
    """Relative change from the previous period (0.25: 25 % more); None when not comparable."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / previous


def _compared(current: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    return {
        "current": current,
        "previous": previous,
        "change": {name: _change(current[name], previous[name]) for name in FIGURES},
    }


def period_report(
    conn: psycopg.Connection, person: Person | None, date_from: str, date_to: str, now: float
) -> dict[str, Any]:
    """All centers side by side for days ``date_from..date_to``, each against the period of the
    same length just before: tickets, waits, service level, no-shows, quote error, files."""
    require(person, Can.VIEW_FIGURES)
    first, last = parse_period(date_from, date_to)
    length = (last - first).days + 1
    before_first, before_last = first - timedelta(days=length), first - timedelta(days=1)
    centers = _centers(conn)
    targets = [
        (c["id"], service, float(info["target_wait_s"]))
        for c in centers
        for service, info in c["services"].items()
        if isinstance(info, Mapping) and info.get("target_wait_s") is not None
    ]
    keys = (span_keys(first, last), span_keys(before_first, before_last))
    totals = store.period_totals(conn, *keys)
    approximate = sum(r["tickets"] for r in totals) > EXACT_TICKETS
    if approximate:  # merged from the day aggregates: percentiles within about 1 %
        goal = {(c, s): t for c, s, t in targets}
        index: dict[Any, Any] = merged_rows(totals, store.period_waits(conn, *keys), goal)
    else:  # every ticket: exact
        days = (before_first.isoformat(), first.isoformat(), last.isoformat())
        rows = store.period_rows(conn, *days, targets)
        index = {(r["period"], r["level"], r["center"], r["service"]): r for r in rows}
    spans = {c["id"]: day_bounds(first, last, c["timezone"]) for c in centers}
    before = {c["id"]: day_bounds(before_first, before_last, c["timezone"]) for c in centers}
    files_now = {r["center"]: r for r in store.files_rows(conn, spans, now)}
    files_before = {r["center"]: r for r in store.files_rows(conn, before, now)}
    out_centers = []
    for c in centers:
        cid = c["id"]
        service_ids = sorted(
            {s for (_, level, cc, s) in index if level == 0 and cc == cid} | set(c["services"])
        )
        services = []
        for sid in service_ids:
            info = c["services"].get(sid) or {}
            services.append({
                "id": sid,
                "name": info.get("name") if isinstance(info, Mapping) else None,
                "target_s": info.get("target_wait_s") if isinstance(info, Mapping) else None,
                **_compared(_figures(index.get(("current", 0, cid, sid))),
                            _figures(index.get(("previous", 0, cid, sid)))),
            })  # fmt: skip
        files = {
            key: {"current": (files_now.get(cid) or {}).get(key, 0),
                  "previous": (files_before.get(cid) or {}).get(key, 0)}
            for key in ("opened", "closed")
        }  # fmt: skip
        files["overdue"] = {"current": (files_now.get(cid) or {}).get("overdue", 0)}
        out_centers.append({
            "id": cid, "name": c["name"], "timezone": c["timezone"],
            **_compared(_figures(index.get(("current", 1, cid, None))),
                        _figures(index.get(("previous", 1, cid, None)))),
            "services": services, "files": files,
        })  # fmt: skip
    return {
        "period": {"from": first.isoformat(), "to": last.isoformat(),
                   "previous_from": before_first.isoformat(),
                   "previous_to": before_last.isoformat()},
        "approximate": approximate,
        "all": _compared(_figures(index.get(("current", 3, None, None))),
                         _figures(index.get(("previous", 3, None, None)))),
        "centers": out_centers,
    }  # fmt: skip


CSV_FIGURES = ("tickets", "served", "no_shows", "cancelled", "wait_mean", "wait_median",
               "wait_p90", "within_target", "quote_error_mean")  # fmt: skip


def period_csv(report: Mapping[str, Any]) -> str:
    """The period's figures as CSV: one line per center and per service of each center, the
    previous period's value beside each figure. Seconds and shares as plain numbers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    head = ["from", "to", "center", "center_name_ar", "center_name_en", "service"]
    for name in CSV_FIGURES:
        head += [name, f"previous_{name}"]
    writer.writerow([*head, "files_opened", "files_closed", "files_overdue"])
    period = report["period"]

    def number(value: Any) -> str:
        if value is None:
            return ""
        return str(value) if isinstance(value, int) else f"{value:.3f}"

    for c in report["centers"]:
        name = c["name"] or {}
        base = [period["from"], period["to"], c["id"], name.get("ar", ""), name.get("en", "")]
        for service in [None, *c["services"]]:
            item = c if service is None else service
            line = [*base, "" if service is None else service["id"]]
            for figure in CSV_FIGURES:
                line += [number(item["current"][figure]), number(item["previous"][figure])]
            if service is None:
                files = c["files"]
                line += [files["opened"]["current"], files["closed"]["current"],
                         files["overdue"]["current"]]  # fmt: skip
            else:
                line += ["", "", ""]
            writer.writerow(line)
    return out.getvalue()


def live(
    conn: psycopg.Connection, person: Person | None, now: float, silent_after_s: float
) -> dict[str, Any]:
    """Now, per center: people waiting and the longest wait (per service too), whether it is
    silent (no contact for ``silent_after_s``) or stopped, its open chain alarms; and the device
    alerts the centers shipped."""
    require(person, Can.VIEW_FIGURES)
    centers = _centers(conn)
    today = {c["id"]: local_day(now, c["timezone"]) for c in centers}
    waiting: dict[str, list[dict[str, Any]]] = {}
    for row in store.waiting_now(conn, today):
        waiting.setdefault(row["center"], []).append(row)
    alarms: dict[str, list[dict[str, Any]]] = {}
    for alarm in alarms_store.open_alarms(conn):
        alarms.setdefault(alarm["center"], []).append(alarm)
    out = []
    for c in centers:
        rows = waiting.get(c["id"], [])
        oldest = min((r["oldest"] for r in rows), default=None)
        contact = c["last_contact"]
        out.append({
            "id": c["id"], "name": c["name"], "timezone": c["timezone"], "today": today[c["id"]],
            "status": c["status"], "stopped_reason": c["stopped_reason"],
            "last_contact": contact,
            "silent": contact is None or now - contact > silent_after_s,
            "waiting": sum(r["waiting"] for r in rows),
            "longest_wait_s": None if oldest is None else max(0.0, now - oldest),
            "services": [
                {"id": r["service"], "waiting": r["waiting"],
                 "longest_wait_s": max(0.0, now - r["oldest"])}
                for r in rows
            ],
            "alarms": [{k: a[k] for k in ("id", "seq", "kind", "detail", "at")}
                       for a in alarms.get(c["id"], [])],
        })  # fmt: skip
    return {
        "now": now,
        "silent_after_s": silent_after_s,
        "centers": out,
        "device_alerts": store.device_alerts(conn),
    }


COMPLAINT_OPEN = ("received", "under_review")


def complaints(conn: psycopg.Connection, person: Person | None, now: float) -> dict[str, Any]:
    """The complaints centers escalated to the ministry (open first, the longest overdue first),
    each with its center, service, state and times: what the ministry follows up on. Nothing
    personal travels to the hub: no words, no phone, only what the chain's step carries."""
    require(person, Can.VIEW_FIGURES)
    centers = {c["id"]: c for c in _centers(conn)}
    out = []
    for row in store.escalated_complaints(conn):
        state = row["state"] if isinstance(row["state"], Mapping) else {}
        center = centers.get(row["center"]) or {"name": None, "timezone": "UTC", "services": {}}
        service = state.get("service")
        reference = str(row["reference"] or "")
        status = str(state.get("status") or "")
        deadline = state.get("deadline_at")
        is_open = status in COMPLAINT_OPEN and not state.get("spam")
        out.append({
            "center": row["center"], "center_name": center["name"],
            "timezone": center["timezone"],
            "reference": display(reference),
            "kind": state.get("kind"), "about": state.get("about"), "topic": state.get("topic"),
            "channel": state.get("channel"), "service": service,
            "service_name": (center["services"].get(service) or {}).get("name")
            if isinstance(service, str) else None,
            "status": status, "open": is_open, "spam": bool(state.get("spam")),
            "filed_at": row["filed_at"], "deadline_at": deadline,
            "escalated_at": row["escalated_at"], "answered_at": row["answered_at"],
            "last_at": row["last_at"],
            "overdue_s": max(0.0, now - deadline)
            if is_open and isinstance(deadline, int | float) else None,
        })  # fmt: skip
    out.sort(key=lambda c: (not c["open"], -(c["overdue_s"] or 0), -(c["escalated_at"] or 0)))
    return {"now": now, "open": sum(1 for c in out if c["open"]), "complaints": out}


def integrity(
    conn: psycopg.Connection, person: Person | None, date_from: str, date_to: str
) -> dict[str, Any]:
    """Per center: the chain head the hub verified (and the newest signed head it checked with
    the center's key), the calls in and out of order over the period with the share in order,
    and every out-of-order call with its reason, grouped by the center's day."""
    require(person, Can.VIEW_INTEGRITY)
    first, last = parse_period(date_from, date_to)
    centers = _centers(conn)
    spans = {c["id"]: day_bounds(first, last, c["timezone"]) for c in centers}
    counts = {r["center"]: r for r in store.call_counts(conn, spans)}
    calls = store.out_of_order_calls(conn, spans)
    zones = {c["id"]: c["timezone"] for c in centers}
    days: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for call in calls:
        call["local_day"] = local_day(call["at"], zones.get(call["center"]))
        days.setdefault(call["center"], {}).setdefault(call["local_day"], []).append(call)
    out = []
    for c in centers:
        count = counts.get(c["id"]) or {"in_order": 0, "out_of_order": 0}
        total = count["in_order"] + count["out_of_order"]
        out.append({
            "id": c["id"], "name": c["name"], "timezone": c["timezone"], "status": c["status"],
            "stopped_reason": c["stopped_reason"],
            **{k: c[k] for k in ("head_seq", "head_hash", "head_at", "received_at",
                                 "signed_seq", "signed_hash", "signed_at")},
            "in_order": count["in_order"], "out_of_order": count["out_of_order"],
            "share_in_order": count["in_order"] / total if total else None,
            "days": [{"day": day, "count": len(items), "calls": items}
                     for day, items in sorted(days.get(c["id"], {}).items(), reverse=True)],
        })  # fmt: skip
    return {"period": {"from": first.isoformat(), "to": last.isoformat()}, "centers": out}
