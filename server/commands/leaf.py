"""``nafitha leaf --config server.toml``: run the center's leaf nats-server in the foreground.

Its config comes from the ``[national]`` table of the server's settings (docs/configuration.md):
JetStream domain ``center-<id>``, clients on 127.0.0.1 only (the relay user), the link to the
hub as user ``<id>``. The process becomes nats-server (exec): a service unit's signals reach it
directly and its log goes to the unit's output. ``--print`` shows the config and exits.
"""

from __future__ import annotations

import argparse
import os
import sys
import urllib.parse
from pathlib import Path

LOOPBACK = ("127.0.0.1", "::1", "localhost")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, required=True, help="server settings TOML with a [national] table"
    )
    parser.add_argument(
        "--print", action="store_true", help="print the leaf's nats-server config and exit"
    )


def leaf_files(settings) -> tuple[Path, str]:  # (ServerSettings) -> (folder, config text)
    """Where the leaf keeps its data and config, and the config text, from the settings."""
    from nafitha.national.nats import leaf_conf

    national = settings.national
    missing = [k for k in ("hub_url", "leaf_password") if getattr(national, k) is None]
    if missing:
        raise ValueError(f"[national] needs {' and '.join(missing)} to run the leaf")
    if national.hub_ca is not None and not national.hub_ca.is_file():
        raise ValueError(f"[national] hub_ca {national.hub_ca}: no such file (the hub's ca.crt)")
    folder = Path(national.leaf_store or settings.db.resolve().parent / "leaf")
    conf = leaf_conf(
        center=national.center,
        store_dir=folder / "js",
        host="127.0.0.1",
        client_port=national.leaf_client_port,
        monitor_port=national.leaf_monitor_port,
        hub_url=national.hub_url,
        leaf_password=national.leaf_password,
        relay_password=national.relay_password,
        hub_ca=national.hub_ca.resolve() if national.hub_ca else None,
    )
    return folder, conf


def run(args: argparse.Namespace) -> int:
    from nafitha.national.nats import nats_server_binary
    from server.config import load_server_settings

    settings = load_server_settings(args.config)
    if settings.national is None:
        print(f"nafitha leaf: {args.config} has no [national] table", file=sys.stderr)
        return 2
    try:
        folder, conf = leaf_files(settings)
        binary = nats_server_binary()
    except (ValueError, FileNotFoundError) as exc:
        print(f"nafitha leaf: {exc}", file=sys.stderr)
        return 2
    if args.print:
        print(conf)
        return 0
    national = settings.national
    hub = urllib.parse.urlsplit(national.hub_url or "")
    if national.hub_ca is None and hub.scheme != "tls" and hub.hostname not in LOOPBACK:
        print(
            f"nafitha leaf: the link to {hub.hostname} has no TLS: this center's events and"
            " its leaf password cross the network in clear; set [national] hub_ca (docs/"
            "national.md, 'TLS on the leaf link')",
            file=sys.stderr,
        )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "leaf.conf"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds passwords
    with os.fdopen(fd, "w") as out:
        out.write(conf)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(binary, [str(binary), "-c", str(path)])
    return 0  # not reached
