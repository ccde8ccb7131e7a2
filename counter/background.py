"""Running server and printer calls off the UI thread, and handing results back on it.

One worker thread runs the clerk's actions in the order they were asked (a "finish" never overtakes
the "start" before it); results and errors come back through ``Clock.schedule_once``, so callbacks
run on the UI thread and may touch widgets and the state freely.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from kivy.clock import Clock

Result = TypeVar("Result")
log = logging.getLogger(__name__)


class Background:
    """An ordered queue of blocking calls whose outcomes return to the UI thread."""

    def __init__(self, name: str = "counter-actions") -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)

    def run(
        self,
        call: Callable[[], Result],
        on_done: Callable[[Result], Any],
        on_error: Callable[[Exception], Any],
    ) -> Future[Result]:
        """Run ``call`` on the worker, then ``on_done(result)`` or ``on_error(exc)`` on the UI
        thread."""

        def work() -> Result:
            try:
                result = call()
            except Exception as exc:  # handed to the UI thread, which shows it
                error = exc
                Clock.schedule_once(lambda _dt: on_error(error), 0)
                raise
            Clock.schedule_once(lambda _dt: on_done(result), 0)
            return result

        return self._pool.submit(work)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
