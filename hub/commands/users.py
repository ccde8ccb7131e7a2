"""``nafitha hub user add|list|set``: the ministry's people at the hub, from the hub's machine.

    nafitha hub user add NAME --role ministry --config hub.toml   # password asked (or on stdin)
    nafitha hub user list --config hub.toml
    nafitha hub user set NAME [--role R] [--password] [--disable|--enable] --config hub.toml

The password is never an argument (it would sit in the shell's history and in ``ps``): it is
asked twice on a terminal, or read as the first line of standard input otherwise.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time

from hub.config import HubSettings
from hub.domain.roles import ROLES, Refusal


def add_arguments(actions: argparse._SubParsersAction, config: object) -> None:
    """The ``user`` action and its own actions, under ``nafitha hub``."""
    user = actions.add_parser("user", help="the ministry's people at the hub: add, list, set")
    config(user, argparse.SUPPRESS)  # type: ignore[operator]
    verbs = user.add_subparsers(dest="user_action", metavar="VERB", required=True)
    add = verbs.add_parser("add", help="a new person (password asked, or on stdin)")
    config(add, argparse.SUPPRESS)  # type: ignore[operator]
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=sorted(ROLES))
    listing = verbs.add_parser("list", help="every person, role, active")
    config(listing, argparse.SUPPRESS)  # type: ignore[operator]
    change = verbs.add_parser("set", help="change a role, the password, or disable/enable")
    config(change, argparse.SUPPRESS)  # type: ignore[operator]
    change.add_argument("name")
    change.add_argument("--role", choices=sorted(ROLES))
    change.add_argument("--password", action="store_true", help="set a new password (asked)")
    state = change.add_mutually_exclusive_group()
    state.add_argument("--disable", action="store_true")
    state.add_argument("--enable", action="store_true")


def _password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise Refusal("invalid_input", {"field": "password"})
        return first
    return sys.stdin.readline().rstrip("\r\n")


def run(settings: HubSettings, args: argparse.Namespace) -> int:
    from hub.store.database import connect, prepare
    from hub.store.people import listing
    from hub.usecases.auth import add_person, change_person
    from nafitha.text import t

    prepare(settings.postgres.dsn)
    try:
        with connect(settings.postgres.dsn) as conn:
            if args.user_action == "list":
                for row in listing(conn):
                    state = "active" if row["active"] else "disabled"
                    print(f"{row['username']}\t{row['role']}\t{state}")
                return 0
            now = time.time()
            if args.user_action == "add":
                add_person(conn, args.name, args.role, _password(), now)
            else:
                active = True if args.enable else False if args.disable else None
                password = _password() if args.password else None
                change_person(
                    conn, args.name, now, role=args.role, password=password, active=active
                )
    except Refusal as refusal:
        for lang in ("ar", "en"):
            print(t(f"ministry.error_{refusal.code}", lang, **refusal.params), file=sys.stderr)
        return 1
    print(f"{args.name}: ok")
    return 0
