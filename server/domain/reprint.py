"""The rules of printing a ticket again: which tickets, how often, and how a typed number reads.

Pure: the ticket's fields and today's day come in, a refusal goes out. The use case
(``server/usecases/reprint.py``) reads and writes; these rules decide.

- Only a ticket of today, still in its visit: waiting or called (at the kiosk), or also serving
  (at the counter: the citizen stands there). A finished, cancelled or no-show ticket is refused
  with its state named: a copy of it would only let someone queue on a closed visit.
- At the kiosk, at most :data:`KIOSK_MAX_REPRINTS` reprints of one ticket (counter reprints
  count too): a number typed by someone else cannot be copied again and again. A clerk at the
  counter is not held by it (a person signed in, every reprint audited).
"""

from __future__ import annotations

import re
from typing import Literal

from nafitha.phone_numbers import fold_digits
from nafitha.text import both
from server.domain.errors import Refusal

KIOSK_MAX_REPRINTS = 2
# What the kiosk may reprint, and what the counter may (the citizen is at the counter).
REPRINTABLE: dict[str, tuple[str, ...]] = {
    "kiosk": ("waiting", "called"),
    "counter": ("waiting", "called", "serving"),
}
_NUMBER = re.compile(r"^\s*([A-Za-z]{1,2})\s*[-\s]?\s*0*([0-9]{1,4})\s*$")


def parse_number(text: str) -> str | None:
    """``A-042`` from what was typed (``a42``, ``A 042``, ``A-042``, ``A-٠٤٢``), or None if it is
    no number."""
    match = _NUMBER.match(fold_digits(text or ""))
    if match is None or int(match.group(2)) == 0:
        return None
    return f"{match.group(1).upper()}-{int(match.group(2)):03d}"


def check_reprint(
    by: Literal["kiosk", "counter"], state: str, day: str, today: str, reprints: int
) -> None:
    """Refuse a reprint the rules above do not allow; return quietly otherwise."""
    if day != today:
        raise Refusal("reprint_not_today", day=day)
    if state not in REPRINTABLE[by]:
        raise Refusal("reprint_closed", state=both(f"server.ticket_state_{state}"))
    if by == "kiosk" and reprints >= KIOSK_MAX_REPRINTS:
        raise Refusal("reprint_limit_reached", count=KIOSK_MAX_REPRINTS)
