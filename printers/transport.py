"""Where the bytes go: one small class per kind of connection (open, write, read, close).

Every transport turns its library's failures into :class:`~printers.errors.PrinterError` codes
(``no_such_device``, ``permission_denied``, ``offline``, ``timeout``, ``io_error``) and bounds every
wait by the setting's timeout. ``read`` returns ``b""`` when nothing arrives in time: silence is
reported, never waited on. :func:`open_transport` picks the class from a setting.
"""

from __future__ import annotations

import contextlib
import errno
import grp
import importlib
import os
import select
import socket
import threading
from collections import deque
from types import ModuleType
from typing import ClassVar

from printers.errors import PrinterError, bilingual
from printers.setting import PrinterSetting, parse_setting
from printers.status import NOT_SUPPORTED, PrinterStatus, encode_status, status_request


class Transport:
    """The bytes' way to one printer. Use as a context manager: ``with open_transport(s) as t:``."""

    can_read: ClassVar[bool] = False  # whether the printer can answer (DLE EOT status)

    def __init__(self, setting: PrinterSetting) -> None:
        self.setting = setting
        self.timeout_s = setting.timeout_s

    def open(self) -> None:
        raise NotImplementedError

    def write(self, data: bytes) -> None:
        raise NotImplementedError

    def read(self, size: int, timeout_s: float) -> bytes:
        """Up to ``size`` bytes the printer sent within ``timeout_s``; ``b""`` on silence."""
        return b""

    def close(self) -> None:
        raise NotImplementedError

    def own_status(self) -> PrinterStatus:
        """The status where the printer cannot answer DLE EOT (e.g. a CUPS queue's own state)."""
        return PrinterStatus(NOT_SUPPORTED)

    def __enter__(self) -> Transport:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def load_optional(*modules: str, fix: str) -> ModuleType:
    """The package of an optional library with ``modules`` imported, or a ``missing_library``
    error whose ``fix`` text says what to install."""
    try:
        for name in modules:
            importlib.import_module(name)
    except ImportError as exc:
        raise PrinterError.of("missing_library", detail=str(exc), fix=bilingual(fix)) from exc
    return importlib.import_module(modules[0].split(".")[0])


def permission_error(path: str, exc: OSError) -> PrinterError:
    """Permission denied on a device node, with the group to join as the fix."""
    try:
        group = grp.getgrgid(os.stat(path).st_gid).gr_name
    except (OSError, KeyError):
        group = "lp"
    fix = bilingual("fix_device_group", group=group)
    return PrinterError.of("permission_denied", detail=f"{path}: {exc}", fix=fix)


def os_error(target: str, exc: OSError) -> PrinterError:
    """A device-node or socket failure as the error a clerk can act on."""
    if isinstance(exc, TimeoutError | socket.timeout):
        return PrinterError("timeout", detail=f"{target}: {exc}")
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return permission_error(target, exc)
    if isinstance(exc, FileNotFoundError) or exc.errno in (errno.ENOENT, errno.ENODEV, errno.ENXIO):
        return PrinterError.of("no_such_device", detail=str(exc), target=target)
    if exc.errno in (
        errno.ECONNREFUSED,
        errno.EHOSTUNREACH,
        errno.ENETUNREACH,
        errno.ECONNRESET,
        errno.EPIPE,
    ):
        return PrinterError("offline", detail=f"{target}: {exc}")
    return PrinterError.of("io_error", detail=f"{target}: {exc}", reason=exc.strerror or str(exc))


class TcpTransport(Transport):
    """A network printer's raw port (JetDirect, 9100): a socket with a timeout on every call."""

    can_read = True

    def __init__(self, setting: PrinterSetting) -> None:
        super().__init__(setting)
        self._sock: socket.socket | None = None

    @property
    def address(self) -> str:
        return f"{self.setting.target}:{self.setting.port}"

    def open(self) -> None:
        try:
            self._sock = socket.create_connection(
                (self.setting.target, self.setting.port), timeout=self.timeout_s
            )
            # status requests are 3-byte writes awaiting a reply: do not let Nagle hold them
            self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except socket.gaierror as exc:
            raise PrinterError.of("no_such_device", detail=str(exc), target=self.address) from exc
        except OSError as exc:
            raise os_error(self.address, exc) from exc

    def write(self, data: bytes) -> None:
        assert self._sock is not None, "open() first"
        try:
            self._sock.settimeout(self.timeout_s)
            self._sock.sendall(data)
        except OSError as exc:
            raise os_error(self.address, exc) from exc

    def read(self, size: int, timeout_s: float) -> bytes:
        assert self._sock is not None, "open() first"
        try:
            self._sock.settimeout(timeout_s)
            return self._sock.recv(size)
        except (TimeoutError, BlockingIOError):  # BlockingIOError: timeout 0 and nothing there
            return b""
        except OSError as exc:
            raise os_error(self.address, exc) from exc

    def close(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):  # the printer may have closed first
                self._sock.shutdown(socket.SHUT_RDWR)
            self._sock.close()
            self._sock = None


