"""A few threads for costly work anyone can ask for (a password check), refusing when full.

Sign-in runs Argon2 (tens of milliseconds of CPU and 19 MiB each). Run in the server's shared
threadpool, a flood of sign-ins from the hall's Wi-Fi would fill it with waiting hashes and every
other request would queue behind them. Here at most ``threads`` run and ``queue`` wait; one more
is refused at once (429 with Retry-After) without taking a thread at all.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from server.domain.errors import Refusal

T = TypeVar("T")
RETRY_AFTER_S = 2


class BoundedPool:
    def __init__(self, threads: int, queue: int, name: str = "bounded") -> None:
        self.capacity = threads + queue
        self.busy = 0  # submitted and not finished (a caller that went away still counts)
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=name)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on one of the threads; ``too_many_attempts`` when all are taken."""
        with self._lock:
            if self.busy >= self.capacity:
                raise Refusal.retry_after("too_many_attempts", RETRY_AFTER_S)
            self.busy += 1
        future = self._executor.submit(fn, *args)
        future.add_done_callback(self._finished)
        return await asyncio.wrap_future(future)

    def _finished(self, _future: Future[Any]) -> None:
        with self._lock:
            self.busy -= 1

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
