"""``nafitha install``: a center's server box, or a kiosk/counter PC, as systemd services.

Writes the files of :mod:`server.install.plan` under ``--root`` (``/`` by default), then lets
systemd's own tools apply them: ``systemd-sysusers`` (the users and their device groups),
``systemd-tmpfiles`` (the folders), ``systemctl enable`` (the units). On the real root it also
reloads systemd, udev and journald and starts the units (unless ``--no-start``). With
``--root DIR`` nothing outside DIR is touched: the tests install into a throwaway folder.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

USB_ID = re.compile(r"^[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$")


def _usb_id(value: str) -> str:
    if not USB_ID.match(value):
        raise argparse.ArgumentTypeError("must be VID:PID in hex, e.g. 04b8:0e15")
    return value.lower()


def default_command() -> str:
    """The ``nafitha`` command of this installation (its venv's), as units must name it."""
    beside = Path(sys.executable).with_name("nafitha")
    if beside.exists():
        return str(beside)
    found = shutil.which("nafitha")
    return str(Path(found).resolve()) if found else str(beside)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from server.install.plan import ROLES

    parser.add_argument(
        "--role",
        dest="roles",
        action="append",
        choices=ROLES,
        help="what this machine is: server (the center's box), kiosk, counter, board (a TV"
        " showing /board); repeatable"
        " (default: server)",
    )
    parser.add_argument("--root", type=Path, default=Path("/"), help="install under this folder")
    parser.add_argument(
        "--config",
        default="/etc/nafitha/server.toml",
        help="the server's settings on the target (written when missing)",
    )
    parser.add_argument("--workers", type=int, help="server worker processes (default: the file's)")
    parser.add_argument("--keep-days", type=int, default=14, help="days of daily backups to keep")
    parser.add_argument(
        "--backup-dir", default="/var/backups/nafitha", help="where the daily backups go"
    )
    parser.add_argument("--backup-time", default="03:30:00", help="daily backup time (HH:MM:SS)")
    parser.add_argument(
        "--server-url",
        default="http://127.0.0.1:8000",
        help="kiosk/counter/board: the center's server",
    )
    parser.add_argument("--token", help="kiosk: its device token")
    parser.add_argument(
        "--ca-file", help="kiosk/counter/board: the center's CA certificate (nafitha tls init)"
    )
    parser.add_argument(
        "--usb",
        action="append",
        default=[],
        type=_usb_id,
        help="VID:PID of a printer or scanner to open to the nafitha users; repeatable",
    )
    parser.add_argument("--tty", default="tty7", help="kiosk/counter: the console it takes")
    parser.add_argument("--nafitha", default=None, help="the nafitha command the units run")
    parser.add_argument(
        "--no-start", action="store_true", help="write and enable, but start nothing"
    )
    parser.add_argument(
        "--files-only", action="store_true", help="only write the files (no systemd tools)"
    )


def write_plan(plan, root: Path) -> list[str]:  # plan: server.install.plan.Plan
    """Write the planned files under ``root``; the lines saying what was done."""
    done = []
    for item in plan.files:
        target = root / item.path.relative_to("/")
        if item.keep and target.exists():
            done.append(f"kept     {item.path}")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".new")
        partial.write_text(item.text, encoding="utf-8")
        os.chmod(partial, item.mode)
        os.replace(partial, target)
        done.append(f"wrote    {item.path}")
    return done


def system_steps(plan, root: Path, start: bool) -> list[list[str]]:
    """The systemd commands that apply the written files (offline ones under a root)."""
    flag = [] if root == Path("/") else [f"--root={root}"]
    steps = [
        ["systemd-sysusers", *flag, "/etc/sysusers.d/nafitha.conf"],
        ["systemd-tmpfiles", *flag, "--create", "/etc/tmpfiles.d/nafitha.conf"],
    ]
    if root == Path("/"):
        steps += [
            ["systemctl", "daemon-reload"],
            ["udevadm", "control", "--reload"],
            ["udevadm", "trigger", "--subsystem-match=usb", "--subsystem-match=usbmisc",
             "--subsystem-match=tty"],
            ["systemctl", "restart", "systemd-journald"],
        ]  # fmt: skip
    steps.append(["systemctl", *flag, "enable", *plan.units])
    if root == Path("/") and start:
        steps.append(["systemctl", "restart", *plan.units])
    return steps


def _with_root(command: list[str], root: Path) -> list[str]:
    """Config file arguments of the systemd tools are the target's: give them under the root."""
    if root == Path("/"):
        return command
    out = []
    for word in command:
        if word.startswith("/etc/") and command[0] in ("systemd-sysusers", "systemd-tmpfiles"):
            word = str(root / word.lstrip("/"))
        out.append(word)
    return out


def run(args: argparse.Namespace) -> int:
    from server.install.plan import Options, plan_install

    roles = tuple(args.roles or ["server"])
    options = Options(
        roles=roles,
        nafitha=args.nafitha or default_command(),
        config=PurePosixPath(args.config),
        workers=args.workers,
        keep_days=args.keep_days,
        backup_dir=PurePosixPath(args.backup_dir),
        backup_time=args.backup_time,
        server_url=args.server_url,
        token=args.token,
        ca_file=args.ca_file,
        usb=tuple(args.usb),
        tty=args.tty,
    )
    root = args.root.resolve()
    if root == Path("/") and os.geteuid() != 0 and not args.files_only:
        print("nafitha install: run as root (or give --root DIR)", file=sys.stderr)
        return 2
    try:
        plan = plan_install(options, root)
    except ValueError as exc:
        print(f"nafitha install: {exc}", file=sys.stderr)
        return 2
    for line in write_plan(plan, root):
        print(line)
    if not args.files_only:
        for command in system_steps(plan, root, start=not args.no_start):
            command = _with_root(command, root)
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                print(
                    f"nafitha install: {' '.join(command)}: {result.stderr.strip()}",
                    file=sys.stderr,
                )
                return 1
            print(f"ran      {' '.join(command)}")
    from nafitha.text import both

    for key, params in plan.notes:
        if (
            key == "server.install_then_x"
            and Path(root, "usr/bin/Xorg").exists()
            and (params["role"] != "board" or Path(root, "usr/bin/chromium").exists())
        ):
            continue  # X is there already
        text = both(key, **params)
        print(f"then: {text['en']}\n      {text['ar']}")
    return 0
