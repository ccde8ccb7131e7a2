"""Citizen files over HTTP against a real server process on a real SQLite file.

One server for the module (the demo center with its demo accounts, every service open).
Anonymous tracking is rate-limited per address: the tests that look up many references do it
signed in (staff are not limited), and the enumeration test drains the bucket of its own loopback
address (127.0.0.77), so the order of the tests does not matter.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter

from nafitha.client import ApiError
from nafitha.reference import ALPHABET, Mistyped, new_reference, parse_reference
from tests.support.server import running_server

PASSWORD = "demo"
TRACK_BURST = 20
PEOPLE = {"fclerk": ("clerk1", "c1"), "fclerk2": ("clerk2", "c2"), "fboss": ("manager", None)}


@dataclass
class Server:
    url: str
    db: Path
    tokens: dict[str, str]

    def call(self, method: str, path: str, who: str | None = None, **kw: Any) -> requests.Response:
        headers = kw.pop("headers", {})
        if who:
            headers["Authorization"] = f"Bearer {self.tokens[who]}"
        return requests.request(method, self.url + path, headers=headers, timeout=10, **kw)

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(self.db)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The demo center in a real server process, with a known anonymous tracking limit."""
    folder = tmp_path_factory.mktemp("files")
    settings = folder / "server.toml"
    settings.write_text(f"track_per_minute = 30\ntrack_burst = {TRACK_BURST}\n", encoding="utf-8")
    with running_server(folder / "data", extra_args=["--config", str(settings)]) as running:
        tokens = {"fkiosk": running.kiosk_token}
        for name, (username, counter) in PEOPLE.items():
            tokens[name] = running.login(username, counter).token or ""
        yield Server(running.url, running.db, tokens)


def assert_error(response: requests.Response, status: int, code: str) -> None:
    """The contract's error body: a code and a non-empty message in both languages."""
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]["ar"] and body["error"]["message"]["en"]
    assert body["error"]["message"]["ar"] != body["error"]["message"]["en"]


