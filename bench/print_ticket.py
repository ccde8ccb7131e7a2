"""How long a kiosk takes to lay out and encode one ticket, and how many bytes go to the printer.

    .venv/bin/python bench/print_ticket.py [--repeat 50]

Figures: the first ticket after start (fonts loaded, nothing cached); a ticket with a new number,
time, wait and QR each time (the kiosk's steady state: labels and service names come from the line
cache); a ticket with every line new (cache emptied each time: the worst case); ESC/POS encoding
alone; and a whole print over TCP to the virtual printer with both status exchanges. In the same
run, two references for this machine: a fixed pure-Python loop, and shaping+drawing one Arabic line
with raqm (the unit cost a ticket is made of). Target: render + encode under 50 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw

from printers import canvas
from printers.encode import encode_page
from printers.printables import Ticket
from printers.printing import Printer
from printers.sample import sample_ticket
from printers.virtual import VirtualPrinter


def ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms"


def nth_ticket(base: Ticket, i: int) -> Ticket:
    return Ticket(
        **{
            **base.__dict__,
            "number": f"A-{100 + i:03d}",
            "issued_at": base.issued_at + timedelta(minutes=i),
            "people_ahead": 3 + i % 17,
            "estimated_wait_s": 240 * (3 + i % 17),
            "status_url": f"http://10.0.0.2:8000/t/tok{i:06d}x9Kq2LmPz",
        }
    )


def reference_loop() -> float:
    started = time.perf_counter()
    total = 0
    for i in range(1_000_000):
        total += i * i % 7
    return time.perf_counter() - started


def reference_line() -> float:
    face = canvas.font(34, True)
    image = Image.new("L", (576, 80), 255)
    started = time.perf_counter()
    ImageDraw.Draw(image).text(
        (10, 10), "إخراج قيد فردي 42", font=face, fill=0, direction="rtl", language="ar"
    )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    base = sample_ticket(now=datetime(2026, 11, 23, 9, 0))

    print("# Printers: one ticket, render + encode")
    for setting in ("dummy://?width=80", "dummy://?width=58"):
        printer = Printer(setting)
        started = time.perf_counter()
        first = encode_page(printer.render_ticket(base), printer.setting)
        cold = time.perf_counter() - started
        for lang in ("both", "ar", "en"):
            steady, worst, encode, sizes = [], [], [], []
            for i in range(args.repeat):
                ticket = nth_ticket(base, i)
                t0 = time.perf_counter()
                image = printer.render_ticket(ticket, lang)
                t1 = time.perf_counter()
                data = encode_page(image, printer.setting)
                t2 = time.perf_counter()
                steady.append(t2 - t0)
                encode.append(t2 - t1)
                sizes.append(len(data))
            for i in range(max(5, args.repeat // 5)):
                canvas.measure.cache_clear()
                canvas.line_ink.cache_clear()
                t0 = time.perf_counter()
                encode_page(printer.render_ticket(nth_ticket(base, i), lang), printer.setting)
                worst.append(time.perf_counter() - t0)
            mm = printer.setting.width_mm
            print(f"{mm} mm {lang:>4}: steady {ms(steady)} | all lines new {ms(worst)}")
            print(f"             encode alone {ms(encode)} | {statistics.mean(sizes):,.0f} bytes")
        print(
            f"{printer.setting.width_mm} mm first ticket after start: {cold * 1000:.0f} ms "
            f"({len(first):,} bytes)"
        )

    with VirtualPrinter() as virtual:
        printer = Printer(virtual.url)
        sends = []
        for i in range(10):
            t0 = time.perf_counter()
            printer.print_ticket(nth_ticket(base, i))
            sends.append(time.perf_counter() - t0)
        virtual.wait_for_pages(10)
    print(f"whole print over TCP to the virtual printer (status, send, status): {ms(sends)}")

    loops = [reference_loop() for _ in range(3)]
    lines = [reference_line() for _ in range(50)]
    print("# reference, same run")
    print(f"pure-Python loop of 1e6 steps: {min(loops) * 1000:.0f} ms (best of 3)")
    print(f"raqm: shape and draw one bold Arabic line: {ms(lines)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
