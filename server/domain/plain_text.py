"""Which characters typed text may not hold: the ones that make a screen or a paper show something
other than what was stored.

C0 and C1 control characters (NUL included), DEL, and the bidirectional embeddings, overrides and
isolates (U+202A–U+202E, U+2066–U+2069) are refused; a multi-line text keeps line breaks and tabs.
The marks Arabic text needs (U+200E, U+200F, U+061C) are allowed. The API's input types
(``server/api/inputs.py``) and the catalog's admin use case check with these.
"""

from __future__ import annotations

import re
from typing import Any

_BIDI = "\u202a-\u202e\u2066-\u2069"
UNSAFE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
UNSAFE_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")


def is_unsafe(value: str, *, lines: bool = False) -> bool:
    """Whether ``value`` holds a refused character (``lines``: line breaks and tabs allowed)."""
    return bool((UNSAFE_TEXT if lines else UNSAFE_LINE).search(value))


def first_unsafe(data: Any, path: str = "") -> str | None:
    """The dotted path of the first one-line string in ``data`` (JSON-like) that is unsafe."""
    if isinstance(data, str):
        return path or "text" if is_unsafe(data) else None
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list | tuple):
        items = enumerate(data)
    else:
        return None
    for key, value in items:
        found = first_unsafe(value, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None
