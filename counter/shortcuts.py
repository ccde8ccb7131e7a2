"""The counter's keyboard map: a clerk serves all day without touching the mouse.

Pure data and one lookup, so the map is tested without a window and shown on screen from the same
source. Letter keys act only when no text field has the focus (a clerk typing a note "R" must not
recall a ticket); function keys, Escape and Enter act always.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shortcut:
    keys: tuple[str, ...]
    """Kivy key names (``f1``, ``spacebar``, ``r``) that trigger the action."""
    action: str
    """The action's name, also the catalog key of its button text (``counter.<action>``)."""
    label: str
    """How the keys are shown to the clerk."""

    @property
    def letters_only(self) -> bool:
        return all(len(key) == 1 or key == "spacebar" for key in self.keys)


SERVE: tuple[Shortcut, ...] = (
    Shortcut(("f1", "spacebar"), "call_next", "F1 / Space"),
    Shortcut(("x", "f11"), "finish_next", "X"),
    Shortcut(("r", "f2"), "recall", "R"),
    Shortcut(("n", "f3"), "no_show", "N"),
    Shortcut(("s", "f4"), "start", "S"),
    Shortcut(("f", "f5"), "finish", "F"),
    Shortcut(("t", "f6"), "transfer", "T"),
    Shortcut(("p", "f7"), "pause", "P"),
    Shortcut(("o", "f8"), "open_file", "O"),
    Shortcut(("l", "f9"), "files", "L"),
    Shortcut(("u",), "undo_no_show", "U"),
    Shortcut(("d",), "reprint", "D"),  # the ticket again on this counter's printer
    Shortcut(("c",), "call_chosen", "C"),  # a chosen ticket, out of order, with a reason
    Shortcut(("b",), "book_for", "B"),  # an appointment for the citizen (screens/book_for.py)
    Shortcut(("enter", "numpadenter"), "confirm", "Enter"),
    Shortcut(("escape",), "cancel", "Esc"),
    Shortcut(("f12",), "language_switch", "F12"),
    Shortcut(("f10",), "logout", "F10"),
)

DIALOG: tuple[Shortcut, ...] = (
    Shortcut(("escape",), "cancel", "Esc"),
    Shortcut(("enter", "numpadenter", "f11"), "confirm", "Enter"),
    Shortcut(("down",), "next_choice", "Down"),
    Shortcut(("up",), "previous_choice", "Up"),
    Shortcut(("f12",), "language_switch", "F12"),
)

PAUSED: tuple[Shortcut, ...] = (
    Shortcut(("p", "f7", "spacebar", "f1"), "resume", "P"),
    Shortcut(("f12",), "language_switch", "F12"),
    Shortcut(("f10",), "logout", "F10"),
)

LOGIN: tuple[Shortcut, ...] = (
    Shortcut(("enter", "numpadenter"), "login", "Enter"),
    Shortcut(("f12",), "language_switch", "F12"),
)

BY_SCREEN: dict[str, tuple[Shortcut, ...]] = {
    "login": LOGIN,
    "serve": SERVE,
    "paused": PAUSED,
    "transfer": DIALOG,
    "call_chosen": DIALOG,  # counter/screens/call_chosen.py
    "book_for": DIALOG,  # counter/screens/book_for.py
    "outcome": DIALOG,  # finish with an outcome, or send back (counter/screens/outcome.py)
    "pause": DIALOG,
    "open_file": DIALOG,
    "files": DIALOG,
    "receipt": DIALOG,
}


def action_for(screen: str, key: str, typing: bool) -> str | None:
    """The action ``key`` triggers on ``screen``; letters are ignored while ``typing``."""
    for shortcut in BY_SCREEN.get(screen, ()):
        if key not in shortcut.keys:
            continue
        if typing and (len(key) == 1 or key == "spacebar"):
            return None
        return shortcut.action
    return None


def label_for(screen: str, action: str) -> str:
    """The keys shown beside ``action``'s button on ``screen`` ("" when it has none)."""
    for shortcut in BY_SCREEN.get(screen, ()):
        if shortcut.action == action:
            return shortcut.label
    return ""
