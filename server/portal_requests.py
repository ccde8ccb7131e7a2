"""The portal responder: the national portal's requests to this center, answered here.

A thread of ``nafitha server`` when the settings have a ``[national]`` table, beside the relay
(one per database: a lock file beside it, the first process wins, the others stand by). It
connects to the center's leaf nats-server as the ``portal`` user, which may subscribe to this
center's portal subject only and publish only replies (``nafitha/national/nats.py``), and
answers each request with :func:`server.usecases.portal_requests.answer`, one at a time (so a
retried request id is seen after its first answer is kept). On any error it reconnects with a
backoff; the hub meanwhile tells the citizen the center cannot take portal bookings now.

``nats`` (nats-py) is imported only here and in the relay: a server without ``[national]``
never loads it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg

from nafitha.national.nats import PORTAL_USER, portal_subject
from server.config import NationalSettings
from server.process_lock import try_lock
from server.usecases.context import Context
from server.usecases.portal_requests import MAX_REQUEST_BYTES, Answers, answer

log = logging.getLogger("nafitha.portal_requests")

LOCK_RETRY_S = 5.0
MAX_BACKOFF_S = 10.0
CHECK_S = 0.5  # how often a quiet connection is looked at (closed by the leaf, stop asked)


async def _quiet(exc: Exception) -> None:
    log.debug("nats: %s: %s", type(exc).__name__, exc)


class PortalResponder:
    """The responder thread of one server process (started by the app's lifespan)."""

    def __init__(self, ctx: Context, national: NationalSettings, lock_path: Path) -> None:
        self.ctx = ctx
        self.national = national
        self.lock_path = lock_path
        self.answers: Answers | None = None  # read from its file once this process holds the lock
        self._stop = threading.Event()
        self._lock_fd: int | None = None
        self._state_lock = threading.Lock()
        self._state: dict[str, Any] = {"state": "starting", "answered": 0, "error": None}
        self._thread = threading.Thread(target=self._run, name="portal-responder", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
        self._set(state="stopped")

    def status(self) -> dict[str, Any]:
        with self._state_lock:
            return dict(self._state)

    def _set(self, **values: Any) -> None:
        with self._state_lock:
            self._state.update(values)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except Exception as exc:
            log.exception("the portal responder stopped")
            self._set(state="failed", error=f"{type(exc).__name__}: {exc}")

    async def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self._stop.is_set() and time.monotonic() < end:
            await asyncio.sleep(min(CHECK_S, max(end - time.monotonic(), 0)))

    async def _main(self) -> None:
        while not self._stop.is_set():
            self._lock_fd = try_lock(self.lock_path)
            if self._lock_fd is not None:
                self.answers = Answers(answers_path(self.lock_path))
                break
            self._set(state="standby")  # another process of this database answers
            await self._sleep(LOCK_RETRY_S)
        backoff = 0.5
        while not self._stop.is_set():
            try:
                await self._session()
                backoff = 0.5
            except Exception as exc:
                text = f"{type(exc).__name__}: {exc}"
                if self.status()["error"] != text:
                    log.warning("portal responder: %s", text)
                self._set(state="disconnected", error=text)
            await self._sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_S)

    async def _session(self) -> None:
        client = NatsClient()
        try:
            await client.connect(
                self.national.leaf_url,
                user=PORTAL_USER,
                password=self.national.relay_password,
                connect_timeout=2,
                allow_reconnect=False,
                max_reconnect_attempts=1,
                error_cb=_quiet,
                name=f"nafitha-portal-{self.national.center}",
            )
        except BaseException:
            transport = getattr(client, "_transport", None)
            if transport is not None:
                transport.close()
            raise
        try:
            await client.subscribe(portal_subject(self.national.center), cb=self._on_request)
            await client.flush(timeout=5)
            self._set(state="connected", error=None)
            while not self._stop.is_set():
                await asyncio.sleep(CHECK_S)
                if not client.is_connected:
                    raise ConnectionError("the leaf closed the connection")
        finally:
            with contextlib.suppress(Exception):
                await client.close()

    async def _on_request(self, msg: Msg) -> None:
        if not msg.reply or self.answers is None:
            return  # not a request: nobody to answer
        raw = msg.data if len(msg.data) <= MAX_REQUEST_BYTES else msg.data[: MAX_REQUEST_BYTES + 1]
        reply = await asyncio.to_thread(answer, self.ctx, raw, self.answers)
        await msg.respond(reply)
        with self._state_lock:
            self._state["answered"] += 1


def answers_path(lock_path: Path) -> Path:
    """The file of the kept answers, beside the lock (``<db>.portal.answers``)."""
    return lock_path.with_name(lock_path.name.removesuffix(".lock") + ".answers")


def portal_lock_path(db: Path) -> Path:
    """The lock file that makes one process per database the portal responder."""
    return db.with_name(db.name + ".portal.lock")


__all__ = ["PortalResponder", "answers_path", "portal_lock_path"]
