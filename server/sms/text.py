"""A text message's encoding and its parts: GSM-7 (160, or 153 a part) or UCS-2 (70, or 67 a part).

Pure. A phone joins a long message from parts that each carry a 6-byte concatenation header, so a
part holds 153 GSM-7 septets or 67 UCS-2 characters instead of 160 and 70. GSM-7 is used only
when every character is in the GSM 03.38 alphabet (its extension table's characters, such as
``[ ] { } € ~``, take two septets, and an escape is never split from its character); anything else
(Arabic, or an English text holding a character outside it) is UCS-2, where a character outside the
Basic Multilingual Plane takes two units and is never split either. ``split_text`` gives the parts
exactly as Gammu's ``EncodeSMS`` cuts them (a property test holds the two together), and refuses a
text needing more than the configured number of parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Encoding = Literal["gsm7", "ucs2"]

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = "^{}\\[~]|€\f"
_BASIC = frozenset(GSM7_BASIC) - {"\x1b"}
_EXTENSION = frozenset(GSM7_EXTENSION)

SINGLE = {"gsm7": 160, "ucs2": 70}
PART = {"gsm7": 153, "ucs2": 67}


@dataclass(frozen=True)
class Parts:
    """A text cut into what the modem sends: its encoding and the parts' texts, in order."""

    encoding: Encoding
    parts: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.parts)


class TooLong(ValueError):
    """The text needs more parts than allowed; ``parts`` is how many it would need."""

    def __init__(self, parts: int, allowed: int) -> None:
        super().__init__(f"the text needs {parts} parts, at most {allowed} are allowed")
        self.parts = parts
        self.allowed = allowed


def encoding_for(text: str) -> Encoding:
    """GSM-7 when every character is in its alphabet (basic or extension), else UCS-2."""
    return "gsm7" if all(c in _BASIC or c in _EXTENSION for c in text) else "ucs2"


def units(char: str, encoding: Encoding) -> int:
    """How many septets (GSM-7) or UTF-16 units (UCS-2) one character takes."""
    if encoding == "gsm7":
        return 2 if char in _EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1


def length(text: str, encoding: Encoding | None = None) -> int:
    """The text's length in its encoding's units."""
    encoding = encoding or encoding_for(text)
    return sum(units(c, encoding) for c in text)


def split_text(text: str, max_parts: int = 6) -> Parts:
    """The parts of ``text`` (one when it fits one message); :class:`TooLong` past ``max_parts``."""
    encoding = encoding_for(text)
    if length(text, encoding) <= SINGLE[encoding]:
        return Parts(encoding, (text,))
    size = PART[encoding]
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for char in text:
        need = units(char, encoding)
        if used + need > size:
            parts.append("".join(current))
            current, used = [], 0
        current.append(char)
        used += need
    if current:
        parts.append("".join(current))
    if len(parts) > max_parts:
        raise TooLong(len(parts), max_parts)
    return Parts(encoding, tuple(parts))


__all__ = ["PART", "SINGLE", "Encoding", "Parts", "TooLong", "encoding_for", "length", "split_text"]
