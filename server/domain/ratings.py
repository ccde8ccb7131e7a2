"""Ratings of a visit: which ticket may be rated, a comment made safe to keep, and the figures.

Pure rules, time passed in (docs/ratings.md):

- A ticket is rated only once its visit is finished (``done``), at most once, and within
  :data:`PHONE_WINDOW_S` of its finish on the phone page (the paper's QR stays valid for days).
- The counter's small screen rates the ticket finished last at its counter, if that was at most
  :data:`COUNTER_WINDOW_S` ago and it is not rated yet: a screen left alone never rates an older
  visit, and a second tap never rates one twice.
- A comment is plain text: control characters and bidirectional embeddings, overrides and
  isolates are removed (not refused: a citizen's phone keyboard may add them), line breaks kept
  (at most two in a row), spaces trimmed, at most :data:`COMMENT_MAX` characters.
- A CSV cell that a spreadsheet would run as a formula (``= + - @``, or a tab or carriage return
  first) is prefixed with an apostrophe.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from server.domain.errors import Refusal
from server.domain.plain_text import UNSAFE_TEXT

STARS = (1, 2, 3, 4, 5)
COMMENT_MAX = 500
PHONE_WINDOW_S = 7 * 86400.0  # a visit may be rated from the phone for a week after it ended
COUNTER_WINDOW_S = 300.0  # the counter's screen rates only a visit finished in the last 5 min
SATISFIED = 4  # 4 and 5 stars count as satisfied

_LINE_BREAKS = re.compile(r"\r\n?")
_SPACES = re.compile(r"[ \t\u00a0]+")
_MANY_BREAKS = re.compile(r"\n{3,}")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def clean_comment(text: str | None) -> str:
    """``text`` as it is kept: unsafe characters removed, spaces tidied, cut to the limit."""
    if not text:
        return ""
    text = _LINE_BREAKS.sub("\n", text).replace("\t", " ")
    text = UNSAFE_TEXT.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = _MANY_BREAKS.sub("\n\n", "\n".join(lines)).strip()
    return text[:COMMENT_MAX]


def check_stars(stars: int) -> int:
    if stars not in STARS:
        raise Refusal("invalid_input")
    return stars


def check_rateable(state: str, finished_at: float | None, rated: bool, now: float) -> None:
    """Refuse a phone rating of a ticket not finished (``rating_not_finished``), already rated
    (``already_rated``) or finished too long ago (``rating_closed``)."""
    if state != "done" or finished_at is None:
        raise Refusal("rating_not_finished")
    if rated:
        raise Refusal("already_rated")
    if now - finished_at > PHONE_WINDOW_S:
        raise Refusal("rating_closed")


def counter_pending(finished_at: float | None, rated: bool, now: float) -> bool:
    """Whether the counter's screen may still rate the visit finished last at it."""
    return finished_at is not None and not rated and 0 <= now - finished_at <= COUNTER_WINDOW_S


def csv_cell(value: object) -> object:
    """A cell a spreadsheet shows as text: a leading formula character is prefixed with '."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


@dataclass
class Satisfaction:
    """Ratings of one group (a service, a counter, a clerk, an hour, a month, or all)."""

    count: int = 0
    total: int = 0
    satisfied: int = 0
    comments: int = 0
    stars: dict[int, int] = field(default_factory=lambda: dict.fromkeys(STARS, 0))

    def add(self, stars: int, has_comment: bool = False) -> None:
        self.count += 1
        self.total += stars
        self.satisfied += stars >= SATISFIED
        self.comments += has_comment
        self.stars[stars] += 1

    @property
    def mean(self) -> float | None:
        return round(self.total / self.count, 2) if self.count else None

    @property
    def satisfied_share(self) -> float | None:
        return self.satisfied / self.count if self.count else None

    def as_dict(self) -> dict[str, object]:
        return {
            "count": self.count,
            "mean": self.mean,
            "satisfied": self.satisfied_share,
            "comments": self.comments,
            "stars": {str(k): v for k, v in self.stars.items()},
        }


def satisfaction(rows: Iterable[tuple[int, bool]]) -> Satisfaction:
    """The figures of ``(stars, has comment)`` rows."""
    out = Satisfaction()
    for stars, has_comment in rows:
        out.add(stars, has_comment)
    return out
