"""Complaints and suggestions as the rules see them: kinds, topics, states, deadlines, digests.

Pure: no I/O, no clock (times are passed in). The row is what the citizen gave and where it
stands; the event of each step carries :func:`snapshot` of the row: the state and SHA-256 digests
of the texts, never a text or a phone, so the chain proves a row was not edited or deleted
(:func:`check_rows`) without copying what a citizen wrote into an append-only log. A phone is
too few digits for a plain hash (anyone could try them all): it is kept as a digest keyed with
the center's citizen digest key (:func:`phone_digest`), which the hub never holds.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from nafitha.chain import digest_key_id, keyed_digest
from server.domain.errors import Refusal

PhoneDigest = Callable[[str], dict[str, str]]

KINDS = ("complaint", "suggestion")
ABOUTS = ("service", "visit", "center")
STATUSES = ("received", "under_review", "answered", "closed")
OPEN = ("received", "under_review")
CHANNELS = ("kiosk", "phone", "portal", "staff")
TEXT_MAX = 1000
ANSWER_MAX = 2000

# Common topics, chosen with one touch when typing is hard (the kiosk); text is then optional.
TOPICS: dict[str, tuple[str, ...]] = {
    "complaint": (
        "long_wait",
        "staff_conduct",
        "wrong_information",
        "documents_asked",
        "skipped_turn",
        "cleanliness",
        "accessibility",
        "other",
    ),
    "suggestion": ("opening_hours", "online_service", "seating", "signs", "other"),
}

# The manager's moves between states; ``answered`` is reached only by giving an answer.
MOVES: dict[str, tuple[str, ...]] = {
    "received": ("under_review", "closed"),
    "under_review": ("closed",),
    "answered": ("closed", "under_review"),
    "closed": ("under_review",),
}

# Characters a stored text never keeps: controls but line breaks and tabs, DEL, C1, and the
# bidirectional embeddings, overrides and isolates (the marks Arabic needs, LRM/RLM/ALM, stay).
_STRIP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str | None, limit: int) -> str:
    """What is stored of typed text: NFC, line breaks as ``\\n``, refused characters dropped,
    spaces around it trimmed; a text longer than ``limit`` is refused (``complaint_too_long``)."""
    if not text:
        return ""
    value = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    value = _BLANK_LINES.sub("\n\n", _STRIP.sub("", value)).strip()
    if len(value) > limit:
        raise Refusal("complaint_too_long", limit=limit)
    return value


def digest(text: str | None) -> str | None:
    """The hex SHA-256 of a stored text (None for none): what the chain keeps of it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else None


def check_filing(kind: str, about: str, topic: str | None, text: str, service: str | None) -> None:
    """Refuse a filing that says nothing or points nowhere."""
    if kind not in KINDS:
        raise Refusal("complaint_bad_kind")
    if about not in ABOUTS:
        raise Refusal("complaint_bad_about")
    if topic is not None and topic not in TOPICS[kind]:
        raise Refusal("complaint_bad_topic")
    if not text and topic in (None, "other"):
        raise Refusal("complaint_empty")
    if about == "service" and not service:
        raise Refusal("complaint_service_required")


def deadline(kind: str, filed_at: float, complaint_days: int, suggestion_days: int) -> float:
    """When the answer is due: whole days after filing, per kind."""
    days = complaint_days if kind == "complaint" else suggestion_days
    return filed_at + days * 86_400.0


def plan_status(current: str, target: str) -> None:
    """Refuse a manager's move that the states do not allow (answering is its own step)."""
    if target not in STATUSES or target == "answered":
        raise Refusal("complaint_bad_status")
    if target not in MOVES[current]:
        raise Refusal("complaint_wrong_state", state=current)


def is_overdue(row: dict[str, Any], now: float) -> bool:
    """Open, not spam, past its deadline."""
    return not row["spam"] and row["status"] in OPEN and row["deadline_at"] < now


SNAPSHOT_FIELDS = (
    "kind",
    "about",
    "service",
    "ticket_id",
    "topic",
    "channel",
    "status",
    "spam",
    "deadline_at",
    "steps",
)


def phone_digest(key: bytes) -> PhoneDigest:
    """What the chain keeps of a complaint's phone, with ``key`` (the citizen digest key): its
    keyed digest, laid out as every other phone's (SMS consent), and the key's id."""
    key_name = digest_key_id(key)
    return lambda phone: {
        "phone_hmac": keyed_digest(key, ["", None, phone]),
        "digest_key": key_name,
    }


def snapshot(row: dict[str, Any], phone: PhoneDigest | None = None) -> dict[str, Any]:
    """What each event keeps of the row after its step: the state and the texts' digests, and
    the phone's keyed digest when a digest key is at hand."""
    found = {name: row[name] for name in SNAPSHOT_FIELDS}
    found["spam"] = bool(found["spam"])
    found["reference"] = row["reference"]
    found["text_sha256"] = digest(row["text"])
    found["answer_sha256"] = digest(row["answer"])
    found["phone_given"] = bool(row["phone"])
    if phone is not None and row["phone"]:
        found.update(phone(row["phone"]))
    return found


_KEYED = ("phone_hmac", "digest_key")


def _comparable(
    now: dict[str, Any], expected: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both sides without the phone's digest when it cannot be compared: an event from before
    digests, or made with another key than the verifier's (the key was replaced)."""
    if "phone_hmac" in expected and expected.get("digest_key") == now.get("digest_key"):
        return now, expected
    strip = lambda d: {k: v for k, v in d.items() if k not in _KEYED}  # noqa: E731
    return strip(now), strip(expected)  # "a phone was given" is still checked


@dataclass(frozen=True)
class RowProblem:
    """A complaint whose row disagrees with the chain: ``reason`` says how."""

    reference: str
    reason: str


def check_rows(
    rows: Iterable[dict[str, Any]],
    steps: dict[str, list[dict[str, Any]]],
    events: Iterable[tuple[int, str, dict[str, Any]]],
    phone: PhoneDigest | None = None,
) -> tuple[int, list[RowProblem]]:
    """(complaints checked, problems): each row against the last event about it, and its steps
    against the events, one by one. ``events``: (event id, kind, data) in log order; ``phone``
    (the citizen digest key's) also checks the phone against its keyed digest."""
    last: dict[str, dict[str, Any]] = {}
    ids: dict[str, list[int]] = {}
    for event_id, _kind, data in events:
        state = data.get("complaint")
        if not isinstance(state, dict) or not isinstance(state.get("reference"), str):
            continue
        last[state["reference"]] = state
        ids.setdefault(state["reference"], []).append(event_id)
    problems: list[RowProblem] = []
    seen: set[str] = set()
    for row in rows:
        reference = row["reference"]
        seen.add(reference)
        expected = last.get(reference)
        if expected is None:
            problems.append(RowProblem(reference, "no event records this complaint (inserted)"))
            continue
        now, kept = _comparable(snapshot(row, phone), expected)
        changed = sorted(k for k in set(now) | set(kept) if now.get(k) != kept.get(k))
        if changed:
            problems.append(
                RowProblem(reference, "row differs from its last event: " + ", ".join(changed))
            )
        recorded = [s["event_id"] for s in steps.get(reference, [])]
        if recorded != ids[reference]:
            problems.append(RowProblem(reference, "its steps do not match its events"))
    for reference in sorted(set(last) - seen):
        problems.append(RowProblem(reference, "the row was deleted: its events remain"))
    return len(seen | set(last)), problems
