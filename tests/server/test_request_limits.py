"""Request limits of the server as shipped: a bounded request head, a bounded connection count.

Without them, six 48 MB headers took a server from 83 to 430 MB (uvicorn's httptools parser
keeps a header's bytes until it ends), and nothing bounded how many sockets anyone could hold.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import requests

from tests.support.server import RunningServer, running_server

MB = 1024 * 1024


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def send_huge_header(server: RunningServer, size: int, sent: list[int]) -> None:
    """Try to send one header of ``size`` bytes; record how much the server took."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        total = 0
        try:
            sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ")
            chunk = b"a" * MB
            while total < size:
                sock.sendall(chunk)
                total += len(chunk)
        except OSError:  # the server closed the connection: what we want
            pass
        sent.append(total)


def test_huge_headers_are_refused_and_the_memory_stays_bounded(demo_server: RunningServer) -> None:
    before = rss_mb(demo_server.process.pid)
    sent: list[int] = []
    threads = [
        threading.Thread(target=send_huge_header, args=(demo_server, 48 * MB, sent))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(sent) == 6
    assert max(sent) < 48 * MB  # cut off long before the end
    assert rss_mb(demo_server.process.pid) - before < 20
    assert requests.get(demo_server.url + "/api/v1/health", timeout=10).status_code == 200


def test_a_head_over_the_limit_gets_431_in_the_error_shape(demo_server: RunningServer) -> None:
    with socket.create_connection(("127.0.0.1", demo_server.port), timeout=10) as sock:
        sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40_000)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 431 ")
    assert b'"code": "headers_too_large"' in body or b'"code":"headers_too_large"' in body
    # a big but ordinary head still passes
    ok = requests.get(
        demo_server.url + "/api/v1/health", headers={"X-Fine": "b" * 20_000}, timeout=10
    )
    assert ok.status_code == 200


def test_connections_beyond_the_limit_are_turned_away_until_some_close(tmp_path: Path) -> None:
    config = tmp_path / "server.toml"
    config.write_text("max_connections = 20\n")
    with running_server(tmp_path / "data", extra_args=["--config", str(config)]) as server:
        idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(20)]
        try:
            # the server has counted them once it answers anything on a new connection
            turned_away = requests.get(server.url + "/api/v1/health", timeout=10)
            assert turned_away.status_code == 503
        finally:
            for sock in idle:
                sock.close()
        deadline_ok = False
        for _ in range(100):  # the closes reach the server within moments
            if requests.get(server.url + "/api/v1/health", timeout=10).status_code == 200:
                deadline_ok = True
                break
        assert deadline_ok
