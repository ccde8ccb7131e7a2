"""Tickets per person per day, for the services that limit them (against fixers, معقّب).

Pure rules: what a person's identifier must look like, what is digested (never the value
itself), and whether one more ticket is allowed. The digest is made by the use case with the
citizen digest key (``server/usecases/audit_keys.py``); this module only says what goes into it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from server.domain.errors import Refusal

IdentifyBy = Literal["phone", "id_digits"]

# A phone number as typed on the kiosk's keypad: digits only (a leading 00 or 0 kept as typed);
# the last digits of a national id: exactly four.
PATTERNS: dict[str, re.Pattern[str]] = {
    "phone": re.compile(r"^[0-9]{6,15}$"),
    "id_digits": re.compile(r"^[0-9]{4}$"),
}


def identifier(person: Mapping[str, str | None] | None, identify_by: IdentifyBy) -> str:
    """The value that identifies the person for this service, checked; a refusal when missing
    (``person_required``, saying which one is asked) or malformed (``person_invalid``)."""
    value = (person or {}).get(identify_by)
    if not value:
        raise Refusal("person_required", kind=identify_by)
    if not PATTERNS[identify_by].match(value):
        raise Refusal("person_invalid", kind=identify_by)
    return value


def digest_input(day: str, service: str, identify_by: IdentifyBy, value: str) -> list[str]:
    """What the keyed digest covers: the day and the service too, so a digest cannot link one
    person's visits across days or services, even for whoever reads the database."""
    return ["ticket_person", day, service, identify_by, value]


def allows(already_today: int, limit: int | None) -> bool:
    """One more ticket is allowed while the person holds fewer than ``limit`` today."""
    return limit is None or already_today < limit
