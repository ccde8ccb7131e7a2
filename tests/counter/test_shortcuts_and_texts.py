"""The keyboard map and the counter's texts, checked without a window."""

from __future__ import annotations

import re
from pathlib import Path

from counter import shortcuts
from nafitha.text import catalogs

COUNTER = Path(__file__).resolve().parents[2] / "counter"


def test_each_serving_action_has_a_shortcut_shown_on_its_button():
    for action in ("call_next", "recall", "no_show", "start", "finish", "transfer", "pause"):
        assert shortcuts.label_for("serve", action), action
    assert shortcuts.action_for("serve", "f1", typing=False) == "call_next"
    assert shortcuts.action_for("serve", "spacebar", typing=False) == "call_next"


def test_letters_are_text_while_typing_but_function_keys_still_act():
    assert shortcuts.action_for("serve", "r", typing=False) == "recall"
    assert shortcuts.action_for("serve", "r", typing=True) is None
    assert shortcuts.action_for("serve", "spacebar", typing=True) is None
    assert shortcuts.action_for("serve", "f2", typing=True) == "recall"
    assert shortcuts.action_for("transfer", "enter", typing=True) == "confirm"
    assert shortcuts.action_for("transfer", "escape", typing=True) == "cancel"


def test_no_key_means_two_things_on_one_screen():
    for screen, table in shortcuts.BY_SCREEN.items():
        keys = [key for shortcut in table for key in shortcut.keys]
        assert len(keys) == len(set(keys)), screen


def test_every_text_the_screens_ask_for_is_in_the_catalog_in_both_languages():
    used: set[str] = set()
    pattern = re.compile(r"""(?:tr|keyed|say)\(\s*["']([a-z_]+)["']""")
    for path in [*COUNTER.rglob("*.py"), *COUNTER.rglob("*.kv")]:
        used.update(pattern.findall(path.read_text(encoding="utf-8")))
    used.update(f"reason_{r}" for r in ("break", "prayer", "meeting", "system"))
    texts = catalogs()
    missing = sorted(key for key in used if f"counter.{key}" not in texts)
    assert not missing
    assert len(used) > 40
