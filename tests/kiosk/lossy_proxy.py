"""A TCP proxy in front of the server that can lose the answer to a ticket request.

The request reaches the server (the ticket is committed) but the kiosk never hears back: exactly the
case an idempotency key exists for. Each connection is pumped both ways on two threads.
"""

from __future__ import annotations

import contextlib
import socket
import threading


class LossyProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.lose_next_ticket_answer = False
        self.lost = 0
        self.ticket_requests = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._stop.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
        except OSError:
            client.close()  # the server is down: the kiosk sees the connection cut
            return
        upstream.settimeout(None)
        pending_loss = threading.Event()

        def client_to_server() -> None:
            try:
                while data := client.recv(65536):
                    if data.startswith(b"POST /api/v1/tickets"):
                        self.ticket_requests += 1
                        if self.lose_next_ticket_answer:
                            pending_loss.set()  # the flag clears when an answer is really lost
                    upstream.sendall(data)
            except OSError:
                pass
            finally:
                upstream.close()

        threading.Thread(target=client_to_server, daemon=True).start()
        try:
            while data := upstream.recv(65536):
                if pending_loss.is_set():
                    self.lose_next_ticket_answer = False
                    self.lost += 1
                    break  # the answer is dropped and the connection cut
                client.sendall(data)
        except OSError:
            pass
        finally:
            for end in (client, upstream):  # shutdown wakes the other thread's recv at once
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
