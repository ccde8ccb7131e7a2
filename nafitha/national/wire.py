"""One event of a center's log as it travels to the national hub: the bytes, and their checks.

The relay at the center (``server/relay.py``) encodes each committed row of ``events`` with
:func:`encode`; the hub's writer decodes it with :func:`decode` and then checks sequence and chain
itself (``hub/domain/intake.py``). The body carries the row exactly as stored (``data`` and
``public`` as their canonical JSON text), so the hub recomputes :func:`nafitha.chain.event_hash`
byte for byte. Personal data (a citizen's name, national id, phone) is not in the chained row
(the chain holds only a keyed digest of it): it travels beside the row in ``personal``, and the
hub stores it apart, readable only by the ministry's authorised roles.

Subjects, message ids and JetStream domains are spelled here and nowhere else. Pure, no I/O.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from nafitha.chain import canonical

WIRE_VERSION = 1
# Bigger than any event a center writes (a catalog import is the largest, a few kB) and far
# below nats-server's 1 MB max_payload; the leaf stream refuses bigger messages too.
MAX_MESSAGE_BYTES = 256 * 1024
CENTER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
_KIND = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_HASH = re.compile(r"^[0-9a-f]{64}$")
_SHORT_TEXT = 200
PERSONAL_FIELDS = ("name", "national_id", "phone")
# Every kind of event this version of a center writes. A kind outside it comes from a newer
# center: the hub stops that center's intake (nothing is skipped) until it is upgraded.
KNOWN_KINDS = frozenset(
    {
        "ticket_issued",
        "ticket_called",
        "ticket_called_out_of_order",
        "ticket_recall",
        "ticket_start",
        "ticket_finish",
        "ticket_rated",  # a visit's rating: stars, source, text_sha256 (docs/ratings.md)
        "ticket_no_show",
        "ticket_no_show_undone",
        "ticket_transfer",
        "ticket_cancel",
        "ticket_next_step",  # a visit goes on to its next step (server/usecases/visit_steps.py)
        "ticket_sent_back",  # a clerk sends the citizen back to an earlier step
        "file_opened",
        "file_moved",
        "counter_opened",
        "counter_paused",
        "person_created",
        "person_updated",
        "person_signed_in",
        "person_signed_out",
        "device_created",
        "device_revoked",
        "category_saved",
        "service_saved",
        "counter_saved",
        "catalog_imported",
        "board_message",
        "alert_raised",
        "alert_resolved",
        "history_seeded",
        "ratings_seeded",  # the demo's past ratings (server/demo/ratings.py)
        "chain_signed",
        "ticket_reprinted",
        "silent_alarm",
        "numbering_skipped",  # after a restore, a day's numbering moved on (no number twice)
        "cutoff_overridden",  # the manager keeps a service issuing past its cut-off for a day
        "ticket_refused_limit",  # a ticket refused beyond the tickets-per-person limit
        "sms_consent_given",  # a citizen agreed to text messages (a digest of the number)
        "sms_stopped",  # a citizen texted STOP (docs/sms.md)
        # complaints and suggestions (docs/complaints.md): digests of texts only
        "complaint_filed",
        "complaint_status_changed",
        "complaint_answered",
        "complaint_escalated",  # level "manager" (an alert) or "ministry" (the hub's view)
        "complaint_marked_spam",
        # joining the queue from a phone (docs/appointments.md): never the number
        "place_joined",
        "place_confirmed",
        "place_lapsed",
        # appointments (docs/appointments.md): codes, services, slots; never a name or a number
        "appointment_booked",
        "appointment_cancelled",
        "appointment_moved",
        "appointment_checked_in",
        "appointment_no_show",
        "appointment_day_closed",
        "appointment_slot_closed",
    }
)


class WireError(ValueError):
    """A message that is not a well-formed event of the center it came from: the reason says why."""


def check_center(center: str) -> str:
    if not isinstance(center, str) or not CENTER_ID.match(center):
        raise ValueError(
            f"center id {center!r}: 1-32 characters of a-z, 0-9 and '-', starting with a-z/0-9"
        )
    return center


def subject(center: str) -> str:
    """The subject a center's relay publishes its events on (and the only one it may)."""
    return f"nafitha.{check_center(center)}.events"


def domain(center: str) -> str:
    """The JetStream domain of a center's leaf nats-server."""
    return f"center-{check_center(center)}"


STREAM = "EVENTS"  # the stream of events on each center's leaf (one per leaf, its own domain)
HUB_DOMAIN = "hub"
HUB_CONSUMER = "hub-writer"  # the hub writer's durable consumer, stored on each center's leaf
SEQ_HEADER = "Nafitha-Seq"


def msg_id(center: str, seq: int) -> str:
    """``Nats-Msg-Id`` of an event: the same id for the same event, so the leaf drops a resend."""
    return f"{center}:{seq}"


@dataclass(frozen=True)
class WireEvent:
    """One event of ``center``'s log, as stored there, and its personal part (or None)."""

    center: str
    seq: int
    at: float
    kind: str
    actor: str | None
    counter: str | None
    device: str | None
    ticket_id: int | None
    data: str
    public: str | None
    prev_hash: str
    hash: str
    personal: dict[str, str] | None = None
    # ``data`` parsed once by :func:`decode` (its check) and handed on, never hashed
    parsed: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    def row(self) -> dict[str, Any]:
        """The row as the center's ``events`` table holds it (what :func:`event_hash` takes)."""
        return {
            "id": self.seq,
            "at": self.at,
            "kind": self.kind,
            "actor": self.actor,
            "counter": self.counter,
            "device": self.device,
            "ticket_id": self.ticket_id,
            "data": self.data,
            "public": self.public,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }

    def data_json(self) -> dict[str, Any]:
        """``data`` parsed (a fresh copy each call: callers may change it)."""
        if self.parsed is not None:
            return dict(self.parsed)
        return json.loads(self.data)


