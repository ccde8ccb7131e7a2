"""The demo's virtual printer part: a port chosen once, and a command that really listens there."""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from printers.demo import demo_printer_port, demo_printer_url, virtual_printer_part
from printers.printing import Printer
from tests.support.ports import free_port, wait_for_port


@dataclass
class FakeSetup:  # the fields of nafitha.demo.DemoSetup this part reads
    data: Path
    port: int


def test_the_demo_printer_part_prints_where_the_kiosk_is_told(tmp_path, ticket):
    setup = FakeSetup(tmp_path, free_port())
    assert demo_printer_port(setup) == demo_printer_port(setup)  # chosen once per demo
    part = virtual_printer_part(setup)
    process = subprocess.Popen(part.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(demo_printer_port(setup), timeout=20)
        Printer(demo_printer_url(setup)).print_ticket(ticket)
        for _ in range(200):
            if list((tmp_path / "printed").glob("page-*.png")):
                break
            time.sleep(0.05)
        assert [p.name for p in (tmp_path / "printed").glob("page-*.png")] == ["page-0001.png"]
    finally:
        process.terminate()
        process.communicate(timeout=10)
