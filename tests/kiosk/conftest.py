"""Fixtures of the kiosk's tests: a real server, the virtual printer, the kiosk app under Xvfb."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from printers.virtual import VirtualPrinter
from tests.support.server import demo_server  # noqa: F401 - a server process per test module


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtualPrinter]:
    """The virtual ESC/POS printer on a free port; its pages decoded as images."""
    with VirtualPrinter(out_dir=tmp_path_factory.mktemp("paper")) as printer:
        yield printer


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("kiosk")
