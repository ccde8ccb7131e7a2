"""``nafitha server``: run the center's server (one or several worker processes on one database)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import resource
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from server.config import ServerSettings

# How long a stopping server lets requests in flight finish. Live streams end at once on the stop
# signal (server/app.py); this bounds anything else, so a stop never hangs.
GRACEFUL_STOP_S = 5


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, help="server settings TOML (see docs/configuration.md)"
    )
    parser.add_argument(
        "--center", type=Path, help="center catalog TOML (default: the demo center)"
    )
    parser.add_argument("--db", type=Path, help="SQLite database file")
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port to listen on (default 8000)")
    parser.add_argument("--workers", type=int, help="worker processes sharing the database")
    parser.add_argument("--public-url", help="base of the URLs printed in QR codes")
    parser.add_argument(
        "--ignore-hours",
        action="store_true",
        default=None,
        help="treat every service as open (demos, drills)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        default=None,
        help="a demo or test server: may run with the demo's accounts (a production one refuses)",
    )
    parser.add_argument(
        "--replica",
        metavar="URL",
        help="replicate the database off-site to URL (file:///..., s3://..., sftp://...)",
    )
    parser.add_argument(
        "--set-password",
        metavar="USER",
        help="set USER's password (read from the terminal, or stdin) and exit; creates USER",
    )
    parser.add_argument(
        "--role",
        default="admin",
        choices=("clerk", "manager", "admin"),
        help="role of a person created by --set-password",
    )


def settings_from_args(args: argparse.Namespace):  # -> ServerSettings
    from server.config import load_server_settings

    return load_server_settings(
        args.config,
        {
            "center_config": args.center,
            "db": args.db,
            "host": args.host,
            "port": args.port,
            "workers": args.workers,
            "public_url": args.public_url,
            "ignore_hours": args.ignore_hours,
            "replica": {"url": args.replica} if args.replica else None,
            "demo": args.demo,
        },
    )


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("new password: ")
        if first != getpass.getpass("again: "):
            raise SystemExit("nafitha server: the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


def set_password(settings, username: str, role: str, password: str) -> str:
    """Create ``username`` (with ``role``) or change their password; returns what was done."""
    from server.app import open_context
    from server.domain.errors import Refusal
    from server.usecases import people
    from server.usecases.context import SYSTEM

    ctx = open_context(settings)
    try:
        try:
            people.update_person(ctx, SYSTEM, username, password=password)
            return "changed"
        except Refusal:
            people.create_person(ctx, SYSTEM, username, role, password)
            return "created"
    finally:
        ctx.db.close()


def _proxy_settings(settings: ServerSettings) -> dict[str, Any]:
    """uvicorn's proxy options from ours: no proxy is trusted unless the settings name it."""
    trusted = settings.forwarded_allow_ips.strip()
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or ""}


def uvicorn_tls(settings: ServerSettings) -> dict[str, Any]:
    """uvicorn's HTTPS options from ``[tls]`` (docs/operations.md, "TLS"); none without it."""
    tls = settings.tls
    if tls is None or tls.certificate is None or tls.key is None:
        return {}
    return {"ssl_certfile": str(tls.certificate), "ssl_keyfile": str(tls.key)}


def _root_in_a_service_folder(db: Path) -> str | None:
    """The folder's owner when root would open a database folder another user owns.

    Run as root there (``nafitha server --set-password`` without ``sudo -u nafitha``), SQLite
    would leave root-owned ``-wal``/``-shm`` files and keys that the service's own user then
    cannot write: the center stops at its next start. Refuse, naming the user to run as.
    """
    import pwd

    if os.geteuid() != 0:
        return None
    try:
        uid = db.resolve().parent.stat().st_uid
    except OSError:
        return None
    if uid == 0:
        return None
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def preflight(settings: ServerSettings, ctx: Any) -> int:
    """Before listening: refuse the demo's accounts in production, warn about the clock.

    Returns the exit status to stop with (2), or 0 to go on. The clock's warnings are printed in
    both languages; a production server also shows them as alerts on the manager's dashboard
    (a demo or test server does not, so its alert list stays the devices' alone).
    """
    from nafitha.text import both
    from server.clock import clock_warnings, read_clock_state, system_zone_name
    from server.usecases.catalog import load_catalog
    from server.usecases.clock_alerts import raise_clock_alerts
    from server.usecases.production import demo_accounts

    if not settings.demo and (found := demo_accounts(ctx)):
        message = both("server.demo_accounts_refused", accounts=", ".join(found))
        print(f"nafitha server: {message['en']}\n{message['ar']}", file=sys.stderr)
        return 2
    zone = load_catalog(ctx).center.timezone
    warnings = clock_warnings(read_clock_state(), system_zone_name(), zone, ctx.now())
    for warning in warnings:
        message = both(f"server.{warning.code}", **warning.params)
        print(f"nafitha server: {message['en']}\n{message['ar']}", file=sys.stderr, flush=True)
    if warnings and not settings.demo:
        raise_clock_alerts(ctx, warnings)
    from server.usecases.visit_steps import catalog_step_warnings

    for code, service in catalog_step_warnings(load_catalog(ctx)):  # docs/server.md "Visits"
        message = both(f"server.{code}", service=service)
        print(f"nafitha server: {message['en']}\n{message['ar']}", file=sys.stderr, flush=True)
    return 0


