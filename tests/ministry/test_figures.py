"""The dashboard's figures equal an independent computation from the hub's event table.

Two real centers (real server processes) each get six seeded past days (to yesterday) whose
tickets carry their events, a live morning (tickets waiting, served, a no-show, a call out of
order with its reason, a printer alert) and files; their logs go into a real PostgreSQL hub
through the writer's batch. The test then reads the dashboard's API as the ministry and
recomputes every figure with plain Python from ``SELECT ... FROM events``: the replay here is a
dict update per event, the percentiles a sort, the targets read from the centers' catalog file.
"""

from __future__ import annotations

import json
import math
import time
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hub.store.database import connect
from nafitha.paths import DEMO
from server.config import load_center_config
from tests.ministry.conftest import CENTERS, PASSWORD
from tests.ministry.support import HubHttp, running_hub

ZONE = "Asia/Beirut"


# ------------------------------------------------------------------ the independent computation


def events(dsn: str) -> list[dict[str, Any]]:
    with connect(dsn) as conn:
        rows = conn.execute(
            "SELECT center, seq, at, kind, ticket_id, data FROM events ORDER BY center, seq"
        ).fetchall()
    keys = ("center", "seq", "at", "kind", "ticket_id", "data")
    return [{**dict(zip(keys, r, strict=True)), "data": json.loads(r[5])} for r in rows]


