"""A file opened with the citizen's consent (``notify``) texts them when it is ready for pickup and
when documents are missing (named), queued in the move's own transaction; without consent, none."""

from __future__ import annotations

import pytest

from server.domain.errors import Refusal
from server.domain.files import Citizen
from server.domain.workflow import MISSING
from server.store import outbox
from server.usecases import files
from server.usecases.catalog import load_catalog
from server.usecases.context import Actor
from tests.sms.conftest import PHONE, SmsEnv

ADMIN = Actor("person", "admin", "admin", "c1")
TO_READY = ["document-check", "biometrics", "security-check", "printing", "signature", "ready"]


def notices(env: SmsEnv) -> list[dict]:
    return outbox.messages(env.ctx.db.read())


def test_ready_and_missing_documents_are_texted_to_a_consenting_citizen(sms_env: SmsEnv) -> None:
    env = sms_env
    opened = files.open_file(
        env.ctx, ADMIN, "passport-new", Citizen("Rana", None, "03 123 456"), [0, 1, 2],
        notify=True, lang="en",
    )  # fmt: skip
    reference = opened["reference"]
    assert outbox.may_message(env.ctx.db.read(), PHONE)
    files.move_file(env.ctx, ADMIN, reference, MISSING, missing=[0])
    [missing] = notices(env)
    assert missing["kind"] == "documents_missing" and missing["phone"] == PHONE
    document = load_catalog(env.ctx).services["passport-new"].documents[0].en
    assert missing["body"].endswith(
        f"your file {reference} is waiting for missing documents: {document}."
    )
    for stage in TO_READY:
        files.move_file(env.ctx, ADMIN, reference, stage)
    kinds = [m["kind"] for m in notices(env)]
    assert kinds == ["documents_missing", "file_ready"]  # once, on reaching "ready"
    files.move_file(env.ctx, ADMIN, reference, "delivered")
    assert len(notices(env)) == 2


def test_without_consent_a_file_sends_nothing(sms_env: SmsEnv) -> None:
    env = sms_env
    opened = files.open_file(
        env.ctx, ADMIN, "passport-new", Citizen("Rana", None, "03 123 456"), [0, 1, 2]
    )
    for stage in TO_READY:
        files.move_file(env.ctx, ADMIN, opened["reference"], stage)
    assert notices(env) == []


def test_consent_with_a_number_that_cannot_be_texted_refuses_the_file(sms_env: SmsEnv) -> None:
    env = sms_env
    with pytest.raises(Refusal) as refused:
        files.open_file(
            env.ctx, ADMIN, "passport-new", Citizen("Rana", None, "01 123 456"), [0],
            notify=True,
        )  # fmt: skip
    assert refused.value.code == "sms_phone_refused"
    assert "landline" in refused.value.params["reason"]["en"]
    assert files.find_files(env.ctx, ADMIN, None, None, "01123456") == []