def open_file(server: Server, service: str = "civil-extract", **extra: Any) -> dict[str, Any]:
    body = {
        "service": service,
        "citizen": {"name": "Test Citizen", "national_id": "LB-000111", "phone": "+961 3 000111"},
        "documents_received": extra.pop("documents_received", [0, 1]),
        **extra,
    }
    answer = server.call("POST", "/api/v1/files", "fclerk", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def move(server: Server, reference: str, stage: str, who: str = "fclerk", **body: Any):
    return server.call(
        "POST", f"/api/v1/files/{reference}/stage", who, json={"stage": stage, **body}
    )


def counts(server: Server) -> tuple[int, int, int]:
    """(files, history rows, events): what a refused request must leave unchanged."""
    files = server.rows("SELECT count(*) FROM files")[0][0]
    history = server.rows("SELECT count(*) FROM file_history")[0][0]
    events = server.rows("SELECT count(*) FROM events")[0][0]
    return files, history, events


def test_full_lifecycle_from_a_served_ticket_to_delivery(server: Server) -> None:
    ticket = server.call(
        "POST",
        "/api/v1/tickets",
        "fkiosk",
        json={"service": "civil-extract"},
        headers={"Idempotency-Key": "files-lifecycle"},
    ).json()
    file = open_file(server, ticket=ticket["id"], note="urgent: travel next week")
    reference = file["reference"]
    assert parse_reference(reference).printed == reference
    assert file["status"] == "open" and file["stage"]["id"] == "received"
    assert file["ticket"] == ticket["id"] and file["version"] == 1
    assert file["track_url"] == f"{server.url}/f/{reference}"  # the test server's public URL
    assert server.call("GET", f"/api/v1/tickets/{ticket['id']}", "fclerk").json()["file"] == (
        reference
    )
    tracked = server.call("GET", f"/api/v1/track/{reference}").json()
    assert tracked["expected_ready_at"] is not None and not tracked["ready"]
    assert tracked["where"] == {"ar": "شباك التسليم: الشباك 10", "en": "Pickup at Counter 10"}

    for stage, who in [
        ("document-check", "fclerk"),
        ("registry", "fclerk2"),
        ("signature", "fboss"),
        ("ready", "fclerk"),
    ]:
        answer = move(server, reference, stage, who, note=f"now at {stage}")
        assert answer.status_code == 200, answer.text
        assert answer.json()["stage"]["id"] == stage
    tracked = server.call("GET", f"/api/v1/track/{reference.lower().replace('-', ' ')}").json()
    assert tracked["ready"] and tracked["waits_on_citizen"] and tracked["status"] == "open"
    assert [entry["stage"] for entry in tracked["history"]] == [
        "received",
        "document-check",
        "registry",
        "signature",
        "ready",
    ]
    assert tracked["history"][-1]["note"] == "now at ready"

    delivered = move(server, reference, "delivered").json()
    assert delivered["status"] == "closed"
    assert {s["state"] for s in delivered["stages"]} == {"done"}
    staff = server.call("GET", f"/api/v1/files/{reference}", "fclerk").json()
    assert [(h["seq"], h["by"]) for h in staff["history"]] == [
        (1, "clerk1"),
        (2, "clerk1"),
        (3, "clerk2"),
        (4, "manager"),
        (5, "clerk1"),
        (6, "clerk1"),
    ]
    assert staff["note"] == "urgent: travel next week"
    assert_error(move(server, reference, "ready", "fboss", reason="x"), 409, "file_closed")

    kinds = [
        json.loads(data)["reference"]
        for kind, data in server.rows(
            "SELECT kind, data FROM events WHERE kind IN ('file_opened', 'file_moved') ORDER BY id"
        )
        if json.loads(data)["reference"] == parse_reference(reference).code
    ]
    assert len(kinds) == 6  # one audit event per change


def test_missing_documents_then_a_return_visit_is_served_first(server: Server) -> None:
    file = open_file(server, documents_received=[0])
    reference = file["reference"]
    assert file["status"] == "missing_documents"
    assert [d["en"] for d in file["missing_documents"]] == ["Fiscal stamp"]
    public = server.call("GET", f"/api/v1/track/{reference}").json()
    assert public["waits_on_citizen"] and public["missing_documents"] == file["missing_documents"]

    # someone is already waiting at civil-extract; the returning citizen asks from another service
    server.call(
        "POST",
        "/api/v1/tickets",
        "fkiosk",
        json={"service": "civil-extract"},
        headers={"Idempotency-Key": "files-waiting-1"},
    )
    typed = reference.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    ticket = server.call(
        "POST",
        "/api/v1/tickets",
        "fkiosk",
        json={"service": "passport-new", "file": typed},
        headers={"Idempotency-Key": "files-return"},
    )
    assert ticket.status_code == 201, ticket.text
    ticket = ticket.json()
    assert ticket["service"]["id"] == "civil-extract"
    assert ticket["priority"] is True and ticket["file"] == reference

    called = server.call("POST", "/api/v1/counters/c1/next", "fclerk")
    assert called.status_code == 200, called.text
    assert called.json()["id"] == ticket["id"] and called.json()["file"] == reference
    seen = server.call("GET", f"/api/v1/files/{called.json()['file']}", "fclerk").json()
    assert seen["citizen"]["name"] == "Test Citizen"

    resumed = move(server, reference, "received", note="stamp brought")
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["status"] == "open" and resumed.json()["missing_documents"] == []
    server.call("POST", f"/api/v1/tickets/{ticket['id']}/start", "fclerk")
    server.call("POST", f"/api/v1/tickets/{ticket['id']}/finish", "fclerk")

    # a file that does not wait on the citizen gives no priority, but the ticket carries it
    plain = server.call(
        "POST",
        "/api/v1/tickets",
        "fkiosk",
        json={"service": "passport-new", "file": reference},
        headers={"Idempotency-Key": "files-return-2"},
    ).json()
    assert plain["service"]["id"] == "passport-new" and plain["priority"] is False
    assert plain["file"] == reference
    bad = server.call(
        "POST",
        "/api/v1/tickets",
        "fkiosk",
        json={
            "service": "passport-new",
            "file": reference[:-1] + "Z" if reference[-1] != "Z" else reference[:-1] + "Y",
        },
        headers={"Idempotency-Key": "files-return-3"},
    )
    assert_error(bad, 422, "reference_mistyped")


def test_forbidden_transitions_and_roles_change_nothing(server: Server) -> None:
    reference = open_file(server)["reference"]
    assert move(server, reference, "document-check").status_code == 200
    before = counts(server)
    assert_error(move(server, reference, "signature"), 409, "transition_not_allowed")
    assert move(server, reference, "registry").status_code == 200
    before = counts(server)
    assert_error(move(server, reference, "signature", "fclerk"), 403, "role_not_allowed")
    assert_error(move(server, reference, "received"), 422, "reason_required")
    assert_error(move(server, reference, "registry"), 409, "transition_not_allowed")
    assert_error(move(server, reference, "cancelled", reason="asked"), 403, "role_not_allowed")
    assert_error(move(server, reference, "cancelled", "fboss"), 422, "reason_required")
    assert_error(move(server, reference, "missing_documents"), 422, "missing_list_required")
    assert_error(move(server, reference, "signature", "fkiosk"), 403, "forbidden")
    assert_error(move(server, reference, "signature", None), 401, "unauthenticated")
    assert_error(move(server, reference, "document-check", version=1), 409, "file_changed")
    assert counts(server) == before

    back = move(server, reference, "document-check", reason="stamp unreadable", note="see us")
    assert back.status_code == 200 and back.json()["history"][-1]["kind"] == "back"
    assert back.json()["history"][-1]["reason"] == "stamp unreadable"
    cancelled = move(server, reference, "cancelled", "fboss", reason="citizen withdrew")
    assert cancelled.json()["status"] == "cancelled"
    assert_error(move(server, reference, "registry", "fboss"), 409, "file_cancelled")
    with pytest.raises(sqlite3.DatabaseError, match="never deleted"):
        conn = sqlite3.connect(server.db)
        try:
            conn.execute("DELETE FROM files WHERE reference = ?", [parse_reference(reference).code])
        finally:
            conn.close()

    kiosk_open = server.call(
        "POST",
        "/api/v1/files",
        "fkiosk",
        json={"service": "civil-extract", "citizen": {"name": "x"}},
    )
    assert_error(kiosk_open, 403, "forbidden")
    assert_error(server.call("GET", "/api/v1/files/overdue", "fclerk"), 403, "forbidden")
    assert_error(server.call("GET", f"/api/v1/files/{reference}"), 401, "unauthenticated")
    assert_error(server.call("GET", "/api/v1/files", params={"phone": "1"}), 401, "unauthenticated")


def test_every_single_character_substitution_is_mistyped(server: Server) -> None:
    references = [open_file(server)["reference"], new_reference().printed]
    for reference in references:
        code = parse_reference(reference).code
        for position in range(len(code)):
            for symbol in ALPHABET:
                if symbol == code[position]:
                    continue
                typo = code[:position] + symbol + code[position + 1 :]
                answer = server.call("GET", f"/api/v1/track/{typo}", "fclerk")
                assert_error(answer, 422, "reference_mistyped")
    assert server.call("GET", f"/api/v1/track/{references[0]}", "fclerk").status_code == 200
    assert_error(
        server.call("GET", f"/api/v1/track/{references[1]}", "fclerk"), 404, "file_not_found"
    )


def test_the_tracking_answer_holds_no_personal_data(server: Server) -> None:
    citizen = {
        "name": "Zainab Qassem Unique",
        "national_id": "IQ-99887766",
        "phone": "+964 770 5551234",
    }
    reference = server.call(
        "POST",
        "/api/v1/files",
        "fclerk",
        json={
            "service": "passport-new",
            "citizen": citizen,
            "documents_received": [0, 1, 2, 3],
            "note": "internal remark about Zainab",
        },
    ).json()["reference"]
    move(server, reference, "document-check")
    move(server, reference, "received", reason="secret reason 4471")
    code = parse_reference(reference).code
    stored = server.rows(
        "SELECT citizen_name, national_id, phone, opened_by, note FROM files WHERE reference = ?",
        (code,),
    )[0]
    reasons = [
        r[0]
        for r in server.rows(
            "SELECT reason FROM file_history WHERE reference = ? AND reason IS NOT NULL", (code,)
        )
    ]
    answer = server.call("GET", f"/api/v1/track/{reference}")
    assert answer.status_code == 200
    text = answer.text
    for value in [*stored, *reasons, "99887766", "5551234", "Zainab"]:
        assert value and str(value) not in text, value
    body = answer.json()
    assert not {"citizen", "note", "opened_by", "documents_received", "ticket"} & set(body)
    for entry in body["history"]:
        assert set(entry) == {"at", "kind", "stage", "stage_name", "status", "note"}
    assert set(body) == {
        "reference",
        "service",
        "workflow",
        "status",
        "status_name",
        "stage",
        "stages",
        "timezone",
        "opened_at",
        "stage_entered_at",
        "expected_ready_at",
        "ready",
        "waits_on_citizen",
        "overdue",
        "missing_documents",
        "where",
        "history",
        "track_url",
    }


def test_concurrent_moves_on_one_file_leave_one_consistent_history(server: Server) -> None:
    reference = open_file(server)["reference"]
    results: list[int] = []
    barrier = threading.Barrier(8)

    def race(who: str) -> None:
        barrier.wait()
        results.append(move(server, reference, "document-check", who).status_code)

    threads = [threading.Thread(target=race, args=(w,)) for w in ["fclerk", "fclerk2"] * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200] + [409] * 7

    # many different moves at once: each applies to the state the previous one left
    stages = ["registry", "document-check", "registry", "document-check"]

    def step(stage: str) -> None:
        barrier.wait()
        results.append(move(server, reference, stage, "fclerk", reason="recheck").status_code)

    results.clear()
    threads = [threading.Thread(target=step, args=(s,)) for s in stages * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    code = parse_reference(reference).code
    history = server.rows(
        "SELECT seq, from_stage, stage FROM file_history WHERE reference = ? ORDER BY seq", (code,)
    )
    assert [row[0] for row in history] == list(range(1, len(history) + 1))
    assert len(history) == 2 + results.count(200)
    for previous, current in pairwise(history):
        assert current[1] == previous[2]  # each move starts where the one before ended
    stage, moves = server.rows("SELECT stage, moves FROM files WHERE reference = ?", (code,))[0]
    assert stage == history[-1][2] and moves == len(history)


def test_the_workflow_of_every_demo_service_walks_to_the_end(server: Server) -> None:
    listed = server.call("GET", "/api/v1/services").json()["services"]
    services = [s for s in listed if s["kiosk"]]  # a step-only service opens no file of its own
    assert len(services) >= 15 and len(services) < len(listed)
    for service in services:
        file = open_file(
            server, service["id"], documents_received=list(range(len(service["documents"])))
        )
        assert file["status"] == "open", service["id"]
        stages = [s["id"] for s in file["stages"]]
        for stage in stages[1:]:
            answer = move(server, file["reference"], stage, "fboss")
            assert answer.status_code == 200, (service["id"], stage, answer.text)
        end = server.call("GET", f"/api/v1/track/{file['reference']}", "fclerk").json()
        assert end["status"] == "closed", service["id"]
        assert [h["stage"] for h in end["history"]] == stages


def test_bad_input_is_a_clear_4xx_and_writes_nothing(server: Server) -> None:
    reference = open_file(server)["reference"]
    before = counts(server)
    citizen = {"name": "A"}
    cases = [
        ({"service": "no-such-service", "citizen": citizen}, 404, "unknown_service"),
        ({"service": "civil-extract"}, 422, "invalid_input"),
        ({"citizen": citizen}, 422, "invalid_input"),
        ({"service": "civil-extract", "citizen": {"name": ""}}, 422, "invalid_input"),
        ({"service": "civil-extract", "citizen": {"name": "   "}}, 422, "invalid_input"),
        ({"service": "civil-extract", "citizen": {"name": "x" * 121}}, 422, "invalid_input"),
        ({"service": "civil-extract", "citizen": citizen, "note": "n" * 501}, 422, "invalid_input"),
        (
            {"service": "civil-extract", "citizen": citizen, "documents_received": [7]},
            422,
            "unknown_document",
        ),
        (
            {"service": "civil-extract", "citizen": citizen, "ticket": 987654},
            404,
            "ticket_not_found",
        ),
        (
            {"service": "civil-extract", "citizen": {"name": "A", "phone": "call me"}},
            422,
            "invalid_input",
        ),
        ({"service": "civil-extract", "citizen": citizen, "colour": "red"}, 422, "invalid_input"),
    ]
    for body, status, code in cases:
        assert_error(server.call("POST", "/api/v1/files", "fclerk", json=body), status, code)
    assert_error(
        server.call(
            "POST",
            "/api/v1/files",
            "fclerk",
            data="{not json",
            headers={"Content-Type": "application/json"},
        ),
        400,
        "malformed_json",
    )
    assert_error(move(server, reference, "no-such-stage"), 422, "unknown_stage")
    assert_error(move(server, reference, "document-check", note="n" * 501), 422, "invalid_input")
    assert_error(
        move(server, reference, "cancelled", "fboss", reason="r" * 501), 422, "invalid_input"
    )
    assert_error(
        server.call("POST", f"/api/v1/files/{reference}/stage", "fclerk", json={}),
        422,
        "invalid_input",
    )
    mistyped = next(
        c
        for c in (reference[:-1] + s for s in ALPHABET)
        if isinstance(parse_reference(c), Mistyped)
    )
    for path in ["/api/v1/track/{}", "/api/v1/files/{}"]:
        for text, status, code in [
            ("ABCD-EFGH-U", 422, "reference_malformed"),
            ("ABCD-EF*H-1", 422, "reference_malformed"),
            ("ABCD-EFGH", 422, "reference_malformed"),
            (mistyped, 422, "reference_mistyped"),
            (new_reference().printed, 404, "file_not_found"),
        ]:
            assert_error(server.call("GET", path.format(text), "fclerk"), status, code)
    assert_error(move(server, "ABCD-EF%25H-1", "registry"), 422, "reference_malformed")
    assert_error(server.call("GET", "/api/v1/files", "fclerk"), 422, "search_needs_a_key")
    assert counts(server) == before


def test_staff_find_files_by_national_id_and_phone_however_typed(server: Server) -> None:
    citizen = {"name": "Find Me", "national_id": "SY 5544-33", "phone": "+963 944 112233"}
    made = [
        server.call(
            "POST", "/api/v1/files", "fclerk", json={"service": service, "citizen": citizen}
        ).json()["reference"]
        for service in ["civil-extract", "id-card"]
    ]
    by_id = server.call("GET", "/api/v1/files", "fclerk", params={"national_id": "sy554433"})
    assert sorted(f["reference"] for f in by_id.json()["files"]) == sorted(made)
    by_phone = server.call("GET", "/api/v1/files", "fclerk2", params={"phone": "+963-944-112233"})
    assert {f["reference"] for f in by_phone.json()["files"]} == set(made)
    by_ref = server.call("GET", "/api/v1/files", "fclerk", params={"reference": made[0].lower()})
    assert by_ref.json()["files"][0]["citizen"]["national_id"] == "SY554433"


def test_overdue_listing_is_for_managers(server: Server) -> None:
    answer = server.call("GET", "/api/v1/files/overdue", "fboss")
    assert answer.status_code == 200
    assert set(answer.json()) == {"total", "by_service_stage", "files"}


class SourceAddress(HTTPAdapter):
    """Connections from another loopback address (Linux answers on all of 127/8): another client."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def client_at(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", SourceAddress(address))
    return session


def test_enumeration_hits_the_rate_limit_per_address_then_recovers(server: Server) -> None:
    enumerator, neighbour = client_at("127.0.0.77"), client_at("127.0.0.78")
    statuses = []
    for _ in range(TRACK_BURST + 5):
        answer = enumerator.get(f"{server.url}/api/v1/track/{new_reference().printed}", timeout=10)
        statuses.append(answer.status_code)
        if answer.status_code == 429:
            break
    assert statuses[-1] == 429 and set(statuses[:-1]) == {404}
    assert TRACK_BURST <= len(statuses) - 1 <= TRACK_BURST + 2  # the burst, and no more
    assert_error(answer, 429, "track_rate_limited")
    wait = int(answer.headers["Retry-After"])
    assert 1 <= wait <= 2 and str(wait) in answer.json()["error"]["message"]["en"]
    # another address, a kiosk (its own bucket) and signed-in staff are not held back
    path = f"/api/v1/track/{new_reference().printed}"
    assert neighbour.get(server.url + path, timeout=10).status_code == 404
    assert server.call("GET", path, "fkiosk").status_code == 404
    assert server.call("GET", path, "fclerk").status_code == 404
    time.sleep(wait)
    assert enumerator.get(server.url + path, timeout=10).status_code == 404
    enumerator.close()
    neighbour.close()


def test_moves_from_two_worker_processes_serialize_into_one_history(tmp_path: Path) -> None:
    """The same race as above, against two server processes sharing the database file."""
    with running_server(tmp_path / "two", workers=2) as running:
        clerks = [
            running.login(name, counter) for name, counter in [("clerk1", "c1"), ("clerk2", "c2")]
        ]
        reference = clerks[0].open_file("civil-extract", {"name": "W"}, [0, 1])["reference"]
        results: list[str] = []
        barrier = threading.Barrier(10)

        def race(i: int) -> None:
            client = clerks[i % 2]
            stage = "document-check" if i % 2 else "registry"
            barrier.wait()
            for _ in range(3):
                try:
                    client.move_file(reference, stage, reason="again")
                    results.append("moved")
                except ApiError as refused:
                    results.append(refused.code)

        threads = [threading.Thread(target=race, args=(i,)) for i in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert set(results) <= {"moved", "transition_not_allowed"} and results.count("moved") >= 2
        history = clerks[0].get_file(reference)["history"]
        assert [h["seq"] for h in history] == list(range(1, len(history) + 1))
        assert len(history) == 1 + results.count("moved")
        for previous, current in pairwise(history):
            assert current["from_stage"] == previous["stage"]
