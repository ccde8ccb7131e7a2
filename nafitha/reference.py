"""A file's reference: short, unguessable, read aloud and typed on a keypad, with a typo check.

Shape: 8 random characters of Crockford's base32 alphabet (40 bits from ``secrets``) and one check
character from the same alphabet, printed ``XXXX-XXXX-C`` (``7KQ2-M9XD-M``).

The check character makes the weighted sum of the nine symbols zero in GF(32) (field polynomial
x^5 + x^2 + 1, weight of position i = alpha^(8-i) with alpha = x, a primitive element). This is a
one-symbol Reed-Solomon check, the same as Damm's scheme with the quasigroup ``a∘b = alpha·a + b``:

* a single substituted character changes the sum by ``e·alpha^k`` with ``e != 0``: always caught;
* two swapped characters (adjacent or not) change it by ``(a-b)·alpha^k·(alpha^j - 1)``, and
  ``alpha^j != 1`` for every ``j < 31``: always caught in a 9-character code.

Crockford's own mod-37 check also catches both, but needs five extra symbols (``* ~ $ = U``)
that are not on a keypad, are awkward to read aloud, and ``U`` is confused with ``V``; ours stays
in the 32 symbols a keypad offers.

Typing is forgiving the way Crockford intends: case is ignored, spaces and dashes are dropped,
``O`` reads as ``0`` and ``I``/``L`` as ``1``, Arabic-Indic digits count as digits, full-width
forms are folded (NFKC). ``U`` is not in the alphabet.

Three kinds of code share this form: file references, appointment booking codes and complaint
references. Each kind has a tag symbol that takes part in the check as a tenth, leading symbol that
is never printed (files: 0, so file references are unchanged). Tags differ by a non-zero symbol at
weight alpha^9, so a code of one kind never passes another kind's check: a complaint reference typed
into "where is my file?" reads as mistyped, and :func:`kind_of` tells which kind a scanned or typed
code is. Within one kind, every single substitution and every transposition is still caught; across
kinds a one-symbol typo can land on a valid code of another kind, which is why lookups parse with
the kind they expect and :func:`kind_of` is for routing, not for checking.

One module for the server (issuing and checking), the kiosk (reading a scan, grouping what is typed)
and the national hub: pure, no I/O.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote, urlsplit

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_LENGTH = 8
LENGTH = BODY_LENGTH + 1
MAX_INPUT = 64
"""Longer input is refused before any work is done on it."""

_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}
_ALIASES = str.maketrans(
    {
        "O": "0",
        "I": "1",
        "L": "1",
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Extended (Persian) digits
    }
)
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212_.·/]+")
_FIELD_POLY = 0b100101  # x^5 + x^2 + 1, irreducible over GF(2)

Kind = Literal["file", "booking", "complaint"]
KINDS: dict[str, int] = {"file": 0, "booking": 1, "complaint": 2}
"""Each kind's tag: the unprinted leading symbol its check includes."""


def _times_alpha(value: int) -> int:
    """``value · x`` in GF(32)."""
    value <<= 1
    if value & 0b100000:
        value ^= _FIELD_POLY
    return value


def _fold(values: list[int]) -> int:
    """Horner's sum of ``values`` weighted by powers of alpha (the last has weight 1)."""
    total = 0
    for value in values:
        total = _times_alpha(total) ^ value
    return total


def _tag(kind: str) -> int:
    if kind not in KINDS:
        raise ValueError(f"unknown kind of code: {kind!r}")
    return KINDS[kind]


def check_symbol(body: str, kind: Kind = "file") -> str:
    """The check character completing ``body`` (symbols of :data:`ALPHABET`) for ``kind``."""
    return ALPHABET[_times_alpha(_fold([_tag(kind), *(_VALUE[c] for c in body)]))]


@dataclass(frozen=True)
class Reference:
    """A valid reference, kept as its 9 canonical characters."""

    code: str

    @property
    def printed(self) -> str:
        """The form printed and shown: ``XXXX-XXXX-C``."""
        return f"{self.code[:4]}-{self.code[4:8]}-{self.code[8]}"

    def __str__(self) -> str:
        return self.printed


@dataclass(frozen=True)
class Mistyped:
    """The right length and alphabet, but the check character disagrees: a typo."""

    text: str


@dataclass(frozen=True)
class Malformed:
    """Not a reference at all: ``reason`` is ``"length"`` or ``"alphabet"``."""

    text: str
    reason: str


Parsed = Reference | Mistyped | Malformed


def normalize(text: str) -> str:
    """How people type a reference, folded to canonical symbols (not yet checked)."""
    folded = unicodedata.normalize("NFKC", text[:MAX_INPUT]).upper()
    return _SEPARATORS.sub("", folded).translate(_ALIASES)


def from_scan(text: str) -> str:
    """The reference in a scanned code: the last path part of a ``/f/`` URL, or the text itself.

    A receipt's Code128 holds the reference; its QR code holds the phone page ``…/f/{reference}``.
    """
    candidate = text.strip()
    if "://" in candidate:
        path = urlsplit(candidate).path.rstrip("/")
        candidate = unquote(path.rsplit("/", 1)[-1])
    return candidate


def display(text: str) -> str:
    """``K7QX2M9P4`` → ``K7QX-2M9P-4`` as it is printed; partial input is grouped the same way."""
    code = normalize(text)
    return "-".join(group for group in (code[:4], code[4:8], code[8:]) if group)


def _well_formed(text: str) -> str | Malformed:
    """``text`` folded to a 9-symbol code, or why it cannot be one."""
    if len(text) > MAX_INPUT:
        return Malformed(text[:MAX_INPUT], "length")
    code = normalize(text)
    if any(symbol not in _VALUE for symbol in code):
        return Malformed(code, "alphabet")
    if len(code) != LENGTH:
        return Malformed(code, "length")
    return code


def _passes(code: str, kind: str) -> bool:
    return _fold([_tag(kind), *(_VALUE[c] for c in code)]) == 0


def parse_reference(text: str, kind: Kind = "file") -> Parsed:
    """``text`` as typed, read as a :class:`Reference` of ``kind``, or why not.

    A well-formed code of another kind is :class:`Mistyped` here: it is not a ``kind`` code.
    """
    code = _well_formed(text)
    if isinstance(code, Malformed):
        return code
    if not _passes(code, kind):
        return Mistyped(code)
    return Reference(code)


def kind_of(text: str) -> Kind | None:
    """Which kind's check ``text`` passes (a scan or keypad entry to route), or None."""
    code = _well_formed(text)
    if isinstance(code, Malformed):
        return None
    for kind in ("file", "booking", "complaint"):
        if _passes(code, kind):
            return kind
    return None


def new_reference(
    randbits: Callable[[int], int] = secrets.randbits, kind: Kind = "file"
) -> Reference:
    """A fresh random code of ``kind``; ``randbits`` is the entropy (``secrets`` by default)."""
    number = randbits(5 * BODY_LENGTH)
    body = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(BODY_LENGTH)))
    return Reference(body + check_symbol(body, kind))
