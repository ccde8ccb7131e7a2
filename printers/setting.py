"""The printer setting string: one URL says where the bytes go and how the printer behaves.

    usb://04b8:0e15?profile=TM-T20II          a USB printer by vendor:product id (pyusb)
    serial:///dev/ttyUSB0?baudrate=19200      a serial printer (pyserial; any serial_for_url target)
    tcp://192.168.1.50:9100                   a network printer (raw port; 9100 by default)
    file:///dev/usb/lp0                       a device node written as a file (Linux usblp)
    cups://Kiosk_Printer                      a CUPS queue, sent raw (pycups)
    dummy://?state=paper_out                  nothing printed; for tests and laptops with no printer

Options shared by all: ``profile`` (a python-escpos capability profile, e.g. ``TM-T20II`` or
``POS-5890``), ``width`` (58 or 80 mm, or a dot count such as 576), ``cut`` (full, part, none),
``lang`` (ar, en, both), ``timeout`` (seconds, default 3),
``status`` (check: ask before printing and refuse on silence; off: print blind). A wrong string
raises :class:`~printers.errors.PrinterSettingError` with the reason, at start.

There is no digits option: kiosk, paper, counter, board and phone all write Western digits (0-9) in
both languages (``nafitha.formats``), so a number reads the same wherever a citizen sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from printers.errors import PrinterSettingError

SCHEMES = ("usb", "serial", "tcp", "file", "cups", "dummy")
WIDTHS_MM = {58: 384, 80: 576}
DEFAULT_PORT = 9100
DUMMY_STATES = ("ok", "near_end", "paper_out", "cover_open", "offline", "silent")
_OPTIONS = {
    "usb": {"interface", "in_ep", "out_ep"},
    "serial": {"baudrate", "bytesize", "parity", "stopbits", "rtscts", "xonxoff"},
    "tcp": set(),
    "file": set(),
    "cups": set(),
    "dummy": {"state"},
}
_COMMON = {"profile", "width", "cut", "lang", "timeout", "status"}
DEFAULT_DPI = 203  # most thermal heads: 8 dots per mm
_HEX_ID = re.compile(r"^(?:0x)?[0-9a-fA-F]{1,4}$")


@dataclass(frozen=True)
class PrinterSetting:
    """A parsed, checked printer setting. Build it with :func:`parse_setting`."""

    scheme: str
    target: str  # host, device path, queue name, or "VID:PID"
    text: str  # the original string, for messages
    profile: str | None = None
    width_dots: int = 576
    cut: str = "full"
    lang: str = "both"
    dpi: int = DEFAULT_DPI  # the print head's resolution, from the profile: text sizes in mm
    timeout_s: float = 3.0
    check_status: bool = True
    port: int = DEFAULT_PORT
    options: dict[str, str] = field(
        default_factory=dict
    )  # transport-specific: baudrate, state, ...

    @property
    def width_mm(self) -> int:
        return 58 if self.width_dots <= 384 else 80

    @property
    def dots_per_mm(self) -> float:
        return self.dpi / 25.4


def _width_dots(value: str, setting: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise PrinterSettingError(
            setting, f"width must be 58, 80 or a dot count, not {value!r}"
        ) from None
    if number in WIDTHS_MM:
        return WIDTHS_MM[number]
    if 200 <= number <= 832 and number % 8 == 0:
        return number
    raise PrinterSettingError(
        setting, f"width must be 58, 80 or a dot count that is a multiple of 8, not {value}"
    )


def _profile_media(profile: str, setting: str) -> tuple[int | None, int]:
    """The profile's paper width in dots (None when it does not say) and its head's dpi."""
    from printers.profiles import profile_data  # heavy: loads the capability database

    try:
        data = profile_data(profile)
    except Exception as exc:  # escpos raises its own NotSupported or KeyError for unknown names
        raise PrinterSettingError(
            setting, f"unknown printer profile {profile!r} (see python-escpos capabilities)"
        ) from exc
    media = data.get("media", {})
    pixels = media.get("width", {}).get("pixels")
    dpi = media.get("dpi")
    return (
        int(pixels) if isinstance(pixels, int) else None,
        int(dpi) if isinstance(dpi, int) else DEFAULT_DPI,
    )


def _choice(
    options: dict[str, str], key: str, allowed: tuple[str, ...], default: str, setting: str
) -> str:
    value = options.pop(key, default).lower()
    if value not in allowed:
        raise PrinterSettingError(
            setting, f"{key} must be one of {', '.join(allowed)}, not {value!r}"
        )
    return value


def parse_setting(text: str) -> PrinterSetting:
    """``text`` checked and split into a :class:`PrinterSetting`; a bad one raises the reason."""
    if not isinstance(text, str) or not text.strip():
        raise PrinterSettingError(str(text), "empty setting; expected e.g. tcp://192.168.1.50:9100")
    text = text.strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if "://" not in text or scheme not in SCHEMES:
        raise PrinterSettingError(
            text,
            f"unknown kind {scheme or text!r}; use one of {', '.join(s + '://' for s in SCHEMES)}",
        )
    options: dict[str, str] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key in options:
            raise PrinterSettingError(text, f"option {key} given twice")
        options[key] = value
    if "digits" in options:
        raise PrinterSettingError(
            text,
            "the digits option was removed: every surface prints Western digits (0-9) in both "
            "languages, so a number reads the same on paper, screen and board",
        )
    unknown = sorted(set(options) - _COMMON - _OPTIONS[scheme])
    if unknown:
        allowed = sorted(_COMMON | _OPTIONS[scheme])
        raise PrinterSettingError(
            text, f"unknown option {', '.join(unknown)}; allowed: {', '.join(allowed)}"
        )

    target, port = _target(scheme, parts, text)
    profile = options.pop("profile", None) or None
    width, dpi = _profile_media(profile, text) if profile else (None, DEFAULT_DPI)
    if "width" in options:
        width = _width_dots(options.pop("width"), text)
    cut = _choice(options, "cut", ("full", "part", "none"), "full", text)
    lang = _choice(options, "lang", ("ar", "en", "both"), "both", text)
    status = _choice(options, "status", ("check", "off"), "check", text)
    try:
        timeout = float(options.pop("timeout", "3"))
    except ValueError:
        raise PrinterSettingError(text, "timeout must be a number of seconds") from None
    if not 0.05 <= timeout <= 60:
        raise PrinterSettingError(text, "timeout must be between 0.05 and 60 seconds")
    _check_transport_options(scheme, options, text)
    return PrinterSetting(
        scheme=scheme,
        target=target,
        text=text,
        profile=profile,
        width_dots=width or WIDTHS_MM[80],
        cut=cut,
        lang=lang,
        dpi=dpi,
        timeout_s=timeout,
        check_status=status == "check",
        port=port,
        options=options,
    )


def _target(scheme: str, parts, text: str) -> tuple[str, int]:
    """The transport's target (and TCP port) from the URL, checked for its kind."""
    netloc, path = unquote(parts.netloc), unquote(parts.path)
    if scheme == "dummy":
        return "", 0
    if scheme == "tcp":
        if not parts.hostname:
            raise PrinterSettingError(text, "tcp:// needs a host, e.g. tcp://192.168.1.50:9100")
        try:
            port = parts.port or DEFAULT_PORT
        except ValueError:
            raise PrinterSettingError(text, "the port must be a number from 1 to 65535") from None
        if path not in ("", "/"):
            raise PrinterSettingError(text, "tcp:// takes only host and port, no path")
        return parts.hostname, port
    if scheme == "usb":
        ids = netloc.split(":")
        if len(ids) != 2 or not all(_HEX_ID.match(part) for part in ids):
            raise PrinterSettingError(
                text, "usb:// needs VENDOR:PRODUCT in hex, e.g. usb://04b8:0e15"
            )
        return ":".join(f"{int(part, 16):04x}" for part in ids), 0
    if scheme == "cups":
        queue = netloc + path.rstrip("/")
        if not queue or "/" in queue:
            raise PrinterSettingError(
                text, "cups:// needs one queue name, e.g. cups://Kiosk_Printer"
            )
        return queue, 0
    # serial and file take a path: serial:///dev/ttyUSB0, file:///dev/usb/lp0
    if scheme == "serial" and netloc == "loop" and not path:  # pyserial's loop:// (tests)
        return "loop", 0
    if netloc:
        raise PrinterSettingError(text, f"{scheme}:// needs an absolute path: {scheme}:///dev/...")
    if not path.startswith("/"):
        raise PrinterSettingError(
            text, f"{scheme}:// needs an absolute path, e.g. {scheme}:///dev/..."
        )
    return path, 0


