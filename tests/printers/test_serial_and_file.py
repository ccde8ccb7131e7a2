"""serial:// over pyserial (loop:// and a real pty), file:// on a device node and a plain file."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from PIL import ImageChops

from printers.decode import decode_pages
from printers.encode import encode_page
from printers.errors import PrinterError
from printers.printing import Printer
from printers.setting import parse_setting
from printers.transport_serial import SerialTransport
from tests.printers.pty_printer import PtyPrinter


def same(a, b) -> bool:
    return ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None


def test_serial_loop_carries_the_whole_job_byte_for_byte(ticket):
    setting = parse_setting("serial://loop?baudrate=115200&width=58")
    data = encode_page(Printer(setting).render_ticket(ticket), setting)
    echoed = bytearray()
    with SerialTransport(setting, url="loop://") as port:

        def drain() -> None:  # the far end, reading as a printer does
            while len(echoed) < len(data) and (chunk := port.read(65536, 1.0)):
                echoed.extend(chunk)

        reader = threading.Thread(target=drain)
        reader.start()
        port.write(data)  # in 1 kB chunks, each bounded by the timeout
        reader.join(timeout=10)
    assert bytes(echoed) == data
    assert decode_pages(bytes(echoed), 384)[0].mode == "full"


def test_serial_write_with_nobody_reading_times_out():
    setting = parse_setting("serial://loop?timeout=0.2")
    with SerialTransport(setting, url="loop://") as port, pytest.raises(PrinterError) as caught:
        port.write(bytes(20000))  # more than the loop's buffer
    assert caught.value.code == "timeout"


def test_serial_loop_echo_is_not_a_status_answer(ticket):
    """A line that only echoes our request back is silence, not a ready printer."""
    with pytest.raises(PrinterError) as caught:
        Printer("serial://loop?timeout=0.3").print_ticket(ticket)
    assert caught.value.code == "timeout"


def test_a_serial_printer_on_a_pty_prints_and_answers(ticket):
    with PtyPrinter() as device:
        printer = Printer(f"serial://{device.path}?baudrate=115200")
        result = printer.print_ticket(ticket, lang="ar")
        assert result.status.state == "ready"
        page = device.wait_for_pages(1)[0]
        expected = printer.render_ticket(ticket, lang="ar")
        assert same(page.crop((0, 0, *expected.size)), expected)


@pytest.mark.parametrize(("state", "code"), [("paper_out", "paper_out"), ("silent", "timeout")])
def test_a_serial_printer_that_cannot_print_is_refused_in_bounded_time(ticket, state, code):
    with PtyPrinter(state=state) as device:
        started = time.monotonic()
        with pytest.raises(PrinterError) as caught:
            Printer(f"serial://{device.path}?timeout=0.5").print_ticket(ticket)
        assert caught.value.code == code
        assert time.monotonic() - started < 2.0
        assert device.pages == []


def test_a_device_node_answers_status_through_file(ticket):
    with PtyPrinter(state="near_end") as device:
        printer = Printer(f"file://{device.path}")
        assert printer.status().state == "near_end"
        printer.print_ticket(ticket)
        assert len(device.wait_for_pages(1)) == 1


def test_a_plain_file_gets_the_bytes_and_no_status(tmp_path, ticket):
    target = tmp_path / "lp0"
    target.write_bytes(b"")
    printer = Printer(f"file://{target}")
    result = printer.print_ticket(ticket)
    assert result.status.state == "not_supported"
    assert target.read_bytes() == encode_page(printer.render_ticket(ticket), printer.setting)


def test_a_missing_device_node_is_named(ticket, tmp_path):
    with pytest.raises(PrinterError) as caught:
        Printer(f"file://{tmp_path}/usb/lp9").print_ticket(ticket)
    assert caught.value.code == "no_such_device"
    assert f"{tmp_path}/usb/lp9" in caught.value.message["ar"]
    with pytest.raises(PrinterError) as caught:
        Printer("serial:///dev/ttyNAFITHA9").status()
    assert caught.value.code == "no_such_device"


def test_permission_denied_names_the_group_to_join(tmp_path):
    """Without root's power over file modes and outside the lp group, an lp 0660 node is refused
    with the usermod fix.

    The process stays root (so it can still run this checkout's Python wherever it lies, even under
    a folder other users cannot enter) but drops the capabilities that bypass file modes and its
    groups (``setpriv``), and the node belongs to another user: as for any user not in ``lp``.
    """
    node = tmp_path / "lp0"
    node.write_bytes(b"")
    import grp
    import os
    import shutil

    if shutil.which("setpriv") is None or os.geteuid() != 0:
        pytest.skip("needs root and setpriv to act as an unprivileged user")
    os.chown(node, 1, grp.getgrnam("lp").gr_gid)
    node.chmod(0o660)
    code = (
        "from printers.printing import Printer\n"
        "from printers.errors import PrinterError\n"
        f"try:\n    Printer('file://{node}?status=off').send(b'x')\n"
        "except PrinterError as e:\n"
        "    print(e.code); print(e.message['en']); print(e.message['ar'])\n"
    )
    out = subprocess.run(
        [
            "setpriv",
            "--bounding-set=-dac_override,-dac_read_search,-fowner",
            "--clear-groups",
            sys.executable,
            "-c",
            code,
        ],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=str(__import__("nafitha.paths", fromlist=["ROOT"]).ROOT),
        env={"PYTHONDONTWRITEBYTECODE": "1", "PATH": "/usr/bin:/bin", "HOME": "/tmp"},
    )
    lines = out.stdout.splitlines()
    assert lines[:1] == ["permission_denied"], out.stderr
    assert "sudo usermod -aG lp $USER" in lines[1]
    assert "usermod -aG lp" in lines[2] and "لا صلاحية" in lines[2]


def test_missing_hardware_libraries_say_what_to_install():
    pytest.importorskip("escpos")
    for setting, words in [("usb://04b8:0e15", "pyusb"), ("cups://Kiosk", "python3-cups")]:
        try:
            Printer(setting).status()
        except PrinterError as error:
            if error.code == "missing_library":
                assert words in error.message["en"] and words in error.message["ar"]
                continue
            assert error.code in ("no_such_device", "offline")  # library present, no device here
