"""The FastAPI application: opened database, migrations, catalog import, routers, error shape.

Routers are registered in ONE place, :data:`ROUTERS` below: a new part adds its module there.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import signal
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from types import FrameType

from fastapi import FastAPI

from nafitha import __version__
from server.api.errors import BodyLimit, install_error_handlers
from server.api.security_headers import SecurityHeaders
from server.complaints_job import ComplaintsJob
from server.config import CenterConfig, ServerSettings, load_center_config
from server.events import EventFeed
from server.store.database import Database
from server.store.migrate import migrate
from server.stream_slots import StreamSlots
from server.usecases.audit_heads import HeadSigner
from server.usecases.audit_keys import load_keys
from server.usecases.catalog import import_center_config, load_catalog
from server.usecases.context import Context
from server.usecases.stats import warm_aggregates

log = logging.getLogger("nafitha.server")

# Every router of the server, by module (each module has ``router``). Add yours with one line.
ROUTERS: tuple[str, ...] = (
    "server.api.health",
    "server.api.catalog",
    "server.api.auth",
    "server.api.reprint",  # before tickets: its /tickets/{id}/{action} would take /reprint
    "server.api.tickets",
    "server.api.counters",
    "server.api.silent_alarm",  # before alerts: /alerts/wait
    "server.api.alerts",
    "server.api.cutoff",  # before admin: its /services/{id}/cutoff-override
    "server.api.appointments",  # before admin: its /admin/appointments/...
    "server.api.admin",
    "server.api.call_profiles",  # the calling profiles a manager chooses
    "server.api.events",
    "server.api.files",
    "server.api.clerk_day",  # the counter's "today" figures
    "server.api.stats",
    "server.api.sms",  # text messages' figures (docs/sms.md)
    "server.api.ticket_sms",  # a ticket's text messages: the opt-in (docs/sms.md)
    "server.api.board",
    "server.api.admin_pages",
    "server.web.pages",
    "server.api.audit",
    "server.api.integrity",  # the published integrity report
    "server.api.call_choices",  # what a counter may call out of order
    "server.api.complaints",  # complaints and suggestions (docs/complaints.md)
    "server.web.complaint_pages",  # /c, /c/<reference>, /complaints-admin
    "server.api.ratings",  # ratings of visits (docs/ratings.md)
    "server.api.assessment",  # the self-assessment page's measures
    "server.web.assessment_page",  # /assessment
    "server.api.queue_places",  # joining the queue from a phone (docs/appointments.md)
    "server.web.appointment_pages",  # /book, /a/<code>, /join, /p/<token>
)


def open_context(
    settings: ServerSettings,
    clock: Callable[[], float] = time.time,
    center: CenterConfig | None = None,
) -> Context:
    """The database opened and migrated, the center config imported, ready for use cases."""
    # With an off-site replica Litestream checkpoints the file, not us (docs/operations.md).
    db = Database(
        settings.db, timeout=settings.busy_timeout_s, checkpoints=settings.replica is None
    )
    migrate(db)
    ctx = Context(db=db, settings=settings, clock=clock, audit=load_keys(settings))
    import_center_config(ctx, center or load_center_config(settings.center_config))
    return ctx


def _warm_aggregates(ctx: Context, stop: threading.Event) -> None:
    """The dashboard's kept aggregates, built in the background (``stats.warm_aggregates``)."""
    try:
        built = warm_aggregates(ctx, stop)
    except Exception:
        if not stop.is_set():  # an error while stopping is the database closing under it
            log.exception("building the dashboard's aggregates failed")
        return
    if built:
        log.info("dashboard aggregates built for %d past days", built)


def _end_streams_on_stop(feed: EventFeed) -> None:
    """On SIGTERM/SIGINT, end the live streams, then let uvicorn's own handler stop the server.

    uvicorn's graceful stop waits for every open answer to finish, and a live stream never does:
    a board left open would otherwise keep a stopping server alive until killed. uvicorn installs
    its handlers (plain ``signal.signal``) before the app starts and restores the previous ones
    when it ends; this wraps them for that time. Only the main thread may set handlers (a test
    client runs the app in another thread, and has no signals to wait for).
    """
    if threading.current_thread() is not threading.main_thread():
        return
    for number in (signal.SIGINT, signal.SIGTERM):
        previous = signal.getsignal(number)
        if not callable(previous):
            continue

        def on_signal(sig: int, frame: FrameType | None, previous: Callable = previous) -> None:
            feed.close()
            previous(sig, frame)

        signal.signal(number, on_signal)


