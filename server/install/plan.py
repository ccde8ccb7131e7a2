"""What ``nafitha install`` writes: every file, its text and mode, for the chosen roles (pure).

A **server** box gets the server's unit (with its worker count), the leaf's unit when
``server.toml`` has ``[national]``, the daily backup (a oneshot service and its timer), its system
user, its folders, journald's limits and the devices' udev rule; a **kiosk** or **counter** PC gets
the terminal's unit (the app alone in X, restarted whenever it stops), its session script, a
locked-down X, its own user in the device groups, the udev rule and journald's limits.

Paths are the target system's (``/etc/...``); :mod:`server.commands.install` writes them under a
root. Settings the administrator edits (``server.toml``, ``center.toml``, ``kiosk.toml``...) are
written only when missing (``keep``); the generated files are rewritten on every install.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from string import Template

from nafitha.paths import DEMO

TEMPLATES = Path(__file__).resolve().parent / "templates"
ROLES = ("server", "kiosk", "counter", "board")
UNIT_DIR = PurePosixPath("/etc/systemd/system")
CONFIG_DIR = PurePosixPath("/etc/nafitha")
DATA_DIR = PurePosixPath("/var/lib/nafitha")
BACKUP_DIR = PurePosixPath("/var/backups/nafitha")
SESSION_DIR = PurePosixPath("/usr/local/lib/nafitha")


@dataclass(frozen=True)
class Options:
    """What the administrator chose (``nafitha install --help``)."""

    roles: tuple[str, ...]
    nafitha: str  # the command, as the units run it
    config: PurePosixPath = CONFIG_DIR / "server.toml"
    workers: int | None = None  # None: server.toml's, else 2
    keep_days: int = 14
    backup_dir: PurePosixPath = BACKUP_DIR
    backup_time: str = "03:30:00"
    server_url: str = "http://127.0.0.1:8000"  # kiosk and counter: the center's server
    token: str | None = None  # kiosk: its device token
    ca_file: str | None = None  # kiosk and counter: the center's CA (from `nafitha tls init`)
    usb: tuple[str, ...] = ()  # VID:PID of printers and scanners that report a vendor class
    tty: str = "tty7"
    xinit: str = "/usr/bin/xinit"
    chromium: str = "/usr/bin/chromium"
    journal_max: str = "500M"
    journal_days: int = 90


@dataclass(frozen=True)
class Planned:
    path: PurePosixPath
    text: str
    mode: int = 0o644
    keep: bool = False  # an existing file is left as it is


@dataclass
class Plan:
    files: list[Planned] = field(default_factory=list)
    units: list[str] = field(default_factory=list)  # to enable, in order
    # What the administrator still has to do: (catalog key, its placeholders), printed in both
    # languages by the command.
    notes: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def add(self, path: PurePosixPath, text: str, mode: int = 0o644, keep: bool = False) -> None:
        self.files.append(Planned(path, text, mode, keep))


def render(name: str, **values: object) -> str:
    """Template ``name`` with ``${key}`` filled (a missing key raises: never a half unit)."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    return Template(text).substitute({k: str(v) for k, v in values.items()})


def server_toml(workers: int) -> str:
    """A production server.toml: listen on the LAN, data under /var/lib/nafitha, no demo."""
    return (
        "# Written by `nafitha install` (every key: docs/configuration.md). Edit, then\n"
        "# `systemctl restart nafitha-server`. The first admin's password:\n"
        "#   sudo -u nafitha nafitha server --config /etc/nafitha/server.toml \\\n"
        "#     --set-password admin\n"
        'host = "0.0.0.0"\n'
        "port = 8000\n"
        f'db = "{DATA_DIR / "nafitha.db"}"\n'
        f'center_config = "{CONFIG_DIR / "center.toml"}"\n'
        f"workers = {workers}\n"
        '# public_url = "http://192.168.1.10:8000"   # the address phones reach (QR codes)\n'
    )


