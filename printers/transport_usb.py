"""A USB printer through pyusb (optional: ``pip install pyusb`` and Debian's ``libusb-1.0-0``)."""

from __future__ import annotations

import errno
from typing import Any

from printers.errors import PrinterError, bilingual
from printers.setting import PrinterSetting
from printers.transport import Transport, load_optional


class UsbTransport(Transport):
    """Bulk OUT for the job, bulk IN for DLE EOT answers; every transfer bounded by the timeout."""

    can_read = True

    def __init__(self, setting: PrinterSetting) -> None:
        super().__init__(setting)
        self.vendor, self.product = (int(part, 16) for part in setting.target.split(":"))
        self._usb: Any = None
        self._device: Any = None
        self._out: Any = None
        self._in: Any = None

    def _permission(self, exc: Exception) -> PrinterError:
        fix = bilingual("fix_usb_udev", vendor=f"{self.vendor:04x}", product=f"{self.product:04x}")
        return PrinterError.of("permission_denied", detail=str(exc), fix=fix)

    def open(self) -> None:
        usb = self._usb = load_optional("usb.core", "usb.util", fix="fix_pyusb")
        try:
            device = usb.core.find(idVendor=self.vendor, idProduct=self.product)
        except usb.core.NoBackendError as exc:
            raise PrinterError.of(
                "missing_library", detail=str(exc), fix=bilingual("fix_pyusb")
            ) from exc
        if device is None:
            raise PrinterError.of("no_such_device", target=f"usb://{self.setting.target}")
        interface = int(self.setting.options.get("interface", "0"), 0)
        try:
            if device.is_kernel_driver_active(interface):
                device.detach_kernel_driver(interface)  # usblp holds it otherwise
            try:
                device.set_configuration()
            except usb.core.USBError as exc:
                if exc.errno != errno.EBUSY:  # already configured is fine
                    raise
            config = device.get_active_configuration()
            intf = config[(interface, 0)]
        except usb.core.USBError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM):
                raise self._permission(exc) from exc
            raise PrinterError.of("io_error", detail=str(exc), reason=str(exc)) from exc
        self._device = device
        self._out = self._endpoint(intf, "out_ep", usb.util.ENDPOINT_OUT)
        self._in = self._endpoint(intf, "in_ep", usb.util.ENDPOINT_IN)
        if self._out is None:
            raise PrinterError.of("io_error", reason="no bulk OUT endpoint on this USB device")

    def _endpoint(self, intf: Any, option: str, direction: int) -> Any:
        util = self._usb.util
        if option in self.setting.options:
            return int(self.setting.options[option], 0)
        return util.find_descriptor(
            intf, custom_match=lambda ep: util.endpoint_direction(ep.bEndpointAddress) == direction
        )

    def write(self, data: bytes) -> None:
        try:
            self._device.write(self._out, data, int(self.timeout_s * 1000))
        except self._usb.core.USBTimeoutError as exc:
            raise PrinterError("timeout", detail=str(exc)) from exc
        except self._usb.core.USBError as exc:
            if exc.errno in (errno.ENODEV, errno.ENOENT):
                raise PrinterError("offline", detail=str(exc)) from exc
            raise PrinterError.of("io_error", detail=str(exc), reason=str(exc)) from exc

    def read(self, size: int, timeout_s: float) -> bytes:
        if self._in is None:
            return b""
        try:
            return bytes(self._device.read(self._in, max(size, 64), max(1, int(timeout_s * 1000))))[
                :size
            ]
        except self._usb.core.USBTimeoutError:
            return b""
        except self._usb.core.USBError as exc:
            raise PrinterError.of("io_error", detail=str(exc), reason=str(exc)) from exc

    def close(self) -> None:
        if self._device is not None:
            self._usb.util.dispose_resources(self._device)
            self._device = None
