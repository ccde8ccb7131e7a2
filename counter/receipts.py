"""A file's receipt: printed on the counter's printer, or rendered for the screen when there is none
(or when the printer fails, so the citizen still leaves with the reference)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from nafitha.text import both
from printers.printables import FileReceipt, LayoutOptions


@dataclass(frozen=True)
class ReceiptShown:
    """The receipt was not printed; its image is at ``path`` for the screen."""

    path: str
    error: Any = None
    """The printer's error (a :class:`printers.errors.PrinterError`) when printing failed."""


def receipt_from_file(file: dict[str, Any], center: dict[str, Any]) -> FileReceipt:
    """The printable receipt of a file as the server describes it (``GET /files/{reference}``).

    The QR code and the printed link are the server's ``track_url``: only the server knows the
    address citizens reach it at (its ``public_url`` setting may differ from the catalog's).
    """
    opened = file.get("opened_at")
    return FileReceipt(
        center_name=center.get("name") or both("common.center_name"),
        reference=file["reference"],
        service_name=(file.get("service") or {}).get("name") or "",
        opened_at=datetime.fromisoformat(opened) if isinstance(opened, str) else datetime.now(),
        stages=tuple(
            {"id": stage["id"], "name": stage["name"]} for stage in file.get("stages") or []
        ),
        current_stage=(file.get("stage") or {}).get("id"),
        track_url=str(file["track_url"]),
        missing_documents=tuple(file.get("missing_documents") or ()),
        timezone=str(file.get("timezone") or center.get("timezone") or ""),
    )


class ReceiptOutput:
    """Where receipts go: the configured printer, else an image on screen."""

    def __init__(self, printer: str, folder: Path | None = None) -> None:
        self.setting = printer
        self.folder = folder or Path(tempfile.mkdtemp(prefix="nafitha-counter-"))
        self._printer: Any = None
        if printer:
            from printers.printing import Printer

            self._printer = Printer(printer)

    @property
    def has_printer(self) -> bool:
        return self._printer is not None

    @property
    def printer(self) -> Any:
        """The counter's :class:`printers.printing.Printer` (check :attr:`has_printer` first)."""
        return self._printer

    def output(self, file: dict[str, Any], center: dict[str, Any]) -> Any:
        """Print the file's receipt (blocking: call off the UI thread). Returns the printer's
        result, or a :class:`ReceiptShown` when it is to be shown instead."""
        from printers.errors import PrinterError

        receipt = receipt_from_file(file, center)
        if self._printer is not None:
            try:
                return self._printer.print_receipt(receipt)
            except PrinterError as error:
                return ReceiptShown(self.render(receipt), error)
        return ReceiptShown(self.render(receipt))

    def render(self, receipt: FileReceipt) -> str:
        from printers.receipt_layout import render_receipt

        image = render_receipt(receipt, LayoutOptions(width_dots=576, lang="both"))
        path = self.folder / f"receipt-{receipt.reference}.png"
        image.save(path)
        return str(path)
