"""``nafitha install`` into a throwaway root: files systemd accepts, and commands that really run.

The units are checked by ``systemd-analyze verify`` (Debian's systemd), the users and folders are
made by ``systemd-sysusers``/``systemd-tmpfiles`` under the root, and the command lines the units
name are started here with their paths moved under the root: the server answers on a temporary
database, the daily backup writes its dated copy, a demo database is refused.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from nafitha.cli import build_parser
from nafitha.client import ApiError, Client
from nafitha.demo import seed_demo
from nafitha.harness.ports import free_port, wait_for_http
from nafitha.paths import ROOT
from nafitha.settings import load_settings
from server.store.snapshots import snapshots
from tests.support.cli import run_nafitha

SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
needs_systemd = pytest.mark.skipif(
    SYSTEMD_ANALYZE is None, reason="needs Debian's systemd (systemd-analyze)"
)
NATIONAL = """
[national]
center = "c1"
relay_password = "relay-password-1"
hub_url = "nats-leaf://hub.example:7422"
leaf_password = "leaf-password-1"
leaf_store = "/var/lib/nafitha/leaf"

[replica]
url = "file:///mnt/offsite/center"
"""


def install(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run_nafitha("install", "--root", str(root), *args)
    assert result.returncode == 0, result.stderr
    return result


def under(root: Path, path: str) -> Path:
    return root / path.lstrip("/")


def unit_value(root: Path, unit: str, key: str) -> str:
    text = under(root, f"/etc/systemd/system/{unit}").read_text(encoding="utf-8")
    return next(line.split("=", 1)[1] for line in text.splitlines() if line.startswith(key + "="))


def exec_start(root: Path, unit: str) -> list[str]:
    """The unit's command line with the target's /etc paths moved under ``root``."""
    argv = shlex.split(unit_value(root, unit, "ExecStart"))
    return [str(under(root, w)) if w.startswith("/etc/") else w for w in argv]


def verify(*units: Path) -> None:
    result = subprocess.run(
        [SYSTEMD_ANALYZE or "systemd-analyze", "verify", *map(str, units)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    ours = [line for line in result.stderr.splitlines() if "nafitha" in line]
    assert result.returncode == 0 and ours == [], result.stderr


@needs_systemd
def test_a_server_box_gets_units_users_folders_and_limits_systemd_accepts(tmp_path: Path) -> None:
    root = tmp_path / "root"
    out = install(root, "--role", "server", "--workers", "3", "--keep-days", "9").stdout

    units = root / "etc/systemd/system"
    server = (units / "nafitha-server.service").read_text(encoding="utf-8")
    assert f"ExecStart={sys.prefix}/bin/nafitha server --config /etc/nafitha/server.toml" in server
    assert "--workers 3" in server and "Restart=always" in server
    assert "RestartPreventExitStatus=2" in server  # a refusal is not retried in a loop
    assert "--into /var/backups/nafitha --keep-days 9" in unit_value(
        root, "nafitha-backup.service", "ExecStart"
    )
    assert not (units / "nafitha-leaf.service").exists()  # no [national]: no leaf
    verify(
        units / "nafitha-server.service",
        units / "nafitha-backup.service",
        units / "nafitha-backup.timer",
    )
    # enabled as systemctl does it, under the root
    assert (units / "multi-user.target.wants/nafitha-server.service").is_symlink()
    assert (units / "timers.target.wants/nafitha-backup.timer").is_symlink()
    # the service user in the printer and serial groups; its folders made for it
    passwd = under(root, "/etc/passwd").read_text(encoding="utf-8")
    group = under(root, "/etc/group").read_text(encoding="utf-8").splitlines()
    assert passwd.startswith("nafitha:") or "\nnafitha:" in passwd
    for name in ("lp", "dialout"):
        members = next(line for line in group if line.startswith(name + ":")).split(":")[3]
        assert "nafitha" in members.split(","), group
    uid = int(
        next(line for line in passwd.splitlines() if line.startswith("nafitha:")).split(":")[2]
    )
    for folder in ("/var/lib/nafitha", "/var/backups/nafitha"):
        info = under(root, folder).stat()
        assert info.st_uid == uid and info.st_mode & 0o777 == 0o750, folder
    assert under(root, "/etc/nafitha/server.toml").stat().st_mode & 0o777 == 0o640
    journald = under(root, "/etc/systemd/journald.conf.d/50-nafitha.conf").read_text("utf-8")
    assert "SystemMaxUse=500M" in journald and "Storage=persistent" in journald
    rules = under(root, "/etc/udev/rules.d/70-nafitha-devices.rules").read_text("utf-8")
    assert 'ENV{ID_USB_INTERFACES}=="*:07*", GROUP="lp"' in rules
    assert "--set-password admin" in out  # what is left to do is said

    # a second install keeps the edited settings and rewrites the units
    settings = under(root, "/etc/nafitha/server.toml")
    settings.write_text(settings.read_text("utf-8") + NATIONAL, encoding="utf-8")
    out = install(root, "--role", "server", "--usb", "0FE6:811E").stdout
    assert "kept     /etc/nafitha/server.toml" in out
    assert NATIONAL in settings.read_text("utf-8")
    assert "nafitha leaf --config /etc/nafitha/server.toml" in unit_value(
        root, "nafitha-leaf.service", "ExecStart"
    )
    assert "nafitha-leaf.service" in unit_value(root, "nafitha-server.service", "Wants")
    writable = unit_value(root, "nafitha-server.service", "ReadWritePaths").split()
    assert {"/var/lib/nafitha/leaf", "/mnt/offsite/center"} <= set(writable)
    assert unit_value(root, "nafitha-server.service", "EnvironmentFile") == (
        "-/etc/nafitha/server.env"
    )
    # the worker count now comes from the kept file (the first install wrote 3 into it)
    assert "--workers 3" in unit_value(root, "nafitha-server.service", "ExecStart")
    rules = under(root, "/etc/udev/rules.d/70-nafitha-devices.rules").read_text("utf-8")
    assert 'ATTR{idVendor}=="0fe6", ATTR{idProduct}=="811e", GROUP="lp"' in rules
    verify(units / "nafitha-server.service", units / "nafitha-leaf.service")
    # every command line a unit names is one the nafitha command accepts
    for unit in ("nafitha-server.service", "nafitha-leaf.service", "nafitha-backup.service"):
        argv = shlex.split(unit_value(root, unit, "ExecStart"))
        assert Path(argv[0]).name == "nafitha"
        build_parser().parse_args(argv[1:])


@needs_systemd
@pytest.mark.parametrize("role", ["kiosk", "counter"])
def test_a_terminal_pc_gets_its_app_alone_in_x_restarted_when_it_stops(
    tmp_path: Path, role: str
) -> None:
    root = tmp_path / "root"
    install(
        root, "--role", role, "--server-url", "https://10.0.0.2:8000", "--token", "kiosk-token-1"
    )
    unit = root / f"etc/systemd/system/nafitha-{role}.service"
    text = unit.read_text(encoding="utf-8")
    assert "Restart=always" in text and "StartLimitIntervalSec=0" in text
    assert f"User=nafitha-{role}" in text and "TTYPath=/dev/tty7" in text
    # a state folder of its own (a pending silent alarm survives a restart of the app)
    assert unit_value(root, unit.name, "StateDirectory") == f"nafitha-{role}"
    assert f"Environment=XDG_STATE_HOME=/var/lib/nafitha-{role}" in text
    argv = shlex.split(unit_value(root, unit.name, "ExecStart"))
    assert argv[:2] == ["/usr/bin/xinit", f"/usr/local/lib/nafitha/{role}-session"]
    assert argv[2:5] == ["--", ":0", "vt7"] and ("-nocursor" in argv) == (role == "kiosk")
    if Path("/usr/bin/xinit").exists():
        verify(unit)
    session = under(root, f"/usr/local/lib/nafitha/{role}-session")
    assert os.access(session, os.X_OK)
    assert subprocess.run(["sh", "-n", str(session)], check=False).returncode == 0
    last = shlex.split(session.read_text(encoding="utf-8").strip().splitlines()[-1])
    assert last[0] == "exec" and last[2:] == [
        role,
        "--config",
        f"/etc/nafitha/{role}.toml",
        "--fullscreen",
    ]
    # the settings it names load as the app loads them
    if role == "kiosk":
        from kiosk.config import KioskSettings as Model
    else:
        from counter.config import CounterSettings as Model
    settings = load_settings(Model, under(root, f"/etc/nafitha/{role}.toml"))
    assert settings.server == "https://10.0.0.2:8000"
    if role == "kiosk":
        assert settings.token == "kiosk-token-1"
    xorg = under(root, "/etc/X11/xorg.conf.d/10-nafitha-terminal.conf").read_text("utf-8")
    assert '"DontVTSwitch" "true"' in xorg and '"DontZap" "true"' in xorg
    group = under(root, "/etc/group").read_text(encoding="utf-8").splitlines()
    for name in ("lp", "dialout", "video", "input"):
        members = next(line for line in group if line.startswith(name + ":")).split(":")[3]
        assert f"nafitha-{role}" in members.split(","), name


def _server_argv(root: Path, db: Path, port: int) -> list[str]:
    """The server unit's own command line, on a temporary database and a free port."""
    argv = exec_start(root, "nafitha-server.service")
    center = under(root, "/etc/nafitha/center.toml")
    return [*argv, "--db", str(db), "--center", str(center), "--host", "127.0.0.1",
            "--port", str(port)]  # fmt: skip


