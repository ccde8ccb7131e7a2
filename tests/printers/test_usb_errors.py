"""usb:// error mapping. No USB printer exists on a CI machine, so pyusb's answers are played by a
small stand-in module with pyusb's names (``usb.core.find``, ``USBError`` with an errno)."""

from __future__ import annotations

import errno
import sys
import types

import pytest

from printers.errors import PrinterError
from printers.printing import Printer


class USBError(OSError):
    pass


class USBTimeoutError(USBError):
    pass


class NoBackendError(ValueError):
    pass


class DeniedDevice:
    def is_kernel_driver_active(self, interface: int) -> bool:
        raise USBError(errno.EACCES, "Access denied (insufficient permissions)")


@pytest.fixture
def pyusb(monkeypatch):
    usb = types.ModuleType("usb")
    core = types.ModuleType("usb.core")
    util = types.ModuleType("usb.util")
    core.USBError, core.USBTimeoutError, core.NoBackendError = (
        USBError,
        USBTimeoutError,
        NoBackendError,
    )
    core.found = None
    core.find = lambda **ids: core.found
    usb.core, usb.util = core, util
    monkeypatch.setitem(sys.modules, "usb", usb)
    monkeypatch.setitem(sys.modules, "usb.core", core)
    monkeypatch.setitem(sys.modules, "usb.util", util)
    return core


def test_a_usb_printer_not_plugged_in_is_no_such_device(pyusb):
    with pytest.raises(PrinterError) as caught:
        Printer("usb://04b8:0e15").status()
    assert caught.value.code == "no_such_device"
    assert "usb://04b8:0e15" in caught.value.message["en"]


def test_usb_permission_denied_gives_the_udev_rule_for_this_printer(pyusb):
    pyusb.found = DeniedDevice()
    with pytest.raises(PrinterError) as caught:
        Printer("usb://04B8:0E15").status()
    error = caught.value
    assert error.code == "permission_denied"
    for lang in ("ar", "en"):
        assert 'ATTRS{idVendor}=="04b8", ATTRS{idProduct}=="0e15"' in error.message[lang]
        assert "usermod -aG lp" in error.message[lang]


def test_no_libusb_backend_says_what_to_install(pyusb):
    def no_backend(**ids):
        raise NoBackendError("No backend available")

    pyusb.find = no_backend
    with pytest.raises(PrinterError) as caught:
        Printer("usb://04b8:0e15").status()
    assert caught.value.code == "missing_library"
    assert "libusb-1.0-0" in caught.value.message["en"]
