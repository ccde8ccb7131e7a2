"""Barcode/QR scanners: a serial device (pyserial) or a keyboard wedge, behind one interface.

A scanner calls ``on_scan(text)`` for each code read and ``on_error(ScanError)`` for input it
refuses (garbage, an over-long line). Which one a device uses comes from one setting string
(:func:`open_scanner`):

- ``"wedge"``: the scanner types into the keyboard; a scan is a fast burst of characters ending with
  Enter (a person typing is slower and is ignored);
- ``"none"`` or ``""``: no scanner (a :class:`DummyScanner` that tests can feed);
- anything else: a pyserial port or URL (``/dev/ttyACM0``, ``loop://``, ``socket://HOST:PORT``),
  lines ending in CR, LF or CR LF. A port that is missing or goes away (unplugged) is retried every
  two seconds; the loss is reported once as ``device_lost``.

Callbacks of the serial scanner run on its reader thread: a Kivy app hands them to the UI thread
with ``Clock.schedule_once``. The line and burst rules are pure classes, tested without devices.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from nafitha.text import both

MAX_CODE_LENGTH = 128
"""Longer than any reference or ticket URL we print; a longer line is noise or a wrong device."""


@dataclass(frozen=True)
class ScanError:
    """A refused read: ``code`` for programs, ``message`` ({"ar", "en"}) for people."""

    code: str
    message: dict[str, str] = field(default_factory=dict)
    raw: bytes = b""

    @classmethod
    def of(cls, code: str, raw: bytes = b"") -> ScanError:
        return cls(code, both(f"kiosk.scanner_{code}"), raw)


OnScan = Callable[[str], None]
OnError = Callable[[ScanError], None]


class Scanner(Protocol):
    def start(self, on_scan: OnScan, on_error: OnError) -> None:
        """Begin delivering reads; idempotent."""

    def stop(self) -> None:
        """Stop delivering reads and release the device."""


def check_code(raw: bytes) -> str | ScanError:
    """A scanned line as text, or why it is refused (not text, control characters, too long)."""
    if len(raw) > MAX_CODE_LENGTH:
        return ScanError.of("too_long", raw[:MAX_CODE_LENGTH])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return ScanError.of("not_text", raw)
    text = text.strip(" \t")
    if not text:
        return ScanError.of("empty", raw)
    if any(not char.isprintable() for char in text):
        return ScanError.of("not_text", raw)
    return text


class LineAssembler:
    """Bytes from a serial scanner into codes: lines end with CR, LF or CR LF."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._overflowed = False

    def feed(self, data: bytes) -> list[str | ScanError]:
        results: list[str | ScanError] = []
        for byte in data:
            if byte in (0x0D, 0x0A):
                if self._overflowed:
                    results.append(ScanError.of("too_long", bytes(self._buffer)))
                elif self._buffer:
                    results.append(check_code(bytes(self._buffer)))
                # an empty line is the LF of a CR LF pair: nothing to report
                self._buffer.clear()
                self._overflowed = False
            elif len(self._buffer) >= MAX_CODE_LENGTH:
                self._overflowed = True
            else:
                self._buffer.append(byte)
        return results


class WedgeAssembler:
    """Key presses into codes: a scan is at least ``min_length`` characters typed with no gap longer
    than ``max_gap`` seconds, ending with Enter. Slower typing (a person) is not a scan."""

    def __init__(self, max_gap: float = 0.06, min_length: int = 4) -> None:
        self.max_gap = max_gap
        self.min_length = min_length
        self._chars: list[str] = []
        self._last: float | None = None

    def char(self, text: str, at: float) -> None:
        if self._last is not None and at - self._last > self.max_gap:
            self._chars.clear()
        self._chars.append(text)
        self._last = at

    def enter(self, at: float) -> str | ScanError | None:
        """The code this Enter ends, a ScanError for a bad burst, or None when it was not a scan."""
        burst = self._chars
        quick = self._last is not None and at - self._last <= self.max_gap
        self._chars, self._last = [], None
        if not quick or len(burst) < self.min_length:
            return None
        return check_code("".join(burst).encode("utf-8"))


