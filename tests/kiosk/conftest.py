"""Fixtures of the kiosk's tests: a real server, the virtual printer, the kiosk app under Xvfb.

One portrait kiosk (with a serial scanner on a pty) serves the ticket and file-tracking tests of
the whole session; the failure tests start their own server, proxy and landscape kiosk.
"""

from __future__ import annotations

import os
import tty
from collections.abc import Iterator
from pathlib import Path

import pytest

from printers.virtual import VirtualPrinter
from tests.kiosk.driver import Portrait, start_kiosk
from tests.support.server import running_server


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtualPrinter]:
    """The virtual ESC/POS printer on a free port; its pages decoded as images."""
    with VirtualPrinter(out_dir=tmp_path_factory.mktemp("paper")) as printer:
        yield printer


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("kiosk")


@pytest.fixture(scope="session")
def portrait(display: str, artifacts: Path, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("portrait")
    master, slave = os.openpty()
    tty.setraw(slave)
    with (
        running_server(root / "server") as server,
        VirtualPrinter(out_dir=root / "paper") as paper,
    ):
        kiosk = start_kiosk(
            root / "kiosk", artifacts, server.url, paper.url, scanner=os.ttyname(slave)
        )
        try:
            yield Portrait(kiosk, server, paper, master)
        finally:
            kiosk.close()
            os.close(master)
            os.close(slave)


@pytest.fixture(scope="session")
def manager(portrait: Portrait):
    return portrait.server.login("manager")
