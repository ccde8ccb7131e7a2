"""The printer setting string: every kind parses, and a bad one fails at once with its reason."""

from __future__ import annotations

import pytest

from printers.errors import PrinterSettingError
from printers.setting import parse_setting


@pytest.mark.parametrize(
    ("text", "scheme", "target", "port", "width"),
    [
        ("usb://04b8:0E15", "usb", "04b8:0e15", 0, 576),
        ("usb://0x0416:0x5011?profile=POS-5890", "usb", "0416:5011", 0, 384),
        ("serial:///dev/ttyUSB0?baudrate=19200", "serial", "/dev/ttyUSB0", 0, 576),
        ("tcp://192.168.1.50:9100", "tcp", "192.168.1.50", 9100, 576),
        ("tcp://printer.lan", "tcp", "printer.lan", 9100, 576),
        ("tcp://127.0.0.1:9200?width=58", "tcp", "127.0.0.1", 9200, 384),
        ("file:///dev/usb/lp0", "file", "/dev/usb/lp0", 0, 576),
        ("cups://Kiosk_Printer?profile=TM-T20II", "cups", "Kiosk_Printer", 0, 576),
        ("dummy://", "dummy", "", 0, 576),
        ("dummy://?width=512", "dummy", "", 0, 512),
    ],
)
def test_every_kind_of_setting_parses(text, scheme, target, port, width):
    setting = parse_setting(text)
    assert (setting.scheme, setting.target, setting.port, setting.width_dots) == (
        scheme,
        target,
        port,
        width,
    )


def test_options_reach_the_setting():
    setting = parse_setting(
        "serial:///dev/ttyS0?baudrate=115200&cut=part&lang=ar&timeout=1.5&status=off"
    )
    assert setting.options["baudrate"] == "115200"
    assert (setting.cut, setting.lang) == ("part", "ar")
    assert setting.timeout_s == 1.5
    assert setting.check_status is False
    assert parse_setting("dummy://?state=paper_out").options["state"] == "paper_out"


def test_explicit_width_wins_over_the_profile():
    assert parse_setting("tcp://h?profile=TM-T20II&width=58").width_dots == 384


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty setting"),
        ("192.168.1.50:9100", "unknown kind"),
        ("lpt://1", "unknown kind 'lpt'"),
        ("tcp://", "needs a host"),
        ("tcp://host:99999", "port must be a number"),
        ("tcp://host/queue", "no path"),
        ("usb://printer", "VENDOR:PRODUCT in hex"),
        ("usb://04b8:xyz", "VENDOR:PRODUCT in hex"),
        ("serial://ttyUSB0", "absolute path"),
        ("serial:///dev/ttyUSB0?baudrate=fast", "baudrate must be a number"),
        ("serial:///dev/ttyUSB0?baudrate=1234", "unusual baudrate"),
        ("serial:///dev/ttyUSB0?parity=X", "parity"),
        ("file://dev/usb/lp0", "absolute path"),
        ("cups://", "one queue name"),
        ("tcp://h?width=70", "width must be 58, 80"),
        ("tcp://h?width=wide", "width must be 58, 80"),
        ("tcp://h?profile=NO-SUCH-MODEL", "unknown printer profile 'NO-SUCH-MODEL'"),
        ("tcp://h?cut=half", "cut must be one of full, part, none"),
        ("tcp://h?lang=fr", "lang must be one of ar, en, both"),
        ("tcp://h?timeout=0", "timeout must be between"),
        ("tcp://h?timeout=soon", "timeout must be a number"),
        ("tcp://h?baudrate=9600", "unknown option baudrate"),
        ("tcp://h?cut=full&cut=part", "given twice"),
        ("dummy://?state=jammed", "state must be one of"),
    ],
)
def test_bad_setting_fails_with_the_reason(text, reason):
    with pytest.raises(PrinterSettingError) as caught:
        parse_setting(text)
    assert reason in str(caught.value)
    assert caught.value.code == "bad_setting"
    assert reason in caught.value.message["en"]
    assert "إعداد الطابعة غير صحيح" in caught.value.message["ar"]


def test_the_digits_option_is_gone_with_the_reason():
    """One digit set everywhere (Western): a center cannot make paper differ from the board."""
    with pytest.raises(PrinterSettingError, match="digits option was removed"):
        parse_setting("tcp://10.0.0.9:9100?digits=eastern")


def test_the_profile_gives_the_head_resolution():
    assert parse_setting("dummy://?profile=TM-T20II").dpi == 203
    assert parse_setting("dummy://?profile=TM-T88V").dpi == 180
    assert parse_setting("dummy://").dots_per_mm == pytest.approx(8.0, abs=0.01)