def _settings_in_root(root: Path, config: PurePosixPath) -> dict:
    """The target's server.toml as it stands (raw TOML: its paths are the target's), or {}."""
    path = root / config.relative_to("/")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def _data_dirs(settings: dict) -> list[PurePosixPath]:
    """The folders the server writes: its database's, and any key, heads or leaf folder."""
    db = PurePosixPath(settings.get("db", str(DATA_DIR / "nafitha.db")))
    folders = [db.parent]
    for key in ("audit_keys",):
        if key in settings:
            folders.append(PurePosixPath(settings[key]))
    if "audit_heads" in settings:
        folders.append(PurePosixPath(settings["audit_heads"]).parent)
    national = settings.get("national") or {}
    if national.get("leaf_store"):
        folders.append(PurePosixPath(national["leaf_store"]))
    replica = str((settings.get("replica") or {}).get("url", ""))
    if replica.startswith(
        "file://"
    ):  # a mounted off-site path Litestream writes (docs/operations.md)
        folders.append(PurePosixPath(replica.removeprefix("file://").split("?")[0]))
    unique: list[PurePosixPath] = []
    for folder in folders:
        if not folder.is_absolute():  # relative to the service's working folder (/): refuse
            raise ValueError(f"{folder}: the server's paths must be absolute in a service")
        if folder not in unique:
            unique.append(folder)
    return unique


def _usb_rules(ids: tuple[str, ...]) -> str:
    lines = []
    for pair in ids:
        vendor, product = pair.lower().split(":")
        lines.append(
            f'SUBSYSTEM=="usb", ATTR{{idVendor}}=="{vendor}", ATTR{{idProduct}}=="{product}",'
            ' GROUP="lp", MODE="0660"'
        )
    if lines:
        lines.insert(0, "# Devices named at install (--usb VID:PID):")
    return "\n".join(lines)


def plan_install(options: Options, root: Path) -> Plan:
    """Every file for ``options.roles``, reading the target's server.toml under ``root``."""
    plan = Plan()
    sysusers: list[str] = []
    tmpfiles = [f"d {CONFIG_DIR} 0755 root root -"]
    if "server" in options.roles:
        _plan_server(plan, options, root, sysusers, tmpfiles)
    for role in ("kiosk", "counter", "board"):
        if role in options.roles:
            _plan_terminal(plan, options, role, sysusers, tmpfiles, root)
    plan.add(
        PurePosixPath("/etc/udev/rules.d/70-nafitha-devices.rules"),
        render("70-nafitha-devices.rules", usb_rules=_usb_rules(options.usb)),
    )
    plan.add(
        PurePosixPath("/etc/systemd/journald.conf.d/50-nafitha.conf"),
        render(
            "50-nafitha-journald.conf",
            journal_max=options.journal_max,
            journal_days=options.journal_days,
        ),
    )
    header = "# Written by `nafitha install` (docs/operations.md).\n"
    plan.add(PurePosixPath("/etc/sysusers.d/nafitha.conf"), header + "\n".join(sysusers) + "\n")
    plan.add(PurePosixPath("/etc/tmpfiles.d/nafitha.conf"), header + "\n".join(tmpfiles) + "\n")
    return plan


def _plan_server(
    plan: Plan, options: Options, root: Path, sysusers: list[str], tmpfiles: list[str]
) -> None:
    existing = _settings_in_root(root, options.config)
    workers = options.workers or int(existing.get("workers", 2))
    settings = existing or {"db": str(DATA_DIR / "nafitha.db")}
    plan.add(options.config, server_toml(workers), 0o640, keep=True)
    plan.add(
        CONFIG_DIR / "center.toml",
        "# Written by `nafitha install` from the demo catalog: make it your center's\n"
        "# (name, services, counters, hours; docs/configuration.md).\n"
        + (DEMO / "center.toml").read_text(encoding="utf-8"),
        0o644,
        keep=True,
    )
    data_dirs = _data_dirs(settings)
    national = bool(existing.get("national"))
    common = {"nafitha": options.nafitha, "config": options.config}
    dirs = " ".join(str(d) for d in data_dirs)
    plan.add(
        UNIT_DIR / "nafitha-server.service",
        render(
            "nafitha-server.service",
            **common,
            workers=workers,
            data_dirs=dirs,
            config_dir=CONFIG_DIR,
            leaf_after=" nafitha-leaf.service" if national else "",
            leaf_wants=" nafitha-leaf.service" if national else "",
        ),
    )
    plan.units.append("nafitha-server.service")
    if national:
        plan.add(
            UNIT_DIR / "nafitha-leaf.service",
            render("nafitha-leaf.service", **common, data_dirs=dirs),
        )
        plan.units.append("nafitha-leaf.service")
    plan.add(
        UNIT_DIR / "nafitha-backup.service",
        render(
            "nafitha-backup.service",
            **common,
            data_dirs=dirs,
            backup_dir=options.backup_dir,
            keep_days=options.keep_days,
        ),
    )
    plan.add(
        UNIT_DIR / "nafitha-backup.timer",
        render("nafitha-backup.timer", backup_time=options.backup_time),
    )
    plan.units.append("nafitha-backup.timer")
    sysusers += [
        f'u nafitha - "Nafitha center server" {DATA_DIR}',
        "m nafitha lp",
        "m nafitha dialout",
    ]
    for folder in [*data_dirs, options.backup_dir]:
        tmpfiles.append(f"d {folder} 0750 nafitha nafitha -")
    tmpfiles.append(f"z {options.config} 0640 root nafitha -")
    command = f"{options.nafitha} server --config {options.config} --set-password admin"
    plan.notes.append(("server.install_then_password", {"command": command}))


