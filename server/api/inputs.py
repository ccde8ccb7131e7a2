"""What every input model of the API is made of: strict models and plain text.

- ``INPUT`` is the config of every request body model: unknown keys refused and no coercion
  (``"priority": "yes"`` or ``"1"`` is a 422, never ``True``; ``"7"`` is not ``7``).
- ``PlainLine(n)`` / ``PlainText(n)``: free text a person typed (names, notes, reasons, the board
  message) of at most ``n`` characters. Both refuse what can make a screen or a paper show
  something other than what was stored: C0 and C1 control characters (NUL included), DEL, and
  the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), with
  ``unsafe_text`` (422) naming the field (the characters: ``server/domain/plain_text.py``).
  ``PlainText`` keeps line breaks and tabs (notes); ``PlainLine`` does not (names, one-line
  messages). The marks Arabic text needs (U+200E, U+200F, U+061C) are allowed.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints, ValidationInfo

from server.domain.errors import Refusal
from server.domain.plain_text import UNSAFE_LINE, UNSAFE_TEXT
from server.usecases.passwords import MAX_PASSWORD_LENGTH, require_strong

INPUT = ConfigDict(extra="forbid", strict=True)


def _checker(pattern: re.Pattern[str]) -> Any:
    def check(value: str, info: ValidationInfo) -> str:
        if pattern.search(value):
            raise Refusal("unsafe_text", field=info.field_name or "text")
        return value

    return check


_line = _checker(UNSAFE_LINE)
_text = _checker(UNSAFE_TEXT)


def PlainLine(max_length: int, min_length: int = 0, strip: bool = False) -> Any:
    """One line of typed text: no control or direction-override characters (``strip``: the
    spaces around it are dropped before the length is checked)."""
    size = StringConstraints(strip_whitespace=strip, min_length=min_length, max_length=max_length)
    return Annotated[str, size, AfterValidator(_line)]


def PlainText(max_length: int, min_length: int = 0) -> Any:
    """Typed text that may hold line breaks and tabs, and nothing else of the controls."""
    size = Field(min_length=min_length, max_length=max_length)
    return Annotated[str, size, AfterValidator(_text)]


NewPassword = Annotated[
    str, Field(max_length=MAX_PASSWORD_LENGTH), AfterValidator(lambda p: require_strong(p))
]
