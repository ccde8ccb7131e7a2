"""``nafitha demo``: a whole demo center on this machine, on the embedded default database.

The demo keeps its SQLite file in ``--data`` (restarting on the same folder keeps tickets and
numbering), creates the demo-only accounts (people ``admin``, ``manager``, ``clerk1``..``clerkN``
with password ``demo``; kiosk tokens ``demo-kiosk-1``, ``demo-kiosk-2``), treats every service as
open, and runs the parts as child processes:

- the server (always; it also serves the web pages);
- extra parts registered in :data:`EXTRA_PARTS` (virtual printer, kiosk, counter, ...): each is a
  function ``(DemoSetup) -> Part | None``; GUI parts are skipped with ``--no-gui``;
- steps registered in :data:`STEPS` run once the server answers (e.g. seeding history): each is a
  function ``(DemoSetup) -> None``.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from counter.demo import counter_part
from kiosk.demo import kiosk_part, rating_screen_part
from nafitha.demo_part import DemoSetup, Part
from printers.demo import virtual_printer_part

DEMO_PASSWORD = "demo"
KIOSK_TOKENS = ("demo-kiosk-1", "demo-kiosk-2")
DEFAULT_DATA = Path.home() / ".local" / "share" / "nafitha" / "demo"


# Each part (a child process) and step (run once the server answers) is one line here.
EXTRA_PARTS: list[Callable[[DemoSetup], Part | None]] = [
    virtual_printer_part,  # the virtual printer
    counter_part,  # one clerk's terminal at c1
    kiosk_part,  # the entrance touchscreen
    rating_screen_part,  # the rating screen at c1 (docs/ratings.md)
]
STEPS: list[Callable[[DemoSetup], None]] = []


def _demo_files(setup: DemoSetup) -> None:
    """Sample files to track, imported only when the demo runs."""
    from server.demo.files import demo_files_step

    demo_files_step(setup)


STEPS.append(_demo_files)


def _demo_bookings(setup: DemoSetup) -> None:
    """Bookings to check in at the kiosk (docs/appointments.md), imported only when run."""
    from server.demo.appointments import demo_bookings_step

    demo_bookings_step(setup)


STEPS.append(_demo_bookings)


def _demo_complaints(setup: DemoSetup) -> None:
    """Complaints to handle and follow (docs/complaints.md), imported only when run."""
    from server.demo.complaints import demo_complaints_step

    demo_complaints_step(setup)


STEPS.append(_demo_complaints)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port of the server")
    parser.add_argument(
        "--data", type=Path, default=None, help=f"folder of the demo data (default {DEFAULT_DATA})"
    )
    parser.add_argument(
        "--national",
        action="store_true",
        help="a hub and three centers linked through NATS and PostgreSQL (the hub on --port,"
        " the centers on the next three ports)",
    )
    parser.add_argument("--no-gui", action="store_true", help="only the server and its web pages")
    parser.add_argument(
        "--replica",
        metavar="URL",
        help="replicate the demo's database off-site with Litestream (file:///path, s3://...)",
    )
    parser.add_argument("--center", type=Path, help="another center catalog TOML")
    parser.add_argument(
        "--history",
        type=int,
        default=21,
        metavar="DAYS",
        help="simulate this many past days of tickets when the data folder has none (0: none)",
    )


def seed_demo(db: Path, center: Path | None = None) -> dict[str, str]:
    """Create the demo accounts and kiosk tokens in ``db`` if missing; username -> role."""
    from server.app import open_context
    from server.config import DEFAULT_CENTER, ServerSettings
    from server.domain.errors import Refusal
    from server.usecases import people
    from server.usecases.catalog import load_catalog
    from server.usecases.context import SYSTEM

    settings = ServerSettings(db=db, center_config=center or DEFAULT_CENTER, ignore_hours=True)
    ctx = open_context(settings)
    try:
        clerks = max(len(load_catalog(ctx).counters), 2)
        wanted = {"admin": "admin", "manager": "manager"}
        wanted.update({f"clerk{i}": "clerk" for i in range(1, clerks + 1)})
        existing = {p["username"] for p in people.list_people(ctx)}
        for username, role in wanted.items():
            if username not in existing:
                people.create_person(ctx, SYSTEM, username, role, DEMO_PASSWORD)
        devices = {d["id"] for d in people.list_devices(ctx)}
        for token in KIOSK_TOKENS:
            if token not in devices:
                people.create_device(ctx, SYSTEM, token, "kiosk", token, token=token)
        return wanted
    except Refusal as exc:  # pragma: no cover - a broken demo database
        raise SystemExit(f"nafitha demo: cannot prepare accounts: {exc.code}") from exc
    finally:
        ctx.db.close()


def server_part(setup: DemoSetup) -> Part:
    return Part(
        "server",
        [
            sys.executable,
            "-m",
            "nafitha.cli",
            "server",
            "--db",
            str(setup.db),
            "--center",
            str(setup.center),
            "--host",
            setup.host,
            "--port",
            str(setup.port),
            "--ignore-hours",
            "--demo",  # the demo's accounts: a production server refuses to start with them
            "--public-url",
            setup.url,
        ],
    )


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"nafitha demo: the server stopped (exit {process.returncode})")
        try:
            if requests.get(url + "/api/v1/health", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise SystemExit(f"nafitha demo: the server did not answer at {url} within {timeout}s")


def _print_banner(setup: DemoSetup) -> None:
    clerks = sorted((u for u, r in setup.people.items() if r == "clerk"), key=lambda u: int(u[5:]))
    print(f"Nafitha demo center: {setup.url}")
    print(f"  data folder  {setup.data}")
    print(f"  API          {setup.url}/api/v1/health   (described at {setup.url}/openapi.json)")
    print(f"  pages        {setup.url}/board  {setup.url}/dashboard  {setup.url}/integrity")
    print(f"  people       admin, manager, {clerks[0]}..{clerks[-1]}   password: {DEMO_PASSWORD}")
    print(f"  kiosk tokens {', '.join(setup.kiosk_tokens)}")
    print("  (these accounts exist only in the demo)  Ctrl+C stops the demo.", flush=True)


def _has_display() -> bool:
    """Whether a desktop is there to show windows on (X11 or Wayland)."""
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run(args: argparse.Namespace) -> int:
    if args.national:
        from nafitha.demo_national import run as run_national

        return run_national(args)
    from server.config import DEFAULT_CENTER

    data: Path = (args.data or DEFAULT_DATA).expanduser().resolve()
    data.mkdir(parents=True, exist_ok=True)
    db = data / "nafitha.db"
    center = (args.center or DEFAULT_CENTER).resolve()
    people = seed_demo(db, center)
    from server.demo.history import seed_demo_history  # the dashboard's past days

    if seeded := seed_demo_history(db, center, args.history):
        print(f"nafitha demo: {seeded['tickets']} past tickets over {seeded['days']} days")
    url = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.port}"
    gui = not args.no_gui
    if gui and not _has_display():
        print(
            "nafitha demo: no display (DISPLAY is not set): the kiosk and counter windows are not "
            "started; run the demo from a desktop session to see them. The server, the virtual "
            "printer and the web pages run."
        )
        gui = False
    setup = DemoSetup(url, args.host, args.port, data, db, center, people, KIOSK_TOKENS, gui=gui)
    children: list[tuple[Part, subprocess.Popen[bytes]]] = []
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    try:
        server = server_part(setup)
        from server.sms.demo import demo_sms_config  # the simulated modem (docs/sms.md)

        sms_config, sms_folder = demo_sms_config(data)
        server.argv.extend(["--config", str(sms_config)])
        if args.replica:  # the off-site replica (docs/operations.md)
            server.argv.extend(["--replica", args.replica])
        process = subprocess.Popen(server.argv, env={**os.environ, **server.env})
        children.append((server, process))
        _wait_until_up(url, process)
        _print_banner(setup)
        print(
            f"  text messages sent to {sms_folder / 'sent'}; drop one in {sms_folder / 'inbox'}",
            flush=True,
        )
        for step in STEPS:
            step(setup)
        for make in EXTRA_PARTS:
            part = make(setup)
            if part is None or (part.gui and not setup.gui):
                continue
            env = {**os.environ, **part.env}
            if part.gui:
                env.setdefault("KCFG_KIVY_LOG_LEVEL", "warning")  # keep the demo's console readable
            children.append((part, subprocess.Popen(part.argv, env=env)))
        while not stopping:
            for part, child in children:
                if child.poll() is not None and part.name == "server":
                    print(f"nafitha demo: the server stopped (exit {child.returncode})")
                    return 1
            time.sleep(0.3)
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        for _, child in reversed(children):
            if child.poll() is None:
                child.terminate()
        for _, child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
