"""Who may look up a file now: the tracking rate limit, per client address, device or person.

Anonymous callers share a bucket per client address (``track_per_minute``, ``track_burst``); a
kiosk device, one address serving many citizens, has its own bucket per device,
``track_device_factor`` times larger; signed-in staff are not limited. Buckets live in this
process (``ctx.cache``); with several workers each keeps its own.
"""

from __future__ import annotations

import threading

from server.domain.files_rate_limit import RateLimiter
from server.usecases.context import Actor, Context

_CREATE = threading.Lock()


def _limiter(ctx: Context, name: str, per_minute: float, burst: int) -> RateLimiter:
    limiter = ctx.cache.get(name)
    if limiter is None:
        with _CREATE:
            limiter = ctx.cache.get(name)
            if limiter is None:
                limiter = ctx.cache[name] = RateLimiter(per_minute, burst)
    return limiter


def track_retry_after(ctx: Context, actor: Actor, address: str) -> int:
    """0 when this lookup may go ahead, else the whole seconds the caller must wait."""
    settings = ctx.settings
    if actor.kind == "person":
        return 0
    if actor.kind == "device":
        factor = settings.track_device_factor
        devices = _limiter(
            ctx,
            "files_track_devices",
            settings.track_per_minute * factor,
            settings.track_burst * factor,
        )
        return devices.allow(f"device:{actor.name}", ctx.now())
    addresses = _limiter(ctx, "files_track", settings.track_per_minute, settings.track_burst)
    return addresses.allow(f"address:{address}", ctx.now())