def create_app(
    settings: ServerSettings,
    clock: Callable[[], float] = time.time,
    center: CenterConfig | None = None,
) -> FastAPI:
    """The server for ``settings``; ``clock`` and ``center`` let tests inject time and a catalog."""
    ctx = open_context(settings, clock, center)
    feed = EventFeed(
        ctx.db,
        load_catalog(ctx).center.timezone,
        settings.event_poll_s,
        keep=settings.event_replay_max,
    )
    ctx.on_event = lambda: ctx.db.after_commit(feed.notify)
    if settings.replica is not None:  # its state, written by its supervisor (server/replica/)
        from server.replica.state import StateReader

        ctx.cache["replica"] = StateReader(settings.db)
    relay = None
    if settings.national is not None:  # the national relay (docs/national.md); imports nats
        from server.relay import Relay, relay_lock_path

        relay = Relay(
            ctx.db.read, settings.national, relay_lock_path(settings.db), settings.event_poll_s
        )
        ctx.cache["national_relay"] = relay
        from server.portal_requests import PortalResponder, portal_lock_path

        responder = PortalResponder(ctx, settings.national, portal_lock_path(settings.db))
        ctx.cache["portal_responder"] = responder  # the portal's requests (docs/national.md)
        ctx.on_event = lambda: (ctx.db.after_commit(feed.notify), ctx.db.after_commit(relay.wake))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await feed.start()
        _end_streams_on_stop(feed)
        stop_warmup = threading.Event()
        warmup = threading.Thread(
            target=_warm_aggregates, args=(ctx, stop_warmup), name="stats-warmup", daemon=True
        )
        warmup.start()
        signer = HeadSigner(ctx, settings.audit_sign_events, settings.audit_sign_s)
        signer.start()
        complaints_job = ComplaintsJob(ctx)  # overdue complaints climb (docs/complaints.md)
        complaints_job.start()
        if relay is not None:
            relay.start()
            ctx.cache["portal_responder"].start()
        sender = None
        if settings.sms is not None:  # text messages through the modem (docs/sms.md)
            from server.sms.sender import start_sender

            sender = ctx.cache["sms_sender"] = start_sender(ctx, settings.sms)
        try:
            yield
        finally:
            stop_warmup.set()
            await feed.stop()
            if relay is not None:
                await asyncio.to_thread(relay.stop)
                await asyncio.to_thread(ctx.cache["portal_responder"].stop)
            if sender is not None:
                await asyncio.to_thread(sender.stop)
            await asyncio.to_thread(warmup.join, 10)
            await asyncio.to_thread(complaints_job.stop)
            await asyncio.to_thread(signer.stop)  # signs what was written since the last head
            if (buckets := ctx.cache.get("rate_limits")) is not None:
                buckets.close()
            if (login_pool := ctx.cache.get("login_pool")) is not None:
                login_pool.close()
            if (integrity_pool := ctx.cache.get("integrity_pool")) is not None:
                integrity_pool.close()
            ctx.db.close()

    app = FastAPI(
        title="Nafitha",
        version=__version__,
        description="Queue, kiosk and file tracking for a citizen service center (API v1).",
        lifespan=lifespan,
        # A center's server runs offline with no OpenTelemetry collector: skip FastAPI's
        # per-request provider checks.
        telemetry={"tracing": False, "metrics": False, "logs": False},
        # /docs and /redoc would load their scripts from a CDN: off (/openapi.json stays).
        docs_url=None,
        redoc_url=None,
    )
    app.state.ctx = ctx
    app.state.feed = feed
    app.state.stream_slots = StreamSlots(
        settings.event_streams_max, settings.event_streams_per_address
    )
    install_error_handlers(app)
    for name in ROUTERS:
        app.include_router(importlib.import_module(name).router)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    if settings.tls is not None and settings.tls.require:  # staff secrets only over HTTPS
        from server.require_tls import RequireTls

        app.add_middleware(RequireTls)
    app.add_middleware(SecurityHeaders)  # outermost: refusals of BodyLimit carry them too
    return app
