"""Breaking text into lines in logical order before it is reordered for display.

Kivy wraps the string it is given; given an already reordered (visual) Arabic paragraph it would cut
it in the wrong places and the lines would read bottom-up. So lines are chosen here, on the logical
text, by measuring each candidate line as it will be drawn, and only then is each line reordered.
"""

from __future__ import annotations

from collections.abc import Callable

Measure = Callable[[str], float]


def wrap_logical(text: str, width: float, measure: Measure) -> list[str]:
    """``text`` cut into lines no wider than ``width`` by ``measure``, words kept whole.

    Hard line breaks in ``text`` are kept. A single word wider than ``width`` is cut by characters,
    so nothing is ever drawn past the edge. ``width <= 0`` means no wrapping.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if width <= 0:
            lines.append(paragraph)
            continue
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if measure(candidate) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            while word and measure(word) > width:
                cut = _longest_prefix(word, width, measure)
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    return lines


def _longest_prefix(word: str, width: float, measure: Measure) -> int:
    """How many leading characters of ``word`` fit in ``width`` (at least one)."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(word[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low
