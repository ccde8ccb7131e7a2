"""DLE EOT answers decoded into one state; silence is never taken for a ready printer."""

from __future__ import annotations

import pytest

from printers.status import (
    NOT_SUPPORTED,
    PrinterStatus,
    decode_status,
    encode_status,
    is_status_byte,
    status_request,
)


@pytest.mark.parametrize(
    ("state", "can_print", "error"),
    [
        ("ready", True, None),
        ("near_end", True, None),
        ("paper_out", False, "paper_out"),
        ("cover_open", False, "cover_open"),
        ("error", False, "printer_error"),
        ("offline", False, "offline"),
    ],
)
def test_each_state_survives_its_own_status_bytes(state, can_print, error):
    status = decode_status(encode_status(state))
    assert status.state == state
    assert status.can_print is can_print
    assert (status.as_error().code if status.as_error() else None) == error
    assert status.message["ar"] and status.message["en"]


def test_silence_is_unknown_and_cannot_print():
    status = decode_status({})
    assert status.state == "unknown"
    assert status.can_print is False
    assert status.as_error().code == "timeout"


def test_bytes_without_the_fixed_bits_are_not_answers():
    # 0x00 and 0xFF are noise (or an echo), not "all sensors fine"
    assert not is_status_byte(0x00) and not is_status_byte(0xFF)
    assert decode_status({1: 0x00, 4: 0xFF}).state == "unknown"


def test_paper_sensor_alone_is_enough_to_see_paper_out():
    assert decode_status({4: 0x72}).state == "paper_out"
    assert decode_status({4: 0x1E}).state == "near_end"


def test_requests_are_dle_eot_n():
    assert status_request(1) == b"\x10\x04\x01"
    with pytest.raises(ValueError):
        status_request(5)


def test_a_transport_that_cannot_ask_prints_anyway():
    status = PrinterStatus(NOT_SUPPORTED)
    assert status.as_error() is None
    assert "cannot ask" in status.message["en"]
