"""Blocking work (HTTP, printing) off the UI thread, with results handed back through the Clock.

A screen never freezes while the network or the printer is slow: the app submits a function here and
gets ``on_done(value)`` or ``on_error(exception)`` called on the UI thread at the next frame, where
it may touch widgets and state freely. With one worker, calls run in the order they were asked (the
counter's "finish" never overtakes the "start" before it); the kiosk uses a few, since its calls
(catalog, printer status, a ticket) are independent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from kivy.clock import Clock

Value = TypeVar("Value")
log = logging.getLogger(__name__)


class Background:
    """A pool of workers for blocking calls whose outcomes return to the UI thread."""

    def __init__(self, workers: int = 1, name: str = "background") -> None:
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix=name)

    def run(
        self,
        work: Callable[[], Value],
        on_done: Callable[[Value], Any],
        on_error: Callable[[Exception], Any],
    ) -> Future[None]:
        """Run ``work`` on a worker; ``on_done(value)`` or ``on_error(exc)`` on the UI thread."""

        def job() -> None:
            try:
                value = work()
            except Exception as exc:  # every failure goes back to the UI as a value to show
                log.info("background work failed: %r", exc)
                Clock.schedule_once(lambda _dt, error=exc: on_error(error), 0)
            else:
                Clock.schedule_once(lambda _dt, result=value: on_done(result), 0)

        return self._pool.submit(job)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
