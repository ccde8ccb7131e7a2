"""The one command, ``nafitha``: each subcommand lives with the part it runs.

A subcommand module offers ``add_arguments(parser)`` and ``run(args) -> int``, and keeps heavy
imports (Kivy, uvicorn, escpos) inside ``run`` so that ``nafitha --help`` and every other subcommand
stay fast and work without the optional extras installed.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from nafitha import __version__
from nafitha.settings import ConfigError

SUBCOMMANDS: tuple[tuple[str, str, str], ...] = (
    ("server", "server.commands.serve", "run the center's server"),
    ("kiosk", "kiosk.commands", "run the entrance kiosk"),
    ("counter", "counter.commands", "run a clerk's counter terminal"),
    ("demo", "nafitha.demo", "run a whole demo center on this machine"),
    ("print", "printers.commands", "preview, test and query printers; run a virtual printer"),
    ("backup", "server.commands.backup", "make a consistent copy of a running center's database"),
    ("audit", "server.commands.audit", "verify the tamper-evident event log"),
    ("restore", "server.commands.restore", "rebuild a center from its off-site replica"),
    ("status", "server.commands.status", "the center's health and its off-site replica"),
    ("install", "server.commands.install", "install a center or a kiosk/counter PC as services"),
    ("tls", "server.commands.tls", "make the center's CA and server certificate (HTTPS)"),
    ("hub", "hub.commands", "run the national hub; its status, verify, resume"),
    ("leaf", "server.commands.leaf", "run the center's leaf nats-server (national layer)"),
    ("relay", "server.commands.relay", "publish the center's events to its leaf again from a seq"),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nafitha", description="Nafitha: queue, kiosk and file tracking for service centers."
    )
    parser.add_argument("--version", action="version", version=f"nafitha {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module_name, summary in SUBCOMMANDS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue  # that part is not built yet
            raise
        sub = commands.add_parser(name, help=summary, description=summary)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except ConfigError as exc:
        print(f"nafitha {args.command}: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
