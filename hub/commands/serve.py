"""``nafitha hub [run]``: the hub's nats-server as a child, the writer, and the HTTP API.

Start order: PostgreSQL's schema (migrations, hub.toml's centers registered), the nats-server
(the leaves dial it), then the writer's tasks and uvicorn in one event loop. SIGTERM or SIGINT
stops uvicorn, then the writer (a batch in flight commits or rolls back; nothing is acked before
its commit), then the nats-server (SIGTERM: it flushes its state).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from typing import Any

from hub.config import HubSettings

log = logging.getLogger("nafitha.hub")
LOOPBACK = ("127.0.0.1", "::1", "localhost")


def nats_conf(settings: HubSettings) -> str:
    from nafitha.national.nats import hub_conf

    return hub_conf(
        store_dir=settings.hub.data.resolve() / "nats",
        host=settings.nats.host,
        client_port=settings.nats.client_port,
        leaf_port=settings.nats.leaf_port,
        monitor_port=settings.nats.monitor_port,
        writer_password=settings.nats.writer_password,
        centers={c.id: c.leaf_password for c in settings.centers},
        leaf_tls=(
            (settings.nats.leaf_certificate.resolve(), settings.nats.leaf_key.resolve())
            if settings.nats.leaf_certificate and settings.nats.leaf_key
            else None
        ),
    )


def nats_url(settings: HubSettings) -> str:
    host = "127.0.0.1" if settings.nats.host in ("0.0.0.0", "::") else settings.nats.host
    return f"nats://{host}:{settings.nats.client_port}"


def writer_options(settings: HubSettings) -> Any:
    from hub.usecases.writer import WriterOptions

    return WriterOptions(
        nats_url=nats_url(settings),
        writer_password=settings.nats.writer_password,
        dsn=settings.postgres.dsn,
        batch=settings.writer.batch,
        fetch_timeout_s=settings.writer.fetch_timeout_s,
        retry_s=settings.writer.retry_s,
        leaf_check_s=settings.writer.leaf_check_s,
    )


def prepare(settings: HubSettings) -> None:
    from hub.usecases.setup import prepare_hub

    applied = prepare_hub(
        settings.postgres.dsn,
        [(c.id, c.name.model_dump(), c.public_key) for c in settings.centers],
    )
    if applied:
        log.warning("hub database: migrations %s applied", applied)


def _exit_on_signal(signum: int, frame: object) -> None:
    """Before the event loop runs: unwind (so the nats-server child is stopped), then exit."""
    raise SystemExit(128 + signum)


def _wait_for_postgres(settings: HubSettings, timeout: float) -> None:
    """PostgreSQL may still be starting (a boot, a demo): retry the schema step for a while."""
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            prepare(settings)
            return
        except psycopg.OperationalError as exc:
            if time.monotonic() > deadline:
                said = str(exc).strip()
                reason = said.splitlines()[0] if said else "no answer"
                raise SystemExit(f"nafitha hub: PostgreSQL does not answer: {reason}") from None
            log.warning("nafitha hub: waiting for PostgreSQL (%s)", type(exc).__name__)
            time.sleep(1.0)


def serve(settings: HubSettings) -> int:
    from nafitha.national.nats import NatsProcess

    logging.basicConfig(
        level=settings.hub.log_level.upper(),
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    signal.signal(signal.SIGTERM, _exit_on_signal)
    if settings.nats.leaf_certificate is None and settings.nats.host not in LOOPBACK:
        log.warning(
            "the leaf port %s:%d has no TLS: the centers' events and their leaves' passwords"
            " cross the network in clear; set [nats] leaf_certificate and leaf_key"
            " (docs/national.md, 'TLS on the leaf link')",
            settings.nats.host,
            settings.nats.leaf_port,
        )
    _wait_for_postgres(settings, settings.postgres.start_wait_s)
    settings.hub.data.mkdir(parents=True, exist_ok=True)
    nats = NatsProcess(nats_conf(settings), settings.hub.data, "hub-nats")
    try:
        nats.start()
        asyncio.run(_run(settings))
    finally:
        nats.stop()
    return 0


def http_app(settings: HubSettings) -> Any:
    """The hub's web app: its own process and every HTTP worker build it alike."""
    from hub.api.app import create_app
    from hub.api.center_link import ForwardLink

    link = ForwardLink(  # the portal's forwarder (hub-portal user, docs/hub.md)
        nats_url(settings), settings.nats.writer_password, settings.portal.forward_timeout_s
    )
    return create_app(settings.postgres.dsn, settings.ministry, settings.portal, link)


def proxy_options(settings: HubSettings) -> dict[str, Any]:
    """uvicorn's proxy options from ``[http] forwarded_allow_ips``: only those proxies' word on
    the client's address is believed (the key of the portal's rate limits)."""
    trusted = settings.http.forwarded_allow_ips.strip()
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or ""}


async def _run(settings: HubSettings) -> None:
    import uvicorn

    from hub.usecases.writer import Writer

    stop = asyncio.Event()
    writer = Writer(writer_options(settings), [c.id for c in settings.centers])
    task = asyncio.create_task(writer.run(stop), name="hub-writer")
    config = uvicorn.Config(
        http_app(settings),
        host=settings.http.host,
        port=settings.http.port,
        log_level=settings.hub.log_level,
        lifespan="off",
        **proxy_options(settings),
    )
    server = uvicorn.Server(config)

    def on_signal(signum: int, frame: object) -> None:
        """uvicorn re-raises the signal it stopped on: end here, cleanly, instead."""
        server.should_exit = True
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, on_signal)
    workers: list = []
    sockets = None
    if settings.http.workers > 1:  # the same socket served by more processes (docs/hub.md)
        from hub.api.portal_workers import start_workers

        sockets = [config.bind_socket()]
        workers = start_workers(settings, sockets[0], settings.http.workers - 1)
    try:
        await server.serve(sockets=sockets)
    finally:
        stop.set()
        if workers:
            from hub.api.portal_workers import stop_workers

            stop_workers(workers)
        await asyncio.wait_for(task, timeout=60)
