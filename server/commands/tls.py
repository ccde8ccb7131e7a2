"""``nafitha tls init``: the center's CA and the server's certificate for HTTPS on the LAN.

The CA is made once and kept (``--new-ca`` replaces it, and then every client must trust the new
one); each run issues a new server certificate for the addresses given. What to put in
``server.toml`` and how each kind of client trusts the CA is printed in Arabic and English
(docs/operations.md, "TLS").
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import sys
from pathlib import Path


def _address(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an IP address: {value!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="tls_action", metavar="ACTION", required=True)
    init = actions.add_parser("init", help="make the center's CA (once) and a server certificate")
    init.add_argument(
        "--dir", type=Path, default=Path("/etc/nafitha/tls"), help="folder of the four files"
    )
    init.add_argument(
        "--ip",
        action="append",
        default=[],
        type=_address,
        help="an address clients use to reach the server (repeatable), e.g. 192.168.1.10",
    )
    init.add_argument("--name", action="append", default=[], help="a DNS name too (repeatable)")
    init.add_argument("--center", default="Nafitha center", help="the center's name in the CA")
    init.add_argument(
        "--new-ca", action="store_true", help="replace the CA (every client must trust it again)"
    )


def run(args: argparse.Namespace) -> int:
    from nafitha.text import both
    from server.tls import TlsFiles, fingerprint, issue_server, load_ca, make_ca

    files = TlsFiles(args.dir)
    now = dt.datetime.now(dt.UTC)
    if not args.ip and not args.name:
        print(
            "nafitha tls: give at least one --ip address (or --name) the clients use",
            file=sys.stderr,
        )
        return 2
    try:
        if args.new_ca or not files.ca_key.exists():
            ca = make_ca(files, args.center, now)
        else:
            ca = load_ca(files)[0]
        issue_server(files, args.ip, args.name, now)
    except (OSError, ValueError) as exc:
        print(f"nafitha tls: {exc}", file=sys.stderr)
        return 1
    text = both(
        "server.tls_init_done",
        folder=str(files.folder),
        ca=str(files.ca_cert),
        cert=str(files.cert),
        keyfile=str(files.key),
        fingerprint=fingerprint(ca),
        addresses=", ".join([*args.ip, *args.name]),
        url=f"https://{args.name[0] if args.name else args.ip[0]}:8000",
    )
    print(text["en"])
    print()
    print(text["ar"])
    return 0
