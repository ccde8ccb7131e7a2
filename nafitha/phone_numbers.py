"""A citizen's mobile number for text messages: checked, normalised to E.164, or refused with why.

Pure (no I/O, no clock). The rules of each country's numbering plan come from ``phonenumbers``,
the Python port of Google's libphonenumber, whose metadata is updated with every release (a new
Iraqi or Syrian mobile range arrives with ``pip install -U``): writing our own table of ranges per
country would go stale the first time an operator opens one. On top of it, what a center needs:

- Arabic-Indic (``٠١٢``) and Extended Arabic-Indic (``۰۱۲``) digits folded to ASCII, spaces, dots,
  dashes and brackets ignored, a leading ``00`` read as ``+``;
- a local number (``03 123 456``, ``0933 123 456``, ``0770 123 4567``) read against each of the
  center's countries in order, the first where it is a valid number wins;
- only mobile numbers of the center's countries: a landline cannot receive a text, a premium,
  shared-cost or toll-free number must never be texted (a center's SIM would pay for it), a short
  code or a foreign number is not a citizen's phone here.

A refusal is a :class:`PhoneRefusal` value with a code (``phone_<reason>``) the catalogs name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

# The countries a center may be configured for, by calling code (ISO region for local numbers).
REGIONS: dict[str, str] = {"961": "LB", "963": "SY", "964": "IQ", "962": "JO", "20": "EG"}
DEFAULT_COUNTRIES: tuple[str, ...] = ("961", "963", "964")
MAX_INPUT = 40

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_IGNORED = re.compile(r"[\s.\-()/\u200e\u200f\u00a0]")
_SHAPE = re.compile(r"^\+?[0-9]{3,17}$")
_MOBILE = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
_PAID = (
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.UAN,
    PhoneNumberType.VOIP,
    PhoneNumberType.PAGER,
    PhoneNumberType.PERSONAL_NUMBER,
)


@dataclass(frozen=True)
class PhoneRefusal:
    """Why a number is refused: ``code`` is a catalog key (``sms.phone_<reason>``)."""

    code: str  # phone_not_a_number, phone_too_short, phone_too_long, phone_foreign, phone_paid,
    # phone_not_mobile, phone_invalid


@dataclass(frozen=True)
class Phone:
    """A checked mobile number: ``e164`` (``+9613123456``) and its country calling code."""

    e164: str
    country: str  # calling code, e.g. "961"


def fold_digits(text: str) -> str:
    """Arabic-Indic and Extended Arabic-Indic digits as ASCII; separators people type removed."""
    folded = _IGNORED.sub("", text.translate(_DIGITS))
    if folded.startswith("00"):
        folded = "+" + folded[2:]
    return folded


def parse_phone(
    text: str, countries: tuple[str, ...] | list[str] = DEFAULT_COUNTRIES
) -> Phone | PhoneRefusal:
    """``text`` as a mobile number of one of ``countries`` (calling codes), or why not."""
    if len(text) > MAX_INPUT:
        return PhoneRefusal("phone_too_long")
    folded = fold_digits(text)
    if not _SHAPE.match(folded):
        return PhoneRefusal("phone_not_a_number")
    allowed = [c for c in countries if c in REGIONS]
    if folded.startswith("+"):
        candidates = [_parse(folded, None)]
    else:
        candidates = [_parse(folded, REGIONS[c]) for c in allowed]
    numbers = [n for n in candidates if n is not None]
    if not numbers:
        return PhoneRefusal("phone_not_a_number")
    valid = [n for n in numbers if phonenumbers.is_valid_number(n)]
    if not valid:
        return _why_invalid(numbers[0])
    for number in valid:
        code = str(number.country_code)
        if code not in allowed:
            continue
        kind = phonenumbers.number_type(number)
        if kind in _MOBILE:
            return Phone(
                phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), code
            )
    kinds = [phonenumbers.number_type(n) for n in valid if str(n.country_code) in allowed]
    if not kinds:
        return PhoneRefusal("phone_foreign")
    if any(k in _PAID for k in kinds):
        return PhoneRefusal("phone_paid")
    return PhoneRefusal("phone_not_mobile")


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException:
        return None


def _why_invalid(number: phonenumbers.PhoneNumber) -> PhoneRefusal:
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason in (
        phonenumbers.ValidationResult.TOO_SHORT,
        phonenumbers.ValidationResult.INVALID_LENGTH,
    ):
        return PhoneRefusal("phone_too_short")
    if reason == phonenumbers.ValidationResult.TOO_LONG:
        return PhoneRefusal("phone_too_long")
    if reason == phonenumbers.ValidationResult.INVALID_COUNTRY_CODE:
        return PhoneRefusal("phone_not_a_number")
    return PhoneRefusal("phone_invalid")


def masked(e164: str) -> str:
    """A number as staff may see it in lists and logs: country code and last two digits."""
    return e164[:4] + "…" + e164[-2:] if len(e164) > 6 else "…"


__all__ = [
    "DEFAULT_COUNTRIES",
    "REGIONS",
    "Phone",
    "PhoneRefusal",
    "fold_digits",
    "masked",
    "parse_phone",
]
