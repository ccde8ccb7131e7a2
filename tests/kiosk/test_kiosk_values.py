"""The kiosk's pure parts: catalog view, pages, hours in words, references, the printable ticket."""

from __future__ import annotations

from datetime import datetime

from kiosk.catalog import hours_text, page_of, parse_catalog
from kiosk.printing import PrintOutcome, print_ticket, ticket_to_print
from nafitha.reference import display, from_scan
from nafitha.reference import normalize as compact
from printers import Printer

ANSWER = {
    "center": {"name": {"ar": "مركز", "en": "Center"}},
    "categories": [
        {"id": "a", "name": {"ar": "أ", "en": "A"}, "icon": "passport"},
        {"id": "b", "name": {"ar": "ب", "en": "B"}, "icon": "x"},
    ],
    "services": [
        {
            "id": "a1",
            "category": "a",
            "name": {"ar": "١", "en": "1"},
            "open_now": False,
            "hours": [
                {"days": ["mon", "tue", "wed", "thu", "fri"], "open": "08:00", "close": "14:00"}
            ],
        },
        {
            "id": "a2",
            "category": "a",
            "name": {"ar": "٢", "en": "2"},
            "open_now": True,
            "documents": [{"ar": "هوية", "en": "ID"}],
        },
        {"id": "b1", "category": "b", "name": {"ar": "٣", "en": "3"}, "open_now": True},
    ],
}


def test_services_sit_in_their_categories_with_open_flags_and_documents():
    catalog = parse_catalog(ANSWER)
    assert [c.id for c in catalog.categories] == ["a", "b"]
    assert [s.id for s in catalog.category("a").services] == ["a1", "a2"]
    assert not catalog.services["a1"].is_open and catalog.services["a2"].documents[0]["en"] == "ID"
    assert catalog.center_name["en"] == "Center"


def test_quick_services_are_the_first_open_of_each_category_or_the_configured_ones():
    catalog = parse_catalog(ANSWER)
    assert [s.id for s in catalog.quick_services([])] == ["a2", "b1"]
    assert [s.id for s in catalog.quick_services(["b1", "nope", "a1"])] == ["b1", "a1"]


def test_pages_are_clamped_and_never_fewer_than_one():
    assert page_of(list(range(7)), 1, 3) == ([3, 4, 5], 1, 3)
    assert page_of(list(range(7)), 9, 3) == ([6], 2, 3)
    assert page_of([], 0, 3) == ([], 0, 1)


def test_hours_read_as_day_spans_in_both_languages():
    hours = ANSWER["services"][0]["hours"] + [{"days": ["sat"], "open": "08:00", "close": "12:00"}]
    assert hours_text(hours, "en") == "Mon–Fri 08:00–14:00 · Sat 08:00–12:00"
    assert hours_text(hours, "ar").startswith("الإثنين–الجمعة 08:00–14:00")


def test_a_reference_is_found_in_a_scanned_url_and_normalised_as_people_type_it():
    assert from_scan("http://10.0.0.2:8000/f/K7QX-2M9P-4") == "K7QX-2M9P-4"
    assert compact(" k7qx 2m9p-4 ") == "K7QX2M9P4"
    assert compact("O1IL") == "0111"
    assert display("K7QX2M9") == "K7QX-2M9"


def test_the_printed_ticket_is_built_from_the_servers_answer_only():
    answer = {
        "id": 7,
        "number": "A-007",
        "issued_at": "2026-11-23T10:00:00+02:00",
        "priority": True,
        "service": {"id": "a2", "name": {"ar": "٢", "en": "2"}},
        "people_ahead": 3,
        "estimated_wait_s": 540,
        "wait_minutes": 12,  # the server's one rounding, printed as given (not 9 from 540 s)
        "callable": False,
        "status_url": "http://x/t/abc",
        "documents": [{"ar": "هوية", "en": "ID"}],
        "center": {"ar": "مركز", "en": "Center"},
    }
    ticket = ticket_to_print(answer, {"ar": "", "en": ""}, "en", "Asia/Beirut")
    assert ticket.number == "A-007" and ticket.priority and ticket.people_ahead == 3
    assert (ticket.wait_minutes, ticket.callable, ticket.lang) == (12, False, "en")
    assert ticket.timezone == "Asia/Beirut"
    assert ticket.issued_at == datetime.fromisoformat("2026-11-23T10:00:00+02:00")
    assert ticket.status_url == "http://x/t/abc" and ticket.documents[0].en == "ID"


