"""The answer by text message: queued with the answer when a phone was given and [sms] is on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.complaints.conftest import AppEnv
from tests.server.conftest import make_env

PHONE = "+96171123456"


@pytest.fixture
def sms_app(seeded_db: Path, tmp_path: Path) -> Iterator[AppEnv]:
    yield from make_env(seeded_db, tmp_path, sms={"mode": "folder", "folder": tmp_path / "sms"})


def file_with_phone(env: AppEnv, lang: str) -> str:
    body = {"kind": "complaint", "about": "center", "topic": "long_wait", "anonymous": False,
            "phone": PHONE, "lang": lang}  # fmt: skip
    answer = env.http.post("/api/v1/complaints", json=body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["sms"] is True
    return answer.json()["reference"]


def outbox(env: AppEnv) -> list[tuple[str, str, str, str, str]]:
    return (
        env.ctx.db.read()
        .execute("SELECT kind, phone, lang, about, body FROM sms_outbox ORDER BY id")
        .fetchall()
    )


def test_the_answer_is_texted_in_the_citizens_language(sms_app: AppEnv) -> None:
    assert sms_app.http.get("/api/v1/complaints/options").json()["sms"] is True
    reference = file_with_phone(sms_app, "ar")
    assert outbox(sms_app) == []  # filing sends nothing
    consent = sms_app.ctx.db.read().execute("SELECT phone FROM sms_consent").fetchall()
    assert consent == [(PHONE,)]
    boss = sms_app.login("manager")
    sms_app.http.post(
        f"/api/v1/complaints/{reference}/answer", json={"text": "Done.", "lang": "en"}, headers=boss
    )
    ((kind, phone, lang, about, body),) = outbox(sms_app)
    assert (kind, phone, lang) == ("complaint_answered", PHONE, "ar")
    assert about == f"complaint:{reference.replace('-', '')}"
    assert reference in body and "Done." not in body  # the answer is read by reference


def test_without_sms_nothing_is_queued_and_no_phone_is_offered(app_env: AppEnv) -> None:
    assert app_env.http.get("/api/v1/complaints/options").json()["sms"] is False
    body = {"kind": "complaint", "about": "center", "topic": "long_wait", "anonymous": False,
            "phone": PHONE}  # fmt: skip
    filed = app_env.http.post("/api/v1/complaints", json=body).json()
    assert filed["sms"] is False
    boss = app_env.login("manager")
    app_env.http.post(
        f"/api/v1/complaints/{filed['reference']}/answer", json={"text": "ok"}, headers=boss
    )
    assert outbox(app_env) == []
