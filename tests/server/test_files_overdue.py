"""Overdue files and expected ready dates, in process with a clock the test moves."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from server.store.events import verify_chain
from tests.server.conftest import TZ, AppEnv

HOUR = 3600.0


def open_file(env: AppEnv, clerk: dict[str, str], service: str, received: list[int]) -> str:
    answer = env.http.post(
        "/api/v1/files",
        json={"service": service, "citizen": {"name": "N"}, "documents_received": received},
        headers=clerk,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["reference"]


def move(env: AppEnv, who: dict[str, str], reference: str, stage: str, **body: Any) -> Any:
    answer = env.http.post(
        f"/api/v1/files/{reference}/stage", json={"stage": stage, **body}, headers=who
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def overdue(env: AppEnv, manager: dict[str, str]) -> dict[str, Any]:
    answer = env.http.get("/api/v1/files/overdue", headers=manager)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_overdue_files_by_service_and_stage(app_env: AppEnv) -> None:
    env = app_env
    clerk, manager = env.login("clerk1", "c1"), env.login("manager")
    extracts = [open_file(env, clerk, "civil-extract", [0, 1]) for _ in range(3)]
    passport = open_file(env, clerk, "passport-new", [0, 1, 2, 3])
    for reference in [*extracts, passport]:
        move(env, clerk, reference, "document-check")
    move(env, clerk, extracts[2], "missing_documents", missing=[1, "a recent photo"])
    ready = open_file(env, clerk, "vehicle-fees", [0, 1])
    move(env, clerk, ready, "payment-check")
    move(env, clerk, ready, "ready")

    env.clock.advance(0.5 * HOUR)
    assert overdue(env, manager)["total"] == 0
    env.clock.advance(2 * HOUR)  # document check takes 1 h: 1.5 h late now
    listing = overdue(env, manager)
    assert listing["total"] == 3
    groups = {(g["service"]["id"], g["stage"]["id"]): g for g in listing["by_service_stage"]}
    assert {key: g["count"] for key, g in groups.items()} == {
        ("civil-extract", "document-check"): 2,
        ("passport-new", "document-check"): 1,
    }
    assert groups["civil-extract", "document-check"]["stage"]["name"]["en"] == "Document check"
    assert groups["civil-extract", "document-check"]["oldest_overdue_s"] == int(1.5 * HOUR)
    assert {f["reference"] for f in listing["files"]} == {*extracts[:2], passport}
    tracked = env.http.get(f"/api/v1/track/{extracts[0]}").json()
    assert tracked["overdue"] is True
    held = env.http.get(f"/api/v1/track/{extracts[2]}").json()
    assert held["overdue"] is False and held["status"] == "missing_documents"
    assert [d["en"] for d in held["missing_documents"]] == ["Fiscal stamp", "a recent photo"]

    move(env, clerk, extracts[0], "registry")
    assert overdue(env, manager)["total"] == 2
    env.clock.advance(1000 * HOUR)  # a file ready for pickup waits on the citizen: never overdue
    clerk, manager = env.login("clerk1", "c1"), env.login("manager")  # sessions expired meanwhile
    assert ready not in {f["reference"] for f in overdue(env, manager)["files"]}
    assert env.http.get("/api/v1/files/overdue", headers=clerk).status_code == 403


def test_expected_ready_date_follows_the_remaining_stages(app_env: AppEnv) -> None:
    env = app_env
    clerk = env.login("clerk1", "c1")
    reference = open_file(env, clerk, "civil-extract", [0, 1])
    start = env.clock()
    move(env, clerk, reference, "document-check")
    tracked = env.http.get(f"/api/v1/track/{reference}").json()
    # document check 1 h + extraction 4 h + signature 2 h, then ready for pickup
    expected = datetime.fromtimestamp(start + 7 * HOUR, ZoneInfo(TZ))
    assert tracked["expected_ready_at"] == expected.isoformat(timespec="seconds")
    env.clock.advance(3 * HOUR)  # late in document check: ready no earlier than now + 6 h
    tracked = env.http.get(f"/api/v1/track/{reference}").json()
    later = datetime.fromtimestamp(env.clock(), ZoneInfo(TZ)) + timedelta(hours=6)
    assert tracked["expected_ready_at"] == later.isoformat(timespec="seconds")


def test_every_file_change_is_one_event_in_an_intact_chain(app_env: AppEnv) -> None:
    env = app_env
    clerk, manager = env.login("clerk1", "c1"), env.login("manager")
    reference = open_file(env, clerk, "document-legalization", [0])
    move(env, clerk, reference, "verification")
    move(env, clerk, reference, "received", reason="wrong stamp")
    move(env, manager, reference, "cancelled", reason="withdrawn")
    refused = env.http.post(
        f"/api/v1/files/{reference}/stage", json={"stage": "verification"}, headers=clerk
    )
    assert refused.status_code == 409
    db = env.ctx.db.read()
    kinds = [
        row[0]
        for row in db.execute(
            "SELECT kind FROM events WHERE kind LIKE 'file_%' ORDER BY id"
        ).fetchall()
    ]
    assert kinds == ["file_opened", "file_moved", "file_moved", "file_moved"]
    history = db.execute("SELECT count(*) FROM file_history").fetchone()[0]
    assert history == len(kinds)
    checked, problems = verify_chain(db)
    assert checked > 0 and problems == []
    personal = db.execute("SELECT data FROM events WHERE kind = 'file_opened'").fetchone()[0]
    assert '"N"' not in personal and "citizen_hmac" in personal


def test_a_skipped_optional_stage_shows_as_skipped(app_env: AppEnv) -> None:
    env = app_env
    clerk = env.login("clerk1", "c1")
    reference = open_file(env, clerk, "passport-new", [0, 1, 2, 3])
    move(env, clerk, reference, "document-check")
    answer = move(env, clerk, reference, "security-check")  # fingerprints taken earlier
    assert answer["history"][-1]["kind"] == "forward"
    states = {
        s["id"]: s["state"] for s in env.http.get(f"/api/v1/track/{reference}").json()["stages"]
    }
    assert states["biometrics"] == "skipped" and states["document-check"] == "done"
    assert states["security-check"] == "current" and states["printing"] == "next"


def test_the_demo_sample_files_show_each_situation(app_env: AppEnv) -> None:
    from server.demo.files import seed_demo_files

    made = seed_demo_files(app_env.ctx)
    assert len(made) == 5
    seen = {}
    for reference, _service, shows in made:
        tracked = app_env.http.get(f"/api/v1/track/{reference}").json()
        seen[shows] = (tracked["status"], tracked["ready"], tracked["overdue"])
    assert seen == {
        "ready for pickup": ("open", True, False),
        "a document missing": ("missing_documents", False, False),
        "overdue at the ministry": ("open", False, True),
        "in progress": ("open", False, False),
        "closed": ("closed", False, False),
    }
