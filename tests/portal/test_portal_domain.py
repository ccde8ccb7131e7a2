"""The portal's pure rules: Arabic folding for search, the catalog folded from events, the
per-service figures and staleness."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hub.domain import portal_catalog as catalog
from hub.domain import portal_queue as queue

PASSPORT = {
    "id": "passport-new",
    "name": {"ar": "جواز سفر جديد", "en": "New passport"},
    "documents": [
        {"ar": "إخراج قيد فردي", "en": "Civil extract"},
        {"ar": "صورة شمسية", "en": "Photo"},
    ],
    "service_time_s": 600,
}
CATEGORY = {"id": "travel", "name": {"ar": "الهوية والسفر", "en": "Identity and travel"}}
DIACRITICS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"


def test_arabic_letters_fold_to_one_form() -> None:
    assert catalog.normalize("إِخْرَاجُ قَيْدٍ") == catalog.normalize("اخراج قيد")
    assert catalog.normalize("أ إ آ ٱ") == "ا ا ا ا"
    assert catalog.normalize("شمسية") == catalog.normalize("شمسيه")
    assert catalog.normalize("مستشفى") == catalog.normalize("مستشفي")
    assert catalog.normalize("  Récépissé  DE  ") == "recepisse de"


@given(st.text(alphabet="ابتةثجحخدذرزسشصضطظعغفقكلمنهويىأإآءئؤ ", max_size=30), st.data())
def test_diacritics_and_tatweel_anywhere_change_nothing(text: str, data: st.DataObject) -> None:
    marked = "".join(c + data.draw(st.sampled_from(["", *DIACRITICS])) for c in text)
    assert catalog.normalize(marked) == catalog.normalize(text)
    assert catalog.normalize(catalog.normalize(text)) == catalog.normalize(text)


def test_search_matches_names_category_and_documents_in_both_languages() -> None:
    assert catalog.matches("جواز", PASSPORT, CATEGORY)
    assert catalog.matches("اخراج قيد", PASSPORT, CATEGORY)  # a required document
    assert catalog.matches("السفر", PASSPORT, CATEGORY)  # its category
    assert catalog.matches("new PASSPORT", PASSPORT, CATEGORY)
    assert not catalog.matches("جواز رخصة", PASSPORT, CATEGORY)  # every word must match


def test_the_catalog_is_folded_from_its_events_in_order() -> None:
    imported = {"catalog": {"center": {"timezone": "Asia/Beirut"}, "categories": [CATEGORY],
                            "services": [PASSPORT], "counters": [], "workflows": []}}  # fmt: skip
    edited = {**PASSPORT, "name": {"ar": "جواز", "en": "Passport"}, "created": False}
    added = {**PASSPORT, "id": "visa", "created": True}
    folded = catalog.fold_all(
        [("catalog_imported", imported), ("service_saved", edited), ("service_saved", added)]
    )
    assert [s["id"] for s in folded["services"]] == ["passport-new", "visa"]
    assert folded["services"][0]["name"]["en"] == "Passport"
    assert "created" not in folded["services"][1]
    old_center = catalog.fold_all([("catalog_imported", {"hash": "x", "services": 3})])
    assert old_center == catalog.empty_catalog()  # counts only: nothing to show yet


def test_figures_count_waiting_and_quote_only_over_open_counters() -> None:
    other = {**PASSPORT, "id": "visa", "service_time_s": 300}
    counters = [
        {"id": "c1", "services": ["passport-new", "visa"]},
        {"id": "c2", "services": ["visa"]},
    ]
    waiting = {"passport-new": 2, "visa": 4}
    open_both = queue.service_figures([PASSPORT, other], counters, frozenset({"c1", "c2"}),
                                      waiting, {})  # fmt: skip
    passport, visa = open_both
    assert passport["waiting"] == 2 and visa["waiting"] == 4
    # passport: its 2 tickets (600 s) whole, visa's 4 (300 s) over c1 and c2, one counter
    assert passport["estimated_wait_s"] == 2 * 600 + 4 * 300 / 2
    assert visa["estimated_wait_s"] == round((2 * 600 + 4 * 300) / 2)
    closed = queue.service_figures([PASSPORT], counters, frozenset({"c2"}), waiting, {})
    assert closed[0]["callable"] is False and closed[0]["estimated_wait_s"] is None


def test_a_center_is_stale_once_silent_past_the_limit() -> None:
    assert queue.is_stale(None, 100.0, 60)
    assert not queue.is_stale(50.0, 100.0, 60)
    assert queue.is_stale(39.0, 100.0, 60)
    assert queue.counter_status("person_signed_out", None) == "closed"
    assert queue.counter_status("ticket_called", None) == "open"
    assert queue.counter_status("counter_paused", {"status": "paused"}) == "paused"
