"""More HTTP worker processes for the hub (``[http] workers``), all serving one listening socket.

``nafitha hub`` binds the HTTP socket itself and serves it in its own process (beside the
writer); with ``workers = N`` it also starts N-1 processes that serve the very same socket (the
kernel hands each new connection to one of them), each with its own app and PostgreSQL
connections. Nothing a request needs lives in one process only: the tracking rate limit is a
PostgreSQL table (:mod:`hub.store.portal_limits`), catalogs are re-read from events. A worker
gets SIGTERM when the hub process dies, even by SIGKILL (Linux ``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import socket
from multiprocessing.process import BaseProcess
from typing import Any

WORKER_ENV = "NAFITHA_HUB_WORKER"  # 0 is the hub's own process; workers are 1..N-1
PR_SET_PDEATHSIG = 1


def worker_index() -> str:
    return os.environ.get(WORKER_ENV, "0")


def _die_with_parent() -> None:
    with contextlib.suppress(OSError):  # not Linux: the hub stops its workers on a clean exit
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _serve(settings: Any, sock: socket.socket, index: int) -> None:
    """One worker: the same app as the hub's own, on the shared socket, until SIGTERM."""
    _die_with_parent()
    os.environ[WORKER_ENV] = str(index)
    import uvicorn

    from hub.commands.serve import http_app, proxy_options

    config = uvicorn.Config(
        http_app(settings),
        log_level=settings.hub.log_level,
        lifespan="off",
        **proxy_options(settings),
    )
    uvicorn.Server(config).run(sockets=[sock])


def start_workers(settings: Any, sock: socket.socket, count: int) -> list[BaseProcess]:
    """``count`` worker processes serving ``sock`` (spawned: nothing of the writer is copied)."""
    context = multiprocessing.get_context("spawn")
    workers = []
    for index in range(1, count + 1):
        process = context.Process(
            target=_serve, args=(settings, sock, index), name=f"hub-http-{index}", daemon=True
        )
        process.start()
        workers.append(process)
    return workers


def stop_workers(workers: list[BaseProcess], timeout: float = 10.0) -> None:
    for process in workers:
        if process.is_alive():
            process.terminate()
    for process in workers:
        process.join(timeout)
        if process.is_alive():
            process.kill()
            process.join(timeout)
