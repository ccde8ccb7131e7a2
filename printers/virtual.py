"""A virtual ESC/POS network printer: listens on TCP, saves each cut page as a PNG, answers status.

    with VirtualPrinter(out_dir=tmp, state="ok") as printer:     # port 0: a free port is chosen
        Printer(printer.url).print_ticket(ticket)
        page = printer.wait_for_pages(1)[0]                      # a PIL image of the paper
        printer.state = "paper_out"                              # answers change at once

``nafitha print virtual --listen 127.0.0.1:9100 --out DIR`` runs one until Ctrl-C. States: ok,
near_end, paper_out, cover_open, offline, error, silent (never answers a status request); a running
one follows the word written in ``DIR/state``. While the paper is out or the cover open, jobs are
received but nothing is printed, as on a real printer.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PIL import Image

from printers.decode import EscposDecoder
from printers.status import encode_status

STATES = ("ok", "near_end", "paper_out", "cover_open", "offline", "error", "silent")
_NOT_PRINTING = ("paper_out", "cover_open", "offline", "error")
_PAGE_FILE = re.compile(r"^page-(\d{4,})\.png$")


class VirtualPrinter:
    """An ESC/POS printer on ``host:port`` (port 0: any free one; read :attr:`port` after start)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        out_dir: Path | str | None = None,
        state: str = "ok",
        width_dots: int = 576,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.host, self.port = host, port
        self.out_dir = Path(out_dir) if out_dir else None
        self._state_lock = threading.RLock()
        self.state = state
        self.width_dots = width_dots
        self._log = log
        self.pages: list[Image.Image] = []
        self.files: list[Path] = []
        self.status_requests = 0
        self.jobs = 0
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._stop = threading.Event()
        self._sock: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._next_number = 1
        self._ignored = ""

    @property
    def state(self) -> str:
        return self._state

    @state.setter
    def state(self, value: str) -> None:
        if value not in STATES:
            raise ValueError(f"state must be one of {', '.join(STATES)}")
        # one lock with the file follower: it must never read the old word from DIR/state after
        # the new state is set and put the old one back
        with self._state_lock:
            self._state = value
            out_dir = getattr(self, "out_dir", None)
            if out_dir is not None and out_dir.is_dir():  # keep DIR/state saying what we answer
                (out_dir / "state").write_text(value + "\n", encoding="utf-8")

    @property
    def url(self) -> str:
        """The printer setting that prints here."""
        return f"tcp://{self.host}:{self.port}?width={self.width_dots}"

    # -- life ----------------------------------------------------------------------------------
    def start(self) -> VirtualPrinter:
        if self.out_dir:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            numbers = [int(m[1]) for p in self.out_dir.iterdir() if (m := _PAGE_FILE.match(p.name))]
            self._next_number = max(numbers, default=0) + 1
            (self.out_dir / "state").write_text(
                self.state + "\n", encoding="utf-8"
            )  # start as told
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((self.host, self.port))
        self._sock.listen(8)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        accept = threading.Thread(target=self._accept, name="virtual-printer", daemon=True)
        accept.start()
        self._threads.append(accept)
        self.log(f"virtual printer listening on {self.host}:{self.port}, state {self.state}")
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=3)
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def __enter__(self) -> VirtualPrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log(self, line: str) -> None:
        stamped = f"{datetime.now().isoformat(timespec='seconds')} {line}"
        if self._log:
            self._log(stamped)
        if self.out_dir:
            with (self.out_dir / "printer.log").open("a", encoding="utf-8") as log:
                log.write(stamped + "\n")

    def wait_for_pages(self, count: int, timeout: float = 10.0) -> list[Image.Image]:
        """The first ``count`` pages, waiting up to ``timeout`` seconds for them to be cut."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.pages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(self.pages)} of {count} pages after {timeout}s")
                self._changed.wait(left)
            return list(self.pages[:count])

    # -- serving -------------------------------------------------------------------------------
    def _follow_state_file(self) -> None:
        """``echo paper_out > DIR/state`` changes the answers of a running virtual printer."""
        if not self.out_dir:
            return
        with self._state_lock:
            self._follow_state_file_locked()

    def _follow_state_file_locked(self) -> None:
        assert self.out_dir is not None
        try:
            wanted = (self.out_dir / "state").read_text(encoding="utf-8").strip()
        except (FileNotFoundError, UnicodeDecodeError):
            return
        if wanted != self.state:
            if wanted in STATES:
                self.state = wanted
                self.log(f"state is now {wanted} (from {self.out_dir / 'state'})")
            elif wanted != self._ignored:
                self.log(
                    f"ignored state {wanted!r} in {self.out_dir / 'state'}: not one of {STATES}"
                )
            self._ignored = wanted

    def _accept(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            self._follow_state_file()
            try:
                conn, peer = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            worker = threading.Thread(target=self._serve, args=(conn, peer), daemon=True)
            worker.start()
            self._threads = [t for t in self._threads if t.is_alive()] + [worker]

    def _serve(self, conn: socket.socket, peer: tuple[str, int]) -> None:
        answered: list[str] = []

        def answer(n: int) -> None:
            with self._lock:
                self.status_requests += 1
            answered.append(self.state)
            if self.state != "silent":
                byte = encode_status(self.state)[n]
                with contextlib.suppress(OSError):
                    conn.sendall(bytes((byte,)))

        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        decoder = EscposDecoder(self.width_dots, on_status=answer)
        requests = unknown = 0
        conn.settimeout(0.2)
        with conn:
            while not self._stop.is_set():
                try:
                    data = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    break
                if not data:
                    break
                events = decoder.feed(data)
                requests += len(events.status_requests)
                unknown += len(events.unknown)
                for page in events.pages:
                    self._page(page.image, page.mode, decoder.bytes_read)
            for page in decoder.finish().pages:
                self._page(page.image, page.mode, decoder.bytes_read)
        with self._lock:
            self.jobs += 1
        self.log(
            f"connection from {peer[0]}:{peer[1]} closed: {decoder.bytes_read} bytes, "
            f"{requests} status requests answered as {'/'.join(dict.fromkeys(answered)) or '-'}"
            + (f", {unknown} unknown commands skipped" if unknown else "")
        )

    def _page(self, image: Image.Image, cut: str, bytes_read: int) -> None:
        if self.state in _NOT_PRINTING:
            self.log(f"page not printed ({self.state}): {image.width}x{image.height} dots")
            return
        with self._changed:
            number = self._next_number
            self._next_number += 1
            self.pages.append(image)
            path = None
            if self.out_dir:
                path = self.out_dir / f"page-{number:04d}.png"
                image.save(path)
                self.files.append(path)
            self._changed.notify_all()
        where = f" -> {path}" if path else ""
        self.log(
            f"page {number}: {image.width}x{image.height} dots, cut {cut}, "
            f"{bytes_read} bytes so far{where}"
        )
