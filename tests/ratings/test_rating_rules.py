"""The pure rules of ratings (server/domain/ratings.py), property-tested: a kept comment never
holds a control or bidi-override character and never grows; a CSV cell never starts a formula;
the figures stay within the stars; the counter's window and the phone's are what they say."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.domain import ratings as rules
from server.domain.errors import Refusal
from server.domain.plain_text import UNSAFE_TEXT

TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\x00\x07\r\n\t "),
    ),
    max_size=700,
)


@given(TEXT)
def test_a_kept_comment_is_safe_short_trimmed_and_cleaning_it_again_changes_nothing(
    text: str,
) -> None:
    kept = rules.clean_comment(text)
    assert not UNSAFE_TEXT.search(kept) and "\t" not in kept and "\r" not in kept
    assert len(kept) <= rules.COMMENT_MAX
    assert kept == kept.strip() and "\n\n\n" not in kept
    assert rules.clean_comment(kept) == kept


def test_a_comment_keeps_its_words_and_loses_the_overrides() -> None:
    assert rules.clean_comment("\u202eabc\u202c  def\r\n\r\n\r\nghi") == "abc def\n\nghi"
    assert rules.clean_comment(None) == "" and rules.clean_comment("   ") == ""


@given(st.text(max_size=50))
def test_no_csv_cell_starts_a_formula(text: str) -> None:
    cell = rules.csv_cell(text)
    assert isinstance(cell, str) and not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell in (text, "'" + text)


def test_numbers_and_none_are_left_as_they_are_in_csv() -> None:
    assert rules.csv_cell(-3) == -3 and rules.csv_cell(None) is None


@given(st.lists(st.tuples(st.sampled_from(rules.STARS), st.booleans()), max_size=60))
def test_the_figures_stay_within_the_stars(rows: list[tuple[int, bool]]) -> None:
    found = rules.satisfaction(rows)
    assert found.count == len(rows) == sum(found.stars.values())
    if rows:
        assert 1 <= found.mean <= 5  # type: ignore[operator]
        assert found.satisfied_share == sum(s >= 4 for s, _ in rows) / len(rows)
        assert found.comments == sum(c for _, c in rows)
    else:
        assert found.mean is None and found.satisfied_share is None


@given(st.floats(min_value=-10, max_value=1000), st.booleans())
def test_the_counter_screen_window_is_five_minutes_after_the_finish(
    age: float, rated: bool
) -> None:
    now = 1000.0 + age
    pending = rules.counter_pending(1000.0, rated, now)
    assert pending == (not rated and 0 <= now - 1000.0 <= rules.COUNTER_WINDOW_S)


@pytest.mark.parametrize(
    ("state", "finished", "rated", "age", "code"),
    [
        ("serving", None, False, 0, "rating_not_finished"),
        ("no_show", 1.0, False, 0, "rating_not_finished"),
        ("done", 1.0, True, 0, "already_rated"),
        ("done", 1.0, False, rules.PHONE_WINDOW_S + 1, "rating_closed"),
        ("done", 1.0, False, rules.PHONE_WINDOW_S, None),
    ],
)
def test_which_ticket_the_phone_may_rate(
    state: str, finished: float | None, rated: bool, age: float, code: str | None
) -> None:
    if code is None:
        rules.check_rateable(state, finished, rated, 1.0 + age)
        return
    with pytest.raises(Refusal) as refused:
        rules.check_rateable(state, finished, rated, 1.0 + age)
    assert refused.value.code == code
