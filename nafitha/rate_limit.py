"""Token buckets for public tracking, so references cannot be enumerated: the pure rule.

Each client (an address, or a kiosk device) holds a bucket of ``burst`` lookups refilled at
``per_minute``; a lookup when the bucket is empty is refused with the seconds until the next token.
Time is passed in; where buckets are kept (shared by every worker process) is
:mod:`server.store.rate_limits` (the center) and :mod:`hub.store.portal_limits` (the hub).
"""

from __future__ import annotations

import math


def take_token(
    tokens: float | None, updated: float, now: float, per_minute: float, burst: float
) -> tuple[float, int]:
    """One lookup against a bucket holding ``tokens`` at ``updated`` (None: a new, full bucket).

    Returns (tokens left now, seconds to wait): 0 seconds means the lookup may go ahead.
    """
    if per_minute <= 0 or burst < 1:
        raise ValueError("per_minute must be > 0 and burst >= 1")
    rate = per_minute / 60.0
    level = burst if tokens is None else min(burst, tokens + max(0.0, now - updated) * rate)
    if level >= 1.0:
        return level - 1.0, 0
    return level, max(1, math.ceil((1.0 - level) / rate))