def _check_transport_options(scheme: str, options: dict[str, str], text: str) -> None:
    if scheme == "serial":
        for key in ("baudrate", "bytesize", "stopbits"):
            if key in options and not options[key].replace(".", "", 1).isdigit():
                raise PrinterSettingError(text, f"{key} must be a number, not {options[key]!r}")
        if "baudrate" in options and int(float(options["baudrate"])) not in (
            1200,
            2400,
            4800,
            9600,
            19200,
            38400,
            57600,
            115200,
        ):
            raise PrinterSettingError(
                text, f"unusual baudrate {options['baudrate']}; printers use 9600–115200"
            )
        if options.get("parity", "N").upper() not in ("N", "E", "O", "M", "S"):
            raise PrinterSettingError(text, "parity must be N, E, O, M or S")
    if scheme == "dummy":
        state = options.setdefault("state", "ok").lower()
        if state not in DUMMY_STATES:
            raise PrinterSettingError(text, f"state must be one of {', '.join(DUMMY_STATES)}")
        options["state"] = state
    if scheme == "usb":
        for key in ("interface", "in_ep", "out_ep"):
            if key in options:
                try:
                    int(options[key], 0)
                except ValueError:
                    raise PrinterSettingError(
                        text, f"{key} must be a number such as 0x81"
                    ) from None
