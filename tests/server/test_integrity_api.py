"""GET /api/v1/integrity in process: figures equal a count written here from the events table,
free text never leaves the audit log, a bad day is the standard error, anonymous reads are
rate-limited and staff's are not, and the report follows the log (cache keyed by the head)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server.conftest import AppEnv, local_ts, make_env

FREE_TEXT = "Ahmad Khalil's cousin <script>alert(1)</script>"


@pytest.fixture
def env(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:
    yield from make_env(seeded_db, tmp_path, ignore_hours=True, integrity_fresh_s=0)


def expected_from_events(db_path: Path, day_start: float, day_end: float) -> dict[str, Any]:
    """The report's figures computed independently, straight from the events table."""
    conn = sqlite3.connect(db_path)
    rows = conn.execute(
        "SELECT id, at, kind, ticket_id, data, public, hash FROM events ORDER BY id"
    ).fetchall()
    conn.close()
    day = [r for r in rows if day_start <= r[1] < day_end]
    priority: dict[int, bool] = {}
    figures = {"issued": 0, "in_order": 0, "out_of_order": 0, "priority": 0, "transfers": 0}
    calls = []
    for _id, _at, kind, ticket_id, data, public, _hash in rows:
        data = json.loads(data)
        if kind == "ticket_issued":
            priority[ticket_id] = bool(data["priority"])
        if (_id, _at) not in {(r[0], r[1]) for r in day}:
            continue
        if kind == "ticket_issued":
            figures["issued"] += 1
        elif kind in ("ticket_called", "ticket_called_out_of_order"):
            figures["priority"] += priority[ticket_id]
            if kind == "ticket_called":
                figures["in_order"] += 1
            else:
                figures["out_of_order"] += 1
                calls.append(
                    (data["number"], json.loads(public)["counter"]["number"], data["reason"])
                )
        elif kind == "ticket_transfer":
            figures["transfers"] += 1
    last = max(day, key=lambda r: r[0])
    return {**figures, "calls": calls, "head": f"{last[0]}:{last[6]}"}


def test_the_figures_equal_a_count_from_the_events_table(env: AppEnv) -> None:
    clerk1 = env.login("clerk1", "c1")
    clerk2 = env.login("clerk2", "c2")
    tickets = [env.issue("civil-extract") for _ in range(6)]
    tickets += [env.issue("civil-extract", priority=True) for _ in range(2)]
    http = env.http

    def call_next(who: dict[str, str], counter: str) -> dict[str, Any]:
        answer = http.post(f"/api/v1/counters/{counter}/next", headers=who)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def finish(who: dict[str, str], ticket: dict[str, Any]) -> None:
        answer = http.post(f"/api/v1/tickets/{ticket['id']}/finish", headers=who, json={})
        assert answer.status_code == 200, answer.text

    def call_out(who: dict[str, str], counter: str, ticket: dict[str, Any], reason: str) -> None:
        answer = http.post(
            f"/api/v1/counters/{counter}/call/{ticket['id']}", headers=who, json={"reason": reason}
        )
        assert answer.status_code == 200, answer.text

    finish(clerk1, call_next(clerk1, "c1"))  # a priority ticket, by the rule
    call_out(clerk2, "c2", tickets[5], "special_needs")
    finish(clerk2, tickets[5])
    call_out(clerk1, "c1", tickets[4], "appointment: booked by Mr Haddad")
    transfer = http.post(
        f"/api/v1/tickets/{tickets[4]['id']}/transfer", headers=clerk1, json={"counter": "c2"}
    )
    assert transfer.status_code == 200, transfer.text
    call_out(clerk2, "c2", tickets[3], FREE_TEXT)
    finish(clerk2, tickets[3])
    env.clock.advance(60)
    finish(clerk1, call_next(clerk1, "c1"))

    answer = http.get("/api/v1/integrity")
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["day"] == "2026-11-23"
    expected = expected_from_events(
        env.db_path, local_ts("2026-11-23 00:00"), local_ts("2026-11-24 00:00")
    )
    assert report["issued"] == expected["issued"] == 8
    assert report["called_in_order"] == expected["in_order"] == 2
    assert report["called_out_of_order"] == expected["out_of_order"] == 3
    assert report["called"] == 5
    assert report["share_in_order"] == pytest.approx(2 / 5)
    assert report["priority_calls"] == expected["priority"] == 2
    assert report["share_priority"] == pytest.approx(2 / 5)
    assert report["transfers"] == expected["transfers"] == 1
    assert report["head"]["text"] == expected["head"]
    assert report["verify"] == f"nafitha audit verify --head {expected['head']}"
    published = {
        "special_needs": "special_needs",
        "appointment: booked by Mr Haddad": "appointment",
    }
    shown = [(c["number"], c["counter"], c["reason"]) for c in report["out_of_order"]]
    assert shown == [(n, c, published.get(r, "other")) for n, c, r in expected["calls"]]
    assert report["out_of_order"][0]["reason_name"]["en"] == "Special needs"
    assert report["out_of_order"][2]["reason_name"]["en"] == "Other"
    text = answer.text
    for secret in ("Khalil", "Haddad", "<script", "booked"):
        assert secret not in text


