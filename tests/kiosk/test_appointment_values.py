"""The kiosk's appointment pieces without a window: which scans are a booking's or a place's, what
a typed code lacks (the booking kind's typo check), the refusal screens' words with their times
in the center's zone, and the day buttons' words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.appointment_values import (
    day_label,
    day_note,
    free_slots,
    is_late,
    result_title,
    route_scan,
    slot_time,
    typed_problem,
)
from nafitha.reference import ALPHABET, new_reference

BOOKING = new_reference(lambda bits: 0x1234567890, kind="booking")
FILE = new_reference(lambda bits: 0x1234567890, kind="file")
COMPLAINT = new_reference(lambda bits: 0x1234567890, kind="complaint")


@pytest.mark.parametrize(
    ("scan", "routed"),
    [
        (f"http://10.0.0.2:8000/a/{BOOKING.printed}", ("booking", BOOKING.code)),
        (f"https://center.example/a/{BOOKING.printed}/\r\n", ("booking", BOOKING.code)),
        (BOOKING.code, ("booking", BOOKING.code)),  # the slip's Code128
        (BOOKING.printed.lower(), ("booking", BOOKING.code)),
        ("http://10.0.0.2:8000/p/Zx9_-k", ("place", "Zx9_-k")),
        (FILE.code, None),  # a file receipt's barcode: "where is my file"
        (f"http://10.0.0.2:8000/f/{FILE.printed}", None),
        (COMPLAINT.code, None),
        ("http://10.0.0.2:8000/t/Xq3bT9kLmN2pQ7rS", None),  # a ticket's QR: the reprint's
        ("http://10.0.0.2:8000/a/", None),
    ],
)
def test_only_a_bookings_or_a_places_code_is_routed_to_the_check_in(scan, routed) -> None:
    assert route_scan(scan) == routed


def test_a_booking_link_with_a_damaged_code_is_still_ours_and_then_refused_as_mistyped() -> None:
    damaged = BOOKING.code[:-1] + next(s for s in ALPHABET if s != BOOKING.code[-1])
    assert route_scan(f"http://10.0.0.2:8000/a/{damaged}") == ("booking", damaged)
    assert typed_problem(damaged)["code"] == "reference_mistyped"


@given(st.integers(0, 8), st.sampled_from(ALPHABET))
def test_every_one_symbol_typo_of_a_booking_code_is_caught_before_the_server(
    at: int, symbol: str
) -> None:
    typed = BOOKING.code[:at] + symbol + BOOKING.code[at + 1 :]
    problem = typed_problem(typed)
    assert (problem == {}) == (typed == BOOKING.code)
    if problem:
        assert problem["code"] == "reference_mistyped"
        assert problem["message"]["ar"] and problem["message"]["en"]


def test_a_file_reference_typed_on_the_booking_keypad_is_not_a_booking_code() -> None:
    assert typed_problem(FILE.code)["code"] == "reference_mistyped"
    assert typed_problem(BOOKING.code[:5])["code"] == "reference_malformed"


def test_times_are_the_centers_whatever_the_pcs_zone() -> None:
    at = datetime(2026, 11, 30, 7, 15, tzinfo=UTC).timestamp()
    assert slot_time({"at": at, "start": "ignored"}, "Asia/Damascus") == "10:15"
    assert slot_time({"at": at}, "Europe/London") == "07:15"
    assert slot_time({"start": "09:30"}, "UTC") == "09:30"


def test_a_late_check_in_is_read_from_the_answer_or_its_ticket() -> None:
    assert is_late({"late": True, "ticket": {}})
    assert is_late({"ticket": {"late": True}})
    assert not is_late({"late": False, "ticket": {"late": False}})


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_each_outcome_has_its_own_title(lang: str) -> None:
    titles = {
        result_title(outcome, "booking", lang)
        for outcome in ("checked_in", "late", "too_early", "wrong_day", "already", "cancelled")
    }
    assert len(titles) == 6
    assert result_title("place", "place", lang) != result_title("refused", "place", lang)


def test_day_buttons_say_closed_full_or_how_many_times_are_free() -> None:
    free = {"day": "2026-11-30", "closed": False, "slots": [{"free": 2}, {"free": 0}]}
    full = {"day": "2026-12-01", "closed": False, "slots": [{"free": 0}]}
    closed = {"day": "2026-12-02", "closed": True, "reason": {"ar": "عطلة", "en": "Holiday"}}
    assert free_slots(free) == 1 and free_slots(full) == 0 and free_slots(closed) == 0
    assert day_label(free, "en") == "Monday 30/11/2026"
    assert day_label(free, "ar") == "الإثنين 30/11/2026"
    assert day_note(free, "en") == "Free times: 1"
    assert day_note(full, "en") == "Fully booked"
    assert day_note(closed, "ar") == "عطلة"
