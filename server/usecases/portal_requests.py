"""The center's answers to the national portal's requests (docs/national.md, "Portal requests").

The hub forwards a citizen's booking, complaint or place in today's queue as one JSON request on
the center's portal subject; :mod:`server.portal_requests` hands its bytes here. Each operation is
the very use case the center's own API runs (``server/usecases/appointments.py``,
``complaints.py``, ``queue_places.py``), acting as
:data:`PORTAL` so the booking's ``by`` and the complaint's ``channel`` say ``portal``. A request
that is too large, not JSON or not one of the shapes below gets a refusal, never a traceback.

Idempotency: every request carries an ``id``; the answer of a write that succeeded is kept under
it (:class:`Answers`), so the hub's retry of a booking whose answer was lost returns the same
booking instead of a second one. The kept answers are also appended to a file beside the
database (read back at start), so a center restarted between a booking and its retry still
knows it; only a crash between the booking's commit and that append (one write) can forget one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nafitha.text import MissingText, both
from server.domain.errors import Refusal, code_of
from server.usecases import appointments, complaints, queue_places
from server.usecases.appointment_slots import MAX_DAYS
from server.usecases.context import Actor, Context

log = logging.getLogger("nafitha.portal_requests")

PORTAL = Actor("device", "portal", "portal")  # the national portal, one actor for every citizen
MAX_REQUEST_BYTES = 16 * 1024
KEEP_ANSWERS = 20_000
KEEP_ANSWERS_S = 2 * 86_400.0
WIRE_VERSION = 1

STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)
DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
START = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
Lang = Literal["ar", "en"]


class Envelope(BaseModel):
    model_config = STRICT
    v: Literal[1]
    id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")
    op: Literal[
        "services", "slots", "book", "view", "cancel", "move", "complaint_options",
        "file_complaint", "complaint", "join_options", "join", "place",
    ]  # fmt: skip
    args: dict[str, Any] = Field(default_factory=dict)


class NoArgs(BaseModel):
    model_config = STRICT


class SlotsArgs(BaseModel):
    model_config = STRICT
    service: str = Field(min_length=1, max_length=64)
    first: str | None = Field(default=None, pattern=DAY, max_length=10)
    days: int = Field(default=7, ge=1, le=MAX_DAYS)


class BookArgs(BaseModel):
    model_config = STRICT
    service: str = Field(min_length=1, max_length=64)
    day: str = Field(pattern=DAY, max_length=10)
    start: str = Field(pattern=START, max_length=5)
    lang: Lang = "ar"
    name: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=32, pattern=r"^\+?[0-9 ()\-]*$")
    notify: bool = False


class CodeArgs(BaseModel):
    model_config = STRICT
    code: str = Field(min_length=1, max_length=64)


class MoveArgs(CodeArgs):
    day: str = Field(pattern=DAY, max_length=10)
    start: str = Field(pattern=START, max_length=5)


class ComplaintArgs(BaseModel):
    model_config = STRICT
    kind: str = Field(max_length=32)
    about: str = Field(max_length=32)
    service: str | None = Field(default=None, max_length=64)
    topic: str | None = Field(default=None, max_length=64)
    text: str | None = Field(default=None, max_length=4000)
    anonymous: bool = False
    phone: str | None = Field(default=None, max_length=32, pattern=r"^\+?[0-9 ()\-]*$")
    lang: Lang = "ar"
    ticket_number: str | None = Field(default=None, max_length=16)  # printed on the paper
    ticket_day: str | None = Field(default=None, pattern=DAY, max_length=10)


class JoinArgs(BaseModel):
    model_config = STRICT
    service: str = Field(min_length=1, max_length=64)
    phone: str = Field(min_length=1, max_length=40)
    lang: Lang = "ar"
    notify: bool = False


class TokenArgs(BaseModel):
    model_config = STRICT
    token: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class ReferenceArgs(BaseModel):
    model_config = STRICT
    reference: str = Field(min_length=1, max_length=64)


ARGS: dict[str, type[BaseModel]] = {
    "services": NoArgs,
    "slots": SlotsArgs,
    "book": BookArgs,
    "view": CodeArgs,
    "cancel": CodeArgs,
    "move": MoveArgs,
    "complaint_options": NoArgs,
    "file_complaint": ComplaintArgs,
    "complaint": ReferenceArgs,
    "join_options": NoArgs,
    "join": JoinArgs,
    "place": TokenArgs,
}
WRITES = frozenset({"book", "cancel", "move", "file_complaint", "join"})


class Answers:
    """The answers of successful writes by request id (bounded, oldest forgotten first).

    A request id reused for a different request is refused ``portal_request_reused``. With a
    ``path`` every kept answer is appended there as a JSON line (``[id, digest, at, answer]``,
    mode 0600: a booking's answer holds a masked phone at most), read back on the next start;
    the file is rewritten with only the live answers when it grows past twice ``keep``.
    """

    def __init__(
        self, path: Path | None = None, keep: int = KEEP_ANSWERS, keep_s: float = KEEP_ANSWERS_S
    ) -> None:
        self.path, self.keep, self.keep_s = path, keep, keep_s
        self._held: OrderedDict[str, tuple[str, float, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self._lines = 0
        if path is not None:
            self._load(time.time())

    def _load(self, now: float) -> None:
        assert self.path is not None
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return
        for line in lines:
            try:
                request_id, digest, at, text = json.loads(line)
            except (ValueError, TypeError):
                continue  # a line torn by a crash
            if isinstance(at, int | float) and at >= now - self.keep_s:
                self._held[str(request_id)] = (str(digest), float(at), str(text).encode())
                self._held.move_to_end(str(request_id))
        while len(self._held) > self.keep:
            self._held.popitem(last=False)
        self._lines = len(lines)

    def _line(self, request_id: str, held: tuple[str, float, bytes]) -> str:
        digest, at, answer = held
        return json.dumps([request_id, digest, at, answer.decode()], ensure_ascii=False) + "\n"

    def _append(self, request_id: str) -> None:
        assert self.path is not None
        if self._lines >= 2 * self.keep:
            temporary = self.path.with_name(self.path.name + ".new")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.writelines(self._line(k, v) for k, v in self._held.items())
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
            self._lines = len(self._held)
            return
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as out:
            out.write(self._line(request_id, self._held[request_id]))
            out.flush()
            os.fsync(out.fileno())
        self._lines += 1

    def get(self, request_id: str, digest: str, now: float) -> bytes | None:
        with self._lock:
            held = self._held.get(request_id)
            if held is None or held[1] < now - self.keep_s:
                return None
            if held[0] != digest:
                raise Refusal("portal_request_reused")
            return held[2]

    def put(self, request_id: str, digest: str, now: float, answer: bytes) -> None:
        with self._lock:
            self._held[request_id] = (digest, now, answer)
            self._held.move_to_end(request_id)
            while len(self._held) > self.keep:
                self._held.popitem(last=False)
            if self.path is not None:
                self._append(request_id)


def _refusal_body(refusal: Refusal) -> dict[str, Any]:
    key = refusal.text_key or code_of(refusal.code).text_key(refusal.code)
    try:
        message = both(key, **refusal.params)
    except (MissingText, KeyError, IndexError):
        message = {"ar": refusal.code, "en": refusal.code}
    body: dict[str, Any] = {
        "ok": False,
        "status": refusal.status,
        "error": {"code": refusal.code, "message": message},
    }
    if "Retry-After" in refusal.headers:
        body["retry_after"] = int(refusal.headers["Retry-After"])
    return body


def _encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _run(ctx: Context, op: str, args: BaseModel) -> tuple[int, dict[str, Any]]:
    """The use case of ``op``: (the status the center's own API answers with, its body)."""
    a: Any = args
    if op == "services":
        return 200, appointments.services(ctx)
    if op == "slots":
        return 200, appointments.slots(ctx, a.service, a.first, a.days)
    if op == "view":
        return 200, appointments.get_booking(ctx, a.code)
    if op == "complaint_options":
        return 200, complaints.options(ctx)
    if op == "complaint":
        return 200, complaints.public_complaint(ctx, a.reference)
    if op == "join_options":
        return 200, queue_places.portal_options(ctx)
    if op == "place":
        return 200, queue_places.public_place(ctx, a.token)
    if op == "join":
        queue_places.check_portal_allowed(ctx)
        queue_places.check_join_allowed(ctx, "portal", ctx.settings.track_device_factor)
        queue_places.sweep(ctx)
        return 201, queue_places.join(ctx, PORTAL, a.service, a.phone, a.lang, a.notify)
    if op == "file_complaint":
        filed = complaints.file_complaint(
            ctx, PORTAL, "portal", kind=a.kind, about=a.about, service=a.service,
            ticket_token=None, topic=a.topic, text=a.text, anonymous=a.anonymous,
            phone=a.phone, lang=a.lang, ticket_number=a.ticket_number, ticket_day=a.ticket_day,
        )  # fmt: skip
        return 201, filed
    appointments.check_booking_allowed(ctx, PORTAL, "portal")
    if op == "book":
        booked = appointments.book(
            ctx, PORTAL, a.service, a.day, a.start, a.lang, a.name, a.phone, a.notify
        )
        return 201, booked
    if op == "cancel":
        return 200, appointments.cancel(ctx, PORTAL, a.code)
    return 200, appointments.move(ctx, PORTAL, a.code, a.day, a.start)


def answer(ctx: Context, raw: bytes, answers: Answers) -> bytes:
    """The reply to one request's bytes: ``{ok: true, status, result}`` or a refusal body."""
    if len(raw) > MAX_REQUEST_BYTES:
        return _encode(_refusal_body(Refusal("portal_request_too_large", most=MAX_REQUEST_BYTES)))
    try:
        envelope = Envelope.model_validate_json(raw)
        args = ARGS[envelope.op].model_validate(envelope.args)
    except (ValidationError, ValueError):
        return _encode(_refusal_body(Refusal("portal_request_invalid")))
    digest = hashlib.sha256(
        json.dumps([envelope.op, args.model_dump()], sort_keys=True).encode()
    ).hexdigest()
    now = time.time()  # only for forgetting old answers; the use cases read ctx.now()
    try:
        if envelope.op in WRITES and (kept := answers.get(envelope.id, digest, now)) is not None:
            return kept
        status, result = _run(ctx, envelope.op, args)
    except Refusal as refusal:
        return _encode(_refusal_body(refusal))
    except Exception:
        log.exception("portal request %s (%s) failed", envelope.id, envelope.op)
        return _encode(_refusal_body(Refusal("portal_center_error")))
    body = _encode({"ok": True, "status": status, "result": result})
    if envelope.op in WRITES:
        answers.put(envelope.id, digest, now, body)
    return body


__all__ = ["ARGS", "MAX_REQUEST_BYTES", "PORTAL", "Answers", "answer"]
