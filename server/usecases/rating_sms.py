"""The rating link by text message: after a visit ends, a ticket whose holder asked for messages
(``ticket_phones``, m030) gets ``sms.msg_rating_link`` with its phone page ``/t/<token>``, where
the rating box waits (docs/ratings.md).

It runs inside the finish's write transaction (``server/usecases/ticket_actions.py``), once: a
visit ends (``done``) only once. Without ``[sms]`` nothing is read at all; a number that texted
STOP gets nothing (``outbox.queue_message`` checks the consent). A center name so long that the
message would need more parts than allowed drops the link, never the finish.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlite_utils

from server.domain.errors import Refusal
from server.domain.ratings import PHONE_WINDOW_S
from server.store import outbox, ticket_phones
from server.usecases.catalog import Catalog
from server.usecases.context import Context

log = logging.getLogger(__name__)
KIND = "rating_link"
LINK_VALID_S = min(PHONE_WINDOW_S, 86400.0)  # a link a day late is not worth the message


def ticket_url(ctx: Context, catalog: Catalog, token: str) -> str:
    base = (ctx.settings.public_url or catalog.center.public_url).rstrip("/")
    return f"{base}/t/{token}"


def after_finish(
    ctx: Context, tx: sqlite_utils.Database, catalog: Catalog, row: dict[str, Any], now: float
) -> int | None:
    """Queue the rating link for ``row`` if its visit just ended and its holder opted in; the
    outbox id, or None."""
    settings = ctx.settings.sms
    if settings is None or row["state"] != "done":
        return None
    opted = ticket_phones.of_ticket(tx, row["id"])
    if opted is None:
        return None
    params = {
        "center": catalog.center.name.model_dump(),
        "number": row["number"],
        "url": ticket_url(ctx, catalog, row["public_token"]),
    }
    try:
        return outbox.queue_message(
            tx, KIND, opted["phone"], opted["lang"], params, now,
            ticket_id=row["id"], max_parts=settings.max_parts, expires_at=now + LINK_VALID_S,
        )  # fmt: skip
    except Refusal as exc:
        if exc.code != "sms_too_long":
            raise
        log.warning("the rating link for ticket %s needs too many parts: not sent", row["id"])
        return None
