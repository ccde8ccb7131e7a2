"""Logical line wrapping done before bidi reordering (the reason the kiosk's Arabic reads right)."""

from nafitha.gui.wrapping import wrap_logical
from nafitha.text import visual


def by_length(text: str) -> float:
    return float(len(text))


def test_words_fill_lines_in_reading_order():
    assert wrap_logical("aa bb cc dd", 5, by_length) == ["aa bb", "cc dd"]


def test_arabic_lines_keep_logical_order_so_the_first_words_are_on_the_first_line():
    text = "إخراج قيد فردي للمواطن"
    lines = wrap_logical(text, 11, by_length)
    assert lines == ["إخراج قيد", "فردي", "للمواطن"]
    # each line reordered on its own: the first word read is still on the top line
    assert visual(lines[0], "R") == visual("إخراج قيد", "R")


def test_a_word_longer_than_the_line_is_cut_so_nothing_overflows():
    assert wrap_logical("abcdefghij", 4, by_length) == ["abcd", "efgh", "ij"]


def test_hard_breaks_are_kept_and_zero_width_means_no_wrapping():
    assert wrap_logical("a b\nc", 0, by_length) == ["a b", "c"]
    assert wrap_logical("a b\nc d", 3, by_length) == ["a b", "c d"]
