"""What the kiosk says about the cut-off and the person prompt, with no window (kiosk/cutoff.py)."""

from __future__ import annotations

from kiosk.catalog import parse_catalog
from kiosk.cutoff import (
    cutoff_line,
    cutoff_notice,
    needs_person,
    past_cutoff,
    person_complete,
    person_typed,
)


def catalog(cutoff: dict | None, **service: object):
    payload = {
        "center": {"name": {"ar": "مركز", "en": "Center"}, "timezone": "Asia/Beirut"},
        "categories": [{"id": "c", "name": {"ar": "فئة", "en": "Category"}}],
        "services": [
            {
                "id": "s",
                "category": "c",
                "name": {"ar": "جواز سفر", "en": "Passport"},
                "open_now": True,
                "cutoff": cutoff,
                **service,
            }
        ],
    }
    parsed = parse_catalog(payload)
    return parsed, parsed.services["s"]


def test_the_last_ticket_is_told_in_the_centers_zone_whatever_the_pc_zone() -> None:
    cat, service = catalog(
        {
            # sent as UTC on purpose: the kiosk shows the center's 12:40, not the server's 10:40
            "last_ticket_at": "2026-11-23T10:40:00+00:00",
            "closes_at": "2026-11-23T13:00:00+02:00",
            "past_cutoff": False,
            "overridden": False,
        }
    )
    assert cutoff_line(service, "en", cat.timezone) == "Last ticket today: 12:40"
    assert cutoff_line(service, "ar", cat.timezone) == "آخر تذكرة اليوم: 12:40"
    assert not past_cutoff(service)


def test_past_the_cutoff_the_button_names_the_closing_time_and_the_notice_explains() -> None:
    cat, service = catalog(
        {
            "last_ticket_at": "2026-11-23T11:50:00+02:00",
            "closes_at": "2026-11-23T13:00:00+02:00",
            "past_cutoff": True,
            "overridden": False,
        }
    )
    assert past_cutoff(service)
    assert cutoff_line(service, "en", cat.timezone) == "No more tickets today (closes 13:00)"
    assert "13:00" in cutoff_notice(service, "ar", cat.timezone)
    assert "Passport" in cutoff_notice(service, "en", cat.timezone)


def test_no_closing_time_says_nothing_and_an_override_says_until_closing() -> None:
    cat, service = catalog(None)
    assert cutoff_line(service, "en", cat.timezone) == "" and not past_cutoff(service)
    cat, service = catalog(
        {
            "last_ticket_at": "2026-11-23T13:00:00+02:00",
            "closes_at": "2026-11-23T13:00:00+02:00",
            "past_cutoff": False,
            "overridden": True,
        }
    )
    assert cutoff_line(service, "en", cat.timezone) == "Tickets until closing: 13:00"


def test_the_person_keypad_takes_digits_up_to_the_length_of_its_kind() -> None:
    _, limited = catalog(None, max_tickets_per_person=2, identify_by="id_digits")
    _, free = catalog(None)
    assert needs_person(limited) and not needs_person(free)
    value = ""
    for digit in "123456":
        value = person_typed(value, digit, "id_digits")
    assert value == "1234" and person_complete(value, "id_digits")
    assert not person_complete("123", "id_digits")
    assert person_typed("0933", "x", "phone") == "0933"
    assert not person_complete("12345", "phone") and person_complete("123456", "phone")
    assert person_complete("1" * 15, "phone") and person_typed("1" * 15, "2", "phone") == "1" * 15
