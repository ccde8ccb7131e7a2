from pathlib import Path

import pytest

from nafitha import text


def test_every_catalog_entry_has_both_languages_with_the_same_placeholders():
    texts = text.load_catalogs()
    assert texts, "no catalog found"
    for key, entry in texts.items():
        assert set(entry) == set(text.LANGS), key


def test_every_catalog_text_writes_western_digits():
    """One digit set per language, Western in both (nafitha/formats.py): a ticket number, a
    reference and a count read the same on paper, on screen and in the catalog's sentences."""
    eastern = [
        f"{key} ({lang})"
        for key, entry in text.load_catalogs().items()
        for lang, value in entry.items()
        if any("\u0660" <= ch <= "\u0669" or "\u06f0" <= ch <= "\u06f9" for ch in value)
    ]
    assert eastern == []


def test_a_catalog_entry_missing_english_is_refused_with_file_and_key(tmp_path: Path):
    (tmp_path / "x.toml").write_text('[hello]\nar = "مرحبا"\n', encoding="utf-8")
    with pytest.raises(text.CatalogError, match=r"x\.toml: hello: missing or empty en"):
        text.load_catalogs(tmp_path)


def test_placeholders_must_match_between_languages(tmp_path: Path):
    (tmp_path / "x.toml").write_text('[n]\nar = "رقم {number}"\nen = "No. {num}"\n', "utf-8")
    with pytest.raises(text.CatalogError, match="placeholders differ"):
        text.load_catalogs(tmp_path)


def test_unknown_key_raises_missing_text():
    with pytest.raises(text.MissingText):
        text.t("common.no_such_text", "ar")


def test_language_tags_fall_back_to_arabic_first():
    assert text.normalize_lang("en-GB") == "en"
    assert text.normalize_lang("AR_lb") == "ar"
    assert text.normalize_lang("fr") == "ar"
    assert text.normalize_lang(None) == "ar"


def test_visual_order_keeps_a_ticket_number_readable_inside_arabic():
    shown = text.visual("رقم الدور A-042")
    assert "A-042" in shown
    assert "240-A" not in shown
    # Reshaped: presentation forms, not the logical letters.
    assert "رقم" not in shown


def test_latin_text_is_untouched():
    assert text.visual("Ticket A-042") == "Ticket A-042"
