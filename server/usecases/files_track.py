"""Who may look up a file now: the tracking rate limit, per client address, device or person.

Anonymous callers share a bucket per client address (``track_per_minute``, ``track_burst``); a
kiosk device, one address serving many citizens, has its own bucket per device,
``track_device_factor`` times larger; signed-in staff are not limited. The buckets are shared by
every worker process (:mod:`server.store.rate_limits`, a file beside the database).
"""

from __future__ import annotations

from server.domain.errors import Refusal
from server.store.rate_limits import SharedBuckets, shared_buckets
from server.usecases.context import Actor, Context


def _buckets(ctx: Context) -> SharedBuckets:
    return shared_buckets(ctx.cache, ctx.db.path)  # the same one sign-in counts its attempts in


def check_track_allowed(ctx: Context, actor: Actor, address: str) -> None:
    """Count one file lookup (tracking, or a reference given at ticket issue), or refuse it."""
    if wait := track_retry_after(ctx, actor, address):
        raise Refusal.retry_after("track_rate_limited", wait)


def track_retry_after(ctx: Context, actor: Actor, address: str) -> int:
    """0 when this lookup may go ahead, else the whole seconds the caller must wait."""
    settings = ctx.settings
    if actor.kind == "person":
        return 0
    if actor.kind == "device":
        factor = settings.track_device_factor
        return _buckets(ctx).allow(
            f"device:{actor.name}",
            ctx.now(),
            settings.track_per_minute * factor,
            settings.track_burst * factor,
        )
    return _buckets(ctx).allow(
        f"address:{address}", ctx.now(), settings.track_per_minute, settings.track_burst
    )
