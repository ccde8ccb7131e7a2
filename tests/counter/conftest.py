"""Fixtures of the counter's tests: a real server per module, and counters driven in child
processes under the session's Xvfb display."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.counter.driver import CounterDriver, start_counter
from tests.support.server import demo_server  # noqa: F401  (the fixture)


@pytest.fixture
def counters(
    display: str, artifacts: Path, tmp_path: Path
) -> Iterator[Callable[..., CounterDriver]]:
    """A factory of running counter apps, closed at the end of the test."""
    started: list[CounterDriver] = []

    def start(server_url: str, counter: str, **options: object) -> CounterDriver:
        log = tmp_path / f"counter-{counter}-{len(started)}.log"
        driver = start_counter(server_url, counter, log, artifacts, **options)  # type: ignore[arg-type]
        started.append(driver)
        return driver

    yield start
    for driver in started:
        driver.close()
