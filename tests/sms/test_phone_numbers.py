"""Phone numbers for messages: local formats normalised, Arabic digits folded, the rest refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nafitha.phone_numbers import Phone, PhoneRefusal, fold_digits, masked, parse_phone

ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("03 123 456", "+9613123456"),  # Lebanon, local
        ("70-123-456", "+96170123456"),
        ("+961 3 123 456", "+9613123456"),
        ("00961 3 123456", "+9613123456"),
        ("0933 123 456", "+963933123456"),  # Syria, local
        ("+963 933 123 456", "+963933123456"),
        ("0770 123 4567", "+9647701234567"),  # Iraq, local
        ("(0770) 123.4567", "+9647701234567"),
        ("٠٣ ١٢٣ ٤٥٦", "+9613123456"),  # Arabic-Indic digits
        ("۰۹۳۳۱۲۳۴۵۶", "+963933123456"),  # Extended Arabic-Indic digits
    ],
)
def test_local_and_international_formats_become_e164(typed: str, e164: str) -> None:
    found = parse_phone(typed)
    assert isinstance(found, Phone), found
    assert found.e164 == e164


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "phone_not_a_number"),
        ("call me", "phone_not_a_number"),
        ("1234", "phone_too_short"),  # a short code
        ("1900", "phone_too_short"),
        ("+9613123456789", "phone_too_long"),
        ("+14155552671", "phone_foreign"),  # the US
        ("+33612345678", "phone_foreign"),  # a French mobile
        ("+961 900 12345", "phone_paid"),  # Lebanese premium rate
        ("01 123 456", "phone_not_mobile"),  # a Beirut landline
        ("+963 11 222 3333", "phone_not_mobile"),  # a Damascus landline
        ("x" * 41, "phone_too_long"),
    ],
)
def test_refusals_say_why(typed: str, code: str) -> None:
    assert parse_phone(typed) == PhoneRefusal(code)


def test_only_the_centers_countries_are_accepted() -> None:
    assert parse_phone("0933 123 456", ["961"]) != Phone("+963933123456", "963")
    assert parse_phone("+963933123456", ["961"]) == PhoneRefusal("phone_foreign")
    assert parse_phone("0933 123 456", ["963"]) == Phone("+963933123456", "963")


@given(st.integers(min_value=0, max_value=999_999))
def test_any_lebanese_mobile_in_any_digits_and_spacing_is_the_same_number(n: int) -> None:
    local = f"03{n:06d}"
    e164 = f"+9613{n:06d}"
    for typed in (local, local.translate(ARABIC), f"{local[:2]} {local[2:5]} {local[5:]}", e164):
        assert parse_phone(typed) == Phone(e164, "961")


@given(st.text(max_size=60))
def test_anything_typed_is_a_number_or_a_reason_never_an_exception(text: str) -> None:
    found = parse_phone(text)
    assert isinstance(found, Phone | PhoneRefusal)
    if isinstance(found, Phone):
        assert found.e164.startswith("+" + found.country)
        assert found.e164[1:].isdigit()
        assert parse_phone(found.e164) == found  # normalised is a fixed point


@given(st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩ -.", max_size=30))
def test_folding_leaves_only_ascii_digits_and_plus(text: str) -> None:
    assert set(fold_digits(text)) <= set("+0123456789")


def test_masked_hides_the_middle() -> None:
    assert masked("+9613123456") == "+961…56"
