"""The counter's reprint key: the ticket at the counter printed again on its receipt printer.

Only with a printer: a counter without one says so to the clerk and asks the server nothing (a
reprint is counted and audited only when paper can come out). The server checks the ticket
(``POST /api/v1/tickets/{id}/reprint``: the clerk's counter's, today's, still in its visit) and
answers the ticket as a fresh one shows it; the paper is printed in the clerk's language under
the REPRINT / نسخة مكررة band, with the same number and QR code.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from counter.receipts import ReceiptOutput
from nafitha.formats import wait_minutes
from printers.printables import Ticket


def ticket_from_answer(answer: Mapping[str, Any], center: Mapping[str, Any], lang: str) -> Ticket:
    """The printable copy of the server's reprint answer (``reprint: true``)."""
    issued = answer.get("issued_at")
    issued_at = datetime.fromisoformat(issued) if isinstance(issued, str) else datetime.now(UTC)
    minutes = answer.get("wait_minutes")
    if "wait_minutes" not in answer:
        minutes = wait_minutes(answer.get("estimated_wait_s"))
    service = answer.get("service") or {}
    return Ticket(
        center_name=dict(answer.get("center") or center.get("name") or {"ar": "", "en": ""}),
        number=str(answer["number"]),
        service_name=dict(service.get("name") or {"ar": "", "en": ""}),
        issued_at=issued_at,
        people_ahead=int(answer.get("people_ahead") or 0),
        wait_minutes=int(minutes) if minutes is not None else None,
        status_url=str(answer.get("status_url") or ""),
        documents=tuple(answer.get("documents") or ()),
        priority=bool(answer.get("priority")),
        callable=bool(answer.get("callable", True)),
        lang=lang,
        timezone=str(answer.get("timezone") or "") if issued_at.tzinfo is not None else "",
        reprint=bool(answer.get("reprint")),
    )


def reprint_and_print(
    client: Any, receipts: ReceiptOutput, ticket_id: int, center: Mapping[str, Any], lang: str
) -> dict[str, Any]:
    """Ask the server, then print (blocking: call off the UI thread); the server's answer.

    Raises the client's errors (a refusal, the server away) and :class:`PrinterError`.
    """
    answer = client.reprint_at_counter(ticket_id)
    receipts.printer.print_ticket(ticket_from_answer(answer, center, lang))
    return answer
