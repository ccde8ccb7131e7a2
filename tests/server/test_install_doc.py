"""Every command in docs/operations.md's ``sh`` blocks is tested: each ``nafitha`` command line is
parsed by the real parser, and the install, TLS, password and backup ones run in a throwaway root;
the other programs must exist on this Debian and the units they name must be ones we install."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nafitha.cli import build_parser
from nafitha.paths import ROOT

DOC = ROOT / "docs" / "operations.md"
# Programs the doc may call besides nafitha: Debian's, or installed by the doc's own steps.
DEBIAN = {
    "apt-get", "git", "cd", "bash", "install", "systemctl", "journalctl", "curl", "chgrp",
    "timedatectl", "udevadm", "lsusb", "lpadmin", "certutil",
}  # fmt: skip
INSTALLED_BY_THE_DOC = {"lpadmin": "cups", "certutil": "libnss3-tools", "lsusb": "usbutils"}
INSTALLED_UNITS = {
    "nafitha-server.service", "nafitha-backup.service", "nafitha-backup.timer",
    "nafitha-leaf.service", "nafitha-kiosk.service", "nafitha-counter.service",
    "nafitha-board.service",
}  # fmt: skip
UNIT = re.compile(r"\bnafitha-[a-z]+(?:\.service|\.timer)?\b")


def doc_commands() -> list[list[str]]:
    """Each command of the doc's ``sh`` blocks (``a && b`` is two), as argv lists."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S):
        for line in block.splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                for part in line.split("&&"):
                    commands.append(shlex.split(part))
    return commands


def nafitha_argv(argv: list[str]) -> list[str] | None:
    """The arguments after ``nafitha`` (also under ``sudo -u USER``), or None for other programs."""
    if argv[:2] == ["sudo", "-u"]:
        argv = argv[3:]
    return argv[1:] if Path(argv[0]).name == "nafitha" else None


def test_the_doc_has_commands_for_each_part() -> None:
    subcommands = {a[0] for c in doc_commands() if (a := nafitha_argv(c))}
    assert {"install", "server", "backup", "tls"} <= subcommands


@pytest.mark.parametrize("argv", doc_commands(), ids=lambda argv: " ".join(argv)[:60])
def test_each_command_is_known(argv: list[str]) -> None:
    args = nafitha_argv(argv)
    if args is not None:
        try:
            build_parser().parse_args(args)
        except SystemExit as exc:
            pytest.fail(f"nafitha {' '.join(args)}: refused by the parser ({exc.code})")
        return
    program = argv[0]
    assert program in DEBIAN, f"{program}: not a program the doc may use"
    if program not in ("cd",) and program not in INSTALLED_BY_THE_DOC:
        assert shutil.which(program), f"{program} is not installed here"
    if program == "bash":
        assert subprocess.run(["bash", "-n", str(ROOT / argv[1])], check=False).returncode == 0
    for word in argv[1:]:
        for unit in UNIT.findall(word):
            name = unit if "." in unit else unit + ".service"
            assert name in INSTALLED_UNITS, f"{unit}: no such unit is installed"


def _run(args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "nafitha.cli", *args],
        input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, (args, done.stderr)
    return done


def _rebased(args: list[str], root: Path) -> list[str]:
    return [str(root / a.lstrip("/")) if a.startswith(("/etc/", "/var/")) else a for a in args]


def test_the_install_tls_password_and_backup_commands_run_in_a_throwaway_root(
    tmp_path: Path,
) -> None:
    root = tmp_path / "root"
    db = tmp_path / "data" / "nafitha.db"
    ran = set()
    for argv in doc_commands():
        args = nafitha_argv(argv)
        if args is None:
            if argv[0] == "install" and argv[-1].startswith("/etc/"):
                target = root / argv[-1].lstrip("/")
                target.parent.mkdir(parents=True, exist_ok=True)
                subprocess.run([*argv[:-1], str(target)], check=True)
                assert target.stat().st_mode & 0o777 == 0o600
                ran.add("install -m")
            continue
        if args[0] == "install":
            _run([*args, "--root", str(root), "--no-start"])
        elif args[:2] == ["tls", "init"]:
            index = args.index("--dir")
            _run([*args[: index + 1], str(root / "etc/nafitha/tls"), *args[index + 2 :]])
            assert (root / "etc/nafitha/tls/server.crt").exists()
        elif args[0] == "server" and "--set-password" in args:
            center = str(root / "etc/nafitha/center.toml")
            done = _run(
                [*_rebased(args, root), "--db", str(db), "--center", center], "a-long-password\n"
            )
            assert "password created" in done.stdout
        elif args[0] == "backup":
            _run([*_rebased(args, root), "--db", str(db)])
            assert list((root / "var/backups/nafitha").glob("nafitha-*.db"))
        else:
            continue
        ran.add(args[0])
    assert ran == {"install", "tls", "server", "backup", "install -m"}
    assert (root / "etc/systemd/system/nafitha-kiosk.service").exists()
    assert (root / "etc/systemd/system/nafitha-counter.service").exists()
    assert (root / "etc/systemd/system/nafitha-board.service").exists()
