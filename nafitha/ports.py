"""Choosing a free loopback port for a part started on this machine (the demos, the tests' servers).

Asking the kernel for port 0 hands out a port from its ephemeral range, the same range every
outgoing connection draws its local port from: between choosing a port and binding it, another
process's connection can take it ("address already in use"). Ports here come from below that range,
where only listeners live, and each pytest-xdist worker draws from its own slice, so two test
processes running side by side never choose the same port.
"""

from __future__ import annotations

import os
import random
import socket
import threading
from pathlib import Path

# Below this, ports are often those of well-known services (databases, brokers) on a workstation.
_LOWEST = 10000
_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_lock = threading.Lock()
_cursor: int | None = None


def _listener_range() -> tuple[int, int]:
    """The ports from ``_LOWEST`` up to the kernel's ephemeral range (end excluded)."""
    try:
        ephemeral_low = int(_RANGE_FILE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        ephemeral_low = 32768
    return _LOWEST, max(_LOWEST, ephemeral_low)


def _slice() -> tuple[int, int]:
    """This process's share of the listener range: one slice per pytest-xdist worker."""
    low, high = _listener_range()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    try:
        count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
        index = int(worker.removeprefix("gw")) if worker.startswith("gw") else 0
    except ValueError:
        count, index = 1, 0
    if count < 1 or not 0 <= index < count:
        count, index = 1, 0
    width = (high - low) // count
    return low + index * width, low + (index + 1) * width


def _bindable(host: str, port: int) -> bool:
    """Whether a listener could bind ``port`` now (no SO_REUSEADDR: TIME_WAIT counts as taken)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _kernel_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def free_port(host: str = "127.0.0.1", span: int = 1) -> int:
    """A port nothing listens on, with the ``span - 1`` ports after it free too.

    Successive calls in one process never return the same port until the slice wraps round, so a
    test may take several ports before starting anything on them. ``span`` serves a part that
    listens on a run of ports from the one it is given (the national demo: hub, then its centers).
    """
    global _cursor
    low, high = _slice()
    if high - low < 4 * span:
        return _kernel_port(host)
    with _lock:
        if _cursor is None:
            _cursor = random.SystemRandom().randrange(low, high)
        for _ in range((high - low) // span):
            base = _cursor
            if base + span > high:
                base = low
            _cursor = base + span
            if all(_bindable(host, port) for port in range(base, base + span)):
                return base
    return _kernel_port(host)
