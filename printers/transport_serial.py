"""A serial printer through pyserial: ``serial:///dev/ttyUSB0?baudrate=19200``."""

from __future__ import annotations

import errno
import queue

import serial

from printers.errors import PrinterError
from printers.setting import PrinterSetting
from printers.transport import Transport, os_error, permission_error

CHUNK = 1024  # bytes per write: ~0.1 s at 115200 baud, ~0.5 s at 19200


class SerialTransport(Transport):
    """A serial port with write and read timeouts; the printer answers DLE EOT on the same line."""

    can_read = True

    def __init__(self, setting: PrinterSetting, url: str | None = None) -> None:
        super().__init__(setting)
        self.url = url or (
            setting.target if setting.target.startswith("/") else f"{setting.target}://"
        )
        self._port: serial.SerialBase | None = None

    def open(self) -> None:
        options = self.setting.options
        try:
            self._port = serial.serial_for_url(
                self.url,
                baudrate=int(float(options.get("baudrate", "9600"))),
                bytesize=int(options.get("bytesize", "8")),
                parity=options.get("parity", "N").upper(),
                stopbits=float(options.get("stopbits", "1")),
                rtscts=options.get("rtscts", "0").lower() in ("1", "true", "yes"),
                xonxoff=options.get("xonxoff", "0").lower() in ("1", "true", "yes"),
                timeout=self.timeout_s,
                write_timeout=self.timeout_s,
            )
        except serial.SerialException as exc:
            raise self._error(exc) from exc
        except (OSError, ValueError) as exc:
            raise PrinterError.of("io_error", detail=f"{self.url}: {exc}", reason=str(exc)) from exc

    def _error(self, exc: Exception) -> PrinterError:
        code = getattr(exc, "errno", None)
        if code in (errno.EACCES, errno.EPERM):
            return permission_error(self.url, PermissionError(code, str(exc)))
        if code in (errno.ENOENT, errno.ENODEV, errno.ENXIO) or "could not open port" in str(exc):
            if "Permission denied" in str(exc):
                return permission_error(self.url, PermissionError(errno.EACCES, str(exc)))
            return PrinterError.of("no_such_device", detail=str(exc), target=self.url)
        if isinstance(exc, serial.SerialTimeoutException):
            return PrinterError("timeout", detail=f"{self.url}: {exc}")
        if isinstance(exc, OSError):
            return os_error(self.url, exc)
        return PrinterError.of("io_error", detail=f"{self.url}: {exc}", reason=str(exc))

    def write(self, data: bytes) -> None:
        assert self._port is not None, "open() first"
        try:
            # in chunks, so the timeout bounds a stalled printer, not the whole (slow) job
            for start in range(0, len(data), CHUNK):
                self._port.write(data[start : start + CHUNK])
            self._port.flush()
        except (serial.SerialTimeoutException, queue.Full) as exc:  # Full: loop:// with no reader
            raise PrinterError("timeout", detail=f"{self.url}: write timed out") from exc
        except (serial.SerialException, OSError) as exc:
            raise self._error(exc) from exc

    def read(self, size: int, timeout_s: float) -> bytes:
        assert self._port is not None, "open() first"
        try:
            self._port.timeout = timeout_s
            return bytes(self._port.read(size))
        except (serial.SerialException, OSError) as exc:
            raise self._error(exc) from exc

    def close(self) -> None:
        if self._port is not None:
            self._port.close()
            self._port = None
