"""Ports chosen for parts started here stay out of the kernel's ephemeral range, and two
pytest-xdist workers never draw the same one (a port taken between choosing and binding failed CI).
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from nafitha import ports


@pytest.fixture
def fresh_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ports, "_cursor", None)


def _ephemeral_low() -> int:
    return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])


def test_a_port_is_below_the_ephemeral_range_and_free(fresh_cursor: None) -> None:
    for _ in range(50):
        port = ports.free_port()
        assert 10000 <= port < _ephemeral_low()
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))


def test_one_process_never_gets_the_same_port_twice(fresh_cursor: None) -> None:
    given = [ports.free_port() for _ in range(300)]
    assert len(set(given)) == len(given)


def test_a_port_listened_on_is_never_given(
    fresh_cursor: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = ports.free_port()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", first))
        listener.listen()
        monkeypatch.setattr(ports, "_cursor", first)
        assert ports.free_port() != first


def test_workers_draw_from_separate_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "3")
    drawn: dict[str, set[int]] = {}
    for worker in ("gw0", "gw1", "gw2"):
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
        monkeypatch.setattr(ports, "_cursor", None)
        drawn[worker] = {ports.free_port() for _ in range(100)}
    assert not drawn["gw0"] & drawn["gw1"]
    assert not drawn["gw1"] & drawn["gw2"]
    assert not drawn["gw0"] & drawn["gw2"]
    assert max(drawn["gw0"]) < min(drawn["gw1"]) and max(drawn["gw1"]) < min(drawn["gw2"])


def test_a_span_gives_a_run_of_free_ports(fresh_cursor: None) -> None:
    base = ports.free_port(span=4)
    for port in range(base, base + 4):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))
    assert ports.free_port(span=4) not in range(base - 3, base + 4)
