"""The live stream against a real server: a bounded replay, strict positions, capped subscribers.

The database holds a long log (built fast through the store), as a center has after some weeks:
one anonymous ``after=0`` must cost a reset, not a replay of everything.
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from nafitha.demo import seed_demo
from server.store.database import Database
from server.store.events import append_event
from tests.support.server import RunningServer, running_server

LOG_EVENTS = 30_000
KEEP = 200


def build_long_log(db: Path, count: int) -> int:
    """``count`` public ticket events appended through the store; the log's head id."""
    database = Database(db)
    try:
        with database.write() as tx:
            for i in range(count):
                append_event(
                    tx,
                    "ticket_issued",
                    at=1_700_000_000 + i,
                    data={"n": i},
                    public={"ticket": f"A-{i % 1000:03d}", "state": "waiting"},
                )
        return database.read().execute("SELECT max(id) FROM events").fetchone()[0]
    finally:
        database.close()


@pytest.fixture(scope="module")
def long_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningServer, int]]:
    data = tmp_path_factory.mktemp("long-log")
    seed_demo(data / "nafitha.db")
    head = build_long_log(data / "nafitha.db", LOG_EVENTS)
    config = data / "server.toml"
    config.write_text(
        f"event_replay_max = {KEEP}\nevent_streams_per_address = 3\nevent_streams_max = 5\n"
    )
    with running_server(data, seed=False, extra_args=["--config", str(config)]) as server:
        yield server, head


