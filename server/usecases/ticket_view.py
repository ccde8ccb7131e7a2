"""How a ticket row is shown: to staff (everything) and to the public (no names of people)."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from server.domain.errors import Refusal
from server.domain.hours import iso
from server.domain.visit_steps import StepService, sequence
from server.store.tickets import ticket_row
from server.usecases.catalog import Catalog


def fetch_ticket(db: sqlite_utils.Database, ticket_id: int) -> dict[str, Any]:
    """The ticket's row, or the refusal ``ticket_not_found``."""
    row = ticket_row(db, ticket_id)
    if row is None:
        raise Refusal("ticket_not_found")
    return row


def counter_brief(catalog: Catalog, counter_id: str | None) -> dict[str, Any] | None:
    if counter_id is None or counter_id not in catalog.counters:
        return None
    counter = catalog.counters[counter_id]
    return {"id": counter.id, "number": counter.number, "name": counter.name.model_dump()}


def service_brief(catalog: Catalog, service_id: str) -> dict[str, Any]:
    service = catalog.services.get(service_id)
    name = service.name.model_dump() if service else {"ar": service_id, "en": service_id}
    return {"id": service_id, "name": name}


def step_rules(catalog: Catalog) -> dict[str, StepService]:
    """The catalog's services as the visit-step rules see them (once per catalog version)."""
    rules = catalog._derived.get("step_rules")
    if rules is None:
        rules = {s.id: s.step_rules() for s in catalog.services.values()}
        catalog._derived["step_rules"] = rules
    return rules


def step_fields(row: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    """Where the ticket is in its visit: ``step`` (1-based) of ``steps``, the service chosen at
    the kiosk (``visit_service``), the next step's service if any, the last ``outcome``."""
    visit = row.get("visit_service") or row["service"]
    order = sequence(visit, step_rules(catalog))
    step = min(int(row.get("step") or 0), len(order) - 1)
    following = order[step + 1] if step + 1 < len(order) else None
    return {
        "step": step + 1,
        "steps": len(order),
        "visit_service": service_brief(catalog, visit),
        "next_service": service_brief(catalog, following) if following else None,
        "outcome": row.get("outcome"),
        **_outcome_brief(catalog, row["service"], row.get("outcome")),
    }


def _outcome_brief(catalog: Catalog, service_id: str, outcome: str | None) -> dict[str, Any]:
    """The outcome's name and whether it is resolved, from the service's list (None: unknown)."""
    service = catalog.services.get(service_id)
    found = next((o for o in service.outcomes if o.id == outcome), None) if service else None
    return {
        "outcome_name": found.name.model_dump() if found else None,
        "outcome_resolved": found.resolved if found else None,
    }


def staff_view(row: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    tz = catalog.center.timezone
    return {
        "id": row["id"],
        "number": row["number"],
        "day": row["day"],
        "service": service_brief(catalog, row["service"]),
        "priority": bool(row["priority"]),
        "state": row["state"],
        "issued_at": iso(row["issued_at"], tz),
        "called_at": iso(row["called_at"], tz),
        "started_at": iso(row["started_at"], tz),
        "finished_at": iso(row["finished_at"], tz),
        "counter": counter_brief(catalog, row["counter"]),
        "target_counter": row["target_counter"],
        "clerk": row["clerk"],
        "file": row["file"],
        "recalls": row["recalls"],
        "transfers": row["transfers"],
        "reprints": row.get("reprints", 0),  # copies printed again (kiosk or counter), m026
        **step_fields(row, catalog),
        "note": row.get("note"),  # the clerk's note from the step before (staff only)
        # a checked-in appointment (m032, docs/appointments.md): its code and slot time
        "appointment_code": printed_code(row.get("appointment_code")),
        "appointment_at": iso(row.get("appointment_at"), tz),
    }


def printed_code(code: str | None) -> str | None:
    """A canonical 9-symbol code as printed (``XXXX-XXXX-C``)."""
    return None if code is None else f"{code[:4]}-{code[4:8]}-{code[8:]}"


def public_event_fields(row: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    """What the board and phones may see of a ticket: number, service, counter."""
    return {
        "ticket": row["number"],
        "service": service_brief(catalog, row["service"]),
        "counter": counter_brief(catalog, row["counter"]),
        "state": row["state"],
    }
