"""Who holds a counter; signing in at one another clerk holds is refused or an explicit take-over.

A counter is held by the person recorded as its clerk while it is open or paused and that
person still has a live session signed in at it. Signing in there as someone else is refused
(``counter_taken``), unless the login asks ``take_over``: then the holder's sessions at that
counter end (they must sign in again) and the sign-in event records whom the counter was taken
from. Never silent.
"""

from __future__ import annotations

import sqlite_utils

from server.domain.errors import Refusal
from server.domain.roles import Can, require
from server.store import counters as counters_store
from server.usecases.context import Actor


def counter_holder(tx: sqlite_utils.Database, counter: str, now: float) -> str | None:
    """The person holding ``counter`` now, or None when it is free."""
    return counters_store.holder(tx, counter, now)


def take_counter(
    tx: sqlite_utils.Database,
    counter: str,
    username: str,
    role: str,
    now: float,
    take_over: bool,
) -> str | None:
    """Check ``username`` may sign in at ``counter``; the person it was taken from, if any.

    Runs inside the login's write transaction, so two clerks signing in at once cannot both get
    the counter.
    """
    require(Actor("person", username, role), Can.SERVE_AT_COUNTER)
    holder = counter_holder(tx, counter, now)
    if holder is None or holder == username:
        return None
    if not take_over:
        raise Refusal("counter_taken", counter=counter, username=holder)
    counters_store.end_sessions_at(tx, holder, counter, now)
    return holder
