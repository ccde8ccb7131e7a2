"""The reference: format, forgiving input, and a check character that catches typos."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain.reference import (
    ALPHABET,
    LENGTH,
    Malformed,
    Mistyped,
    Reference,
    check_symbol,
    new_reference,
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


def test_rate_limiter_refuses_past_the_burst_and_refills(tmp_path) -> None:
    from server.store.rate_limits import SharedBuckets

    limiter = SharedBuckets(tmp_path / "limits.db")

    def allow(key: str, now: float) -> int:
        return limiter.allow(key, now, per_minute=6, burst=3)

    assert [allow("a", 100.0) for _ in range(3)] == [0, 0, 0]
    assert allow("a", 100.0) == 10  # one token every 10 s
    assert allow("b", 100.0) == 0  # another client has its own bucket
    assert allow("a", 104.0) == 6
    assert allow("a", 110.5) == 0
    assert allow("a", 110.5) > 0
    limiter.close()


def test_rate_limiter_table_stays_bounded(tmp_path) -> None:
    from server.store.rate_limits import SharedBuckets

    limiter = SharedBuckets(tmp_path / "limits.db", max_keys=100)
    for i in range(1000):
        limiter.allow(f"10.0.{i // 256}.{i % 256}", float(i), per_minute=60, burst=2)
    assert len(limiter) <= 100
    limiter.allow("busy", 2000.0, per_minute=60, burst=2)
    limiter.allow("busy", 2000.0, per_minute=60, burst=2)
    assert limiter.allow("busy", 2000.0, per_minute=60, burst=2) > 0
    limiter.close()


def _take_tokens(path: str, count: int, out) -> None:  # in another process
    from pathlib import Path

    from server.store.rate_limits import SharedBuckets

    limiter = SharedBuckets(Path(path))
    out.put([limiter.allow("one-address", 1000.0, per_minute=1, burst=20) for _ in range(count)])
    limiter.close()


def test_worker_processes_share_one_bucket(tmp_path) -> None:
    """Four processes taking 10 lookups each from one address: 20 allowed in all, not 20 each."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    workers = [
        context.Process(target=_take_tokens, args=(str(tmp_path / "limits.db"), 10, out))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    waits = [wait for _ in workers for wait in out.get(timeout=60)]
    for worker in workers:
        worker.join(timeout=30)
    assert len(waits) == 40 and waits.count(0) == 20
