"""The counter's silent alarm through the API, in-process: an urgent alert naming the counter in
Arabic and English, an audited event that is never public, only from the counter itself, and the
dashboard's wait that returns as soon as an alert is raised."""

from __future__ import annotations

import json
import threading
import time

from tests.server.conftest import AppEnv


def alarm(env: AppEnv, counter: str, headers: dict[str, str] | None):
    return env.http.post(f"/api/v1/counters/{counter}/alarm", headers=headers or {})


def test_an_alarm_from_the_counter_is_an_urgent_alert_naming_it_and_a_private_event(
    app_env: AppEnv,
) -> None:
    env = app_env
    clerk = env.login("clerk1", counter="c1")
    answer = alarm(env, "c1", clerk)
    assert answer.status_code == 202, answer.text
    alert_id = answer.json()["alert"]
    alerts = env.http.get("/api/v1/alerts", headers=env.login("manager")).json()
    mine = [a for a in alerts if a["id"] == alert_id]
    assert len(mine) == 1 and mine[0]["kind"] == "silent_alarm"
    assert "الشباك 1" in mine[0]["message"] and "Counter 1" in mine[0]["message"]
    assert mine[0]["actor"] == "clerk1" and mine[0]["label"] == "counter:c1"

    rows = (
        env.ctx.db.read()
        .execute(
            "SELECT kind, counter, actor, data, public FROM events WHERE kind = 'silent_alarm'"
        )
        .fetchall()
    )
    assert len(rows) == 1
    kind, counter, actor, data, public = rows[0]
    assert (kind, counter, actor, public) == ("silent_alarm", "c1", "clerk1", None)
    data = json.loads(data)
    assert data["number"] == 1 and data["name"]["en"] == "Counter 1" and not data["repeat"]
    # nothing of it on the public stream's table (the board, the phones)
    public_kinds = (
        env.ctx.db.read()
        .execute(
            "SELECT kind FROM events WHERE public IS NOT NULL AND (kind LIKE '%alarm%'"
            " OR kind LIKE 'alert%' OR public LIKE '%alarm%')"
        )
        .fetchall()
    )
    assert public_kinds == []


def test_pressing_again_keeps_one_alert_and_logs_every_press(app_env: AppEnv) -> None:
    env = app_env
    clerk = env.login("clerk1", counter="c1")
    first = alarm(env, "c1", clerk).json()
    second = alarm(env, "c1", clerk).json()
    assert second == {"alert": first["alert"], "repeat": True}
    manager = env.login("manager")
    env.http.post(f"/api/v1/alerts/{first['alert']}/resolve", headers=manager)
    third = alarm(env, "c1", clerk).json()  # after the manager cleared it: a new alert
    assert third["alert"] != first["alert"] and not third["repeat"]
    count = (
        env.ctx.db.read()
        .execute("SELECT count(*) FROM events WHERE kind = 'silent_alarm'")
        .fetchone()[0]
    )
    assert count == 3


def test_only_a_person_at_that_counter_raises_its_alarm(app_env: AppEnv) -> None:
    env = app_env
    anonymous = alarm(env, "c1", None)
    assert (anonymous.status_code, anonymous.json()["error"]["code"]) == (401, "unauthenticated")
    kiosk = alarm(env, "c1", env.kiosk)
    assert (kiosk.status_code, kiosk.json()["error"]["code"]) == (403, "forbidden")
    other = alarm(env, "c1", env.login("clerk2", counter="c2"))
    assert (other.status_code, other.json()["error"]["code"]) == (403, "not_at_counter")
    nowhere = alarm(env, "c1", env.login("manager"))
    assert nowhere.json()["error"]["code"] == "not_at_counter"
    unknown = alarm(env, "zz", env.login("clerk1", counter="c1"))
    assert unknown.json()["error"]["code"] == "unknown_counter"
    count = (
        env.ctx.db.read()
        .execute("SELECT count(*) FROM alerts WHERE kind = 'silent_alarm'")
        .fetchone()[0]
    )
    assert count == 0


def test_the_dashboards_wait_returns_as_soon_as_the_alarm_is_raised(app_env: AppEnv) -> None:
    env = app_env
    manager = env.login("manager")
    now = env.http.get("/api/v1/alerts/wait", headers=manager).json()  # no ``after``: at once
    clerk = env.login("clerk1", counter="c1")
    answers: list[tuple[float, dict]] = []

    def wait() -> None:
        answer = env.http.get(f"/api/v1/alerts/wait?after={now['last']}", headers=manager)
        answers.append((time.monotonic(), answer.json()))

    waiter = threading.Thread(target=wait)
    waiter.start()
    raised_at = time.monotonic()
    assert alarm(env, "c1", clerk).status_code == 202
    waiter.join(timeout=15)
    assert answers, "the wait did not return"
    returned_at, body = answers[0]
    assert body["last"] > now["last"]
    assert [a["kind"] for a in body["alerts"]] == ["silent_alarm"]
    assert returned_at - raised_at < 5  # well before the 20 s the wait lasts when nothing comes
    clerk_wait = env.http.get("/api/v1/alerts/wait", headers=env.kiosk)
    assert clerk_wait.status_code == 403
