"""Turning the server's ticket answer into what the printer prints, and printing it.

The kiosk prints only what the server committed: the :class:`printers.Ticket` is built from the
issue answer alone. The printer is reached through :class:`TicketPrinter`, a small interface with
``printers.Printer`` behind it (``dummy://`` on a laptop with no printer).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from nafitha.formats import wait_minutes
from nafitha.reference import display
from nafitha.text import t
from printers import Ticket
from printers.errors import PrinterError


class TicketPrinter(Protocol):
    def print_ticket(self, ticket: Ticket, lang: str | None = None) -> Any: ...

    def status(self) -> Any: ...


def queue_figures(answer: Mapping[str, Any]) -> tuple[int, int | None, bool]:
    """The server's (people ahead, wait in minutes, callable) for a ticket answer.

    The wait is the server's ``wait_minutes``, shown as given; a server older than that field sends
    only ``estimated_wait_s``, rounded then by the same one function the server uses.
    """
    ahead = int(answer.get("people_ahead") or 0)
    if "wait_minutes" in answer:
        minutes = answer["wait_minutes"]
        minutes = int(minutes) if minutes is not None else None
    else:
        minutes = wait_minutes(answer.get("estimated_wait_s"))
    return ahead, minutes, bool(answer.get("callable", True))


def ticket_to_print(
    answer: Mapping[str, Any],
    center_name: Mapping[str, str],
    lang: str = "",
    timezone: str = "",
    reference: str = "",
    bring: Sequence[Mapping[str, str]] = (),
    appointment_time: str = "",
) -> Ticket:
    """The printable ticket for the server's issue answer, in the citizen's language ``lang``.

    A return visit (``reference``, a file's) prints the reference with its dashes and, as the
    documents, what the file still misses (``bring``). A ticket checked in for a booking prints
    its slot (``appointment_time``, ``09:15`` in the center's zone).
    """
    service = answer.get("service") or {}
    issued = answer.get("issued_at")
    issued_at = datetime.fromisoformat(issued) if isinstance(issued, str) else datetime.now(UTC)
    ahead, minutes, callable_ = queue_figures(answer)
    return Ticket(
        center_name=dict(answer.get("center") or center_name or {"ar": "", "en": ""}),
        number=str(answer["number"]),
        service_name=dict(service.get("name") or {"ar": str(service), "en": str(service)}),
        issued_at=issued_at,
        people_ahead=ahead,
        wait_minutes=minutes,
        status_url=str(answer.get("status_url") or ""),
        documents=tuple(bring if reference else answer.get("documents") or ()),
        priority=bool(answer.get("priority")),
        callable=callable_,
        reference=display(reference) if reference else "",
        lang=lang,
        timezone=timezone if issued_at.tzinfo is not None else "",
        reprint=bool(answer.get("reprint")),
        appointment_time=appointment_time,
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


def print_phase_text(
    phase: str,
    error: Mapping[str, Any],
    lang: str,
    *,
    printed: str | None,
    failed_phase: str = "failed",
    failed: str = "kiosk.print_failed",
) -> str:
    """What a screen says of its paper: printing, printed (the ``printed`` text), or why not.

    One wording for every flow that prints (ticket, reprint, check-in, booking slip, complaint)."""
    if phase == "printing":
        return t("kiosk.printing", lang)
    if phase == "printed" and printed:
        return t(printed, lang)
    if phase == failed_phase:
        return t(failed, lang, reason=(error.get("message") or {}).get(lang, ""))
    return ""
