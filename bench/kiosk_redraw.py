"""Kiosk drawing cost: what one screen change costs the CPU where no graphics chip draws.

    .venv/bin/python bench/kiosk_redraw.py [--switches 20] [--size 1080x1920]

Starts a real server, the virtual printer and the real kiosk under a private Xvfb display (Mesa's
llvmpipe draws OpenGL on the CPU, as on a kiosk PC without a graphics driver), switches the
language back and forth (every label of the welcome screen laid out, shaped and drawn again) and
reads the kiosk's CPU time per switch from /proc, split between its Python threads and llvmpipe's
drawing threads, and the frames it drew. The reference in the same run is the same kiosk with
Kivy's default 2x multisampling (``KCFG_GRAPHICS_MULTISAMPLES=2``), which the kiosk turns off on
such a PC (``nafitha/gui/window.py``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nafitha.harness.kiosk_driver import Kiosk, start_kiosk
from nafitha.harness.server import running_server
from nafitha.harness.xvfb import xvfb_display
from printers.virtual import VirtualPrinter

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_split(pid: int) -> tuple[float, float]:
    """(Python threads, llvmpipe threads) CPU seconds of process ``pid`` so far."""
    python = drawing = 0.0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as comm:
                name = comm.read().strip()
            with open(f"/proc/{pid}/task/{tid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:  # a thread that ended meanwhile
            continue
        seconds = (int(fields[11]) + int(fields[12])) / TICKS
        if name.startswith("llvmpipe"):
            drawing += seconds
        else:
            python += seconds
    return python, drawing


def switches(kiosk: Kiosk, count: int) -> tuple[float, float, float, float]:
    """Per switch: wall seconds, Python CPU, drawing CPU, frames."""
    pid = kiosk.app.process.pid
    time.sleep(2)  # the first frames and the catalog's first refresh are over
    frames = kiosk.state()["frames_drawn"]
    before = cpu_split(pid)
    started = time.perf_counter()
    for index in range(count):
        lang = "en" if index % 2 == 0 else "ar"
        kiosk.tap(f"lang_{lang}")
        kiosk.wait_state(lambda s, lang=lang: s["lang"] == lang, f"the kiosk in {lang}")
    time.sleep(1)  # the last change's frames
    wall = time.perf_counter() - started - 1
    after = cpu_split(pid)
    drawn = kiosk.state()["frames_drawn"] - frames
    python, drawing = (b - a for a, b in zip(before, after, strict=True))
    return wall / count, python / count, drawing / count, drawn / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--switches", type=int, default=20)
    parser.add_argument("--size", default="1080x1920")
    args = parser.parse_args()
    rows = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        xvfb_display() as display,
        running_server(Path(tmp) / "server") as server,
        VirtualPrinter(out_dir=Path(tmp) / "paper") as paper,
    ):
        os.environ["DISPLAY"] = display
        for label, samples in (("this kiosk (no multisampling)", None), ("reference: 2x", "2")):
            if samples is None:
                os.environ.pop("KCFG_GRAPHICS_MULTISAMPLES", None)
            else:
                os.environ["KCFG_GRAPHICS_MULTISAMPLES"] = samples
            work = Path(tmp) / f"kiosk-{samples or 'auto'}"
            kiosk = start_kiosk(work, Path(tmp), server.url, paper.url, size=args.size)
            try:
                rows.append((label, *switches(kiosk, args.switches)))
            finally:
                kiosk.close()
        os.environ.pop("KCFG_GRAPHICS_MULTISAMPLES", None)
    print(f"Kiosk at {args.size}, {args.switches} language switches, Xvfb + llvmpipe")
    print(f"  {'':<32} {'wall':>8} {'Python CPU':>11} {'drawing CPU':>12} {'frames':>7}")
    for label, wall, python, drawing, frames in rows:
        print(
            f"  {label:<32} {wall * 1000:6.0f} ms {python * 1000:8.0f} ms "
            f"{drawing * 1000:9.0f} ms {frames:7.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
