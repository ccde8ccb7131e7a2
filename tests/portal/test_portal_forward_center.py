"""The center's answers to portal requests, in process on a real SQLite file (the demo center,
a moved clock): the same use cases as the API acting as ``portal``; bad, unknown and oversized
requests refused with the error shape; a retried request id answered with its first answer, also
after a restart (the kept answers' file); a reused id refused."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server.config import DEFAULT_CENTER, load_center_config
from server.usecases.portal_requests import MAX_REQUEST_BYTES, Answers, answer
from tests.server.conftest import AppEnv, make_env, seeded_db  # noqa: F401 - a fixture

SERVICE = "passport-renewal"
MONDAY = "2026-11-23"  # the fake clock's day (10:00)


@pytest.fixture
def env(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:  # noqa: F811
    yield from make_env(seeded_db, tmp_path)


def ask(env: AppEnv, answers: Answers, op: str, request_id: str = "r-000001", **args: Any) -> dict:
    raw = json.dumps({"v": 1, "id": request_id, "op": op, "args": args}).encode()
    return json.loads(answer(env.ctx, raw, answers))


def rows(env: AppEnv, sql: str, *args: Any) -> list[tuple]:
    with sqlite3.connect(env.db_path) as db:
        return db.execute(sql, args).fetchall()


def test_a_booking_by_the_portal_is_the_center_s_own(env: AppEnv, tmp_path: Path) -> None:
    answers = Answers(tmp_path / "answers")
    booked = ask(env, answers, "book", service=SERVICE, day=MONDAY, start="11:00", lang="en")
    assert booked["ok"] and booked["status"] == 201, booked
    code = booked["result"]["code"]
    assert rows(env, "SELECT by, status FROM bookings WHERE code = ?", code.replace("-", "")) == [
        ("portal", "booked")
    ]
    seen = ask(env, answers, "view", code=code)
    assert seen["ok"] and seen["result"]["status"] == "booked"
    cancelled = ask(env, answers, "cancel", "r-000002", code=code)
    assert cancelled["ok"] and cancelled["result"]["status"] == "cancelled"
    again = ask(env, answers, "cancel", "r-000003", code=code)
    assert not again["ok"] and again["status"] == 409
    assert again["error"]["code"] == "booking_cancelled" and again["error"]["message"]["ar"]


def test_a_retried_id_gets_its_first_answer_even_after_a_restart(
    env: AppEnv, tmp_path: Path
) -> None:
    path = tmp_path / "answers"
    first = ask(env, Answers(path), "book", "retry-0001", service=SERVICE, day=MONDAY,
                start="11:30", lang="ar")  # fmt: skip
    assert first["ok"], first
    count = rows(env, "SELECT count(*) FROM bookings")[0][0]
    restarted = Answers(path)  # a new responder reads the kept answers back
    second = ask(env, restarted, "book", "retry-0001", service=SERVICE, day=MONDAY,
                 start="11:30", lang="ar")  # fmt: skip
    assert second == first
    assert rows(env, "SELECT count(*) FROM bookings")[0][0] == count
    reused = ask(env, restarted, "book", "retry-0001", service=SERVICE, day=MONDAY,
                 start="12:00", lang="ar")  # fmt: skip
    assert reused["error"]["code"] == "portal_request_reused" and reused["status"] == 409
    assert path.stat().st_mode & 0o077 == 0  # the file is the server's alone


def test_a_refusal_is_not_kept_so_a_retry_may_succeed(env: AppEnv, tmp_path: Path) -> None:
    answers = Answers(tmp_path / "answers")
    past = ask(env, answers, "book", "late-0001", service=SERVICE, day=MONDAY, start="08:00")
    assert not past["ok"] and past["error"]["code"] in ("slot_past", "slot_closed")
    assert not (tmp_path / "answers").exists()


def test_bad_requests_get_refusals_never_tracebacks(env: AppEnv, tmp_path: Path) -> None:
    answers = Answers(tmp_path / "answers")
    bodies = {
        b"": "portal_request_invalid",
        b"[1, 2]": "portal_request_invalid",
        b'{"v": 2, "id": "abcdefgh", "op": "services"}': "portal_request_invalid",
        b'{"v": 1, "id": "short", "op": "services"}': "portal_request_invalid",
        b'{"v": 1, "id": "abcdefgh", "op": "drop"}': "portal_request_invalid",
        b'{"v": 1, "id": "abcdefgh", "op": "book", "args": {"service": "x"}}': (
            "portal_request_invalid"
        ),
        b'{"v": 1, "id": "abcdefgh", "op": "services", "args": {"x": 1}}': (
            "portal_request_invalid"
        ),
        b'{"v": 1, "id": "abcdefgh", "op": "view", "args": {"code": "nonsense"}}': (
            "reference_malformed"
        ),
        b"{" + b" " * MAX_REQUEST_BYTES + b"}": "portal_request_too_large",
    }
    for raw, code in bodies.items():
        reply = json.loads(answer(env.ctx, raw, answers))
        assert reply["ok"] is False and reply["error"]["code"] == code, (raw[:60], reply)
        assert set(reply["error"]["message"]) == {"ar", "en"}
        assert "Traceback" not in json.dumps(reply)


def test_a_complaint_through_the_portal_has_channel_portal(env: AppEnv, tmp_path: Path) -> None:
    answers = Answers(tmp_path / "answers")
    options = ask(env, answers, "complaint_options")["result"]
    kind = options["kinds"][0]
    filed = ask(env, answers, "file_complaint", "cmp-00001", kind=kind["id"], about="center",
                topic=kind["topics"][0]["id"], text="No chairs left.", anonymous=True,
                lang="en")  # fmt: skip
    assert filed["ok"] and filed["status"] == 201, filed
    reference = filed["result"]["reference"]
    assert rows(env, "SELECT channel, device FROM complaints WHERE reference = ?",
                reference.replace("-", "")) == [("portal", "portal")]  # fmt: skip
    followed = ask(env, answers, "complaint", reference=reference)
    assert followed["ok"] and followed["result"]["status"] == "received"
    assert "phone" not in followed["result"]


def test_a_visit_is_linked_by_the_number_printed_on_the_ticket(env: AppEnv, tmp_path: Path) -> None:
    answers = Answers(tmp_path / "answers")
    issued = env.http.post("/api/v1/tickets", json={"service": SERVICE}, headers=env.kiosk)
    assert issued.status_code == 201, issued.text
    ticket = issued.json()
    typed = ticket["number"].replace("-", " ").lower().replace("0", "٠")  # "p ٠٠1"

    def file(request_id: str, anonymous: bool = False, **extra: Any) -> dict:
        return ask(env, answers, "file_complaint", request_id, kind="complaint", about="visit",
                   topic="long_wait", anonymous=anonymous, lang="ar", **extra)  # fmt: skip

    filed = file("cmp-00002", ticket_number=typed)  # today in the center's zone by default
    assert filed["ok"] and filed["status"] == 201, filed
    linked = rows(env, "SELECT about, service, ticket_id FROM complaints WHERE reference = ?",
                  filed["result"]["reference"].replace("-", ""))  # fmt: skip
    assert linked == [("visit", SERVICE, ticket["id"])]

    yesterday = file("cmp-00003", ticket_number=ticket["number"], ticket_day="2026-11-22")
    assert yesterday["error"]["code"] == "complaint_ticket_unknown", yesterday
    for bad in ("nothing", "A-", "12345"):
        refused = file(f"cmp-bad-{len(bad)}", ticket_number=bad)
        assert refused["error"]["code"] == "complaint_ticket_number_bad", refused
        assert refused["error"]["message"]["ar"] and refused["error"]["message"]["en"]
    hidden = file("cmp-00004", anonymous=True, ticket_number=ticket["number"])
    assert hidden["error"]["code"] == "complaint_anonymous_contact"  # a named ticket is no secret


def _places_env(seeded: Path, folder: Path, portal: bool) -> Iterator[AppEnv]:
    config = load_center_config(DEFAULT_CENTER)
    places = config.center.places.model_copy(update={"enabled": True, "portal": portal})
    center = config.center.model_copy(update={"places": places})
    yield from make_env(
        seeded, folder, center=config.model_copy(update={"center": center}), ignore_hours=True
    )


def test_a_place_through_the_portal_is_the_centers_own_and_retried_once(
    seeded_db: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    for env in _places_env(seeded_db, tmp_path, portal=True):
        answers = Answers(tmp_path / "answers")
        offered = ask(env, answers, "join_options")["result"]
        assert offered["allowed"] is True and offered["services"] == []  # no counter open yet
        env.login("clerk8", counter="c8")  # counter 8 serves work permits: it opens
        env.issue("work-permit")
        offered = ask(env, answers, "join_options")["result"]
        queue = next(s["queue"] for s in env.http.get("/api/v1/services").json()["services"]
                     if s["id"] == "work-permit")  # fmt: skip
        shown = {s["id"]: s for s in offered["services"]}
        assert shown["work-permit"]["queue"] == queue  # the figures /join and the kiosk show
        assert offered["timezone"] == "Asia/Beirut" and offered["sms"] is False

        joined = ask(env, answers, "join", "join-0001", service="work-permit",
                     phone="03 123 456", lang="en")  # fmt: skip
        assert joined["ok"] and joined["status"] == 201, joined
        place = joined["result"]
        assert place["ahead"] == queue["people_ahead"] and place["state"] == "waiting"
        assert place["qr"].endswith(f"/p/{place['token']}") and "phone" not in place
        again = ask(env, answers, "join", "join-0001", service="work-permit",
                    phone="03 123 456", lang="en")  # fmt: skip
        assert again == joined  # the hub's retry: the same place, not a refusal
        assert rows(env, "SELECT count(*) FROM queue_places") == [(1,)]
        assert rows(env, "SELECT actor, device FROM events WHERE kind = 'place_joined'") == [
            ("portal", "portal")
        ]
        second = ask(env, answers, "join", "join-0002", service="work-permit",
                     phone="+9613123456", lang="en")  # fmt: skip
        assert second["error"]["code"] == "place_limit_reached"
        seen = ask(env, answers, "place", token=place["token"])["result"]
        assert seen["state"] == "waiting" and seen["people_ahead"] == queue["people_ahead"]
        unknown = ask(env, answers, "place", token="nothing-here")
        assert unknown["status"] == 404 and unknown["error"]["code"] == "place_not_found"
        for bad in ({"token": "../x"}, {"token": ""}, {}):
            refused = ask(env, answers, "place", **bad)
            assert refused["error"]["code"] == "portal_request_invalid", bad


def test_a_center_that_keeps_places_to_its_wifi_refuses_the_portal(
    seeded_db: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    for env in _places_env(seeded_db, tmp_path, portal=False):
        answers = Answers(tmp_path / "answers")
        env.login("clerk8", counter="c8")
        offered = ask(env, answers, "join_options")["result"]
        assert offered["allowed"] is False and offered["services"] == []
        refused = ask(env, answers, "join", "join-0003", service="work-permit",
                      phone="03 123 456", lang="ar")  # fmt: skip
        assert refused["status"] == 409 and refused["error"]["code"] == "places_portal_off"
        assert "البوابة" in refused["error"]["message"]["ar"]
        assert rows(env, "SELECT count(*) FROM queue_places") == [(0,)]
        on_wifi = env.http.post("/api/v1/places", json={"service": "work-permit",
                                "phone": "03 123 456", "lang": "ar"})  # fmt: skip
        assert on_wifi.status_code == 201, on_wifi.text  # the center's own /join still works
