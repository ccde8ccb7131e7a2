"""Turning the server's ticket answer into what the printer prints, and printing it.

The kiosk prints only what the server committed: the :class:`printers.Ticket` is built from the
issue answer alone. The printer is reached through :class:`TicketPrinter`, a small interface with
``printers.Printer`` behind it (``dummy://`` on a laptop with no printer).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from printers import Ticket
from printers.errors import PrinterError


class TicketPrinter(Protocol):
    def print_ticket(self, ticket: Ticket, lang: str | None = None) -> Any: ...


def ticket_to_print(answer: Mapping[str, Any], center_name: Mapping[str, str]) -> Ticket:
    """The printable ticket for the server's issue answer."""
    service = answer.get("service") or {}
    issued = answer.get("issued_at")
    issued_at = datetime.fromisoformat(issued) if isinstance(issued, str) else datetime.now()
    return Ticket(
        center_name=dict(answer.get("center") or center_name or {"ar": "", "en": ""}),
        number=str(answer["number"]),
        service_name=dict(service.get("name") or {"ar": str(service), "en": str(service)}),
        issued_at=issued_at,
        people_ahead=int(answer.get("people_ahead") or 0),
        estimated_wait_s=(
            int(answer["estimated_wait_s"]) if answer.get("estimated_wait_s") is not None else None
        ),
        status_url=str(answer.get("status_url") or ""),
        documents=tuple(answer.get("documents") or ()),
        priority=bool(answer.get("priority")),
    )


@dataclass(frozen=True)
class PrintOutcome:
    """What happened at the printer: printed, or the error code and message to show and report."""

    printed: bool
    code: str = ""
    message: Mapping[str, str] | None = None
    render_encode_send_s: float = 0.0
    near_end: bool = False


def print_ticket(printer: TicketPrinter, ticket: Ticket, lang: str | None = None) -> PrintOutcome:
    """Print ``ticket`` (``lang`` None: as the printer setting says, both languages by default);
    never raises for a printer fault."""
    started = time.perf_counter()
    try:
        result = printer.print_ticket(ticket, lang)
    except PrinterError as error:
        return PrintOutcome(False, error.code, dict(error.message), time.perf_counter() - started)
    status = getattr(result, "status", None)
    near_end = getattr(status, "state", "") == "near_end"
    return PrintOutcome(True, render_encode_send_s=time.perf_counter() - started, near_end=near_end)
