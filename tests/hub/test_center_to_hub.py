"""The whole path on real processes: a real center (``nafitha server`` with its relay) → its leaf
nats-server → the hub's nats-server → the hub writer → PostgreSQL. After real ticket and file
flows the hub holds the center's log link for link, and its projections equal the center's tables.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hub.store import centers
from hub.store import events as event_rows
from hub.store.database import PERSONAL_ROLE, connect
from hub.usecases.compare import differences
from hub.usecases.setup import prepare_hub
from hub.usecases.verify import verify_chain
from hub.usecases.writer import Writer, WriterOptions
from nafitha.harness.server import running_server
from tests.hub.center_flows import (
    SERVER_TOML,
    audit,
    center_events,
    center_files,
    center_history,
    center_people,
    center_tickets,
    drive_files,
    drive_tickets,
)
from tests.national.support import NatsHub, NatsLeaf


@contextmanager
def writer_running(options: WriterOptions, center_ids: list[str]) -> Iterator[Writer]:
    """The hub writer on its own event loop in a thread, stopped (and joined) at the end."""
    writer = Writer(options, center_ids)
    ready = threading.Event()
    state: dict = {}

    def main() -> None:
        async def body() -> None:
            state["loop"], state["stop"] = asyncio.get_running_loop(), asyncio.Event()
            ready.set()
            await writer.run(state["stop"])

        asyncio.run(body())

    thread = threading.Thread(target=main, name="hub-writer", daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield writer
    finally:
        state["loop"].call_soon_threadsafe(state["stop"].set)
        thread.join(30)
        assert not thread.is_alive()


def wait_for(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {timeout} s: {what}")


def test_a_real_center_reaches_the_hub_and_the_hub_equals_its_tables(
    tmp_path: Path, nats_hub: NatsHub, nats_leaf, pg_dsn: str
) -> None:
    leaf: NatsLeaf = nats_leaf("c1")
    config = tmp_path / "server.toml"
    config.write_text(
        SERVER_TOML + f'\n[national]\ncenter = "c1"\nleaf_url = "{leaf.url}"\n'
        f'relay_password = "{leaf.relay_password}"\n',
        encoding="utf-8",
    )
    options = WriterOptions(
        nats_url=nats_hub.url,
        writer_password=nats_hub.writer_password,
        dsn=pg_dsn,
        batch=50,
        fetch_timeout_s=0.3,
        retry_s=0.3,
    )
    with running_server(tmp_path / "center", extra_args=["--config", str(config)]) as server:
        key = audit(server.db, "public-key").strip()
        prepare_hub(pg_dsn, [("c1", {"ar": "مركز", "en": "Center"}, key)])
        with writer_running(options, ["c1"]) as writer, connect(pg_dsn) as conn:
            drive_tickets(server)
            audit(server.db, "sign")
            drive_files(server)
            last = center_events(server.db)[-1]["id"]
            wait_for(lambda: centers.one(conn, "c1")["head_seq"] == last, 60, f"hub at {last}")
        assert writer.progress["c1"].accepted == last and not writer.progress["c1"].stopped
        # The center as it was then (stopping it writes events of its own, never relayed here).
        events = center_events(server.db)[:last]
        tables = {
            "tickets": center_tickets(server.db),
            "files": center_files(server.db),
            "history": center_history(server.db),
        }
        people = center_people(server.db)

    with connect(pg_dsn) as conn:
        assert event_rows.seqs(conn, "c1") == [e["id"] for e in events]
        check = verify_chain(conn, "c1")
        assert check.ok, check.problems
        assert centers.one(conn, "c1")["signed_seq"] is not None
        found = differences(conn, "c1", **tables)
        assert [d.describe() for d in found] == []
    with connect(pg_dsn, role=PERSONAL_ROLE) as ministry:
        kept = {p["reference"]: p for p in event_rows.personal_of(ministry, "c1").values()}
    assert set(kept) == set(people)
    for reference, person in people.items():
        assert (kept[reference]["name"], kept[reference]["phone"]) == (
            person["citizen_name"],
            person["phone"],
        )
