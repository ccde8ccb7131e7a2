"""A CUPS queue, sent raw through pycups (optional: Debian's ``python3-cups``)."""

from __future__ import annotations

import tempfile
from typing import Any

from printers.errors import PrinterError
from printers.setting import PrinterSetting
from printers.status import NOT_SUPPORTED, OFFLINE, PrinterStatus
from printers.transport import Transport, load_optional

CUPS_STOPPED = 5  # IPP printer-state: 3 idle, 4 processing, 5 stopped


class CupsTransport(Transport):
    """Collects the job and submits it as one raw CUPS job on close.

    CUPS does not pass the printer's answers back, so DLE EOT is not available; :meth:`queue_state`
    gives the queue's own state (stopped means offline) instead.
    """

    can_read = False

    def __init__(self, setting: PrinterSetting) -> None:
        super().__init__(setting)
        self._cups: Any = None
        self._conn: Any = None
        self._job: list[bytes] = []

    def open(self) -> None:
        self._cups = load_optional("cups", fix="fix_pycups")
        try:
            self._conn = self._cups.Connection()
            printers = self._conn.getPrinters()
        except (RuntimeError, self._cups.IPPError) as exc:
            raise PrinterError("offline", detail=f"CUPS is not running: {exc}") from exc
        if self.setting.target not in printers:
            raise PrinterError.of("no_such_device", target=f"cups://{self.setting.target}")

    def queue_state(self) -> tuple[int, bool]:
        """(IPP printer-state, accepting jobs) of the queue."""
        attrs = self._conn.getPrinterAttributes(self.setting.target)
        return int(attrs.get("printer-state", 3)), bool(
            attrs.get("printer-is-accepting-jobs", True)
        )

    def own_status(self) -> PrinterStatus:
        """Offline when the queue is stopped or refuses jobs; otherwise CUPS cannot tell."""
        state, accepting = self.queue_state()
        if state == CUPS_STOPPED or not accepting:
            return PrinterStatus(OFFLINE, online=False)
        return PrinterStatus(NOT_SUPPORTED)

    def write(self, data: bytes) -> None:
        self._job.append(data)

    def close(self) -> None:
        if not self._job or self._conn is None:
            return
        with tempfile.NamedTemporaryFile(prefix="nafitha-", suffix=".escpos") as tmp:
            tmp.write(b"".join(self._job))
            tmp.flush()
            try:
                self._conn.printFile(
                    self.setting.target,
                    tmp.name,
                    "nafitha",
                    {"document-format": "application/vnd.cups-raw"},
                )
            except self._cups.IPPError as exc:
                raise PrinterError.of("io_error", detail=str(exc), reason=str(exc)) from exc
            finally:
                self._job = []
