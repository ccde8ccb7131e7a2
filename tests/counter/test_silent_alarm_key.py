"""The silent alarm's keys: F12 with Ctrl and Shift held, nothing less."""

from __future__ import annotations

import pytest

from counter.silent_alarm import is_alarm_key


@pytest.mark.parametrize(
    ("key", "modifiers", "alarm"),
    [
        ("f12", ["ctrl", "shift"], True),
        ("f12", ["shift", "ctrl", "numlock"], True),  # a lock key on does not matter
        ("f12", [], False),  # the language key
        ("f12", ["ctrl"], False),
        ("f12", ["shift"], False),
        ("f11", ["ctrl", "shift"], False),
        ("f12", None, False),
    ],
)
def test_only_ctrl_shift_f12_is_the_alarm(key: str, modifiers, alarm: bool) -> None:
    assert is_alarm_key(key, modifiers) is alarm
