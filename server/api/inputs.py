"""What every input model of the API is made of: strict models and plain text.

- ``INPUT`` is the config of every request body model: unknown keys refused and no coercion
  (``"priority": "yes"`` or ``"1"`` is a 422, never ``True``; ``"7"`` is not ``7``).
- ``PlainLine(n)`` / ``PlainText(n)``: free text a person typed (names, notes, reasons, the board
  message) of at most ``n`` characters. Both refuse what can make a screen or a paper show
  something other than what was stored: C0 and C1 control characters (NUL included), DEL, and
  the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), with
  ``unsafe_text`` (422) naming the field. ``PlainText`` keeps line breaks and tabs (notes);
  ``PlainLine`` does not (names, one-line messages). The marks Arabic text needs (U+200E, U+200F,
  U+061C) are allowed.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints, ValidationInfo

from server.domain.errors import Refusal
from server.usecases.passwords import MAX_PASSWORD_LENGTH, require_strong

INPUT = ConfigDict(extra="forbid", strict=True)

_BIDI = "\u202a-\u202e\u2066-\u2069"
_UNSAFE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_UNSAFE_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")


def _checker(pattern: re.Pattern[str]) -> Any:
    def check(value: str, info: ValidationInfo) -> str:
        if pattern.search(value):
            raise Refusal("unsafe_text", field=info.field_name or "text")
        return value

    return check


_line = _checker(_UNSAFE_LINE)
_text = _checker(_UNSAFE_TEXT)


def PlainLine(max_length: int, min_length: int = 0, strip: bool = False) -> Any:
    """One line of typed text: no control or direction-override characters (``strip``: the
    spaces around it are dropped before the length is checked)."""
    size = StringConstraints(strip_whitespace=strip, min_length=min_length, max_length=max_length)
    return Annotated[str, size, AfterValidator(_line)]


def PlainText(max_length: int, min_length: int = 0) -> Any:
    """Typed text that may hold line breaks and tabs, and nothing else of the controls."""
    size = Field(min_length=min_length, max_length=max_length)
    return Annotated[str, size, AfterValidator(_text)]


def unsafe_field(value: str, *, lines: bool = False) -> bool:
    """Whether ``value`` holds a character the plain text types refuse (for non-model inputs)."""
    return bool((_UNSAFE_TEXT if lines else _UNSAFE_LINE).search(value))


NewPassword = Annotated[
    str, Field(max_length=MAX_PASSWORD_LENGTH), AfterValidator(lambda p: require_strong(p))
]
