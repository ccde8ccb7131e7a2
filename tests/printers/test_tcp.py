"""tcp:// against real listeners (the virtual printer): ok, paper out, near end, silent, refused."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from PIL import ImageChops

from printers.errors import PrinterError
from printers.printing import Printer, printer_status
from tests.support.ports import free_port


def test_a_ticket_prints_on_the_virtual_printer_as_laid_out(virtual_printer, ticket):
    printer = Printer(virtual_printer.url)
    result = printer.print_ticket(ticket)
    assert result.status.state == "ready"
    page = virtual_printer.wait_for_pages(1)[0]
    expected = printer.render_ticket(ticket)
    assert page.width == expected.width
    top = page.crop((0, 0, *expected.size)).convert("L")
    assert ImageChops.difference(top, expected.convert("L")).getbbox() is None
    assert virtual_printer.files[0].name == "page-0001.png"
    log = (virtual_printer.out_dir / "printer.log").read_text(encoding="utf-8")
    assert "page 1: 576x" in log and "cut full" in log


def test_paper_out_refuses_before_sending_anything(virtual_printer, ticket):
    virtual_printer.state = "paper_out"
    with pytest.raises(PrinterError) as caught:
        Printer(virtual_printer.url).print_ticket(ticket)
    assert caught.value.code == "paper_out"
    assert caught.value.message["ar"] == "نفد الورق من الطابعة"
    assert status_of(virtual_printer).state == "paper_out"
    # paper back in, one more ticket: the only page ever cut is that one (the printer handles its
    # connections in order, so a page of the refused ticket would have come first)
    virtual_printer.state = "ok"
    Printer(virtual_printer.url).print_ticket(ticket)
    virtual_printer.wait_for_pages(1)
    assert len(virtual_printer.pages) == 1


def test_near_end_prints_and_says_so(virtual_printer, receipt):
    virtual_printer.state = "near_end"
    result = Printer(virtual_printer.url).print_receipt(receipt)
    assert result.status.state == "near_end"
    assert len(virtual_printer.wait_for_pages(1)) == 1


def test_cover_open_is_reported(virtual_printer, ticket):
    virtual_printer.state = "cover_open"
    with pytest.raises(PrinterError) as caught:
        Printer(virtual_printer.url).print_ticket(ticket)
    assert caught.value.code == "cover_open"


def test_a_printer_that_never_answers_costs_a_bounded_wait(virtual_printer, ticket):
    virtual_printer.state = "silent"
    started = time.monotonic()
    with pytest.raises(PrinterError) as caught:
        Printer(virtual_printer.url + "&timeout=0.5").print_ticket(ticket)
    assert caught.value.code == "timeout"
    assert time.monotonic() - started < 2.0
    status = status_of(virtual_printer)
    assert status.state == "unknown" and not status.can_print


def test_status_off_prints_blind_on_a_silent_printer(virtual_printer, ticket):
    virtual_printer.state = "silent"
    Printer(virtual_printer.url + "&status=off").print_ticket(ticket)
    assert len(virtual_printer.wait_for_pages(1)) == 1


def test_a_listener_that_accepts_and_never_answers_times_out(ticket):
    """A hung printer: the connection opens, nothing is ever answered."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", free_port()))
        server.listen(1)
        held: list[socket.socket] = []
        accepting = threading.Thread(target=lambda: held.append(server.accept()[0]))
        accepting.start()
        port = server.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(PrinterError) as caught:
            Printer(f"tcp://127.0.0.1:{port}?timeout=0.4").print_ticket(ticket)
        assert caught.value.code == "timeout"
        assert time.monotonic() - started < 2.0
        accepting.join(timeout=2)
        for conn in held:
            conn.close()


def test_nothing_listening_is_offline(ticket):
    with pytest.raises(PrinterError) as caught:
        Printer(f"tcp://127.0.0.1:{free_port()}").print_ticket(ticket)
    assert caught.value.code == "offline"
    assert caught.value.message["en"] == "The printer is offline"


def test_an_unknown_host_is_no_such_device():
    with pytest.raises(PrinterError) as caught:
        printer_status("tcp://no-such-printer.invalid:9100?timeout=1")
    assert caught.value.code == "no_such_device"


def test_the_state_can_change_while_running(virtual_printer, ticket):
    printer = Printer(virtual_printer.url)
    printer.print_ticket(ticket)
    virtual_printer.state = "paper_out"
    with pytest.raises(PrinterError):
        printer.print_ticket(ticket)
    virtual_printer.state = "ok"
    printer.print_ticket(ticket)
    assert len(virtual_printer.wait_for_pages(2)) == 2
    assert [p.name for p in virtual_printer.files] == ["page-0001.png", "page-0002.png"]


def status_of(virtual_printer):
    return printer_status(virtual_printer.url)


def test_a_running_virtual_printer_follows_its_state_file(virtual_printer):
    (virtual_printer.out_dir / "state").write_text("paper_out\n", encoding="utf-8")
    deadline = time.monotonic() + 5
    while virtual_printer.state != "paper_out" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert status_of(virtual_printer).state == "paper_out"
    (virtual_printer.out_dir / "state").write_text("jammed", encoding="utf-8")
    log_path = virtual_printer.out_dir / "printer.log"
    deadline = time.monotonic() + 5  # until the printer has read the file and said so
    while "ignored state 'jammed'" not in log_path.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, "the virtual printer never read the jammed state"
        time.sleep(0.05)
    assert virtual_printer.state == "paper_out"
    assert "state is now paper_out" in log_path.read_text(encoding="utf-8")
