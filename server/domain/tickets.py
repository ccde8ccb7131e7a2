"""The ticket lifecycle: which action moves a ticket from which state to which.

waiting → called → serving → done; a called ticket may be recalled (stays called), marked no-show,
or sent back to waiting by a transfer; a waiting or called ticket may be cancelled; a serving ticket
may be transferred (it waits again, keeping its issue time). done, no_show and cancelled are final.
"""

from __future__ import annotations

from typing import Literal

from server.domain.errors import Refusal

State = Literal["waiting", "called", "serving", "done", "no_show", "cancelled"]
Action = Literal["call", "recall", "no-show", "start", "finish", "transfer", "cancel"]

STATES: tuple[State, ...] = ("waiting", "called", "serving", "done", "no_show", "cancelled")
FINAL: frozenset[str] = frozenset({"done", "no_show", "cancelled"})
ACTIONS: tuple[Action, ...] = ("call", "recall", "no-show", "start", "finish", "transfer", "cancel")

TRANSITIONS: dict[tuple[str, str], State] = {
    ("waiting", "call"): "called",
    ("called", "recall"): "called",
    ("called", "no-show"): "no_show",
    ("called", "start"): "serving",
    ("serving", "finish"): "done",
    ("called", "transfer"): "waiting",
    ("serving", "transfer"): "waiting",
    ("waiting", "transfer"): "waiting",
    ("waiting", "cancel"): "cancelled",
    ("called", "cancel"): "cancelled",
}


def next_state(state: str, action: str) -> State:
    """The state after ``action``, or a ``wrong_state`` refusal naming both."""
    if action not in ACTIONS:
        raise Refusal("unknown_action", action=action)
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise Refusal("wrong_state", state=state, action=action) from None


def format_number(prefix: str, seq: int) -> str:
    """``A-007``: the prefix and the day's sequence, at least three digits."""
    return f"{prefix}-{seq:03d}"
