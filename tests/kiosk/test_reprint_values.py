"""The reprint's pure pieces: which scans are a ticket's QR, how a typed number is shown, and what
the keypad accepts (letters first, then digits)."""

from __future__ import annotations

import pytest

from kiosk.reprint import ReprintFlow, shown_number, token_in_scan
from kiosk.state import KioskState


@pytest.mark.parametrize(
    ("scan", "token"),
    [
        ("http://10.0.0.2:8000/t/Xq3bT9kLmN2pQ7rS", "Xq3bT9kLmN2pQ7rS"),
        ("https://center.example/t/abc-_9/\r\n", "abc-_9"),
        ("http://10.0.0.2:8000/f/7KQ2-M9XD-4", None),  # a file receipt: the file lookup's
        ("7KQ2M9XD4", None),
        ("http://10.0.0.2:8000/t/", None),
    ],
)
def test_only_a_tickets_qr_is_a_reprint(scan: str, token: str | None) -> None:
    assert token_in_scan(scan) == token


@pytest.mark.parametrize(
    ("typed", "shown"), [("", ""), ("A", "A"), ("A4", "A-4"), ("PA042", "PA-042")]
)
def test_the_typed_number_is_shown_as_printed(typed: str, shown: str) -> None:
    assert shown_number(typed) == shown


def test_the_keypad_takes_up_to_two_letters_then_up_to_four_digits() -> None:
    flow = ReprintFlow(KioskState(), None, None, None, None, lambda _name: None)  # type: ignore[arg-type]
    for symbol in "4AB C1234 5D":  # a digit first, a third letter, a fifth digit, a late letter
        if symbol != " ":
            flow.key(symbol)
    assert flow.state.typed == "AB1234"
    assert flow.can_print(flow.state.typed, "idle")
    flow.back()
    flow.back()
    assert flow.state.typed == "AB12"
    flow.clear()
    flow.key("A")
    assert not flow.can_print(flow.state.typed, "idle")  # no digit yet
    flow.key("7")
    assert not flow.can_print(flow.state.typed, "asking")  # one request at a time
