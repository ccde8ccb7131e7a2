"""An ESC/POS printer on the far side of a pseudo-terminal: what a serial or device-node printer is.

The test opens the pty's slave path as ``serial:///dev/pts/N`` or ``file:///dev/pts/N``; this side
reads the master end, decodes the job into pages and answers DLE EOT like the virtual printer.
"""

from __future__ import annotations

import os
import select
import threading
import tty

from PIL import Image

from printers.decode import EscposDecoder
from printers.status import encode_status


class PtyPrinter:
    def __init__(self, state: str = "ok", width_dots: int = 576) -> None:
        self.state = state
        self.pages: list[Image.Image] = []
        self.received = bytearray()
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no line discipline: bytes pass as they are
        self.path = os.ttyname(self._slave)
        self._decoder = EscposDecoder(width_dots, on_status=self._answer)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _answer(self, n: int) -> None:
        if self.state != "silent":
            os.write(self._master, bytes((encode_status(self.state)[n],)))

    def _run(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self._master, 65536)
            except OSError:
                return
            self.received.extend(data)
            self.pages.extend(page.image for page in self._decoder.feed(data).pages)

    def __enter__(self) -> PtyPrinter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        os.close(self._master)
        os.close(self._slave)

    def wait_for_pages(self, count: int, timeout: float = 10.0) -> list[Image.Image]:
        import time

        deadline = time.monotonic() + timeout
        while len(self.pages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.pages)
