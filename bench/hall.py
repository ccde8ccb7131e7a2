"""Hall benchmark: boards and phones on the live stream while kiosks issue and clerks call.

A center's hall: ``--boards`` TV boards and ``--phones`` phones each hold a live stream
(``GET /api/v1/events``) from their own loopback address (127.0.x.y, as devices on the Wi-Fi
would, so the per-address cap is what a real hall meets), while the paced load of
``bench/load.py`` runs (10 kiosks × 5 tickets/s, 20 clerks × 1 call/s, each call followed by
start and finish). Each phone follows its own ticket, issued with priority before the run; those
the run's calls reach are measured. Prints:

- the reference, same run and same paced load with no stream open: call-next p50/p99;
- with the hall connected: call → screen latency (from the clerk sending call-next to the
  event's arrival) p50/p99 over every board and every call, and for each phone its own call;
- call-next p50/p99 under the hall, the server's RSS (peak) and CPU (share of one core).

    .venv/bin/python bench/hall.py [--boards 50] [--phones 1000] [--paced-s 20] [--workers 1]

The screens are lean readers (bytes searched, not parsed in Python) so that one client process
can follow a thousand streams; it runs on the same machine and its CPU is printed too.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import multiprocessing.connection
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nafitha.client import Client  # noqa: E402
from nafitha.demo import DEMO_PASSWORD, KIOSK_TOKENS, seed_demo  # noqa: E402

CALLED = re.compile(rb"event: ticket_called\ndata: \{[^\n]*?\"ticket\":\"([A-Z]{1,2}-\d+)\"")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def line(label: str, values: list[float]) -> str:
    return (
        f"{label:<44} n={len(values):>6}  p50={percentile(values, 0.5) * 1000:7.1f} ms"
        f"  p99={percentile(values, 0.99) * 1000:7.1f} ms"
    )


def source_address(index: int) -> str:
    """The ``index``-th device's loopback address: 127.0.1.1, 127.0.1.2, ... (8 per address)."""
    slot = index // 8
    return f"127.0.{1 + slot // 250}.{1 + slot % 250}"


class Http:
    """A keep-alive HTTP/1.1 connection speaking just enough for the JSON API."""

    def __init__(self, port: int, token: str | None) -> None:
        self.port = port
        self.token = token

    async def open(self) -> Http:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """(status, JSON); a connection the server closed while idle is opened again."""
        try:
            return await self._request(method, path, body)
        except (asyncio.IncompleteReadError, ConnectionError):
            self.close()
            await self.open()
            return await self._request(method, path, body)

    async def _request(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        payload = json.dumps(body).encode() if body is not None else b""
        head = [f"{method} {path} HTTP/1.1", "Host: bench", f"Content-Length: {len(payload)}"]
        if body is not None:
            head.append("Content-Type: application/json")
        if self.token:
            head.append(f"Authorization: Bearer {self.token}")
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
        raw = await self.reader.readuntil(b"\r\n\r\n")
        status = int(raw.split(b" ", 2)[1])
        length = 0
        for field in raw.split(b"\r\n")[1:]:
            if field.lower().startswith(b"content-length:"):
                length = int(field.split(b":", 1)[1])
        data = await self.reader.readexactly(length) if length else b""
        return status, json.loads(data) if data else None

    def close(self) -> None:
        self.writer.close()


class Screen:
    """One live stream: the arrival time of each ticket_called (all, or only ``follows``)."""

    def __init__(self, port: int, source: str, follows: str | None = None) -> None:
        self.port = port
        self.source = source
        self.follows = follows.encode() if follows else None
        self.arrivals: dict[str, float] = {}
        self.refused = 0

    async def run(self, ready: asyncio.Event, stop: asyncio.Event) -> None:
        """Connect, then note arrivals until ``stop``; ``ready`` is set once the head is in."""
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", self.port, local_addr=(self.source, 0)
        )
        writer.write(b"GET /api/v1/events HTTP/1.1\r\nHost: bench\r\n\r\n")
        head = await reader.readuntil(b"\r\n\r\n")
        ready.set()
        if b" 200 " not in head.split(b"\r\n", 1)[0]:
            self.refused += 1
            writer.close()
            return
        tail = b""
        try:
            while not stop.is_set():
                chunk = await reader.read(65536)
                if not chunk:
                    return
                now = time.perf_counter()
                text = tail + chunk
                cut = text.rfind(b"\n\n")
                complete, tail = (text[: cut + 2], text[cut + 2 :]) if cut >= 0 else (b"", text)
                if self.follows is not None and self.follows not in complete:
                    continue
                for match in CALLED.finditer(complete):
                    number = match.group(1).decode()
                    if self.follows is None or match.group(1) == self.follows:
                        self.arrivals.setdefault(number, now)
        finally:
            writer.close()