class FileTransport(Transport):
    """A device node written as a file (``/dev/usb/lp0``); status read where the node answers."""

    def __init__(self, setting: PrinterSetting) -> None:
        super().__init__(setting)
        self._fd: int | None = None
        self.can_read = False  # decided on open: only character devices answer

    def open(self) -> None:
        path = self.setting.target
        try:
            is_char = os.path.exists(path) and os.stat(path).st_mode & 0o170000 == 0o020000
            if is_char:
                try:
                    self._fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
                    self.can_read = True
                except PermissionError:  # write-only access still prints, without status
                    self._fd = os.open(path, os.O_WRONLY | os.O_NOCTTY)
            else:
                self._fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        except OSError as exc:
            raise os_error(path, exc) from exc

    def write(self, data: bytes) -> None:
        assert self._fd is not None, "open() first"
        view = memoryview(data)
        try:
            while view:
                _, ready, _ = select.select([], [self._fd], [], self.timeout_s)
                if not ready:
                    raise PrinterError("timeout", detail=f"{self.setting.target}: write blocked")
                written = os.write(self._fd, view)
                view = view[written:]
        except OSError as exc:
            raise os_error(self.setting.target, exc) from exc

    def read(self, size: int, timeout_s: float) -> bytes:
        if self._fd is None or not self.can_read:
            return b""
        try:
            ready, _, _ = select.select([self._fd], [], [], timeout_s)
            return os.read(self._fd, size) if ready else b""
        except OSError as exc:
            raise os_error(self.setting.target, exc) from exc

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class DummyTransport(Transport):
    """No printer: keeps the bytes, and answers status requests as ``?state=`` says (ok by default).

    Lets a kiosk on a laptop, and the tests, exercise every printer state without hardware.
    """

    can_read = True
    sent: ClassVar[deque[bytes]] = deque(
        maxlen=50
    )  # the last jobs written to any dummy, newest last
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, setting: PrinterSetting) -> None:
        super().__init__(setting)
        self.state = setting.options.get("state", "ok")
        self._job: list[bytes] = []
        self._answers = bytearray()

    def open(self) -> None:
        if self.state == "offline":
            raise PrinterError("offline", detail="dummy printer set offline")

    def write(self, data: bytes) -> None:
        self._job.append(data)
        if self.state != "silent":
            answers = encode_status(self.state)
            for n, answer in answers.items():
                self._answers.extend(bytes((answer,)) * data.count(status_request(n)))

    def read(self, size: int, timeout_s: float) -> bytes:
        data, self._answers[:] = bytes(self._answers[:size]), self._answers[size:]
        return data

    def close(self) -> None:
        if self._job:
            with self._lock:
                DummyTransport.sent.append(b"".join(self._job))
            self._job = []


def open_transport(setting: PrinterSetting | str) -> Transport:
    """The transport for ``setting``, not yet opened (use ``with``)."""
    if isinstance(setting, str):
        setting = parse_setting(setting)
    if setting.scheme == "tcp":
        return TcpTransport(setting)
    if setting.scheme == "file":
        return FileTransport(setting)
    if setting.scheme == "dummy":
        return DummyTransport(setting)
    if setting.scheme == "serial":
        from printers.transport_serial import SerialTransport

        return SerialTransport(setting)
    if setting.scheme == "usb":
        from printers.transport_usb import UsbTransport

        return UsbTransport(setting)
    if setting.scheme == "cups":
        from printers.transport_cups import CupsTransport

        return CupsTransport(setting)
    raise AssertionError(f"parse_setting let through {setting.scheme!r}")
