"""Filing, following and handling complaints over the API, on a real SQLite file."""

from __future__ import annotations

import hashlib
import json

from nafitha.reference import Mistyped, kind_of, new_reference, parse_reference
from tests.complaints.conftest import AppEnv

PHONE = "+96171123456"


def file(env: AppEnv, headers: dict[str, str] | None = None, **body: object) -> dict[str, object]:
    payload = {"kind": "complaint", "about": "center", "topic": "long_wait", "lang": "en", **body}
    answer = env.http.post("/api/v1/complaints", json=payload, headers=headers or {})
    assert answer.status_code == 201, answer.text
    return answer.json()


def events(env: AppEnv, kind: str) -> list[dict[str, object]]:
    rows = env.ctx.db.read().execute(
        "SELECT data, public FROM events WHERE kind = ? ORDER BY id", [kind]
    )
    return [{"data": json.loads(d), "public": p} for d, p in rows]


def test_a_complaint_gets_a_complaint_reference_that_files_refuse(app_env: AppEnv) -> None:
    filed = file(app_env, text="The queue did not move for an hour.")
    reference = str(filed["reference"])
    assert kind_of(reference) == "complaint"
    assert isinstance(parse_reference(reference), Mistyped)  # not a file reference
    assert filed["url"].endswith(f"/c/{reference}")
    assert filed["status"] == "received" and filed["deadline"].startswith("2026-11-30")
    # the file lookup refuses it as mistyped, and the complaint lookup refuses a file reference
    assert app_env.http.get(f"/api/v1/track/{reference}").json()["error"]["code"] == (
        "reference_mistyped"
    )
    file_ref = new_reference(kind="file").printed
    answer = app_env.http.get(f"/api/v1/complaints/{file_ref}")
    assert answer.status_code == 422 and answer.json()["error"]["code"] == "reference_mistyped"
    missing = app_env.http.get(f"/api/v1/complaints/{new_reference(kind='complaint').printed}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "complaint_not_found"


def test_the_chain_keeps_digests_never_the_text_or_phone(app_env: AppEnv) -> None:
    text = "A clerk shouted at my mother"
    filed = file(app_env, text=text, anonymous=False, phone=PHONE)
    (event,) = events(app_env, "complaint_filed")
    raw = json.dumps(event)
    assert text not in raw and "71123456" not in raw and event["public"] is None
    state = event["data"]["complaint"]
    assert state["text_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert state["reference"] == str(filed["reference"]).replace("-", "")
    assert state["phone_given"] is True and state["status"] == "received"
    # the phone as a digest keyed with the center's citizen digest key: not guessable from the
    # few digits of a number, and never the number
    assert len(state["phone_hmac"]) == 64 and state["digest_key"]
    assert state["phone_hmac"] != hashlib.sha256(b"+96171123456").hexdigest()
    view = app_env.http.get(f"/api/v1/complaints/{filed['reference']}").json()
    assert "phone" not in view and PHONE not in json.dumps(view)
    assert view["text"] == text and view["status"] == "received"


def test_manager_reviews_answers_and_closes_and_the_citizen_reads_the_answer(
    app_env: AppEnv,
) -> None:
    reference = file(app_env, text="Seats are broken")["reference"]
    boss = app_env.login("manager")
    clerk = app_env.login("clerk1", counter="c1")
    base = f"/api/v1/complaints/{reference}"
    assert app_env.http.get("/api/v1/complaints", headers=clerk).status_code == 403
    assert app_env.http.post(f"{base}/status", json={"status": "closed"}).status_code == 401
    listed = app_env.http.get("/api/v1/complaints?status=received", headers=boss).json()
    assert [c["reference"] for c in listed["complaints"]] == [reference]
    assert listed["counts"]["received"] == 1
    app_env.clock.advance(3600)
    review = app_env.http.post(f"{base}/status", json={"status": "under_review"}, headers=boss)
    assert review.status_code == 200 and review.json()["status"] == "under_review"
    app_env.clock.advance(3600)
    answer = app_env.http.post(
        f"{base}/answer", json={"text": "New seats arrive Monday.", "lang": "en"}, headers=boss
    )
    assert answer.status_code == 200, answer.text
    again = app_env.http.post(f"{base}/answer", json={"text": "x"}, headers=boss)
    assert again.status_code == 409 and again.json()["error"]["code"] == "complaint_wrong_state"
    closed = app_env.http.post(f"{base}/status", json={"status": "closed"}, headers=boss)
    assert closed.json()["status"] == "closed"
    public = app_env.http.get(base).json()
    assert public["answer"] == "New seats arrive Monday." and public["status"] == "closed"
    assert [h["status"] for h in public["history"]] == [
        "received",
        "under_review",
        "answered",
        "closed",
    ]
    staff = app_env.http.get(base, headers=boss).json()
    assert staff["answered_by"] == "manager" and [s["by"] for s in staff["steps"]] == [
        None,
        "manager",
        "manager",
        "manager",
    ]
    kinds = [
        k
        for (k,) in app_env.ctx.db.read().execute(
            "SELECT kind FROM events WHERE kind LIKE 'complaint_%' ORDER BY id"
        )
    ]
    assert kinds == [
        "complaint_filed",
        "complaint_status_changed",
        "complaint_answered",
        "complaint_status_changed",
    ]


def test_bidi_overrides_and_controls_are_stripped_scripts_kept_as_plain_text(
    app_env: AppEnv,
) -> None:
    nasty = "<script>alert(1)</script>\u202egnp.exe\u2066x\u0007 <img src=x onerror=alert(2)>"
    reference = file(app_env, text=nasty)["reference"]
    view = app_env.http.get(f"/api/v1/complaints/{reference}").json()
    assert view["text"] == "<script>alert(1)</script>gnp.exex <img src=x onerror=alert(2)>"


def test_a_filing_must_say_something_and_anonymous_means_no_contact(app_env: AppEnv) -> None:
    post = app_env.http.post
    empty = post("/api/v1/complaints", json={"kind": "complaint", "about": "center"})
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "complaint_empty"
    bad_topic = post(
        "/api/v1/complaints",
        json={"kind": "suggestion", "about": "center", "topic": "long_wait"},
    )
    assert bad_topic.json()["error"]["code"] == "complaint_bad_topic"
    no_service = post(
        "/api/v1/complaints", json={"kind": "complaint", "about": "service", "text": "slow"}
    )
    assert no_service.json()["error"]["code"] == "complaint_service_required"
    anon_phone = post(
        "/api/v1/complaints",
        json={"kind": "complaint", "about": "center", "text": "x", "phone": PHONE},
    )
    assert anon_phone.json()["error"]["code"] == "complaint_anonymous_contact"
    long = post(
        "/api/v1/complaints",
        json={"kind": "complaint", "about": "center", "text": "x" * 1001},
    )
    assert long.status_code == 422 and long.json()["error"]["code"] == "complaint_too_long"
    extra = post(
        "/api/v1/complaints",
        json={"kind": "complaint", "about": "center", "text": "x", "name": "me"},
    )
    assert extra.status_code == 422


def test_a_visit_complaint_is_linked_to_the_ticket_by_its_token(app_env: AppEnv) -> None:
    ticket = app_env.issue()
    filed = file(
        app_env,
        about="visit",
        anonymous=False,
        ticket_token=ticket["token"],
        topic="skipped_turn",
    )
    boss = app_env.login("manager")
    staff = app_env.http.get(f"/api/v1/complaints/{filed['reference']}", headers=boss).json()
    assert staff["ticket_id"] == ticket["id"] and staff["service"]["id"] == "civil-extract"
    unknown = app_env.http.post(
        "/api/v1/complaints",
        json={"kind": "complaint", "about": "visit", "text": "x", "anonymous": False,
              "ticket_token": "nope"},
    )  # fmt: skip
    assert unknown.json()["error"]["code"] == "complaint_ticket_unknown"


def test_filings_are_limited_per_address_and_per_phone(app_env: AppEnv) -> None:
    for _ in range(3):
        file(app_env, anonymous=False, phone=PHONE, headers=app_env.kiosk)
    per_phone = app_env.http.post(
        "/api/v1/complaints",
        json={"kind": "complaint", "about": "center", "text": "x", "anonymous": False,
              "phone": "+961 71 123 456"},
        headers=app_env.kiosk,
    )  # fmt: skip
    assert per_phone.status_code == 429
    assert per_phone.json()["error"]["code"] == "complaint_rate_limited"
    for _ in range(5):
        file(app_env)
    over = app_env.http.post(
        "/api/v1/complaints", json={"kind": "complaint", "about": "center", "text": "x"}
    )
    assert over.status_code == 429 and int(over.headers["Retry-After"]) > 0
    # the kiosk, one device serving the whole hall, has its own larger bucket
    file(app_env, headers=app_env.kiosk)


def test_spam_is_marked_listed_apart_never_deleted(app_env: AppEnv) -> None:
    reference = file(app_env, text="buy cheap watches http://spam.example")["reference"]
    boss = app_env.login("manager")
    marked = app_env.http.post(
        f"/api/v1/complaints/{reference}/spam", json={"spam": True}, headers=boss
    )
    assert marked.status_code == 200 and marked.json()["spam"] is True
    spam = app_env.http.get("/api/v1/complaints?spam=true", headers=boss).json()
    assert [c["reference"] for c in spam["complaints"]] == [reference]
    assert spam["counts"]["spam"] == 1
    assert (
        app_env.http.get("/api/v1/complaints?spam=false", headers=boss).json()["complaints"] == []
    )
    (event,) = events(app_env, "complaint_marked_spam")
    assert event["data"]["spam"] is True and event["data"]["complaint"]["spam"] is True
    count = app_env.ctx.db.read().execute("SELECT count(*) FROM complaints").fetchone()[0]
    assert count == 1


def test_options_offer_topics_services_and_no_sms_when_unconfigured(app_env: AppEnv) -> None:
    options = app_env.http.get("/api/v1/complaints/options").json()
    assert options["sms"] is False
    kinds = {k["id"]: k for k in options["kinds"]}
    assert kinds["complaint"]["days"] == 7 and kinds["suggestion"]["days"] == 30
    assert "long_wait" in [t["id"] for t in kinds["complaint"]["topics"]]
    assert options["services"] and all(set(s["name"]) == {"ar", "en"} for s in options["services"])


def test_the_portal_channel_is_recorded_when_the_caller_says_so(app_env: AppEnv) -> None:
    from server.usecases.complaints import file_complaint
    from server.usecases.context import ANYONE

    filed = file_complaint(
        app_env.ctx, ANYONE, "portal:10.0.0.9", kind="suggestion", about="center",
        service=None, ticket_token=None, topic="online_service", text=None, anonymous=True,
        phone=None, lang="en", channel="portal",
    )  # fmt: skip
    boss = app_env.login("manager")
    staff = app_env.http.get(f"/api/v1/complaints/{filed['reference']}", headers=boss).json()
    assert staff["channel"] == "portal"
