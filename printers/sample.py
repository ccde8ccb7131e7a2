"""A sample ticket and receipt for a service of the demo catalog, for previews and test prints.

Reads ``assets/demo/center.toml`` with tomllib (the printers never import the server) and fills a
ticket as the kiosk would after the server issued it.
"""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

from nafitha.formats import wait_minutes
from nafitha.paths import DEMO
from printers.printables import FileReceipt, Stage, Ticket

CENTER_FILE = DEMO / "center.toml"
SAMPLE_REFERENCE = "7KQ2-M9XD-4"  # the shape of a file reference: 8 symbols and a check
SAMPLE_TOKEN = "s4mPl3-T1ck3t-t0k3n"
FALLBACK_CENTER = {"ar": "مركز خدمة المواطن", "en": "Citizen Service Center"}


class SampleError(ValueError):
    """The demo catalog is missing or has no such service."""


def load_center(path: Path = CENTER_FILE) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SampleError(f"{path}: not found (the demo catalog)") from None
    except tomllib.TOMLDecodeError as exc:
        raise SampleError(f"{path}: not valid TOML: {exc}") from None


def find_service(center: dict[str, Any], service_id: str | None) -> dict[str, Any]:
    services = center.get("services") or []
    if not services:
        raise SampleError("the demo catalog lists no services")
    if service_id is None:
        return services[0]
    for service in services:
        if service.get("id") == service_id:
            return service
    known = ", ".join(str(s.get("id")) for s in services)
    raise SampleError(f"no service {service_id!r} in the demo catalog; known: {known}")


def _public_url(center: dict[str, Any]) -> str:
    return str(center.get("center", {}).get("public_url", "http://127.0.0.1:8000")).rstrip("/")


def sample_ticket(
    service_id: str | None = None, now: datetime | None = None, path: Path = CENTER_FILE
) -> Ticket:
    """A ticket for ``service_id`` (the catalog's first service when None), number 42."""
    center = load_center(path)
    service = find_service(center, service_id)
    return Ticket(
        center_name=center.get("center", {}).get("name", FALLBACK_CENTER),
        number=f"{service.get('prefix', 'A')}-042",
        service_name=service["name"],
        issued_at=now or datetime(2026, 11, 23, 9, 41),
        people_ahead=7,
        wait_minutes=wait_minutes(7 * int(service.get("service_time_s", 240))),
        status_url=f"{_public_url(center)}/t/{SAMPLE_TOKEN}",
        documents=tuple(service.get("documents", ())),
    )


def sample_receipt(
    service_id: str | None = None, now: datetime | None = None, path: Path = CENTER_FILE
) -> FileReceipt:
    """A file receipt for ``service_id``, its workflow's stages, in the first stage."""
    center = load_center(path)
    service = find_service(center, service_id)
    workflows = {w.get("id"): w for w in center.get("workflows", [])}
    workflow = workflows.get(service.get("workflow"), {})
    stages = tuple(Stage(s["id"], s["name"]) for s in workflow.get("stages", []))
    documents = tuple(service.get("documents", ()))
    return FileReceipt(
        center_name=center.get("center", {}).get("name", FALLBACK_CENTER),
        reference=SAMPLE_REFERENCE,
        service_name=service["name"],
        opened_at=now or datetime(2026, 11, 23, 10, 5),
        stages=stages,
        current_stage=stages[0].id if stages else None,
        track_url=f"{_public_url(center)}/f/{SAMPLE_REFERENCE}",
        missing_documents=documents[-1:],
    )
