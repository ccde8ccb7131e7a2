"""The scanner interface: line and burst rules, a serial device through loop:// and a real pty."""

from __future__ import annotations

import os
import queue
import threading
import tty

import pytest

from nafitha.scanner import (
    MAX_CODE_LENGTH,
    DummyScanner,
    KeyboardWedgeScanner,
    LineAssembler,
    ScanError,
    SerialScanner,
    WedgeAssembler,
    open_scanner,
)


def test_lines_end_with_cr_lf_or_crlf_and_split_across_reads():
    lines = LineAssembler()
    assert lines.feed(b"ABCD-EF") == []
    assert lines.feed(b"GH-J\r\n1234\n5678\r") == ["ABCD-EFGH-J", "1234", "5678"]


def test_a_line_of_control_bytes_or_invalid_utf8_is_refused_with_a_bilingual_reason():
    results = LineAssembler().feed(b"\x01\x02garbage\r\n\xff\xfe\r\n")
    assert [r.code for r in results if isinstance(r, ScanError)] == ["not_text", "not_text"]
    assert all(r.message["ar"] and r.message["en"] for r in results if isinstance(r, ScanError))


def test_an_over_long_line_is_refused_once_and_the_next_line_still_reads():
    lines = LineAssembler()
    results = lines.feed(b"9" * (MAX_CODE_LENGTH * 3) + b"\r\nGOOD1\r\n")
    assert isinstance(results[0], ScanError) and results[0].code == "too_long"
    assert results[1:] == ["GOOD1"]


def test_a_fast_burst_ending_in_enter_is_a_scan_and_slow_typing_is_not():
    wedge = WedgeAssembler(max_gap=0.05, min_length=4)
    for i, char in enumerate("K7QX-2M9P-4"):
        wedge.char(char, 10 + i * 0.01)
    assert wedge.enter(10.12) == "K7QX-2M9P-4"
    for i, char in enumerate("1234"):
        wedge.char(char, 20 + i * 0.4)  # a person typing
    assert wedge.enter(21.8) is None


def test_a_short_burst_is_not_a_scan():
    wedge = WedgeAssembler(max_gap=0.05, min_length=4)
    for i, char in enumerate("ab"):
        wedge.char(char, i * 0.01)
    assert wedge.enter(0.03) is None


def test_keyboard_wedge_scanner_turns_bursts_into_scans_with_its_clock():
    now = [0.0]
    scanner = KeyboardWedgeScanner(clock=lambda: now[0])
    got: list[str] = []
    scanner._callbacks = (got.append, pytest.fail)  # bound as start() would, without a window
    for char in "ABCD1234":
        now[0] += 0.005
        scanner._on_text(None, char)
    assert scanner._on_key(None, 13) is True
    assert got == ["ABCD1234"]


def test_dummy_scanner_delivers_and_refuses_like_a_device():
    scanner = DummyScanner()
    scans: list[str] = []
    errors: list[ScanError] = []
    scanner.start(scans.append, errors.append)
    scanner.scan("ABCD")
    scanner.scan(b"\x00\x01")
    assert scans == ["ABCD"] and [e.code for e in errors] == ["not_text"]


def _collect(scanner: SerialScanner) -> queue.Queue:
    results: queue.Queue = queue.Queue()
    scanner.start(results.put, results.put)
    return results


def test_serial_scanner_reads_lines_through_pyserial_loop_url():
    scanner = open_scanner("loop://")
    assert isinstance(scanner, SerialScanner)
    results = _collect(scanner)
    try:
        scanner.connection.write(b"REF-0001\r\n\x07\x07\r\nREF-0002\n")
        assert results.get(timeout=3) == "REF-0001"
        assert results.get(timeout=3).code == "not_text"
        assert results.get(timeout=3) == "REF-0002"
    finally:
        scanner.stop()


def test_serial_scanner_reads_a_real_pty_like_a_usb_cdc_scanner():
    master, slave = os.openpty()
    tty.setraw(slave)
    scanner = SerialScanner(os.ttyname(slave), baudrate=9600)
    scanner.open()  # as open_scanner does at start: opening a tty flushes what came before
    results = _collect(scanner)
    try:
        os.write(master, b"7HKQ-M2XD-P\r")
        os.write(master, b"\nsecond-code\r\n")
        assert results.get(timeout=3) == "7HKQ-M2XD-P"
        assert results.get(timeout=3) == "second-code"
    finally:
        scanner.stop()
        os.close(master)
        os.close(slave)


def test_a_port_not_plugged_in_is_waited_for_reported_once_then_read(tmp_path):
    port = tmp_path / "ttyACM-later"
    scanner = open_scanner(str(port))  # no device yet: no error at start
    assert isinstance(scanner, SerialScanner) and scanner.connection is None
    scanner.reopen_after = 0.05
    attempts: list[bool] = []  # each try to open the port: True once it opened
    several_failed, opened = threading.Event(), threading.Event()
    open_port = scanner.open

    def counted_open():
        try:
            connection = open_port()
        except OSError:  # pyserial's SerialException is one
            attempts.append(False)
            if len(attempts) >= 5:
                several_failed.set()
            raise  # the scanner's own handling, unchanged
        attempts.append(True)
        opened.set()
        return connection

    scanner.open = counted_open
    results = _collect(scanner)
    master, slave = os.openpty()
    try:
        lost = results.get(timeout=3)
        assert lost.code == "device_lost"
        assert several_failed.wait(timeout=5), attempts  # several failed attempts meanwhile...
        assert results.empty()  # ...and one report
        tty.setraw(slave)
        port.symlink_to(os.ttyname(slave))  # plugged in
        assert opened.wait(timeout=5), attempts  # reopened: what is sent now is read
        os.write(master, b"7HKQ-M2XD-P\r\n")
        assert results.get(timeout=3) == "7HKQ-M2XD-P"
    finally:
        scanner.stop()
        os.close(master)
        os.close(slave)


def test_a_setting_that_cannot_name_a_port_fails_at_start():
    with pytest.raises(ValueError, match="protocol"):
        open_scanner("nosuch://scanner")


def test_wedge_and_none_settings_choose_their_scanner():
    assert isinstance(open_scanner("wedge"), KeyboardWedgeScanner)
    assert isinstance(open_scanner("none"), DummyScanner)
    assert isinstance(open_scanner(""), DummyScanner)
