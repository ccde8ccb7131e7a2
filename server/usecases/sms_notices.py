"""The notices other use cases queue in their own transaction: consent taken with a file, a file
ready for pickup, documents missing (docs/sms.md).

Called inside the caller's ``ctx.db.write()`` block, so a notice is queued with the move that
causes it or not at all. A server without ``[sms]`` queues nothing. A notice that would be too long
(many missing documents) is shortened to the first document and an ellipsis, never allowed to
refuse the move itself.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlite_utils

from nafitha.phone_numbers import Phone, parse_phone
from nafitha.text import both
from server.config import SmsSettings
from server.domain.errors import Refusal
from server.domain.files import CitizenFile, printed
from server.domain.workflow import Workflow
from server.store import outbox
from server.usecases.context import Actor, Context

log = logging.getLogger("nafitha.sms")

DAY_S = 86_400.0


def sms_settings(ctx: Context) -> SmsSettings:
    """The ``[sms]`` settings, or the defaults when the server has none (nothing is sent then)."""
    return ctx.settings.sms or SmsSettings()


def check_phone(ctx: Context, text: str | None) -> Phone:
    """``text`` as a mobile number of the center's countries, or ``sms_phone_refused``: why."""
    countries = sms_settings(ctx).countries
    found = parse_phone(text or "", countries)
    if isinstance(found, Phone):
        return found
    names = ", ".join(f"+{c}" for c in countries)
    raise Refusal("sms_phone_refused", reason=both(f"sms.{found.code}", countries=names))


def record_consent(
    ctx: Context, tx: sqlite_utils.Database, actor: Actor, phone: Phone, lang: str, now: float
) -> None:
    """The citizen at ``phone`` agreed to messages (in the caller's transaction)."""
    purge_after = now + sms_settings(ctx).purge_days * DAY_S
    outbox.record_consent(tx, phone.e164, now, actor.name or actor.kind, lang, purge_after)


def file_moved(
    ctx: Context,
    tx: sqlite_utils.Database,
    before: CitizenFile,
    after_stage: str,
    kind: str,
    missing: list[dict[str, str]],
    workflow: Workflow,
    center_name: dict[str, str],
    now: float,
) -> int | None:
    """Queue "file ready" when the file reaches a stage waiting on the citizen, or "documents
    missing" (named) when it is sent back for them; the message id, or None."""
    settings = ctx.settings.sms
    if settings is None or not before.citizen.phone:
        return None
    phone = parse_phone(before.citizen.phone, settings.countries)
    if not isinstance(phone, Phone):
        return None
    stages = {s.id: s for s in workflow.stages}
    reached = stages.get(after_stage)
    was = stages.get(before.stage)
    params: dict[str, Any] = {"center": center_name, "reference": printed(before.reference)}
    if kind == "missing" and missing:
        message_kind = "documents_missing"
        params["documents"] = _names(missing)
    elif (
        reached is not None
        and reached.waits_on == "citizen"
        and (was is None or was.waits_on != "citizen")
    ):
        message_kind = "file_ready"
    else:
        return None
    lang = outbox.consent_lang(tx, phone.e164) or "ar"
    reference = before.reference
    try:
        return outbox.queue_message(
            tx, message_kind, phone.e164, lang, params, now,
            file_reference=reference, max_parts=settings.max_parts,
            refuse_too_long=message_kind == "documents_missing",  # shortened below
        )  # fmt: skip
    except Refusal:
        if message_kind != "documents_missing":
            raise
    params["documents"] = _names(missing[:1], more=len(missing) > 1)
    return outbox.queue_message(  # still too long: kept as failed ("too_long"), never sent
        tx, message_kind, phone.e164, lang, params, now,
        file_reference=reference, max_parts=settings.max_parts,
    )  # fmt: skip


def _names(documents: list[dict[str, str]], more: bool = False) -> dict[str, str]:
    tail = " …" if more else ""
    return {
        "ar": "، ".join(d["ar"] for d in documents) + tail,
        "en": ", ".join(d["en"] for d in documents) + tail,
    }


__all__ = ["check_phone", "file_moved", "record_consent", "sms_settings"]
