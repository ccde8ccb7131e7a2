"""Reading a file reference out of what a citizen scans or types.

A receipt's Code128 holds the reference; its QR code holds the phone page URL ``…/f/{reference}``.
People type with spaces, dashes and lower case. The server does the real check (the check symbol,
"mistyped" versus "not found"); this only finds the candidate and formats it for the screen.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford base32: the symbols of the on-screen keypad (no I, L, O, U)."""
LENGTH = 9
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def from_scan(text: str) -> str:
    """The reference in a scanned code: the last path part of a ``/f/`` URL, or the text itself."""
    candidate = text.strip()
    if "://" in candidate:
        path = urlsplit(candidate).path.rstrip("/")
        candidate = unquote(path.rsplit("/", 1)[-1])
    return candidate


def compact(text: str) -> str:
    """Upper case, no spaces or dashes, look-alike letters folded (O→0, I/L→1)."""
    kept = "".join(ch for ch in text.upper() if ch not in " -_")
    return kept.translate(_LOOKALIKES)


def display(text: str) -> str:
    """``K7QX2M9P4`` → ``K7QX-2M9P-4`` as it is printed (partial input grouped the same way)."""
    code = compact(text)
    groups = [code[:4], code[4:8], code[8:]]
    return "-".join(group for group in groups if group)
