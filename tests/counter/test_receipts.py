"""The receipt a clerk prints: its time in the center's zone, its link the server's."""

from counter.receipts import receipt_from_file
from printers.ticket_layout import format_when

FILE = {
    "reference": "7KQ2-M9XD-M",
    "service": {"name": {"ar": "جواز سفر", "en": "Passport"}},
    "opened_at": "2026-11-29T22:30:00+00:00",
    "timezone": "Asia/Beirut",
    "stages": [{"id": "received", "name": {"ar": "استلام", "en": "Received"}}],
    "stage": {"id": "received"},
    "track_url": "http://10.0.0.5:8123/f/7KQ2-M9XD-M",
    "missing_documents": [],
}


def test_the_receipt_prints_the_opening_time_in_the_centers_zone():
    receipt = receipt_from_file(FILE, {})
    assert receipt.timezone == "Asia/Beirut"
    assert format_when(receipt.opened_at, receipt.timezone) == "30/11/2026 00:30"
    assert receipt.track_url == FILE["track_url"]
