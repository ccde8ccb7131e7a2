"""Fixtures every part's tests share. Part-specific fixtures live in that part's own conftest."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.support.xvfb import xvfb_display

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# No deadline for any property test: a per-example time limit is a timed assertion, and on a
# shared 2-core machine under the whole suite one example can take 0.4 s (a flaky failure).
# Speed is measured under bench/.
settings.register_profile("nafitha", deadline=None)
settings.load_profile("nafitha")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """A folder for screenshots and rendered tickets that a person opens to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    """An Xvfb display for the whole session; DISPLAY is set while it lives."""
    with xvfb_display() as name:
        previous = os.environ.get("DISPLAY")
        os.environ["DISPLAY"] = name
        try:
            yield name
        finally:
            if previous is None:
                os.environ.pop("DISPLAY", None)
            else:
                os.environ["DISPLAY"] = previous
