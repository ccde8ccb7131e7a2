"""A whole national network on one machine: PostgreSQL, the hub, and centers with their leaves.

``nafitha demo --national``, the national fault tests and ``bench/national.py`` all run the same
network, as real child processes, each in its own process group so that one can be SIGKILLed
like a power cut: a throwaway PostgreSQL cluster (:mod:`nafitha.postgres`), ``nafitha hub`` (which
runs the hub's nats-server), and per center ``nafitha leaf`` and ``nafitha server`` (whose relay
ships the center's events to its leaf). Every setting file is written into the network's folder,
so a person can read what runs; ports are free ports, so several networks can run side by side.

The centers' databases get the demo accounts and, when asked, past days whose tickets carry their
own events (the hub rebuilds them from the log) and the sample files.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nafitha.national.wire import check_center
from nafitha.paths import DEMO, ROOT
from nafitha.ports import free_port
from nafitha.postgres import PostgresCluster, PostgresError

HUB_DATABASE = "nafitha_hub"
# The demo's three centers: id, Arabic and English names (the catalog is the demo center's).
DEMO_CENTERS: tuple[tuple[str, str, str], ...] = (
    ("beirut", "مركز خدمة المواطن - بيروت", "Citizen Service Center - Beirut"),
    ("tripoli", "مركز خدمة المواطن - طرابلس", "Citizen Service Center - Tripoli"),
    ("saida", "مركز خدمة المواطن - صيدا", "Citizen Service Center - Saida"),
)


def _toml_text(value: str) -> str:
    """A TOML basic string (the values written here are paths, ids, passwords, names)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _wait_http(url: str, process: subprocess.Popen[bytes] | None, timeout: float, what: str):
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} stopped (exit {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not answer {url} within {timeout:.0f} s")


@dataclass
class Child:
    """One child process in its own session (so SIGKILL reaches its own children too)."""

    name: str
    argv: list[str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> Child:
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                self.argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the whole group, as a power cut would."""
        if self.running:
            assert self.process is not None
            os.killpg(self.process.pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=15)

    def stop(self, timeout: float = 15.0) -> None:
        if not self.running:
            return
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_tail(self, size: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-size:] if self.log.exists() else ""


@dataclass
class Center:
    """One center of the network: its folder, settings file, server and leaf."""

    id: str
    name: dict[str, str]
    folder: Path
    host: str
    port: int
    config: Path
    leaf: Child
    server: Child
    references: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://{'127.0.0.1' if self.host in ('0.0.0.0', '::') else self.host}:{self.port}"

    @property
    def db(self) -> Path:
        return self.folder / "nafitha.db"

    def start_server(self, timeout: float = 60.0) -> None:
        self.server.start()
        _wait_http(f"{self.url}/api/v1/health", self.server.process, timeout, f"center {self.id}")

    def start_leaf(self) -> None:
        self.leaf.start()

    def stop(self) -> None:
        self.server.stop()
        self.leaf.stop()


@dataclass
class NationalNetwork:
    """PostgreSQL, a hub and centers under ``folder``; ``start()`` then ``stop()``.

    ``leaf_hub_url(center, hub_leaf_port)`` may point a center's leaf at something between it and
    the hub (a test's cuttable link); by default the leaf dials the hub directly.
    """

    folder: Path
    centers_wanted: Sequence[tuple[str, str, str]] = DEMO_CENTERS
    host: str = "127.0.0.1"
    hub_port: int | None = None
    center_ports: Sequence[int] | None = None
    history_days: int = 0
    sample_files: bool = False
    leaf_hub_url: Callable[[str, int], str] | None = None
    portal_links: bool = False  # centers print tracking links to the hub's portal (portal_url)
    leaf_tls: bool = True  # TLS on every leaf link, as in production (False: bench/national.py)
    center_catalog: Path = DEMO / "center.toml"
    pg_folder: Path | None = None  # PostgreSQL's folder, if not ``folder/pg``
    pg: PostgresCluster | None = None
    hub: Child | None = None
    hub_config: Path | None = None
    centers: dict[str, Center] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)

    # -- setup -----------------------------------------------------------------------------
    def prepare(self) -> None:
        """Write every settings file and seed the centers' databases (kept on a second run)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        saved = self._saved_secrets()
        self.ports = {
            "pg": free_port(),
            "nats_client": free_port(),
            "nats_leaf": free_port(),
            "nats_monitor": free_port(),
            "hub_http": self.hub_port or free_port(),
        }
        if self.leaf_tls:
            self._hub_tls()
        for index, (center_id, name_ar, name_en) in enumerate(self.centers_wanted):
            check_center(center_id)
            port = self.center_ports[index] if self.center_ports else free_port()
            self.centers[center_id] = self._prepare_center(
                center_id, {"ar": name_ar, "en": name_en}, port, saved
            )
        self._write_hub_config(saved)
        (self.folder / "secrets.toml").write_text(
            "\n".join(f"{k} = {_toml_text(v)}" for k, v in sorted(saved.items())) + "\n"
        )
        (self.folder / "secrets.toml").chmod(0o600)

    @property
    def hub_tls(self) -> Path:
        """The hub's leaf-port CA and certificate (``nafitha tls init``'s four files)."""
        return self.folder / "hub-tls"

    def _hub_tls(self) -> None:
        """TLS on every leaf link, as in production: a CA made once, the hub's certificate for
        127.0.0.1 (where every leaf of this machine dials it, or a test's link in between)."""
        import datetime as dt

        from server.tls import TlsFiles, issue_server, make_ca

        files = TlsFiles(self.hub_tls)
        if files.cert.exists():
            return
        now = dt.datetime.now(dt.UTC)
        make_ca(files, "Nafitha demo hub", now)
        issue_server(files, ["127.0.0.1"], ["localhost"], now)

    def _saved_secrets(self) -> dict[str, str]:
        path = self.folder / "secrets.toml"
        return dict(tomllib.loads(path.read_text())) if path.exists() else {}

    def _secret(self, saved: dict[str, str], key: str) -> str:
        return saved.setdefault(key, secrets.token_urlsafe(24))

    def _prepare_center(
        self, center_id: str, name: dict[str, str], port: int, saved: dict[str, str]
    ) -> Center:
        folder = self.folder / "centers" / center_id
        folder.mkdir(parents=True, exist_ok=True)
        url = f"http://{'127.0.0.1' if self.host in ('0.0.0.0', '::') else self.host}:{port}"
        catalog = folder / "center.toml"
        catalog.write_text(self._catalog_text(name, url), encoding="utf-8")
        leaf_client, leaf_monitor = free_port(), free_port()
        hub_leaf = (
            self.leaf_hub_url(center_id, self.ports["nats_leaf"])
            if self.leaf_hub_url
            else f"nats-leaf://127.0.0.1:{self.ports['nats_leaf']}"
        )
        config = folder / "server.toml"
        lines = [
            f"host = {_toml_text(self.host)}",
            f"port = {port}",
            f"db = {_toml_text(str(folder / 'nafitha.db'))}",
            f"center_config = {_toml_text(str(catalog))}",
            "ignore_hours = true",
            "demo = true",  # the demo accounts (password demo) are allowed here
            f"public_url = {_toml_text(url)}",
            "",
            "[national]",
            f"center = {_toml_text(center_id)}",
            f'leaf_url = "nats://127.0.0.1:{leaf_client}"',
            f"relay_password = {_toml_text(self._secret(saved, f'{center_id}_relay'))}",
            f"hub_url = {_toml_text(hub_leaf)}",
            f"leaf_password = {_toml_text(self._secret(saved, f'{center_id}_leaf'))}",
            f"leaf_client_port = {leaf_client}",
            f"leaf_monitor_port = {leaf_monitor}",
            f"leaf_store = {_toml_text(str(folder / 'leaf'))}",
        ]
        if self.leaf_tls:
            lines.append(f"hub_ca = {_toml_text(str(self.hub_tls / 'ca.crt'))}")
        if self.portal_links:
            lines.append(f"portal_url = {_toml_text(self.hub_url)}")
        config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        config.chmod(0o600)
        cli = [sys.executable, "-m", "nafitha.cli"]
        center = Center(
            id=center_id,
            name=name,
            folder=folder,
            host=self.host,
            port=port,
            config=config,
            leaf=Child(f"leaf {center_id}", [*cli, "leaf", "--config", str(config)],
                       folder / "leaf.log"),
            server=Child(f"server {center_id}", [*cli, "server", "--config", str(config)],
                         folder / "server.log"),
        )  # fmt: skip
        self._seed(center, catalog, index_seed=sum(map(ord, center_id)))
        return center

    def _catalog_text(self, name: dict[str, str], url: str) -> str:
        """The demo catalog with this center's name and address."""
        out, named = [], False
        for line in self.center_catalog.read_text(encoding="utf-8").splitlines():
            if line.startswith("name = { ar =") and not named:  # the center's, not a service's
                named = True
                line = f"name = {{ ar = {_toml_text(name['ar'])}, en = {_toml_text(name['en'])} }}"
            elif line.startswith("public_url ="):
                line = f"public_url = {_toml_text(url)}"
            out.append(line)
        return "\n".join(out) + "\n"

    def _seed(self, center: Center, catalog: Path, index_seed: int) -> None:
        from nafitha.demo import seed_demo
        from server.demo.history import seed_demo_history

        seed_demo(center.db, catalog)
        if self.history_days > 0:
            seed_demo_history(
                center.db, catalog, self.history_days, as_events=True, seed=20261123 + index_seed
            )
        if self.sample_files:
            center.references = self._sample_files(center, catalog)
            from server.demo.complaints import seeded_complaints  # one escalated to the ministry

            seeded_complaints(center.db, catalog, center.folder / "demo-complaints.txt")

    @staticmethod
    def _sample_files(center: Center, catalog: Path) -> list[str]:
        listing = center.folder / "demo-files.txt"
        if not listing.exists():
            from server.app import open_context
            from server.config import ServerSettings
            from server.demo.files import seed_demo_files

            ctx = open_context(ServerSettings(db=center.db, center_config=catalog))
            try:
                made = seed_demo_files(ctx)
            finally:
                ctx.db.close()
            listing.write_text(
                "".join(f"{ref}  {service}: {shows}\n" for ref, service, shows in made),
                encoding="utf-8",
            )
        return listing.read_text(encoding="utf-8").splitlines()

    def _pg_folder(self) -> Path:
        """``folder/pg``, or a folder under /var/tmp when PostgreSQL's user cannot reach it."""
        if self.pg_folder is not None:
            return self.pg_folder
        wanted = self.folder / "pg"
        if os.geteuid() != 0 or all(p.stat().st_mode & 0o001 for p in wanted.parents):
            return wanted
        import hashlib

        tag = hashlib.sha256(str(self.folder.resolve()).encode()).hexdigest()[:12]
        fallback = Path("/var/tmp/nafitha-pg") / tag
        fallback.parent.mkdir(parents=True, exist_ok=True)
        fallback.parent.chmod(0o755)
        (self.folder / "pg-folder.txt").write_text(f"{fallback}\n")
        return fallback

    def _write_hub_config(self, saved: dict[str, str]) -> None:
        from server.usecases.audit_keys import PUBLIC_KEY  # the key file's name at a center

        hub_data = self.folder / "hub"
        hub_data.mkdir(parents=True, exist_ok=True)
        self.pg = PostgresCluster(self._pg_folder(), self.ports["pg"])
        lines = [
            "[hub]",
            f"data = {_toml_text(str(hub_data))}",
            "",
            "[nats]",
            'host = "127.0.0.1"',
            f"client_port = {self.ports['nats_client']}",
            f"leaf_port = {self.ports['nats_leaf']}",
            f"monitor_port = {self.ports['nats_monitor']}",
            f"writer_password = {_toml_text(self._secret(saved, 'hub_writer'))}",
            *(
                [
                    f"leaf_certificate = {_toml_text(str(self.hub_tls / 'server.crt'))}",
                    f"leaf_key = {_toml_text(str(self.hub_tls / 'server.key'))}",
                ]
                if self.leaf_tls
                else []
            ),
            "",
            "[postgres]",
            f"dsn = {_toml_text(self.pg.dsn(HUB_DATABASE))}",
            "",
            "[http]",
            f"host = {_toml_text(self.host)}",
            f"port = {self.ports['hub_http']}",
        ]
        for center in self.centers.values():
            key = (center.folder / "keys" / PUBLIC_KEY).read_text().strip()
            lines += [
                "",
                "[[centers]]",
                f"id = {_toml_text(center.id)}",
                f"name = {{ ar = {_toml_text(center.name['ar'])}, en = "
                f"{_toml_text(center.name['en'])} }}",
                f"leaf_password = {_toml_text(self._secret(saved, f'{center.id}_leaf'))}",
                f"public_key = {_toml_text(key)}",
            ]
        self.hub_config = self.folder / "hub.toml"
        self.hub_config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.hub_config.chmod(0o600)
        cli = [sys.executable, "-m", "nafitha.cli"]
        self.hub = Child(
            "hub", [*cli, "hub", "--config", str(self.hub_config)], hub_data / "hub.log"
        )

    # -- running ---------------------------------------------------------------------------
    @property
    def hub_url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.ports['hub_http']}"

    def start_postgres(self) -> None:
        assert self.pg is not None
        import psycopg

        try:
            self.pg.start()
            self.pg.create_database(HUB_DATABASE)
        except psycopg.errors.DuplicateDatabase:
            pass  # a second run on the same folder keeps the hub's data
        except PostgresError as exc:
            raise RuntimeError(f"PostgreSQL did not start: {exc}") from exc

    def start_hub(self, timeout: float = 60.0) -> None:
        assert self.hub is not None
        self.hub.start()
        _wait_http(f"{self.hub_url}/api/v1/health", self.hub.process, timeout, "the hub")

    def add_hub_people(self, people: dict[str, str], password: str) -> None:
        """Hub accounts (name -> role) with ``password``, unless they exist (the demo's)."""
        import time as clock

        from hub.domain.roles import Refusal
        from hub.store.database import connect, prepare
        from hub.usecases.auth import add_person

        assert self.pg is not None
        dsn = self.pg.dsn(HUB_DATABASE)
        prepare(dsn)
        with connect(dsn) as conn:
            for name, role in people.items():
                try:
                    add_person(conn, name, role, password, clock.time())
                except Refusal as refusal:
                    if refusal.code != "person_exists":
                        raise

    def start(self) -> None:
        """Everything, in the order a real network would come up (any order works)."""
        if not self.centers:
            self.prepare()
        self.start_postgres()
        self.start_hub()
        for center in self.centers.values():
            center.start_leaf()
        for center in self.centers.values():
            center.start_server()

    def children(self) -> list[tuple[str, Child]]:
        """Every long-running child by name (the hub, then each center's leaf and server)."""
        found = [("the hub", self.hub)] if self.hub is not None else []
        for center in self.centers.values():
            found += [(f"the leaf of {center.id}", center.leaf)]
            found += [(f"the server of {center.id}", center.server)]
        return found

    def stop(self) -> None:
        for center in self.centers.values():
            center.stop()
        if self.hub is not None:
            self.hub.stop()
        if self.pg is not None:
            try:
                self.pg.stop()
            except PostgresError:
                self.pg.kill()

    def __enter__(self) -> NationalNetwork:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()