def test_a_printer_fault_is_an_outcome_not_an_exception():
    answer = {"number": "A-001", "service": {"name": {"ar": "٢", "en": "2"}}, "status_url": "u"}
    ticket = ticket_to_print(answer, {"ar": "م", "en": "C"})
    outcome = print_ticket(Printer("dummy://?state=paper_out"), ticket)
    assert outcome == PrintOutcome(
        False, "paper_out", outcome.message, outcome.render_encode_send_s
    )
    assert outcome.message["ar"] and outcome.message["en"]
    assert print_ticket(Printer("dummy://"), ticket).printed


def test_a_return_visit_ticket_carries_the_reference_with_dashes_and_what_to_bring():
    answer = {"number": "A-001", "service": {"name": {"ar": "٢", "en": "2"}}, "status_url": "u"}
    answer["documents"] = [{"ar": "هوية", "en": "ID"}]
    photo = {"ar": "صورة", "en": "Photo"}
    ticket = ticket_to_print(answer, {"ar": "م", "en": "C"}, "ar", "", "K7QX2M9P4", [photo])
    assert ticket.reference == "K7QX-2M9P-4"
    assert [d.en for d in ticket.documents] == ["Photo"]


def test_the_catalog_keeps_each_services_queue_and_the_centers_zone():
    payload = {
        "center": {"name": {"ar": "م", "en": "C"}, "timezone": "Asia/Beirut"},
        "categories": [{"id": "c", "name": {"ar": "ف", "en": "C"}}],
        "services": [
            {"id": "s1", "category": "c", "name": "S1", "open_now": True,
             "queue": {"waiting": 4, "estimated_wait_s": 700, "wait_minutes": 15,
                       "callable": True}},
            {"id": "s2", "category": "c", "name": "S2", "open_now": True,
             "queue": {"waiting": 2, "estimated_wait_s": None, "wait_minutes": None,
                       "callable": False}},
        ],
    }  # fmt: skip
    catalog = parse_catalog(payload)
    assert catalog.timezone == "Asia/Beirut"
    s1, s2 = catalog.services["s1"], catalog.services["s2"]
    assert (s1.queue.waiting, s1.queue.wait_minutes, s1.unserved) == (4, 15, False)
    assert (s2.queue.waiting, s2.queue.wait_minutes, s2.unserved) == (2, None, True)


def test_contrast_is_computed_as_wcag_says_and_the_palette_passes():
    from nafitha.gui.theme import (
        MIN_BOUNDARY_CONTRAST,
        MIN_TEXT_CONTRAST,
        PALETTE,
        contrast_ratio,
        needs_border,
        rgb,
    )

    assert round(contrast_ratio(rgb("#000000"), rgb("#ffffff")), 1) == 21.0
    assert round(contrast_ratio(PALETTE.surface, PALETTE.background), 1) == 1.2  # the old toggle
    for fill, text in (
        (PALETTE.primary, PALETTE.on_primary),
        (PALETTE.secondary, PALETTE.on_secondary),
        (PALETTE.surface, PALETTE.text),
        (PALETTE.closed, PALETTE.on_closed),
        (PALETTE.danger, PALETTE.on_danger),
        (PALETTE.success, PALETTE.on_success),
    ):
        assert contrast_ratio(fill, text) >= MIN_TEXT_CONTRAST
        edge = PALETTE.outline if needs_border(fill) else fill
        assert contrast_ratio(edge, PALETTE.background) >= MIN_BOUNDARY_CONTRAST
    for text in (PALETTE.text, PALETTE.muted_text):  # labels on the screen itself
        assert contrast_ratio(text, PALETTE.background) >= MIN_TEXT_CONTRAST
