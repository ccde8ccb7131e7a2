"""Text messages' use cases: a citizen's consent, and what a citizen's own message asks.

Consent (``give_consent``) is what the kiosk's and counter's opt-in calls: the number is checked
for the center's countries and recorded with who took it and when it is forgotten. A message
received (``handle_inbound``) is a file reference (the stage comes back, checked for typos as
``/api/v1/track`` does, no personal data), ``STOP``/``قف`` (no more messages to that number),
or anything else (a one-line help); each number is answered at most ``inbound_per_hour`` times an
hour, then ignored, so a flood costs the center's SIM nothing.
"""

from __future__ import annotations

import re
from typing import Any

from nafitha.phone_numbers import Phone, parse_phone
from nafitha.text import has_arabic, normalize_lang
from server.domain.errors import Refusal
from server.store import outbox
from server.store.events import append_event
from server.usecases import files
from server.usecases.context import Actor, Context
from server.usecases.sms_notices import check_phone, record_consent, sms_settings

STOP_WORDS = {"stop", "stopp", "unsubscribe", "قف", "توقف", "الغاء", "إلغاء", "ستوب"}
_WORD = re.compile(r"[^\w]+")
DAY_S = 86_400.0


def give_consent(ctx: Context, actor: Actor, phone_text: str, lang: str) -> dict[str, Any]:
    """Record that the citizen at ``phone_text`` agreed to messages (kiosk, counter, API)."""
    phone = check_phone(ctx, phone_text)
    now = ctx.now()
    with ctx.db.write() as tx:
        record_consent(ctx, tx, actor, phone, lang, now)
        append_event(
            tx,
            "sms_consent_given",
            at=now,
            actor=actor.name,
            counter=actor.counter,
            device=actor.device,
            data={"phone": _digest(ctx, phone.e164), "lang": normalize_lang(lang)},
        )
    return {"phone": phone.e164, "country": phone.country}


def _digest(ctx: Context, phone: str) -> dict[str, str]:
    if ctx.audit is None:
        return {}
    return ctx.audit.citizen_digest("", None, phone)


def is_stop(text: str) -> bool:
    words = [w for w in _WORD.split(text.strip().lower()) if w]
    return len(words) == 1 and words[0] in STOP_WORDS


def handle_inbound(ctx: Context, sender: str, text: str) -> str:
    """Answer one received message; the outcome: stopped, track, help, refused, throttled (the
    number's limit) or throttled_center (the center's reply budget)."""
    settings = sms_settings(ctx)
    now = ctx.now()
    found = parse_phone(sender, settings.countries)
    if not isinstance(found, Phone):  # a foreign or short-code sender: never answered
        with ctx.db.write() as tx:
            outbox.record_inbound(tx, now, sender[:20], text, "refused")
        return "refused"
    phone = found.e164
    db = ctx.db.read()
    over = (
        "throttled"
        if outbox.inbound_count(db, phone, now - 3600.0) >= settings.inbound_per_hour
        else "throttled_center"
        if outbox.replies_count(db, now - 3600.0) >= settings.replies_per_hour
        else None
    )
    lang = "ar" if has_arabic(text) else _consent_lang(ctx, phone)
    if is_stop(text):  # always obeyed, even past a limit (then without the confirmation)
        with ctx.db.write() as tx:
            outbox.record_inbound(tx, now, phone, text, "stopped")
            outbox.stop_number(tx, phone, now, now + settings.purge_days * DAY_S)
            if over is None:
                outbox.queue_message(
                    tx, "stopped", phone, lang, {}, now, max_parts=settings.max_parts
                )
            append_event(
                tx, "sms_stopped", at=now, actor="sms", data={"phone": _digest(ctx, phone)}
            )
        return "stopped"
    if over is not None:  # kept, with why it was not answered
        with ctx.db.write() as tx:
            outbox.record_inbound(tx, now, phone, text, over)
        return over
    kind, params, reference = _track_reply(ctx, text)
    with ctx.db.write() as tx:
        outbox.record_inbound(tx, now, phone, text, "track" if reference else "help")
        outbox.queue_message(
            tx,
            kind,
            phone,
            lang,
            params,
            now,
            file_reference=reference,
            max_parts=settings.max_parts,
        )
    return "track" if reference else "help"


def _consent_lang(ctx: Context, phone: str) -> str:
    return outbox.consent_lang(ctx.db.read(), phone) or "ar"


def _track_reply(ctx: Context, text: str) -> tuple[str, dict[str, Any], str | None]:
    """(message kind, its parameters, the file's reference when one was found).

    The whole text is tried, then each word in it ("7KQ2-M9XD-M please", "رقم 7KQ2M9XDM"): the
    first that has a reference's shape decides (its stage, mistyped, or unknown).
    """
    whole = text.strip()[:40]
    for candidate in [whole, *whole.split()[:8]]:
        try:
            view = files.track(ctx, candidate)
        except Refusal as refusal:
            if refusal.code == "reference_mistyped":
                return "track_mistyped", {}, None
            if refusal.code == "file_not_found":
                return "track_unknown", {"reference": candidate[:20]}, None
            continue  # not a reference's shape: the next word
        reference = view["reference"]
        return "track_stage", {"reference": reference, "stage": view["stage"]["name"]}, reference
    return "track_help", {}, None


__all__ = ["check_phone", "give_consent", "handle_inbound", "is_stop", "sms_settings"]
