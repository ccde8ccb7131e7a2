"""``nafitha hub``: run the hub, show its state, verify the chains, resume a stopped center.

    nafitha hub --config hub.toml                # run: nats-server child, writer, HTTP API
    nafitha hub status --config hub.toml [--json]
    nafitha hub verify --config hub.toml
    nafitha hub resume CENTER --config hub.toml [--by NAME]
    nafitha hub user add NAME --role ministry --config hub.toml   (hub/commands/users.py)

Heavy imports (psycopg, nats, uvicorn) stay inside the actions, so ``nafitha --help`` is fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _config(parser: argparse.ArgumentParser, default: object = None) -> None:
    parser.add_argument(
        "--config", type=Path, default=default, help="the hub's settings (hub.toml, docs/hub.md)"
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _config(parser)
    actions = parser.add_subparsers(dest="hub_action", metavar="ACTION")
    _config(actions.add_parser("run", help="run the hub (the default)"), argparse.SUPPRESS)
    status = actions.add_parser("status", help="per center: head, lag, last contact, alarms")
    _config(status, argparse.SUPPRESS)
    status.add_argument("--json", action="store_true", help="print JSON instead of a table")
    status.add_argument("--alarms", action="store_true", help="also list the open alarms")
    verify = actions.add_parser(
        "verify", help="recompute every center's chain; compare with the reachable centers"
    )
    _config(verify, argparse.SUPPRESS)
    resume = actions.add_parser(
        "resume", help="let a stopped center's intake run again (after an admin looked)"
    )
    _config(resume, argparse.SUPPRESS)
    resume.add_argument("center", help="the center's id")
    resume.add_argument("--by", default="admin", help="who looked (kept with the alarms)")
    from hub.commands import users

    users.add_arguments(actions, _config)


def run(args: argparse.Namespace) -> int:
    from hub.config import load_hub_settings

    if args.config is None:
        print("nafitha hub: --config hub.toml is required (docs/hub.md)")
        return 2
    settings = load_hub_settings(args.config)
    action = args.hub_action or "run"
    if action == "run":
        from hub.commands.serve import serve

        return serve(settings)
    import psycopg

    try:
        if action == "user":
            from hub.commands import users

            return users.run(settings, args)
        from hub.commands import admin

        return {"status": admin.status, "verify": admin.verify, "resume": admin.resume}[action](
            settings, args
        )
    except psycopg.OperationalError as exc:  # one line for a person, not a traceback
        reason = " ".join(str(exc).split())
        print(f"nafitha hub {action}: PostgreSQL cannot be reached ({reason})", file=sys.stderr)
        return 1