async def paced(
    port: int,
    clerks: list[tuple[str, str]],
    services: list[str],
    seconds: float,
    kiosk_rate: float = 5.0,
) -> tuple[list[float], dict[str, float]]:
    """bench/load.py's paced load; call-next latencies and when each called number was sent."""
    kiosks = [await Http(port, KIOSK_TOKENS[i % 2]).open() for i in range(10)]
    desks = [await Http(port, token).open() for _, token in clerks]
    call_latency: list[float] = []
    sent_at: dict[str, float] = {}
    statuses: dict[int, int] = {}
    end = time.perf_counter() + seconds

    async def kiosk(index: int) -> None:
        period, n = 1 / kiosk_rate, 0
        next_at = time.perf_counter() + index * period / len(kiosks)
        while next_at < end:
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            service = services[(index + n) % len(services)]
            await kiosks[index].request("POST", "/api/v1/tickets", {"service": service})
            n += 1
            next_at += period

    async def clerk(index: int) -> None:
        next_at = time.perf_counter() + index / len(desks)
        counter = clerks[index][0]
        while next_at < end:
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            t0 = time.perf_counter()
            status, ticket = await desks[index].request("POST", f"/api/v1/counters/{counter}/next")
            call_latency.append(time.perf_counter() - t0)
            statuses[status] = statuses.get(status, 0) + 1
            if status == 200:
                sent_at[ticket["number"]] = t0
                await desks[index].request("POST", f"/api/v1/tickets/{ticket['id']}/start")
                await desks[index].request("POST", f"/api/v1/tickets/{ticket['id']}/finish")
            next_at += 1.0

    await asyncio.gather(
        *(kiosk(i) for i in range(len(kiosks))), *(clerk(i) for i in range(len(desks)))
    )
    for conn in kiosks + desks:
        conn.close()
    if set(statuses) - {200, 204}:
        print(f"  call-next answers: {statuses}")
    return call_latency, sent_at


def family(pid: int) -> list[int]:
    """``pid`` and its child processes (uvicorn's workers when there are several)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return [pid, *(int(c) for c in children)]


def cpu_seconds(pid: int) -> float:
    """CPU time of ``pid`` and its children so far."""
    total = 0
    for member in family(pid):
        fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def memory_mb(pid: int, key: str) -> float:
    """``VmRSS`` or ``VmHWM`` of ``pid`` and its children, in MiB."""
    total = 0
    for member in family(pid):
        for row in Path(f"/proc/{member}/status").read_text().splitlines():
            if row.startswith(key + ":"):
                total += int(row.split()[1])
    return total / 1024


def start_server(folder: Path, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    db = folder / "nafitha.db"
    seed_demo(db)
    with socket_port() as port:
        pass
    log = (folder / "server.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "nafitha.cli", "server", "--db", str(db), "--port", str(port),
         "--ignore-hours", "--demo", "--workers", str(workers)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    log.close()
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=1)
            return process, port
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit((folder / "server.log").read_text()[-2000:]) from None
            time.sleep(0.2)


class socket_port:
    """A free TCP port on 127.0.0.1 (closed again before the server binds it)."""

    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return self.sock.getsockname()[1]

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


def prepare(port: int, clerks: int) -> tuple[list[tuple[str, str]], list[str]]:
    """Counters with signed-in clerks, and the services they serve."""
    url = f"http://127.0.0.1:{port}"
    admin = Client(url)
    admin.login("admin", DEMO_PASSWORD)
    services = [s["id"] for s in admin.services()["services"]][:8]
    desks = []
    for i in range(clerks):
        number = 101 + i
        admin.request("PUT", f"/api/v1/admin/counters/h{number}", json_body={
            "id": f"h{number}", "number": number, "services": services,
            "name": {"ar": f"الشباك {number}", "en": f"Counter {number}"}})  # fmt: skip
        clerk = Client(url)
        clerk.login(f"clerk{1 + i % 10}", DEMO_PASSWORD, f"h{number}")
        desks.append((f"h{number}", clerk.token or ""))
    return desks, services


def phone_tickets(port: int, services: list[str], phones: int) -> list[str]:
    """One ticket per phone, with priority: the hall run's calls reach them before the backlog."""
    kiosk = Client(f"http://127.0.0.1:{port}", token=KIOSK_TOKENS[0])
    return [
        kiosk.issue_ticket(services[i % len(services)], priority=True)["number"]
        for i in range(phones)
    ]


