"""The cuttable link of the national fault tests: bytes pass, a cut resets, a restore heals."""

from __future__ import annotations

import socket
import socketserver
import threading

import pytest

from nafitha.harness.tcp_proxy import TcpProxy


class _Echo(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        while data := self.request.recv(4096):
            self.request.sendall(data)


@pytest.fixture
def echo_port():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Echo)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _roundtrip(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=3) as sock:
        sock.sendall(payload)
        return sock.recv(4096)


def test_bytes_pass_a_cut_resets_and_a_restore_reconnects(echo_port: int) -> None:
    with TcpProxy(echo_port) as link:
        assert _roundtrip(link.port, b"hello") == b"hello"
        held = socket.create_connection(("127.0.0.1", link.port), timeout=3)
        held.sendall(b"x")
        assert held.recv(10) == b"x"
        link.cut()
        with pytest.raises(OSError):  # the open connection died: reset, or nothing more comes
            held.sendall(b"y" * 65536)
            if not held.recv(10):
                raise ConnectionResetError
        held.close()
        with pytest.raises(OSError):
            if not _roundtrip(link.port, b"again"):
                raise ConnectionResetError
        link.restore()
        assert _roundtrip(link.port, b"back") == b"back"
