"""``nafitha print``: preview, test-print and query ticket printers; run a virtual printer.

nafitha print preview --ticket --width 58 --lang both -o ticket.png
nafitha print test --printer tcp://192.168.1.50:9100
nafitha print status --printer usb://04b8:0e15      (exit 1 when it cannot print)
nafitha print virtual --listen 127.0.0.1:9100 --out printed/
"""

from __future__ import annotations

import argparse
import sys

WIDTHS = {"58": 384, "80": 576}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    preview = actions.add_parser("preview", help="write the image a ticket or receipt prints as")
    _document_arguments(preview)
    preview.add_argument("--width", choices=sorted(WIDTHS), default="80", help="paper, mm")
    preview.add_argument("-o", "--output", required=True, help="PNG file to write")

    test = actions.add_parser("test", help="print a sample ticket or receipt")
    _document_arguments(test)
    test.add_argument("--printer", required=True, help="printer setting, e.g. tcp://HOST:9100")

    status = actions.add_parser("status", help="ask a printer how it is (exit 1: cannot print)")
    status.add_argument("--printer", required=True, help="printer setting, e.g. usb://04b8:0e15")

    virtual = actions.add_parser("virtual", help="run a virtual network printer saving PNGs")
    virtual.add_argument(
        "--listen", default="127.0.0.1:9100", help="HOST:PORT (default %(default)s)"
    )
    virtual.add_argument("--out", required=True, help="folder for page PNGs and printer.log")
    virtual.add_argument(
        "--state",
        default="ok",
        choices=("ok", "near_end", "paper_out", "cover_open", "offline", "error", "silent"),
        help="what it answers to status requests (default %(default)s)",
    )
    virtual.add_argument("--width", choices=sorted(WIDTHS), default="80", help="paper, mm")


def _document_arguments(parser: argparse.ArgumentParser) -> None:
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--ticket", action="store_true", help="a queue ticket (the default)")
    kind.add_argument("--receipt", action="store_true", help="a file receipt")
    parser.add_argument("--lang", choices=("ar", "en", "both"), default=None)
    parser.add_argument("--service", default=None, help="demo-catalog service id (default: first)")


def run(args: argparse.Namespace) -> int:
    from printers.errors import PrinterError, PrinterSettingError
    from printers.sample import SampleError

    try:
        return {"preview": _preview, "test": _test, "status": _status, "virtual": _virtual}[
            args.action
        ](args)
    except PrinterSettingError as exc:
        print(f"nafitha print: {exc}", file=sys.stderr)
        return 2
    except SampleError as exc:
        print(f"nafitha print: {exc}", file=sys.stderr)
        return 2
    except PrinterError as exc:
        print(f"nafitha print: {exc.code}: {exc.message['en']}", file=sys.stderr)
        print(f"nafitha print: {exc.message['ar']}", file=sys.stderr)
        if exc.detail:
            print(f"nafitha print: ({exc.detail})", file=sys.stderr)
        return 1


def _render(args: argparse.Namespace, printer) -> object:
    from printers.sample import sample_receipt, sample_ticket

    if args.receipt:
        return printer.render_receipt(sample_receipt(args.service), args.lang)
    return printer.render_ticket(sample_ticket(args.service), args.lang)


def _preview(args: argparse.Namespace) -> int:
    from printers.printing import Printer

    printer = Printer(f"dummy://?width={args.width}")
    image = _render(args, printer)
    image.save(args.output)
    print(f"wrote {args.output} ({image.width}x{image.height} dots, {args.width} mm)")
    return 0


def _test(args: argparse.Namespace) -> int:
    from printers.encode import encode_page
    from printers.printing import Printer

    printer = Printer(args.printer)
    data = encode_page(_render(args, printer), printer.setting)
    result = printer.send(data)
    print(f"printed {result.bytes_sent} bytes; {result.status.message['en']}")
    return 0


def _status(args: argparse.Namespace) -> int:
    from printers.printing import Printer

    status = Printer(args.printer).status()
    print(f"{status.state}: {status.message['en']}")
    print(status.message["ar"])
    if status.raw:
        print(
            "status bytes: " + ", ".join(f"n={n} 0x{b:02x}" for n, b in sorted(status.raw.items()))
        )
    return 0 if status.can_print else 1


def _virtual(args: argparse.Namespace) -> int:
    import signal
    import threading

    from printers.virtual import VirtualPrinter

    host, _, port = args.listen.rpartition(":")
    if not host or not port.isdigit():
        print(
            f"nafitha print virtual: --listen wants HOST:PORT, not {args.listen!r}", file=sys.stderr
        )
        return 2
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    printer = VirtualPrinter(
        host,
        int(port),
        args.out,
        args.state,
        WIDTHS[args.width],
        log=lambda line: print(line, flush=True),
    )
    try:
        printer.start()
    except OSError as exc:
        print(
            f"nafitha print virtual: cannot listen on {args.listen}: {exc.strerror}",
            file=sys.stderr,
        )
        return 1
    print(f"printer setting: {printer.url}", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        printer.stop()
    return 0