def test_the_report_follows_the_log(env: AppEnv) -> None:
    first = env.http.get("/api/v1/integrity").json()
    env.issue("civil-extract")
    second = env.http.get("/api/v1/integrity").json()
    assert second["issued"] == first["issued"] + 1
    assert second["head"]["seq"] > (first["head"] or {"seq": 0})["seq"]


def test_a_day_without_events_has_no_head(env: AppEnv) -> None:
    report = env.http.get("/api/v1/integrity", params={"day": "2026-11-20"}).json()
    assert report["issued"] == 0 and report["called"] == 0
    assert report["share_in_order"] is None
    assert report["head"] is None and report["verify"] is None


@pytest.mark.parametrize(
    "day", ["2026-13-01", "yesterday", "2026-2-1", "1999-12-31", "2026-11-23x"]
)
def test_a_bad_day_is_the_standard_error(env: AppEnv, day: str) -> None:
    answer = env.http.get("/api/v1/integrity", params={"day": day})
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] in ("bad_day", "invalid_input")
    assert error["message"]["ar"] and error["message"]["en"]


def test_anonymous_reads_are_rate_limited_staff_are_not(env: AppEnv) -> None:
    burst = env.ctx.settings.integrity_burst
    for _ in range(burst):
        assert env.http.get("/api/v1/integrity").status_code == 200
    refused = env.http.get("/api/v1/integrity")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "integrity_rate_limited"
    assert int(refused.headers["Retry-After"]) >= 1
    manager = env.login("manager")
    for _ in range(burst + 2):
        assert env.http.get("/api/v1/integrity", headers=manager).status_code == 200


def test_a_counter_lists_what_it_may_call_and_the_reasons(env: AppEnv) -> None:
    mine = [env.issue("civil-extract") for _ in range(2)]
    env.issue("passport-new")  # not served at c1
    clerk = env.login("clerk1", "c1")
    answer = env.http.get("/api/v1/counters/c1/callable", headers=clerk)
    assert answer.status_code == 200, answer.text
    listed = answer.json()
    assert [t["number"] for t in listed["tickets"]] == [t["number"] for t in mine]
    assert [r["id"] for r in listed["reasons"]] == [
        "returning",
        "special_needs",
        "appointment",
        "manager_request",
        "other",
    ]
    other = env.http.get("/api/v1/counters/c2/callable", headers=clerk)
    assert other.status_code == 403 and other.json()["error"]["code"] == "not_at_counter"


def test_computations_share_one_budget_and_cached_answers_do_not_count(
    seeded_db: Path, tmp_path: Path
) -> None:
    settings = {"integrity_computations_per_minute": 1, "integrity_fresh_s": 0}
    for env in make_env(seeded_db, tmp_path, **settings):
        env.issue("civil-extract")
        manager = env.login("manager")
        first = env.http.get("/api/v1/integrity", headers=manager)
        assert first.status_code == 200
        again = env.http.get("/api/v1/integrity", headers=manager)  # the same head: cached
        assert again.status_code == 200 and again.json() == first.json()
        env.clock.advance(3)  # a new event: a new computation is due
        env.issue("civil-extract")
        refused = env.http.get("/api/v1/integrity", headers=manager)
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "integrity_rate_limited"
        env.clock.advance(61)  # the budget refills with time
        assert env.http.get("/api/v1/integrity", headers=manager).json()["issued"] == 2
