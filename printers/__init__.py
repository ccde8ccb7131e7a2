"""Tickets and file receipts on ESC/POS printers, in Arabic and English, and a virtual printer.

The calls the kiosk and counter make (see docs/printers.md):

    from printers import Printer, PrinterError, Ticket, FileReceipt, Stage
    printer = Printer("tcp://192.168.1.50:9100?profile=TM-T20II")   # PrinterSettingError if bad
    printer.print_ticket(ticket)       # -> PrintResult, or raises PrinterError(code, message)
    printer.print_receipt(receipt)
    printer.status()                   # -> PrinterStatus (state, can_print, message)

Layout (an image) is separate from encoding (ESC/POS bytes) and from transport (where they go).
Only ``nafitha.text`` is imported from the project; the server is never imported.
"""

from printers.errors import CODES, PrinterError, PrinterSettingError
from printers.printables import Bilingual, FileReceipt, LayoutOptions, Stage, Ticket
from printers.printing import Printer, PrintResult, print_receipt, print_ticket, printer_status
from printers.setting import PrinterSetting, parse_setting
from printers.status import PrinterStatus

__all__ = [
    "CODES",
    "Bilingual",
    "FileReceipt",
    "LayoutOptions",
    "PrintResult",
    "Printer",
    "PrinterError",
    "PrinterSetting",
    "PrinterSettingError",
    "PrinterStatus",
    "Stage",
    "Ticket",
    "parse_setting",
    "print_receipt",
    "print_ticket",
    "printer_status",
]
