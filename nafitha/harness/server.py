"""A real Nafitha server process on a free port, for any part's end-to-end tests.

    from nafitha.harness.server import running_server

    def test_something(tmp_path):
        with running_server(tmp_path) as server:
            kiosk = server.client(server.kiosk_token)      # nafitha.client.Client
            clerk = server.login("clerk1", counter="c1")  # a signed-in Client
            ...

In tests, ``tests/support/server.py`` also gives the fixture ``demo_server`` (one server per test
module). The database gets the demo accounts (password
``demo``, kiosk tokens ``demo-kiosk-1/2``) and every service is open (``--ignore-hours``).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from nafitha.client import Client
from nafitha.demo import DEMO_PASSWORD, KIOSK_TOKENS, seed_demo
from nafitha.harness.ports import free_port, wait_for_http
from nafitha.paths import ROOT

# Demo services a load test or benchmark spreads its tickets over (eight prefixes, all served by
# the demo counters).
LOAD_SERVICES = (
    "civil-extract",
    "family-extract",
    "passport-new",
    "vehicle-fees",
    "criminal-record",
    "consumer-complaint",
    "work-permit",
    "document-legalization",
)


def load_service(index: int) -> str:
    """The ``index``-th ticket's service in a load spread over :data:`LOAD_SERVICES`."""
    return LOAD_SERVICES[index % len(LOAD_SERVICES)]


@dataclass
class RunningServer:
    url: str
    port: int
    db: Path
    process: subprocess.Popen[bytes]
    people: dict[str, str]
    kiosk_tokens: tuple[str, ...] = KIOSK_TOKENS
    password: str = DEMO_PASSWORD
    log: Path | None = None
    argv: list[str] = field(default_factory=list)

    @property
    def kiosk_token(self) -> str:
        return self.kiosk_tokens[0]

    def client(self, token: str | None = None, timeout: float = 10.0) -> Client:
        return Client(self.url, token=token, timeout=timeout)

    def login(self, username: str, counter: str | None = None) -> Client:
        client = self.client()
        client.login(username, self.password, counter)
        return client

    def add_counters(
        self, first: int, count: int, services: Sequence[str], prefix: str = "c"
    ) -> list[str]:
        """``count`` more counters (``prefix`` + number, from ``first``) serving ``services``."""
        admin = self.login("admin")
        ids = []
        for number in range(first, first + count):
            counter = {
                "id": f"{prefix}{number}",
                "number": number,
                "name": {"ar": f"الشباك {number}", "en": f"Counter {number}"},
                "services": list(services),
            }
            admin.request("PUT", f"/api/v1/admin/counters/{prefix}{number}", json_body=counter)
            ids.append(f"{prefix}{number}")
        return ids

    def kill(self) -> None:
        """SIGKILL, as a power cut would (whole process group: workers too)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> RunningServer:
        """Start again on the same database and port (after stop or kill)."""
        return _launch(self.argv, self.port, self.db, self.people, self.log)


def _launch(
    argv: list[str], port: int, db: Path, people: dict[str, str], log: Path | None
) -> RunningServer:
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed by the child
    process = subprocess.Popen(
        argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )
    if log:
        out.close()  # the child holds its own copy; the parent's would leak (ResourceWarning)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url + "/api/v1/health", timeout=60)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)  # reaped here, not reported later by Popen.__del__ in another test
        detail = log.read_text(errors="replace")[-2000:] if log else ""
        raise RuntimeError(f"the server did not start: {detail}") from None
    return RunningServer(url, port, db, process, people, log=log, argv=argv)


_TEMPLATES: dict[str, tuple[Path, dict[str, str]]] = {}


def seeded_copy(db: Path, center: Path | None) -> dict[str, str]:
    """:func:`nafitha.demo.seed_demo` into ``db``, from a copy when it can.

    Seeding hashes thirteen demo passwords with the server's Argon2 settings (about a second of
    CPU); a test run starts hundreds of servers on the same few centers. So a new database is a
    copy (SQLite's backup) of one seeded once per process for that center file's contents. An
    existing database (a restart, or one a test prepared) is seeded in place as before.
    """
    if db.exists():
        return seed_demo(db, center)
    source = center.read_bytes() if center else b""
    key = f"{center}:{hashlib.sha256(source).hexdigest()}"
    if key not in _TEMPLATES:
        folder = Path(tempfile.mkdtemp(prefix="nafitha-seed-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        template = folder / "nafitha.db"
        _TEMPLATES[key] = (template, seed_demo(template, center))
    template, people = _TEMPLATES[key]
    with (
        contextlib.closing(sqlite3.connect(template)) as origin,
        contextlib.closing(sqlite3.connect(db)) as copy,
    ):
        origin.backup(copy)
    return dict(people)


def start_server(
    data: Path,
    *,
    workers: int = 1,
    center: Path | None = None,
    extra_args: Sequence[str] = (),
    seed: bool = True,
    ignore_hours: bool = True,
    prefix: Sequence[str] = (),
) -> RunningServer:
    """``nafitha server`` on a free port with its database in ``data``; demo accounts seeded.

    ``prefix`` runs the server through a wrapper command (``prlimit --fsize=...``, ``setpriv``).
    """
    data.mkdir(parents=True, exist_ok=True)
    db = data / "nafitha.db"
    people = seeded_copy(db, center) if seed else {}
    port = free_port()
    argv = [
        *prefix,
        sys.executable,
        "-m",
        "nafitha.cli",
        "server",
        "--db",
        str(db),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *(["--ignore-hours"] if ignore_hours else []),
        "--demo",  # its demo accounts: a production server refuses them
        "--workers",
        str(workers),
        "--public-url",
        f"http://127.0.0.1:{port}",
        *extra_args,
    ]
    if center:
        argv += ["--center", str(center)]
    return _launch(argv, port, db, people, data / "server.log")


@contextmanager
def running_server(data: Path, **options: object) -> Iterator[RunningServer]:
    server = start_server(data, **options)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        server.stop()