def screens_process(
    port: int, boards: int, tickets: list[str], conn: multiprocessing.connection.Connection
) -> None:
    """The hall's screens in a process of their own, so their reading does not delay the
    kiosks' and clerks' requests: connects them all, says so, and at ``stop`` sends back
    (board arrivals, phone arrivals, refused). Times are ``time.perf_counter`` (CLOCK_MONOTONIC,
    the same clock in every process)."""

    async def run() -> tuple[list[dict[str, float]], list[dict[str, float]], int]:
        stop = asyncio.Event()
        screens = [Screen(port, source_address(i)) for i in range(boards)]
        phones = [Screen(port, source_address(boards + i), t) for i, t in enumerate(tickets)]
        everyone = screens + phones
        ready = [asyncio.Event() for _ in everyone]
        tasks = [asyncio.create_task(s.run(r, stop)) for s, r in zip(everyone, ready, strict=True)]
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in ready)), 180)
        conn.send("ready")
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # "stop"
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return (
            [s.arrivals for s in screens],
            [p.arrivals for p in phones],
            sum(s.refused for s in everyone),
        )

    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    conn.send(asyncio.run(run()))


async def hall(port: int, desks, services, tickets, boards: int, seconds: float, pid: int,
               kiosk_rate: float):  # fmt: skip
    ours, theirs = multiprocessing.Pipe()
    screens = multiprocessing.Process(target=screens_process, args=(port, boards, tickets, theirs))
    began = time.perf_counter()
    screens.start()
    await asyncio.get_running_loop().run_in_executor(None, ours.recv)  # "ready"
    print(f"{'hall connected in':<44} {time.perf_counter() - began:6.1f} s")
    cpu0, wall0 = cpu_seconds(pid), time.perf_counter()
    calls, sent_at = await paced(port, desks, services, seconds, kiosk_rate)
    cpu = (cpu_seconds(pid) - cpu0) / (time.perf_counter() - wall0)
    client = cpu_seconds(screens.pid) / (time.perf_counter() - began)
    await asyncio.sleep(2.0)  # the last calls reach the screens
    ours.send("stop")
    board_arrivals, phone_arrivals, refused = ours.recv()
    screens.join(30)
    board_latency = [a[n] - sent_at[n] for a in board_arrivals for n in a if n in sent_at]
    phone_latency = [a[n] - sent_at[n] for a in phone_arrivals for n in a if n in sent_at]
    return calls, board_latency, phone_latency, refused, cpu, client, len(sent_at)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boards", type=int, default=50)
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument("--clerks", type=int, default=20)
    parser.add_argument("--paced-s", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--kiosk-rate", type=float, default=5.0, help="tickets/s per kiosk (10)")
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="nafitha-hall-") as tmp:
        process, port = start_server(Path(tmp), args.workers)
        try:
            desks, services = prepare(port, args.clerks)
            cpu0, wall0 = cpu_seconds(process.pid), time.perf_counter()
            calls, _ = asyncio.run(paced(port, desks, services, args.paced_s, args.kiosk_rate))
            cpu = (cpu_seconds(process.pid) - cpu0) / (time.perf_counter() - wall0)
            print(line("reference: call-next, paced, no stream open", calls))
            print(f"{'reference: server CPU while paced':<44} {cpu * 100:6.0f} % of one core")
            tickets = phone_tickets(port, services, args.phones)
            calls, boards, phones, refused, cpu, client, called = asyncio.run(
                hall(
                    port,
                    desks,
                    services,
                    tickets,
                    args.boards,
                    args.paced_s,
                    process.pid,
                    args.kiosk_rate,
                )
            )
            print(f"hall: {args.boards} boards + {args.phones} phones, streams refused: {refused}")
            print(line("call-next, paced, hall connected", calls))
            print(line(f"call -> board ({called} calls x {args.boards} boards)", boards))
            print(line("call -> phone (its own ticket)", phones))
            print(f"{'server CPU while paced (all processes)':<44} {cpu * 100:6.0f} % of one core"
                  f"  (the screens' process: {client * 100:.0f} %)")  # fmt: skip
            print(f"{'server RSS now / peak':<44} {memory_mb(process.pid, 'VmRSS'):6.0f}"
                  f" / {memory_mb(process.pid, 'VmHWM'):.0f} MiB")  # fmt: skip
            verdict = "yes" if percentile(boards, 0.99) < 1.0 else "NO"
            print(f"{'board p99 under 1 s':<44} {verdict}")
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