def uvicorn_limits(settings: ServerSettings) -> dict[str, Any]:
    """What bounds one worker's memory and sockets: head size, connections, listen backlog."""
    from server.http_limits import BoundedHttpTools

    return {
        "http": BoundedHttpTools,
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "limit_concurrency": settings.max_connections,
        "backlog": settings.backlog,
    }


def raise_open_files_limit(wanted: int) -> None:
    """Let this process hold ``wanted`` sockets and files if the system allows (soft → hard).

    Each live stream is a socket: a hall of a thousand phones needs more than the 1024 files a
    service gets by default on many systems.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from server.config import load_center_config
    from server.store.faults import check_storage

    settings = settings_from_args(args)
    load_center_config(settings.center_config)  # a bad catalog stops here, naming file and key
    if owner := _root_in_a_service_folder(settings.db):
        from nafitha.text import both

        message = both("server.run_as_owner", folder=str(settings.db.parent), owner=owner)
        print(f"nafitha server: {message['en']}\n{message['ar']}", file=sys.stderr)
        return 2
    problem = check_storage(settings.db)
    if problem is not None:  # one line, before anything opens it: no traceback, no 500s later
        print(f"nafitha server: database {settings.db.resolve()}: {problem}", file=sys.stderr)
        return 2
    from server.store.migrate import DatabaseTooNewError, refuse_newer

    try:
        refuse_newer(settings.db)  # before anything migrates it: never half-upgraded
    except DatabaseTooNewError as exc:
        print(f"nafitha server: {exc}", file=sys.stderr)
        return 2
    raise_open_files_limit(settings.max_connections + 256)
    if args.set_password:
        from server.usecases.passwords import MIN_PASSWORD_LENGTH

        password = _read_password()
        if len(password) < MIN_PASSWORD_LENGTH:
            print(
                f"nafitha server: a password needs at least {MIN_PASSWORD_LENGTH} characters",
                file=sys.stderr,
            )
            return 2
        done = set_password(settings, args.set_password, args.role, password)
        print(f"{args.set_password}: password {done}")
        return 0
    if settings.replica is not None:  # Litestream beside the server (docs/operations.md)
        from server.replica.run import start_replica

        if status := start_replica(settings):
            return status
    if settings.workers > 1:
        from server.app import open_context

        ctx = open_context(settings)  # migrate and import once, before the workers start
        try:
            if status := preflight(settings, ctx):
                return status
        finally:
            ctx.db.close()
        os.environ["NAFITHA_SERVER_SETTINGS"] = json.dumps(settings.model_dump(mode="json"))
        uvicorn.run(
            "server.asgi:app_from_env",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            log_level=settings.log_level,
            access_log=False,
            timeout_graceful_shutdown=GRACEFUL_STOP_S,
            **_proxy_settings(settings),
            **uvicorn_limits(settings),
            **uvicorn_tls(settings),
        )
        return 0
    from server.app import create_app

    app = create_app(settings)
    if status := preflight(settings, app.state.ctx):
        app.state.ctx.db.close()
        return status
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        access_log=False,
        timeout_graceful_shutdown=GRACEFUL_STOP_S,
        **_proxy_settings(settings),
        **uvicorn_limits(settings),
        **uvicorn_tls(settings),
    )
    return 0