class DummyScanner:
    """No device: reads come only from :meth:`scan` (tests, a laptop with no scanner)."""

    def __init__(self) -> None:
        self._on_scan: OnScan | None = None
        self._on_error: OnError | None = None

    def start(self, on_scan: OnScan, on_error: OnError) -> None:
        self._on_scan, self._on_error = on_scan, on_error

    def stop(self) -> None:
        self._on_scan = self._on_error = None

    def scan(self, raw: bytes | str) -> None:
        """Deliver ``raw`` as if a scanner sent it followed by Enter."""
        data = raw.encode("utf-8") if isinstance(raw, str) else raw
        result = check_code(data)
        if isinstance(result, ScanError):
            if self._on_error:
                self._on_error(result)
        elif self._on_scan:
            self._on_scan(result)


class SerialScanner:
    """A scanner on a serial port or pyserial URL, read on a background thread."""

    def __init__(self, port: str, baudrate: int = 9600, reopen_after: float = 2.0) -> None:
        self.port = port
        self.baudrate = baudrate
        self.reopen_after = reopen_after
        self.connection: Any = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_error: str | None = None

    def open(self) -> Any:
        """Open the port now (so a wrong port fails at start); the open serial object."""
        import serial

        if self.connection is None:
            self.connection = serial.serial_for_url(self.port, baudrate=self.baudrate, timeout=0.2)
        return self.connection

    def start(self, on_scan: OnScan, on_error: OnError) -> None:
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._read, args=(on_scan, on_error), name=f"scanner {self.port}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=2)
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def _read(self, on_scan: OnScan, on_error: OnError) -> None:
        import serial

        lines = LineAssembler()
        while not self._stop.is_set():
            try:
                data = self.open().read(256)
            except (serial.SerialException, OSError) as exc:
                # unplugged: report once, then keep trying to reopen
                if self.last_error != str(exc):
                    self.last_error = str(exc)
                    on_error(ScanError.of("device_lost", str(exc).encode()[:200]))
                if self.connection is not None:
                    with contextlib.suppress(serial.SerialException, OSError):
                        self.connection.close()
                    self.connection = None
                self._stop.wait(self.reopen_after)
                continue
            self.last_error = None
            for result in lines.feed(data):
                if isinstance(result, ScanError):
                    on_error(result)
                else:
                    on_scan(result)


class KeyboardWedgeScanner:
    """A scanner typing into Kivy's window: bursts ending with Enter (see :class:`WedgeAssembler`).

    Uses the window's key events without taking the keyboard, so the app's own keys keep working.
    """

    def __init__(
        self,
        max_gap: float = 0.06,
        min_length: int = 4,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.assembler = WedgeAssembler(max_gap, min_length)
        self._clock = clock
        self._callbacks: tuple[OnScan, OnError] | None = None

    def start(self, on_scan: OnScan, on_error: OnError) -> None:
        from kivy.core.window import Window

        if self._callbacks is None:
            Window.bind(on_textinput=self._on_text, on_key_down=self._on_key)
        self._callbacks = (on_scan, on_error)

    def stop(self) -> None:
        from kivy.core.window import Window

        if self._callbacks is not None:
            Window.unbind(on_textinput=self._on_text, on_key_down=self._on_key)
        self._callbacks = None

    def _on_text(self, _window: Any, text: str) -> None:
        for char in text:
            self.assembler.char(char, self._clock())

    def _on_key(self, _window: Any, key: int, *_args: Any) -> bool:
        if key not in (13, 271) or self._callbacks is None:  # Enter, keypad Enter
            return False
        result = self.assembler.enter(self._clock())
        if result is None:
            return False
        on_scan, on_error = self._callbacks
        if isinstance(result, ScanError):
            on_error(result)
        else:
            on_scan(result)
        return True


def open_scanner(setting: str, baudrate: int = 9600) -> Scanner:
    """The scanner a setting names (see the module docstring).

    A serial port is opened at once when it is there (opening a tty drops what came before). One
    that is not there yet (a USB scanner unplugged at boot) is no reason to refuse to start: the
    reader reports ``device_lost`` once and keeps trying until it appears. A setting that can
    never name a port (an unknown URL scheme) raises ``ValueError`` now.
    """
    import serial

    choice = (setting or "").strip()
    if choice.lower() in ("", "none", "dummy"):
        return DummyScanner()
    if choice.lower() == "wedge":
        return KeyboardWedgeScanner()
    serial.serial_for_url(choice, do_not_open=True)  # a malformed URL fails here
    scanner = SerialScanner(choice, baudrate)
    with contextlib.suppress(serial.SerialException, OSError):
        scanner.open()
    return scanner
