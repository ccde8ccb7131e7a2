"""Print a ticket or a receipt, or ask a printer how it is: the calls the kiosk and counter make.

    from printers import Printer, PrinterError
    printer = Printer("tcp://192.168.1.50:9100?profile=TM-T20II")   # bad setting: raises at start
    try:
        result = printer.print_ticket(ticket, lang="both")
        if result.status.state == "near_end": alert staff
    except PrinterError as error:          # error.code, error.message["ar"/"en"]
        show the ticket on screen, alert staff with error.code

Each call opens the connection, asks the status (unless ``status=off``), sends, and closes: a
printer switched off and on again between tickets needs nothing from us. Every wait is bounded by
the setting's timeout, so a dead printer costs the kiosk at most a few seconds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PIL import Image

from printers.booking_slip import BookingSlip
from printers.encode import encode_page
from printers.printables import FileReceipt, LayoutOptions, Ticket
from printers.setting import PrinterSetting, parse_setting
from printers.status import (
    NOT_SUPPORTED,
    REQUESTS,
    UNKNOWN,
    PrinterStatus,
    decode_status,
    is_status_byte,
    status_request,
)
from printers.transport import Transport, open_transport

STATUS_TIMEOUT_S = 1.0  # a printer answers DLE EOT in milliseconds, even while printing


@dataclass(frozen=True)
class PrintResult:
    """A job that went out: how many bytes, and the printer's status afterwards (near_end: warn)."""

    bytes_sent: int
    status: PrinterStatus


def read_status(transport: Transport, timeout_s: float = STATUS_TIMEOUT_S) -> PrinterStatus:
    """The status over an open transport: DLE EOT 1, 2, 4, 3, stopping at the first silence."""
    if not transport.can_read:
        return transport.own_status()
    while transport.read(64, 0.0):  # drop stale bytes (automatic status backs, late answers)
        pass
    answers: dict[int, int] = {}
    for n in REQUESTS:
        transport.write(status_request(n))
        answer = _status_byte(transport, timeout_s)
        if answer is None:
            break  # silence: do not wait four times
        answers[n] = answer
    return decode_status(answers)


def _status_byte(transport: Transport, timeout_s: float) -> int | None:
    deadline = time.monotonic() + timeout_s
    while (left := deadline - time.monotonic()) > 0:
        data = transport.read(1, left)
        if not data:
            return None
        if is_status_byte(data[0]):
            return data[0]
    return None


class Printer:
    """One configured printer. Cheap to build; holds no connection between jobs."""

    def __init__(self, setting: PrinterSetting | str) -> None:
        self.setting = parse_setting(setting) if isinstance(setting, str) else setting

    def options(self, lang: str | None = None) -> LayoutOptions:
        if lang not in (None, "ar", "en", "both"):
            raise ValueError(f"lang must be ar, en or both, not {lang!r}")
        return LayoutOptions(
            width_dots=self.setting.width_dots,
            lang=lang or self.setting.lang,
            dots_per_mm=self.setting.dots_per_mm,
        )

    def warm_up(self) -> None:
        """Load fonts, the capability profile and the line cache now, not on the first citizen.

        The first ticket after start otherwise costs ~0.1-1 s (python-escpos parses its capability
        database in every new process). No I/O: call it at start, off the UI thread.
        """
        from datetime import datetime

        sample = Ticket(
            {"ar": "مركز", "en": "Center"},
            "A-000",
            {"ar": "خدمة", "en": "Service"},
            datetime(2026, 1, 1),
            1,
            1,
            "http://127.0.0.1/t/x",
        )
        encode_page(self.render_ticket(sample), self.setting)

    def render_ticket(self, ticket: Ticket, lang: str | None = None) -> Image.Image:
        from printers.ticket_layout import render_ticket

        return render_ticket(ticket, self.options(lang))

    def render_receipt(self, receipt: FileReceipt, lang: str | None = None) -> Image.Image:
        from printers.receipt_layout import render_receipt

        return render_receipt(receipt, self.options(lang))

    def render_booking_slip(self, slip: BookingSlip, lang: str | None = None) -> Image.Image:
        from printers.booking_slip import render_booking_slip

        return render_booking_slip(slip, self.options(lang))

    def print_booking_slip(self, slip: BookingSlip, lang: str | None = None) -> PrintResult:
        """Print an appointment's booking slip; raises :class:`PrinterError` when it could not."""
        return self.print_image(self.render_booking_slip(slip, lang))

    def print_ticket(self, ticket: Ticket, lang: str | None = None) -> PrintResult:
        """Print ``ticket``; raises :class:`PrinterError` when it could not go out."""
        return self.print_image(self.render_ticket(ticket, lang))

    def print_receipt(self, receipt: FileReceipt, lang: str | None = None) -> PrintResult:
        """Print a file receipt; raises :class:`PrinterError` when it could not go out."""
        return self.print_image(self.render_receipt(receipt, lang))

    def print_image(self, image: Image.Image) -> PrintResult:
        data = encode_page(image, self.setting)
        return self.send(data)

    def send(self, data: bytes) -> PrintResult:
        """Send ready ESC/POS bytes after checking the printer can print them."""
        with open_transport(self.setting) as transport:
            before = self._checked_status(transport)
            transport.write(data)
            after = (
                read_status(transport, self._status_timeout())
                if self.setting.check_status
                else before
            )
        final = before if after.state == UNKNOWN else after  # late silence: keep what we knew
        error = final.as_error()
        if error is not None:
            raise error  # e.g. the paper ran out during this job: the ticket is not whole
        return PrintResult(len(data), final)

    def _status_timeout(self) -> float:
        return min(self.setting.timeout_s, STATUS_TIMEOUT_S)

    def _checked_status(self, transport: Transport) -> PrinterStatus:
        if not self.setting.check_status:
            return PrinterStatus(NOT_SUPPORTED)
        status = read_status(transport, self._status_timeout())
        error = status.as_error()
        if error is not None:
            raise error
        return status

    def status(self) -> PrinterStatus:
        """The printer's status, within the setting's timeouts; connection failures are raised."""
        with open_transport(self.setting) as transport:
            return read_status(transport, self._status_timeout())


def print_ticket(
    ticket: Ticket, printer: str | PrinterSetting, lang: str | None = None
) -> PrintResult:
    """Print ``ticket`` on ``printer`` (a setting string); raises :class:`PrinterError`."""
    return Printer(printer).print_ticket(ticket, lang)


def print_receipt(
    receipt: FileReceipt, printer: str | PrinterSetting, lang: str | None = None
) -> PrintResult:
    """Print a file receipt on ``printer``; raises :class:`PrinterError` on failure."""
    return Printer(printer).print_receipt(receipt, lang)


def printer_status(printer: str | PrinterSetting) -> PrinterStatus:
    """Ask ``printer`` how it is; raises :class:`PrinterError` when it cannot even be reached."""
    return Printer(printer).status()
