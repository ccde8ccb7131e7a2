"""Fixtures for the printer tests: sample values, and a real virtual printer on a free port."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from printers.printables import FileReceipt, Stage, Ticket
from printers.virtual import VirtualPrinter
from tests.support.ports import free_port

CENTER = {"ar": "مركز خدمة المواطن - بيروت", "en": "Citizen Service Center - Beirut"}
SERVICE = {"ar": "إخراج قيد فردي", "en": "Individual civil status extract"}
STATUS_URL = "http://10.0.0.2:8000/t/Xq3bT9kLmN2pQ7rS"
REFERENCE = "7KQ2-M9XD-4"
TRACK_URL = f"http://10.0.0.2:8000/f/{REFERENCE}"


@pytest.fixture
def ticket() -> Ticket:
    return Ticket(
        center_name=CENTER,
        number="A-042",
        service_name=SERVICE,
        issued_at=datetime(2026, 11, 23, 14, 20),
        people_ahead=5,
        wait_minutes=20,
        status_url=STATUS_URL,
        documents=[
            {"ar": "بطاقة الهوية أو إخراج قيد سابق", "en": "Identity card or a previous extract"},
            {"ar": "طابع مالي", "en": "Fiscal stamp"},
        ],
    )


@pytest.fixture
def receipt() -> FileReceipt:
    return FileReceipt(
        center_name=CENTER,
        reference=REFERENCE,
        service_name=SERVICE,
        opened_at=datetime(2026, 11, 23, 10, 5),
        stages=[
            Stage("received", {"ar": "استلام الطلب", "en": "Application received"}),
            Stage("document-check", {"ar": "تدقيق المستندات", "en": "Document check"}),
            Stage("signature", {"ar": "توقيع أمين السجل", "en": "Registrar's signature"}),
            Stage("ready", {"ar": "جاهز للاستلام", "en": "Ready for pickup"}),
        ],
        current_stage="document-check",
        track_url=TRACK_URL,
        missing_documents=[{"ar": "طابع مالي", "en": "Fiscal stamp"}],
    )


@pytest.fixture
def virtual_printer(tmp_path: Path) -> Iterator[VirtualPrinter]:
    """A virtual ESC/POS printer listening on a free loopback port, saving pages in tmp_path."""
    printer = VirtualPrinter("127.0.0.1", free_port(), tmp_path / "printed")
    printer.start()
    try:
        yield printer
    finally:
        printer.stop()
