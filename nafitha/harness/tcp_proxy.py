"""A TCP link that a test can cut and restore: a WAN between a center and the hub, on one machine.

    with TcpProxy(target_port) as link:        # listens on link.port, forwards to target_port
        ...point the leaf's remote at link.port...
        link.cut()                             # open connections reset, new ones refused
        link.restore()                         # connections accepted again

``link.seen`` holds every byte that crossed the link in either direction (what someone on the WAN
could read: a test checks that a TLS link shows no password or event).

While cut, the listening socket stays bound (so the port is not taken by anything else) but every
connection is closed as soon as it is accepted, the way a dead WAN looks to a client that retries.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading


class TcpProxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.2)
        self.port: int = self._listener.getsockname()[1]
        self._up = threading.Event()
        self._up.set()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self.connections = 0  # accepted while up, in all
        self.seen = bytearray()  # every byte that crossed, both ways (bounded: 16 MiB)

    @property
    def is_up(self) -> bool:
        return self._up.is_set()

    def start(self) -> TcpProxy:
        thread = threading.Thread(target=self._accept, name="tcp-proxy", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def cut(self) -> None:
        """Drop every open connection (RST) and refuse new ones until :meth:`restore`."""
        self._up.clear()
        with self._lock:
            sockets, self._open = self._open, []
        for sock in sockets:
            _reset(sock)

    def restore(self) -> None:
        self._up.set()

    def stop(self) -> None:
        self._stop.set()
        self.cut()
        for thread in self._threads:
            thread.join(timeout=3)
        self._listener.close()

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if not self._up.is_set():
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _reset(client)
                continue
            upstream.settimeout(None)
            client.settimeout(None)
            with self._lock:
                self._open += [client, upstream]
            self.connections += 1
            for a, b in ((client, upstream), (upstream, client)):
                pump = threading.Thread(target=_pump, args=(a, b, self.seen), daemon=True)
                pump.start()
            self._threads = [t for t in self._threads if t.is_alive()]


SEEN_MAX = 16 * 1024 * 1024


def _pump(source: socket.socket, sink: socket.socket, seen: bytearray) -> None:
    try:
        while chunk := source.recv(65536):
            sink.sendall(chunk)
            if len(seen) < SEEN_MAX:
                seen.extend(chunk)  # bytearray.extend holds the GIL: whole chunks, no tearing
    except OSError:
        pass
    finally:
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


def _reset(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0): the peer sees the link die, not a polite goodbye.

    ``shutdown`` first: a pump thread blocked in ``recv`` on the socket keeps the connection
    alive past a bare ``close`` (Linux does not interrupt it), and nothing would reach the peer.
    """
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