def _board_session(plan: Plan, options: Options, home: PurePosixPath, root: Path) -> str:
    """The board's session script: Chromium in kiosk mode on the server's /board.

    With ``ca_file``, Chromium trusts that CA's key (and only for this profile) through
    ``--ignore-certificate-errors-spki-list``, so the board needs no change to the system's
    trust store; the CA file must be on this PC when installing (its key's hash is written).
    """
    pin = trust = ""
    if options.ca_file:
        from server.tls import spki_pin

        here = root / options.ca_file.lstrip("/")
        try:
            pin = f" --ignore-certificate-errors-spki-list={spki_pin(here.read_bytes())}"
            trust = f"It trusts the center's CA {options.ca_file} by its key."
        except (OSError, ValueError):
            plan.notes.append(("server.install_then_ca", {"ca": options.ca_file}))
    return render(
        "board-session.sh",
        chromium=options.chromium,
        profile=home / "chromium",
        pin=pin,
        trust=trust,
        url=options.server_url.rstrip("/") + "/board",
    )


def _plan_terminal(
    plan: Plan,
    options: Options,
    role: str,
    sysusers: list[str],
    tmpfiles: list[str],
    root: Path,
) -> None:
    user = f"nafitha-{role}"
    home = PurePosixPath(f"/var/lib/{user}")
    config = CONFIG_DIR / f"{role}.toml"
    session = SESSION_DIR / f"{role}-session"
    if role == "board":
        plan.add(session, _board_session(plan, options, home, root), 0o755)
    else:
        _terminal_settings(plan, options, role, config, session)
    vt = "vt" + options.tty.removeprefix("tty")
    plan.add(
        UNIT_DIR / f"nafitha-{role}.service",
        render(
            "nafitha-terminal.service",
            role=role,
            tty=options.tty,
            vt=vt,
            xinit=options.xinit,
            session=session,
            nocursor="" if role == "counter" else " -nocursor",
        ),
    )
    plan.add(
        PurePosixPath("/etc/X11/xorg.conf.d/10-nafitha-terminal.conf"),
        render("10-nafitha-terminal.conf"),
    )
    plan.units.append(f"nafitha-{role}.service")
    packages = "xserver-xorg-core xserver-xorg-input-libinput xinit x11-xserver-utils"
    if role == "board":
        packages += " chromium"
    plan.notes.append(("server.install_then_x", {"role": role, "packages": packages}))
    sysusers.append(f'u {user} - "Nafitha {role} session" {home}')
    sysusers += [f"m {user} {group}" for group in ("lp", "dialout", "video", "input", "render")]
    sysusers.append(f"m {user} audio")
    tmpfiles.append(f"d {home} 0750 {user} {user} -")
    if role != "board":
        tmpfiles.append(f"z {config} 0640 root {user} -")
    if role == "kiosk" and not options.token:
        plan.notes.append(("server.install_then_token", {"config": str(config)}))


def _terminal_settings(
    plan: Plan, options: Options, role: str, config: PurePosixPath, session: PurePosixPath
) -> None:
    """The kiosk's or counter's settings file (kept once written) and its session script."""
    lines = [
        f"# Written by `nafitha install` (every key: docs/{role}.md).",
        f'server = "{options.server_url}"',
    ]
    if options.ca_file:
        lines.append(f'ca_file = "{options.ca_file}"')
    if role == "kiosk":
        lines.append(
            f'token = "{options.token}"'
            if options.token
            else '# token = "..."   # this kiosk\'s device token (admin page, Devices)'
        )
    plan.add(config, "\n".join(lines) + "\n", 0o640, keep=True)
    plan.add(
        session,
        render("terminal-session.sh", role=role, nafitha=options.nafitha, terminal_config=config),
        0o755,
    )
