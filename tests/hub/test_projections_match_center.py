"""The hub's projections equal a real center's own tables after real ticket and file flows."""

from __future__ import annotations

from pathlib import Path

from hub.store import centers, projections
from hub.store import events as event_rows
from hub.store.database import PERSONAL_ROLE, connect
from hub.usecases.compare import differences
from hub.usecases.intake import Message, take_batch
from nafitha.harness.server import running_server
from tests.hub.center_flows import (
    audit,
    center_events,
    center_files,
    center_history,
    center_people,
    center_tickets,
    drive_files,
    drive_tickets,
    relayed,
    server_toml,
)


def test_projections_equal_the_center_tables_after_real_flows(tmp_path: Path, pg_dsn: str) -> None:
    extra = ["--config", str(server_toml(tmp_path))]
    with running_server(tmp_path / "center", extra_args=extra) as server:
        drive_tickets(server)
        audit(server.db, "sign")  # a chain_signed event in the middle of the log
        refs = drive_files(server)
        public_key = audit(server.db, "public-key").strip()
    bodies = relayed("c1", server.db)
    assert any(b'"kind":"chain_signed"' in b for b in bodies)

    with connect(pg_dsn) as conn:
        centers.register(conn, [("c1", {"ar": "مركز", "en": "Center"}, public_key)])
        done = 0
        for start in range(0, len(bodies), 7):  # batches of 7, each resending the last two
            chunk = bodies[max(0, start - 2) : start + 7]
            result = take_batch(conn, "c1", [Message(b) for b in chunk], 1.0)
            assert result.stopped is None and result.acked == len(chunk)
            done += result.accepted
        events = center_events(server.db)
        assert done == len(events)
        assert event_rows.seqs(conn, "c1") == [e["id"] for e in events]
        state = centers.one(conn, "c1")
        assert state["head_hash"] == events[-1]["hash"] and state["signed_seq"] is not None

        found = differences(
            conn,
            "c1",
            tickets=center_tickets(server.db),
            files=center_files(server.db),
            history=center_history(server.db),
        )
        assert [d.describe() for d in found] == []
        assert set(projections.files(conn, "c1")) == {r.replace("-", "") for r in refs}

        # The same log in batches of one, of three and all at once (as other centers): the
        # projections never depend on where a batch began.
        for center, size in (("c2", 1), ("c3", 3), ("c4", 10_000)):
            centers.register(conn, [(center, {"ar": "م", "en": "C"}, public_key)])
            log = relayed(center, server.db)
            for start in range(0, len(log), size):
                take_batch(conn, center, [Message(b) for b in log[start : start + size]], 1.0)
            assert projections.tickets(conn, center) == projections.tickets(conn, "c1")
            assert projections.files(conn, center) == projections.files(conn, "c1")
            assert projections.history(conn, center) == projections.history(conn, "c1")

        tickets = center_tickets(server.db)
        days = projections.ticket_days(conn, "c1")
        assert sum(d["issued"] for d in days) == len(tickets)
        assert sum(d["served"] for d in days) == sum(t["state"] == "done" for t in tickets.values())
        assert sum(d["no_show"] for d in days) == 1

    with connect(pg_dsn, role=PERSONAL_ROLE) as ministry:
        kept = {p["reference"]: p for p in event_rows.personal_of(ministry, "c1").values()}
    for reference, person in center_people(server.db).items():
        assert kept[reference]["name"] == person["citizen_name"]
        assert kept[reference]["national_id"] == person["national_id"]
        assert kept[reference]["phone"] == person["phone"]


def test_a_changed_projection_is_named_by_the_comparison(tmp_path: Path, pg_dsn: str) -> None:
    extra = ["--config", str(server_toml(tmp_path))]
    with running_server(tmp_path / "center", extra_args=extra) as server:
        drive_tickets(server)
    with connect(pg_dsn) as conn:
        centers.register(conn, [("c1", {"ar": "مركز", "en": "Center"}, None)])
        take_batch(conn, "c1", [Message(b) for b in relayed("c1", server.db)], 1.0)
        tickets = center_tickets(server.db)
        assert differences(conn, "c1", tickets=tickets, files={}, history={}) == []
        first = min(tickets)
        tickets[first] = dict(tickets[first], state="cancelled")
        [found] = differences(conn, "c1", tickets=tickets, files={}, history={})
        assert found.column == "state" and found.key == str(first)