def encode(center: str, row: dict[str, Any], personal: dict[str, str] | None = None) -> bytes:
    """The message body for one stored event row (``id`` is its seq)."""
    body = {
        "v": WIRE_VERSION,
        "center": check_center(center),
        "seq": row["id"],
        "at": row["at"],
        "kind": row["kind"],
        "actor": row["actor"],
        "counter": row["counter"],
        "device": row["device"],
        "ticket_id": row["ticket_id"],
        "data": row["data"],
        "public": row["public"],
        "prev_hash": row["prev_hash"],
        "hash": row["hash"],
    }
    if personal:
        body["personal"] = {k: v for k, v in personal.items() if v is not None}
    raw = canonical(body).encode()
    if len(raw) > MAX_MESSAGE_BYTES:
        raise WireError(f"event {row['id']} is {len(raw)} bytes, over {MAX_MESSAGE_BYTES}")
    return raw


def _text(body: dict[str, Any], key: str, limit: int = _SHORT_TEXT) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise WireError(f"{key} must be text of at most {limit} characters")
    return value


def _json_object(body: dict[str, Any], key: str) -> tuple[str, dict[str, Any]]:
    """``body[key]``: the JSON text of an object, and that object."""
    value = body.get(key)
    if not isinstance(value, str):
        raise WireError(f"{key} must be the event's JSON text")
    try:
        parsed = json.loads(value)
    except ValueError:
        raise WireError(f"{key} is not JSON") from None
    if not isinstance(parsed, dict):
        raise WireError(f"{key} must be a JSON object")
    return value, parsed


def _public_text(body: dict[str, Any]) -> str | None:
    """``public`` as stored: JSON text or null. It is hashed, never read at the hub, so a
    cheap shape check stands in for parsing it (a center writes an object or nothing)."""
    value = body.get("public")
    if value is None:
        return None
    if not isinstance(value, str) or not (value.startswith("{") and value.endswith("}")):
        raise WireError("public must be a JSON object's text or null")
    return value


def decode(expected_center: str, raw: bytes) -> WireEvent:
    """The event in ``raw``, which arrived from ``expected_center``'s leaf; WireError otherwise.

    Checks form only (types, sizes, the center named): sequence, chain and signatures are the
    writer's, against what the hub already holds.
    """
    if len(raw) > MAX_MESSAGE_BYTES:
        raise WireError(f"message of {len(raw)} bytes, over {MAX_MESSAGE_BYTES}")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise WireError("not JSON") from None
    if not isinstance(body, dict):
        raise WireError("not a JSON object")
    if body.get("v") != WIRE_VERSION:
        raise WireError(f"wire version {body.get('v')!r}, this hub reads {WIRE_VERSION}")
    if body.get("center") != expected_center:
        raise WireError(
            f"claims center {body.get('center')!r} on the stream of {expected_center!r}"
        )
    seq, ticket_id, at = body.get("seq"), body.get("ticket_id"), body.get("at")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise WireError("seq must be a whole number from 1")
    if ticket_id is not None and (not isinstance(ticket_id, int) or isinstance(ticket_id, bool)):
        raise WireError("ticket_id must be a whole number or null")
    if not isinstance(at, int | float) or isinstance(at, bool) or not 0 <= at < 1e11:
        raise WireError("at must be a Unix time")
    kind = body.get("kind")
    if not isinstance(kind, str) or not _KIND.match(kind):
        raise WireError("kind must be a lower-case word")
    for key in ("prev_hash", "hash"):
        if not isinstance(body.get(key), str) or not _HASH.match(body[key]):
            raise WireError(f"{key} must be 64 hex digits")
    personal = body.get("personal")
    if personal is not None:
        if not isinstance(personal, dict) or set(personal) - set(PERSONAL_FIELDS):
            raise WireError(f"personal may hold only {', '.join(PERSONAL_FIELDS)}")
        if not all(isinstance(v, str) and len(v) <= _SHORT_TEXT for v in personal.values()):
            raise WireError(f"personal fields must be text of at most {_SHORT_TEXT} characters")
    extra = set(body) - {
        "v",
        "center",
        "seq",
        "at",
        "kind",
        "actor",
        "counter",
        "device",
        "ticket_id",
        "data",
        "public",
        "prev_hash",
        "hash",
        "personal",
    }
    if extra:
        raise WireError(f"unknown fields: {', '.join(sorted(extra))}")
    data, parsed = _json_object(body, "data")
    return WireEvent(
        center=expected_center,
        seq=seq,
        at=float(at) if isinstance(at, float) else at,
        kind=kind,
        actor=_text(body, "actor"),
        counter=_text(body, "counter"),
        device=_text(body, "device"),
        ticket_id=ticket_id,
        data=data,
        public=_public_text(body),
        prev_hash=body["prev_hash"],
        hash=body["hash"],
        personal=personal or None,
        parsed=parsed,
    )
