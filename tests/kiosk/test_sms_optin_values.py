"""The kiosk's text-message opt-in without a window: when it is offered, what the keypad accepts,
and that the masked number and the country codes keep their reading order inside Arabic."""

from __future__ import annotations

from kiosk.catalog import parse_catalog
from kiosk.sms_optin import SmsOptinFlow
from nafitha.gui.bidi_label import line_visual

PAYLOAD = {"center": {"name": {"ar": "م", "en": "C"}}, "categories": [], "services": []}


def test_the_catalog_says_whether_messages_are_offered_and_for_which_countries() -> None:
    on = parse_catalog({**PAYLOAD, "sms": {"available": True, "countries": ["961", "964"]}})
    assert on.sms_available and on.sms_countries == ("961", "964")
    off = parse_catalog(PAYLOAD)  # an older server says nothing: nothing is offered
    assert not off.sms_available and off.sms_countries == ()
    assert SmsOptinFlow.offered(on, {"token": "abc"})
    assert not SmsOptinFlow.offered(on, {})
    assert not SmsOptinFlow.offered(off, {"token": "abc"})


def test_the_send_key_waits_for_a_plausible_number_and_one_send_at_a_time() -> None:
    flow = SmsOptinFlow.__new__(SmsOptinFlow)
    assert not flow.can_send("03123", "idle")
    assert flow.can_send("031234", "idle")
    assert not flow.can_send("031234", "sending")
    assert not flow.can_send("1" * 16, "idle")


def test_the_masked_number_reads_left_to_right_inside_arabic() -> None:
    answer = {"phone": "+961…56", "turn_near": 3, "near": False}
    drawn = line_visual(SmsOptinFlow.done_text(answer, "ar"), rtl=True)
    assert "+961…56" in drawn  # without the mark the runs swap: "56…961+"
    assert "56…961+" not in drawn
    english = SmsOptinFlow.done_text(answer, "en")
    assert "+961…56" in english and "3 people are ahead" in english
    assert "stay in the hall" in SmsOptinFlow.done_text({**answer, "near": True}, "en")
    called_only = SmsOptinFlow.done_text({**answer, "turn_near": 0}, "en")
    assert called_only.endswith("when your number is called.") and "ahead" not in called_only


def test_the_hint_names_the_centers_countries_with_an_example() -> None:
    catalog = parse_catalog({**PAYLOAD, "sms": {"available": True, "countries": ["964"]}})
    hint = SmsOptinFlow.hint(catalog, "en")
    assert "+964" in hint and "07701234567" in hint
    drawn = line_visual(SmsOptinFlow.hint(catalog, "ar"), rtl=True)
    assert "+964" in drawn and "07701234567" in drawn
    several = parse_catalog({**PAYLOAD, "sms": {"available": True, "countries": ["961", "963"]}})
    drawn = line_visual(SmsOptinFlow.hint(several, "ar"), rtl=True).replace("\u200e", "")
    drawn = drawn.replace("\u200f", "")
    # drawn right to left: the first country rightmost, each code still "+961"
    assert drawn.index("+963") < drawn.index("+961")
