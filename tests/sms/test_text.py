"""A message's encoding and parts: GSM-7 160/153, UCS-2 70/67, never more parts than allowed."""

from __future__ import annotations

import gammu
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.sms.text import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    PART,
    SINGLE,
    TooLong,
    encoding_for,
    length,
    split_text,
)

GSM = st.text(alphabet=(GSM7_BASIC.replace("\x1b", "") + GSM7_EXTENSION), max_size=700)
ARABIC = st.text(
    alphabet="ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإةى ٠١٢٣٤٥٦٧٨٩0123456789-.:،", max_size=400
)
ANY = st.text(max_size=400)


def test_english_is_gsm7_and_arabic_is_ucs2() -> None:
    assert encoding_for("Ticket A-042 is called to counter 3.") == "gsm7"
    assert encoding_for("التذكرة A-042 مدعوة إلى الشباك 3") == "ucs2"
    assert encoding_for("price: 5 €") == "gsm7"  # the euro sign is in the extension table
    assert encoding_for("“quoted”") == "ucs2"  # curly quotes are not GSM-7


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("ع" * 70, 1),
        ("ع" * 71, 2),
        ("ع" * 134, 2),
        ("ع" * 135, 3),
        ("[" * 80, 1),
        ("[" * 81, 2),
    ],
)
def test_the_limits(text: str, parts: int) -> None:
    assert split_text(text, 10).count == parts


def test_more_parts_than_allowed_is_refused_with_the_count() -> None:
    with pytest.raises(TooLong) as refused:
        split_text("ع" * 300, 4)
    assert (refused.value.parts, refused.value.allowed) == (5, 4)


@given(st.one_of(GSM, ARABIC, ANY))
def test_parts_join_to_the_text_and_each_fits(text: str) -> None:
    parts = split_text(text, 1000)
    assert "".join(parts.parts) == text
    limit = SINGLE[parts.encoding] if parts.count == 1 else PART[parts.encoding]
    assert all(length(p, parts.encoding) <= limit for p in parts.parts)
    assert all(p for p in parts.parts) or text == ""


@settings(max_examples=150, deadline=None)
@given(st.one_of(GSM, ARABIC, ANY))
def test_gammu_cuts_the_same_parts(text: str) -> None:
    """What the sender counts (and refuses) is what Gammu's EncodeSMS then sends."""
    ours = split_text(text, 1000)
    theirs = gammu.EncodeSMS(
        {
            "Class": -1,
            "Unicode": ours.encoding == "ucs2",
            "Entries": [{"ID": "ConcatenatedTextLong", "Buffer": text}],
        }
    )
    assert len(theirs) == max(1, ours.count)
