"""``nafitha demo --national``: a hub and three demo centers on this machine, as in a ministry.

PostgreSQL (a throwaway cluster in the data folder, run as an unprivileged user when started as
root), the hub (its nats-server, writer and HTTP API) on ``--port``, and three centers (Beirut,
Tripoli, Saida) on the next three ports, each with its leaf nats-server and its relay. Each center
gets the demo accounts, past days whose tickets carry their events, and sample files; the hub
receives all of it through the leaves. ``--no-gui`` is accepted for symmetry with the single-center
demo: this demo starts no windows (open the pages in a browser).
"""

from __future__ import annotations

import argparse
import signal
import socket
import time
from pathlib import Path

from nafitha.national.local_network import NationalNetwork

DEFAULT_DATA = Path.home() / ".local" / "share" / "nafitha" / "national-demo"
# The ministry's people at the hub, in the demo only (the hub asks for 8 characters at least).
HUB_PEOPLE = {"ministry": "ministry", "auditor": "auditor"}
HUB_PASSWORD = "demo-hub"


def _check_free(host: str, ports: list[int]) -> None:
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            # as the servers bind: a port whose last connections linger in TIME_WAIT is free
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((host, port))
            except OSError:
                raise SystemExit(
                    f"nafitha demo --national: port {port} is taken; choose others with --port"
                    f" (the hub takes PORT, the centers PORT+1..PORT+3)"
                ) from None


def _banner(network: NationalNetwork, data: Path) -> None:
    print(f"Nafitha national demo: the hub at {network.hub_url}", flush=True)
    print(f"  data folder  {data}")
    print(f"  hub          nafitha hub status --config {network.hub_config}   (signed in: "
          f"{network.hub_url}/api/v1/status/centers)")  # fmt: skip
    print(f"  portal       {network.hub_url}/f   {network.hub_url}/centers   "
          f"{network.hub_url}/services")  # fmt: skip
    for center in network.centers.values():
        print(f"  center {center.id:<8} {center.url}   {center.name['en']}")
        for line in center.references[:3]:
            print(f"      file  {line}")
    print(f"  ministry     {network.hub_url}/ministry   people: ministry, auditor;"
          f" password: {HUB_PASSWORD}")  # fmt: skip
    print("  people at every center: admin, manager, clerk1..; password: demo")
    print("  (these accounts exist only in the demo)  Ctrl+C stops the demo.", flush=True)


def run(args: argparse.Namespace) -> int:
    data: Path = (args.data or DEFAULT_DATA).expanduser().resolve()
    base = args.port
    _check_free(args.host, [base, base + 1, base + 2, base + 3])
    network = NationalNetwork(
        folder=data,
        host=args.host,
        hub_port=base,
        center_ports=[base + 1, base + 2, base + 3],
        history_days=args.history,
        portal_links=True,  # receipts' QR codes open the hub's portal
        sample_files=True,
    )
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    print("nafitha demo --national: preparing the centers (first start seeds past days)...")
    try:
        network.prepare()
        network.start()
        network.add_hub_people(HUB_PEOPLE, HUB_PASSWORD)
        _banner(network, data)
        while not stopping:
            for name, child in network.children():
                if not child.running:
                    print(f"nafitha demo --national: {name} stopped; see {child.log}")
                    return 1
            time.sleep(0.5)
        return 0
    except RuntimeError as exc:
        print(f"nafitha demo --national: {exc}")
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        network.stop()