def tickets_of(log: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for e in log:
        change = e["data"].get("ticket")
        if e["ticket_id"] is not None and isinstance(change, dict):
            out.setdefault((e["center"], e["ticket_id"]), {}).update(change)
    return out


def quantile(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def targets() -> dict[str, float]:
    catalog = load_center_config(DEMO / "center.toml")  # its defaults for keys a service omits
    return {s.id: s.target_wait_min * 60.0 for s in catalog.services}


def figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
    goal = targets()
    waits = [max(0.0, r["called_at"] - r["issued_at"]) for r in rows if r["called_at"] is not None]
    within = [
        max(0.0, r["called_at"] - r["issued_at"]) <= goal[r["service"]]
        for r in rows
        if r["called_at"] is not None
    ]
    quoted = [
        abs(max(0.0, r["called_at"] - r["issued_at"]) - r["quoted_wait_s"])
        for r in rows
        if r["called_at"] is not None and r["quoted_wait_s"] is not None
    ]
    return {
        "tickets": len(rows),
        "served": sum(r["state"] == "done" for r in rows),
        "no_shows": sum(r["state"] == "no_show" for r in rows),
        "cancelled": sum(r["state"] == "cancelled" for r in rows),
        "called": len(waits),
        "wait_mean": sum(waits) / len(waits) if waits else None,
        "wait_median": quantile(waits, 0.5),
        "wait_p90": quantile(waits, 0.9),
        "within_target": sum(within) / len(within) if within else None,
        "quote_error_mean": sum(quoted) / len(quoted) if quoted else None,
    }


def same(got: dict[str, Any], want: dict[str, Any]) -> None:
    for name, value in want.items():
        if value is None or isinstance(value, int):
            assert got[name] == value, name
        else:
            assert got[name] == pytest.approx(value, rel=1e-9, abs=1e-6), name


def bounds(first: date, last: date) -> tuple[float, float]:
    zone = ZoneInfo(ZONE)
    start = datetime.combine(first, datetime.min.time(), zone).timestamp()
    return start, datetime.combine(last + timedelta(1), datetime.min.time(), zone).timestamp()


# ------------------------------------------------------------------------------------- tests


def test_period_figures_equal_the_events_recomputed(api: HubHttp, hub_dsn: str) -> None:
    today = datetime.now(ZoneInfo(ZONE)).date()
    # Three days against the three before: each holds at least one seeded working day whatever
    # today is (the demo center is closed on Sundays and open half of Saturday).
    first, last = today - timedelta(days=2), today
    report = api.get(f"/api/v1/ministry/period?from={first}&to={last}").json()
    assert report["period"]["previous_from"] == str(first - timedelta(days=3))
    log = events(hub_dsn)
    tickets = tickets_of(log)

    def rows(center: str | None, service: str | None, a: date, b: date) -> list[dict]:
        return [
            t for (c, _), t in tickets.items()
            if (center is None or c == center) and (service is None or t["service"] == service)
            and str(a) <= t["day"] <= str(b)
        ]  # fmt: skip

    before = (first - timedelta(days=3), first - timedelta(days=1))
    same(report["all"]["current"], figures(rows(None, None, first, last)))
    same(report["all"]["previous"], figures(rows(None, None, *before)))
    assert [c["id"] for c in report["centers"]] == list(CENTERS)
    for center in report["centers"]:
        assert center["timezone"] == ZONE
        same(center["current"], figures(rows(center["id"], None, first, last)))
        same(center["previous"], figures(rows(center["id"], None, *before)))
        assert center["current"]["tickets"] > 50 and center["current"]["within_target"] is not None
        assert center["previous"]["tickets"] > 50
        for service in center["services"]:
            same(service["current"], figures(rows(center["id"], service["id"], first, last)))
        start, end = bounds(first, last)
        opened = sum(
            1 for e in log
            if e["center"] == center["id"] and e["kind"] == "file_opened" and start <= e["at"] < end
        )  # fmt: skip
        assert center["files"]["opened"]["current"] == opened == 3
    csv_text = api.get(f"/api/v1/ministry/period.csv?from={first}&to={last}").text
    lines = csv_text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("from,to,center,center_name_ar,center_name_en,service,tickets")
    north = next(
        line for line in lines if line.split(",")[2:3] == ["north"] and line.split(",")[5] == ""
    )
    assert north.split(",")[6] == str(report["centers"][0]["current"]["tickets"])


def test_live_and_integrity_equal_the_events_recomputed(api: HubHttp, hub_dsn: str) -> None:
    log = events(hub_dsn)
    tickets = tickets_of(log)
    today = datetime.now(ZoneInfo(ZONE)).date()
    live = api.get("/api/v1/ministry/live").json()
    for center in live["centers"]:
        waiting = [
            t for (c, _), t in tickets.items()
            if c == center["id"] and t["state"] == "waiting" and t["day"] == str(today)
        ]  # fmt: skip
        assert center["waiting"] == len(waiting) > 0
        assert center["longest_wait_s"] == pytest.approx(
            live["now"] - min(t["issued_at"] for t in waiting), abs=1e-6
        )
        assert center["silent"] is False and center["status"] == "running"
    alerts = [a for a in live["device_alerts"] if a["kind"] == "printer_paper"]
    assert sorted(a["center"] for a in alerts) == list(CENTERS)
    assert all(a["resolved_at"] is None and a["message"] == "out of paper" for a in alerts)
    # c2's silent alarm, pressed twice, is one alarm per center: north's closed by its manager
    alarms = {a["center"]: a for a in live["device_alerts"] if a["kind"] == "silent_alarm"}
    assert len([a for a in live["device_alerts"] if a["kind"] == "silent_alarm"]) == 2
    assert alarms["north"]["resolved_at"] is not None and alarms["south"]["resolved_at"] is None
    assert all(a["counter"] == "c2" and "Silent alarm at counter" in a["message"]
               for a in alarms.values())  # fmt: skip
    assert live["device_alerts"].index(alarms["south"]) < live["device_alerts"].index(
        alarms["north"]
    )  # open ones first

    first = today - timedelta(days=6)
    report = api.get(f"/api/v1/ministry/integrity?from={first}&to={today}").json()
    start, end = bounds(first, today)
    for center in report["centers"]:
        mine = [e for e in log if e["center"] == center["id"] and start <= e["at"] < end]
        in_order = sum(e["kind"] == "ticket_called" for e in mine)
        out = [e for e in mine if e["kind"] == "ticket_called_out_of_order"]
        assert (center["in_order"], center["out_of_order"]) == (in_order, len(out)) and out
        assert center["share_in_order"] == pytest.approx(in_order / (in_order + len(out)))
        [day] = center["days"]
        assert day["day"] == str(today) and day["count"] == 1
        assert day["calls"][0]["reason"] == "an elderly citizen, by the manager's leave"
        head = max(e["seq"] for e in log if e["center"] == center["id"])
        assert center["head_seq"] == head and len(center["head_hash"]) == 64


def test_a_silent_center_and_a_chain_alarm_show_live(hub_dsn: str) -> None:
    """South has not been heard from for two minutes (silent after one), and an event past a
    hole in north's log reaches the hub: the writer stops north with a gap alarm."""
    from hub.config import MinistrySettings
    from hub.usecases.intake import Message, take_batch
    from nafitha.national.wire import encode

    with connect(hub_dsn) as conn:
        conn.execute("UPDATE centers SET last_contact = %s WHERE id = 'south'", [time.time() - 120])
        row = conn.execute(
            "SELECT seq, at, kind, actor, counter, device, ticket_id, data, public, prev_hash, hash"
            " FROM events WHERE center = 'north' ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        keys = ("id", "at", "kind", "actor", "counter", "device", "ticket_id", "data", "public",
                "prev_hash", "hash")  # fmt: skip
        hole = {**dict(zip(keys, row, strict=True)), "id": row[0] + 5}
        result = take_batch(conn, "north", [Message(encode("north", hole))], time.time())
        assert result.stopped is not None
    with running_hub(hub_dsn, MinistrySettings(silent_after_min=1)) as http:
        token = http.post(
            "/api/v1/ministry/auth/login", json={"username": "mona", "password": PASSWORD}
        ).json()["token"]
        live = http.get("/api/v1/ministry/live", headers={"Authorization": f"Bearer {token}"})
    by_id = {c["id"]: c for c in live.json()["centers"]}
    assert {c: by_id[c]["silent"] for c in CENTERS} == {"north": False, "south": True}
    assert by_id["north"]["status"] == "stopped" and by_id["south"]["status"] == "running"
    assert [a["kind"] for a in by_id["north"]["alarms"]] == ["gap"]
    assert by_id["south"]["alarms"] == []


def test_the_day_aggregates_kept_by_the_trigger_equal_the_tickets(hub_dsn: str) -> None:
    """Tickets were issued in one batch and called, served, recalled in later ones: the trigger's
    running sums equal a fresh count of the tickets, and the waits' histograms hold every wait."""
    with connect(hub_dsn) as conn:
        kept = conn.execute(
            "SELECT center, day, service, tickets, served, no_shows, cancelled, called,"
            " round(wait_sum::numeric, 3), quoted FROM ticket_figures"
            " WHERE tickets <> 0 AND length(day) = 10 ORDER BY 1, 2, 3"
        ).fetchall()
        fresh = conn.execute(
            "SELECT center, day, coalesce(service, ''), count(*),"
            " count(*) FILTER (WHERE state = 'done'), count(*) FILTER (WHERE state = 'no_show'),"
            " count(*) FILTER (WHERE state = 'cancelled'), count(called_at),"
            " round(coalesce(sum(greatest(0, called_at - issued_at)), 0)::numeric, 3),"
            " count(*) FILTER (WHERE called_at IS NOT NULL AND quoted_wait_s IS NOT NULL)"
            " FROM tickets WHERE issued_at IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        ).fetchall()
        waits = conn.execute(
            "SELECT kind, sum(n) FROM ticket_waits WHERE length(day) = 10"
            " GROUP BY kind ORDER BY kind"
        ).fetchall()
        # Each month's rows hold the sum of its days' rows.
        months = conn.execute(
            "SELECT m.center, m.day, m.service, m.tickets, m.called, d.tickets, d.called"
            " FROM ticket_figures m JOIN (SELECT center, left(day, 7) AS month, service,"
            "  sum(tickets) AS tickets, sum(called) AS called FROM ticket_figures"
            "  WHERE length(day) = 10 GROUP BY 1, 2, 3) d"
            " ON d.center = m.center AND d.month = m.day AND d.service = m.service"
        ).fetchall()
        called = conn.execute("SELECT count(called_at) FROM tickets").fetchone()[0]
    assert kept == fresh and len(kept) > 10
    assert months and all(m[3:5] == m[5:7] for m in months)
    assert waits == [(0, called), (1, called)]


def test_a_long_period_merged_from_the_aggregates_equals_the_exact_one(
    hub_dsn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hub.domain.roles import Person
    from hub.usecases import ministry

    today = datetime.now(ZoneInfo(ZONE)).date()
    # This whole month (read from its month rows) against the days just before it.
    month_end = (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    first, last, now = str(today.replace(day=1)), str(month_end), time.time()
    who = Person("mona", "ministry")
    with connect(hub_dsn, role="hub_web") as conn:
        exact = ministry.period_report(conn, who, first, last, now)
        monkeypatch.setattr(ministry, "EXACT_TICKETS", 0)
        merged = ministry.period_report(conn, who, first, last, now)
    assert merged["approximate"] and not exact["approximate"]
    assert merged["all"]["current"]["tickets"] > 0
    pairs = [(merged["all"], exact["all"])]
    for m, e in zip(merged["centers"], exact["centers"], strict=True):
        pairs.append((m, e))
        pairs += list(zip(m["services"], e["services"], strict=True))
    for m, e in pairs:
        for period in ("current", "previous"):
            got, want = m[period], e[period]
            for name in ("tickets", "served", "no_shows", "cancelled", "called"):
                assert got[name] == want[name], name
            for name in ("wait_mean", "within_target", "quote_error_mean"):
                if want[name] is None:
                    assert got[name] is None, name
                else:
                    assert got[name] == pytest.approx(want[name], rel=1e-9, abs=1e-9), name
            # 2 % buckets: within about 1 %, and half a second for waits under a second (one
            # bucket, counted as 0.5 s), which an interpolated median between a sub-second wait
            # and a longer one carries (a live morning's calls at once).
            for name in ("wait_median", "wait_p90"):
                if want[name] is None or want[name] < 5:
                    continue
                assert got[name] == pytest.approx(want[name], rel=0.02, abs=0.5), name


def test_no_answer_of_the_dashboard_holds_personal_data(api: HubHttp, hub_dsn: str) -> None:
    """Every name, national id and phone the hub holds (for the ministry's authorised role) is
    looked for in every answer of the dashboard's API: none is there."""
    with connect(hub_dsn) as conn:
        stored = [
            value
            for row in conn.execute("SELECT name, national_id, phone FROM personal").fetchall()
            for value in row
            if value
        ]
    assert len(stored) >= 6
    today = datetime.now(ZoneInfo(ZONE)).date()
    period = f"from={today - timedelta(days=30)}&to={today}"
    # JSON read back and written without escapes, so an Arabic name would show as itself.
    answers = [
        json.dumps(api.get(path).json(), ensure_ascii=False) if ".csv" not in path
        else api.get(path).text
        for path in (
            f"/api/v1/ministry/period?{period}", f"/api/v1/ministry/period.csv?{period}",
            "/api/v1/ministry/live", f"/api/v1/ministry/integrity?{period}",
            "/api/v1/ministry/auth/me",
        )
    ]  # fmt: skip
    for value in stored:
        assert all(value not in answer for answer in answers), value
