"""An SSH server with SFTP on 127.0.0.1 for the replica's tests (Debian's openssh-server), on a
free port, with its own host key and one authorised client key; it stops with the test."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from nafitha.harness.ports import free_port, wait_for_port

SSHD = Path("/usr/sbin/sshd")


@dataclass(frozen=True)
class Sftp:
    port: int
    user: str
    key: Path
    host_key: str  # the server's public key line, as sftp_host_key wants it

    def url(self, path: Path) -> str:
        return f"sftp://{self.user}@127.0.0.1:{self.port}{path}"


@pytest.fixture
def sftp_server(tmp_path: Path) -> Iterator[Sftp]:
    if not SSHD.exists() or shutil.which("ssh-keygen") is None:
        pytest.skip("openssh-server is not installed (bash scripts/bootstrap test)")
    if os.geteuid() != 0:
        pytest.skip("sshd logs in the test's own user only when it runs as root")
    folder = tmp_path / "sshd"
    folder.mkdir()
    for name in ("host", "client"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True
        )
    authorized = folder / "authorized_keys"
    shutil.copy(folder / "client.pub", authorized)
    authorized.chmod(0o600)
    Path("/run/sshd").mkdir(exist_ok=True)  # its privilege separation folder
    port = free_port()
    config = folder / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {folder / 'host'}\n"
        f"AuthorizedKeysFile {authorized}\nPasswordAuthentication no\n"
        "KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nStrictModes no\n"
        f"UsePAM no\nPidFile {folder / 'sshd.pid'}\nSubsystem sftp internal-sftp\n"
    )
    process = subprocess.Popen(
        [str(SSHD), "-D", "-e", "-f", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for_port(port, timeout=10)
        host_key = " ".join((folder / "host.pub").read_text().split()[:2])
        yield Sftp(port, "root", folder / "client", host_key)
    finally:
        process.terminate()
        process.wait(timeout=10)
