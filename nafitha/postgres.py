"""A throwaway PostgreSQL 15 cluster in a folder, for tests, the national demo and benchmarks.

The national hub keeps every center's events in PostgreSQL (docs/national.md). Tests and
``nafitha demo --national`` need a real one that comes up on a fresh machine without systemd and
without touching Debian's ``15/main`` cluster, so this module runs Debian's own ``initdb`` and
``pg_ctl`` on a folder of its own, listening on 127.0.0.1 and a port the caller chose.

``initdb`` refuses to run as root, so when this process is root every PostgreSQL program runs as
an unprivileged user (``postgres``, which the Debian package creates, else ``nobody``) through
``setpriv``, and the folder is handed to that user. Every parent folder must let that user pass
(``/tmp`` does; ``/root`` and pytest's ``/tmp/pytest-of-root`` do not): :meth:`init` says so.

Authentication is ``trust`` for connections from 127.0.0.1 only (and the Unix socket is off):
good for a test or a demo on one machine, never for a real hub, which uses scram passwords.
The cluster's superuser is ``nafitha``.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import time
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")
SUPERUSER = "nafitha"
HOST = "127.0.0.1"


class PostgresError(RuntimeError):
    """A cluster that could not be created, started or stopped: the message says why."""


def _bin(name: str) -> str:
    found = PG_BIN / name
    if found.exists():
        return str(found)
    on_path = shutil.which(name)
    if on_path is None:
        raise PostgresError(f"{name} not found (install Debian's postgresql package)")
    return on_path


def run_as_user() -> str | None:
    """The unprivileged user PostgreSQL runs as when we are root; None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise PostgresError("running as root, and neither user 'postgres' nor 'nobody' exists")


def _children(pid: int) -> list[int]:
    """The pids whose parent is ``pid`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces, so split after its closing paren.
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and fields[1] == str(pid):
            found.append(int(entry.name))
    return found


class PostgresCluster:
    """One cluster in ``folder`` (data in ``folder/data``, log in ``folder/postgres.log``)."""

    def __init__(self, folder: Path | str, port: int) -> None:
        self.folder = Path(folder).resolve()
        self.port = port
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self.user = run_as_user()

    def dsn(self, dbname: str = "postgres", user: str = SUPERUSER) -> str:
        """A libpq connection string for ``dbname`` on this cluster."""
        return f"host={HOST} port={self.port} user={user} dbname={dbname}"

    def _run(self, argv: list[str], timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
        program = Path(argv[0]).name
        if self.user is not None:
            argv = [
                "setpriv",
                f"--reuid={self.user}",
                f"--regid={self.user}",
                "--init-groups",
                *argv,
            ]
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=timeout, cwd=self.folder
        )
        if done.returncode != 0:
            said = (done.stderr or done.stdout).strip()[-1500:]
            raise PostgresError(f"{program} failed ({done.returncode}): {said} (log: {self.log})")
        return done

    def _check_reachable(self) -> None:
        """Every parent of the folder must let the unprivileged user through."""
        if self.user is None:
            return
        for parent in self.folder.parents:
            mode = parent.stat().st_mode
            if not mode & 0o001:
                raise PostgresError(
                    f"{parent} is closed to others (mode {oct(mode & 0o777)}): PostgreSQL runs as"
                    f" {self.user!r} and cannot reach {self.folder}; use a folder under /tmp"
                )

    @property
    def initialised(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    def init(self) -> None:
        """Create the cluster (once; a folder that holds one already is kept as it is)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._check_reachable()
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
            self.folder.chmod(0o700)
        if self.initialised:
            return
        self._run(
            [
                _bin("initdb"),
                "-D",
                str(self.data),
                "-U",
                SUPERUSER,
                "--auth=trust",  # tests and the demo only, on 127.0.0.1 (see the module's doc)
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",  # a throwaway cluster: its files need not survive a power cut
            ],
            timeout=120,
        )

    @property
    def running(self) -> bool:
        return self.pid is not None

    @property
    def pid(self) -> int | None:
        """The postmaster's pid while it runs (from ``postmaster.pid``), else None."""
        try:
            first = (self.data / "postmaster.pid").read_text().split("\n", 1)[0]
            pid = int(first)
            os.kill(pid, 0)
        except (OSError, ValueError):
            return None
        return pid

    def start(self, timeout: float = 60.0) -> None:
        """Start the server and wait until it accepts connections (``init`` first if needed)."""
        if not self.initialised:
            self.init()
        options = (
            f"-c listen_addresses={HOST} -p {self.port} -c unix_socket_directories=''"
            " -c fsync=on -c max_connections=200"
        )
        self._run(
            [
                _bin("pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-w",
                "-t",
                str(int(timeout)),
                "-o",
                options,
                "start",
            ],
            timeout=timeout + 10,
        )

    def stop(self, mode: str = "fast", timeout: float = 60.0) -> None:
        """Stop the server (``fast``: roll back open transactions, then a clean shutdown)."""
        if not self.running:
            return
        argv = [_bin("pg_ctl"), "-D", str(self.data), "-w", "-t", str(int(timeout))]
        self._run([*argv, "-m", mode, "stop"], timeout=timeout + 10)

    def restart(self, timeout: float = 60.0) -> None:
        """``pg_ctl restart -m fast``: every connection is cut; clients must reconnect."""
        argv = [_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w"]
        self._run([*argv, "-t", str(int(timeout)), "-m", "fast", "restart"], timeout=timeout + 10)

    def kill(self) -> None:
        """SIGKILL the postmaster, as a crash would (it recovers from its WAL at the next start).

        Its backends are killed too: left alone they would hold the old shared memory, and the next
        ``start`` would refuse until they noticed and quit.
        """
        pid = self.pid
        if pid is None:
            return
        children = _children(pid)
        os.kill(pid, signal.SIGKILL)
        for child in children:
            try:
                os.kill(child, signal.SIGKILL)
            except OSError:
                continue
        deadline = time.monotonic() + 30
        while any(self._alive(p) for p in (pid, *children)) and time.monotonic() < deadline:
            time.sleep(0.05)

    @staticmethod
    def _alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True

    def create_database(self, name: str) -> str:
        """A new empty database ``name`` (owned by the superuser); its DSN."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.dsn(name)

    def drop_database(self, name: str) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def __enter__(self) -> PostgresCluster:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