class Stream:
    """A raw SSE connection from a chosen loopback source address (Linux routes all of 127/8).

    The body comes in HTTP chunks: ``raw`` holds what is not decoded yet, ``buffer`` the text.
    """

    def __init__(self, url: str, query: str = "", headers: dict[str, str] | None = None,
                 source: str = "127.0.0.1") -> None:  # fmt: skip
        host, port = url.removeprefix("http://").split(":")
        self.sock = socket.create_connection(
            (host, int(port)), timeout=10, source_address=(source, 0)
        )
        lines = [f"GET /api/v1/events{query} HTTP/1.1", f"Host: {host}", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buffer = b""
        self.status = 0
        while b"\r\n\r\n" not in self.buffer:
            self._more(10.0)
        head, self.raw = self.buffer.split(b"\r\n\r\n", 1)
        self.buffer = b""
        self.head = head.decode()
        self.status = int(self.head.split()[1])
        self.chunked = "transfer-encoding: chunked" in self.head.lower()
        self._decode()

    def _more(self, timeout: float) -> None:
        self.sock.settimeout(max(timeout, 0.01))
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("the server closed the stream")
        if self.status:
            self.raw += data
            self._decode()
        else:
            self.buffer += data

    def _decode(self) -> None:
        if not self.chunked:
            self.buffer, self.raw = self.buffer + self.raw, b""
            return
        while (end := self.raw.find(b"\r\n")) >= 0:
            size = int(self.raw[:end], 16)
            if len(self.raw) < end + 2 + size + 2:
                return
            self.buffer += self.raw[end + 2 : end + 2 + size]
            self.raw = self.raw[end + 2 + size + 2 :]

    def message(self, timeout: float = 10.0) -> dict[str, str]:
        """The next SSE message's fields (comment lines skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            while b"\n\n" in self.buffer:
                block, self.buffer = self.buffer.split(b"\n\n", 1)
                fields = dict(
                    line.split(": ", 1)
                    for line in block.decode().split("\n")
                    if line and not line.startswith(":")
                )
                if fields:
                    return fields
            if time.monotonic() > deadline:
                raise TimeoutError("no message")
            self._more(deadline - time.monotonic())

    def rest(self) -> str:
        """All the server still sends until it closes (for a short refusal)."""
        with contextlib.suppress(ConnectionError):
            while True:
                self._more(5.0)
        return self.buffer.decode(errors="replace")

    def close(self) -> None:
        self.sock.close()


def test_a_resume_from_the_log_start_gets_one_reset_not_the_whole_log(long_log) -> None:
    server, head = long_log
    started = time.monotonic()
    stream = Stream(server.url, "?after=0")
    try:
        assert stream.status == 200
        first = stream.message()
        assert first["event"] == "reset" and first["id"] == str(head)
        assert time.monotonic() - started < 2.0
        assert f'"last_event_id":{head}' in first["data"]
    finally:
        stream.close()


def test_a_recent_position_replays_exactly_what_was_missed(long_log) -> None:
    server, head = long_log
    for how in ({"query": f"?after={head - 3}"}, {"headers": {"Last-Event-ID": str(head - 3)}}):
        stream = Stream(server.url, **how)
        try:
            ids = [stream.message()["id"] for _ in range(3)]
            assert ids == [str(head - 2), str(head - 1), str(head)]
        finally:
            stream.close()


@pytest.mark.parametrize("value", ["²", "2**70", "-1", "9" * 30, "1e3", " 5"])
def test_a_malformed_after_is_refused_plainly(long_log, value: str) -> None:
    server, _ = long_log
    answer = requests.get(server.url + "/api/v1/events", params={"after": value}, timeout=10)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid_input"


@pytest.mark.parametrize("value", ["²", "2**70", "-1", "9" * 30])
def test_a_junk_or_unknown_last_event_id_resets_the_client(long_log, value: str) -> None:
    server, _ = long_log
    stream = Stream(server.url, headers={"Last-Event-ID": value})
    try:
        assert stream.status == 200
        assert stream.message()["event"] == "reset"
    finally:
        stream.close()


def test_a_position_beyond_the_log_resets(long_log) -> None:
    server, head = long_log
    stream = Stream(server.url, f"?after={head + 1000}")
    try:
        message = stream.message()
        assert message["event"] == "reset" and message["id"] == str(head)
    finally:
        stream.close()


def _opens(server: RunningServer, source: str) -> Stream | None:
    stream = Stream(server.url, source=source)
    if stream.status == 200:
        return stream
    assert stream.status == 503, stream.head
    assert "retry-after:" in stream.head.lower()
    assert '"too_many_streams"' in stream.rest()
    stream.close()
    return None


def test_streams_are_capped_per_address_and_in_all_and_a_leaver_frees_its_slot(long_log) -> None:
    server, _ = long_log
    held: list[Stream] = []
    try:
        for _ in range(3):
            stream = _opens(server, "127.0.0.1")
            assert stream is not None
            held.append(stream)
        assert _opens(server, "127.0.0.1") is None  # 3 per address
        for _ in range(2):
            stream = _opens(server, "127.0.0.2")
            assert stream is not None
            held.append(stream)
        assert _opens(server, "127.0.0.3") is None  # 5 in all
        held.pop(0).close()  # a phone leaves: its slot comes back without any event
        deadline = time.monotonic() + 5
        while (again := _opens(server, "127.0.0.3")) is None:
            assert time.monotonic() < deadline, "the closed stream's slot never came back"
            time.sleep(0.05)
        held.append(again)
    finally:
        for stream in held:
            stream.close()


def opened(server: RunningServer, query: str, source: str) -> Stream:
    """A stream, once the slots the previous test's streams held have come back."""
    deadline = time.monotonic() + 5
    while (stream := Stream(server.url, query, source=source)).status != 200:
        stream.close()
        assert time.monotonic() < deadline, stream.head
        time.sleep(0.05)
    return stream


def test_a_client_leaving_mid_stream_leaves_no_traceback(long_log) -> None:
    server, head = long_log
    streams = [opened(server, f"?after={head - 50}", "127.0.0.4") for _ in range(3)]
    for stream in streams:
        stream.message()
        stream.sock.setsockopt(
            socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
        )
        stream.close()  # RST: the server's next write fails
    clerk = server.login("clerk1", counter="c1")  # an event the streams would have been sent
    clerk.request("POST", "/api/v1/auth/logout")
    # the server is still whole, and said nothing of the leavers
    probe = opened(server, f"?after={head}", "127.0.0.4")
    try:
        assert probe.message()["event"] in ("person_signed_in", "person_signed_out")
    finally:
        probe.close()
    assert server.log is not None
    assert "Traceback" not in server.log.read_text(errors="replace")