@needs_systemd
def test_the_commands_the_units_name_run_a_production_center(tmp_path: Path) -> None:
    root = tmp_path / "root"
    install(root, "--role", "server", "--workers", "1")
    db = tmp_path / "data" / "nafitha.db"
    port = free_port()
    argv = _server_argv(root, db, port)

    # the first admin, as the install says
    made = subprocess.run(
        [*argv, "--set-password", "admin"],
        input="a-long-password\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert made.returncode == 0 and "admin: password created" in made.stdout, made.stderr

    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()
    try:
        wait_for_http(f"http://127.0.0.1:{port}/api/v1/health", timeout=40)
        client = Client(f"http://127.0.0.1:{port}")
        assert client.login("admin", "a-long-password")["role"] == "admin"
        with pytest.raises(ApiError) as refused:
            Client(f"http://127.0.0.1:{port}").login("admin", "demo")
        assert refused.value.code == "bad_credentials"
        health = client.health()
        assert set(health["clock"]) == {"synchronised", "warnings"}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        # uvicorn ends by re-raising the SIGTERM it handled: systemd counts that a clean stop
        assert server.wait(timeout=30) in (0, -signal.SIGTERM)

    # the daily backup's command line, into the root's backup folder
    backup = exec_start(root, "nafitha-backup.service")
    backup = [under(root, w) if w.startswith("/var/") else w for w in backup]
    done = subprocess.run(
        [*map(str, backup), "--db", str(db)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    copies = snapshots(under(root, "/var/backups/nafitha"), "nafitha")
    assert len(copies) == 1 and copies[0].path.stat().st_size > 0


def test_a_production_server_refuses_a_database_with_the_demo_accounts(tmp_path: Path) -> None:
    db = tmp_path / "nafitha.db"
    seed_demo(db)
    refused = run_nafitha("server", "--db", str(db), "--port", str(free_port()))
    assert refused.returncode == 2
    assert "Traceback" not in refused.stderr
    assert "demo" in refused.stderr and "admin" in refused.stderr
    assert "device:demo-kiosk-1" in refused.stderr and "الخادم" in refused.stderr  # both languages


def test_the_production_check_knows_the_demo_secrets() -> None:
    from nafitha import demo
    from server.usecases import production

    assert production.DEMO_PASSWORD == demo.DEMO_PASSWORD
    assert production.DEMO_KIOSK_TOKENS == demo.KIOSK_TOKENS


@needs_systemd
def test_the_kiosk_session_script_starts_the_kiosk_with_the_installed_settings(
    tmp_path: Path, display: str, artifacts: Path
) -> None:
    """What ``xinit`` runs on a kiosk PC, run here on Xvfb: the kiosk comes up fullscreen with
    the settings the install wrote, and loads the catalog from the center's server."""
    from nafitha.gui.driver import AppProcess
    from nafitha.harness.kiosk_driver import Kiosk
    from nafitha.harness.server import running_server

    with running_server(tmp_path / "server") as server:
        root = tmp_path / "root"
        install(root, "--role", "kiosk", "--server-url", server.url, "--token",
                server.kiosk_token, "--files-only")  # fmt: skip
        script = under(root, "/usr/local/lib/nafitha/kiosk-session")
        here = tmp_path / "kiosk-session"  # the same script, its /etc paths under the root
        here.write_text(
            script.read_text("utf-8").replace("/etc/nafitha/", f"{root}/etc/nafitha/"), "utf-8"
        )
        env = {**os.environ, "KIVY_HOME": str(tmp_path / "kivy"), "KIVY_NO_FILELOG": "1"}
        app = AppProcess(["sh", str(here)], env=env, log_path=tmp_path / "kiosk.log")
        try:
            kiosk = Kiosk(app, artifacts)
            state = kiosk.wait_state(lambda s: s["catalog_loaded"], "the catalog to load")
            assert state["catalog_loaded"]
        finally:
            app.close()


def test_root_is_refused_on_a_database_folder_the_service_user_owns(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to own the folder by another user")
    folder = tmp_path / "var-lib-nafitha"
    folder.mkdir()
    os.chown(folder, 65534, 65534)  # nobody: the service's user on a real box
    refused = run_nafitha(
        "server", "--db", str(folder / "nafitha.db"), "--set-password", "admin", stdin="pw\n"
    )
    assert refused.returncode == 2
    assert "sudo -u" in refused.stderr and "Traceback" not in refused.stderr
    assert list(folder.iterdir()) == []  # nothing was made as root


@needs_systemd
def test_a_board_pc_gets_chromium_alone_on_the_board_trusting_the_center_ca_key(
    tmp_path: Path,
) -> None:
    from server.tls import spki_pin

    root = tmp_path / "root"
    tls = run_nafitha("tls", "init", "--dir", str(root / "tmp/tls"), "--ip", "192.168.1.10")
    assert tls.returncode == 0, tls.stderr
    ca = under(root, "/etc/nafitha/center-ca.crt")
    ca.parent.mkdir(parents=True)
    shutil.copy(root / "tmp/tls/ca.crt", ca)
    out = install(root, "--role", "board", "--server-url", "https://192.168.1.10:8000",
                  "--ca-file", "/etc/nafitha/center-ca.crt").stdout  # fmt: skip
    assert "chromium" in out  # what to install is said
    unit = root / "etc/systemd/system/nafitha-board.service"
    if Path("/usr/bin/xinit").exists():
        verify(unit)
    assert "-nocursor" in unit_value(root, unit.name, "ExecStart")
    session = under(root, "/usr/local/lib/nafitha/board-session")
    assert os.access(session, os.X_OK)
    last = shlex.split(session.read_text(encoding="utf-8").strip().splitlines()[-1])
    assert last[:3] == ["exec", "/usr/bin/chromium", "--kiosk"]
    assert last[-1] == "https://192.168.1.10:8000/board"
    pin = f"--ignore-certificate-errors-spki-list={spki_pin(ca.read_bytes())}"
    assert pin in last and "--user-data-dir=/var/lib/nafitha-board/chromium" in last
    assert "--autoplay-policy=no-user-gesture-required" in last  # the board speaks
