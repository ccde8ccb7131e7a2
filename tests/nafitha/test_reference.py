"""The reference: format, forgiving input, and a check character that catches typos."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from nafitha.reference import (
    ALPHABET,
    LENGTH,
    Malformed,
    Mistyped,
    Reference,
    check_symbol,
    display,
    from_scan,
    kind_of,
    new_reference,
    normalize,
    parse_reference,
)

references = st.integers(min_value=0, max_value=2**40 - 1).map(
    lambda n: new_reference(lambda bits: n)
)


def test_printed_form_is_four_dash_four_dash_check() -> None:
    reference = new_reference()
    printed = reference.printed
    assert len(printed) == 11 and printed[4] == "-" and printed[9] == "-"
    assert all(c in ALPHABET for c in reference.code) and len(reference.code) == LENGTH


def test_fixed_entropy_gives_a_fixed_reference() -> None:
    assert new_reference(lambda bits: 0).code == "000000000"
    reference = new_reference(lambda bits: 2**40 - 1)
    assert reference.code[:8] == "ZZZZZZZZ"
    assert reference.code[8] == check_symbol("ZZZZZZZZ")


def test_references_use_all_forty_bits() -> None:
    seen = {new_reference().code[:8] for _ in range(2000)}
    assert len(seen) == 2000
    assert {c for code in seen for c in code} == set(ALPHABET)


@given(references)
def test_a_valid_reference_parses_back_in_every_typed_form(reference: Reference) -> None:
    code = reference.code
    forms = [
        code,
        reference.printed,
        reference.printed.lower(),
        f"  {code[:3]} {code[3:6]} {code[6:]}  ",
        code.replace("0", "O").replace("1", "I"),
        code.replace("1", "l").lower(),
        "–".join([code[:4], code[4:8], code[8]]),
        code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
        "".join(chr(ord(c) + 0xFEE0) for c in code),  # full-width forms
    ]
    for form in forms:
        assert parse_reference(form) == reference, form


@settings(max_examples=60)
@given(references)
def test_every_single_substitution_is_mistyped(reference: Reference) -> None:
    code = reference.code
    for position in range(LENGTH):
        for symbol in ALPHABET:
            if symbol != code[position]:
                typo = code[:position] + symbol + code[position + 1 :]
                assert isinstance(parse_reference(typo), Mistyped), typo


@settings(max_examples=60)
@given(references)
def test_every_transposition_is_mistyped(reference: Reference) -> None:
    code = reference.code
    for first in range(LENGTH):
        for second in range(first + 1, LENGTH):
            if code[first] != code[second]:
                swapped = list(code)
                swapped[first], swapped[second] = swapped[second], swapped[first]
                assert isinstance(parse_reference("".join(swapped)), Mistyped)


def test_one_in_thirty_two_random_strings_passes_the_check() -> None:
    rng = random.Random(7)
    strings = ["".join(rng.choice(ALPHABET) for _ in range(LENGTH)) for _ in range(32000)]
    valid = sum(isinstance(parse_reference(s), Reference) for s in strings)
    assert 800 < valid < 1200


def test_wrong_length_is_malformed_not_mistyped() -> None:
    code = new_reference().code
    assert parse_reference(code[:8]) == Malformed(code[:8], "length")
    assert parse_reference(code + "0") == Malformed(code + "0", "length")
    assert parse_reference("") == Malformed("", "length")
    assert parse_reference("A" * 500).reason == "length"


def test_characters_outside_the_alphabet_are_malformed() -> None:
    for text in [
        "UUUU-UUUU-U",
        "ABCD-EFGH-!",
        "ABCD*EFGH-1",
        "مرجع",
        "ABCD-EF%H-1",
        "ABC\x00DEFGH",
    ]:
        parsed = parse_reference(text)
        assert isinstance(parsed, Malformed) and parsed.reason == "alphabet", text


@given(st.text(max_size=80))
def test_any_text_parses_to_exactly_one_outcome(text: str) -> None:
    parsed = parse_reference(text)
    assert isinstance(parsed, Reference | Mistyped | Malformed)
    if isinstance(parsed, Reference):
        assert parse_reference(parsed.printed) == parsed


@given(references)
def test_a_scanned_receipt_reads_back_as_its_reference(reference: Reference) -> None:
    """The kiosk reads the Code128 (the printed reference) or the QR (the phone page URL)."""
    for scanned in (reference.printed, f"http://10.0.0.2:8000/f/{reference.printed}/"):
        assert parse_reference(from_scan(scanned)) == reference


typed = st.text(alphabet=ALPHABET + ALPHABET.lower() + " -_–OILoil٠١٢٣٤٥٦٧٨٩۰۱۲۳", max_size=20)


@given(typed)
def test_the_kiosks_grouping_keeps_what_was_typed(text: str) -> None:
    """What the kiosk shows while a reference is typed parses as the typed text does."""
    assert normalize(display(text)) == normalize(text)
    assert parse_reference(display(text)) == parse_reference(normalize(text))


def test_kiosk_and_server_fold_typing_alike() -> None:
    assert from_scan("http://10.0.0.2:8000/f/K7QX-2M9P-4") == "K7QX-2M9P-4"
    assert normalize(" k7qx 2m9p-4 ") == "K7QX2M9P4"
    assert normalize("O1IL") == "0111"
    assert normalize("٧٤") == "74"
    assert display("K7QX2M9") == "K7QX-2M9"


KIND_NAMES = ("file", "booking", "complaint")
kinds = st.sampled_from(KIND_NAMES)
numbers = st.integers(min_value=0, max_value=2**40 - 1)


@given(numbers, kinds)
def test_a_code_of_one_kind_passes_only_its_own_check(number: int, kind: str) -> None:
    code = new_reference(lambda bits: number, kind=kind)
    assert kind_of(code.printed) == kind
    for other in KIND_NAMES:
        parsed = parse_reference(code.printed, kind=other)
        assert parsed == code if other == kind else isinstance(parsed, Mistyped)


@given(numbers, kinds, st.integers(min_value=0, max_value=LENGTH - 1), st.data())
def test_every_single_substitution_is_mistyped_in_every_kind(
    number: int, kind: str, position: int, data: st.DataObject
) -> None:
    code = new_reference(lambda bits: number, kind=kind).code
    symbol = data.draw(st.sampled_from([c for c in ALPHABET if c != code[position]]))
    typo = code[:position] + symbol + code[position + 1 :]
    assert isinstance(parse_reference(typo, kind=kind), Mistyped)


def test_file_references_are_unchanged_by_kinds() -> None:
    # A reference printed before kinds existed still reads as a file.
    old = "7KQ2M9XD" + check_symbol("7KQ2M9XD")
    assert check_symbol("7KQ2M9XD") == check_symbol("7KQ2M9XD", "file")
    assert kind_of(old) == "file"


def test_a_scanned_complaint_link_routes_to_complaints() -> None:
    code = new_reference(lambda bits: 12345, kind="complaint")
    assert kind_of(from_scan(f"http://10.0.0.2:8765/c/{code.printed}")) == "complaint"
    assert kind_of("not a code") is None
