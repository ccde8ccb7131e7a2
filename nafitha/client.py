"""The one HTTP client of the server's API, used by the kiosk, the counter and the tests.

Every call has a timeout. Errors come back as :class:`ApiError` carrying the server's ``code`` and
bilingual ``message``; a server that cannot be reached (refused, timed out, reset) raises
:class:`ServerUnreachable`, a subclass, so the apps can show "offline" and retry.

Retries happen only where repeating is safe: reads (GET) and ticket issue, which always carries an
``Idempotency-Key`` (one per logical ticket, reused on each retry), so a retried request never makes
a second ticket. Calling, actions and logins are never retried by this module.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import requests

UNREACHABLE = {
    "ar": "تعذّر الاتصال بالخادم. يرجى المحاولة بعد قليل.",
    "en": "The server cannot be reached. Please try again shortly.",
}


class ApiError(Exception):
    """A refusal from the server (or no answer): HTTP status, code and bilingual message."""

    def __init__(self, status: int, code: str, message: dict[str, str]) -> None:
        self.status = status
        self.code = code
        self.message = message
        super().__init__(f"{status} {code}: {message.get('en', '')}")


class ServerUnreachable(ApiError):
    """No answer: connection refused, timed out or cut. ``status`` is 0."""

    def __init__(self, detail: str) -> None:
        super().__init__(0, "server_unreachable", UNREACHABLE)
        self.detail = detail


class Client:
    """``Client(base_url, token=None, timeout=5.0)``: one server, one bearer token.

    ``verify``: an ``https://`` server's certificate is always checked; ``True`` against the
    system's trusted CAs, a path against that CA file (the center's own CA from ``nafitha tls
    init``: the apps' ``ca_file`` setting). A certificate that does not check is
    :class:`ServerUnreachable` (requests' SSLError is a ConnectionError), never ignored.
    """

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        timeout: float = 5.0,
        retries: int = 2,
        retry_delay: float = 0.3,
        verify: bool | str = True,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = retries
        self.retry_delay = retry_delay
        self.session = requests.Session()
        # Given with each request: requests lets REQUESTS_CA_BUNDLE override a session's verify.
        self.verify = verify
        self.role: str | None = None
        self.counter: str | None = None

    # ------------------------------------------------------------------ plumbing
    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        headers.update(extra or {})
        return headers

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        retry: bool = False,
    ) -> Any:
        """One API call; the decoded JSON answer (None for 204), or ApiError/ServerUnreachable."""
        attempts = 1 + (self.retries if retry else 0)
        for attempt in range(attempts):
            try:
                response = self.session.request(
                    method,
                    self.base_url + path,
                    json=json_body,
                    params=params,
                    headers=self._headers(headers),
                    timeout=self.timeout,
                    verify=self.verify,
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                if attempt + 1 < attempts:
                    time.sleep(self.retry_delay * (attempt + 1))
                    continue
                raise ServerUnreachable(str(exc)) from exc
            if response.status_code >= 500 and attempt + 1 < attempts:
                time.sleep(self.retry_delay * (attempt + 1))
                continue
            return self._decode(response)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _decode(response: requests.Response) -> Any:
        if response.status_code == 204:
            return None
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 400:
            error = body.get("error") if isinstance(body, dict) else None
            if isinstance(error, dict):
                raise ApiError(
                    response.status_code, error.get("code", "error"), error.get("message", {})
                )
            text = response.text[:200]
            raise ApiError(response.status_code, "http_error", {"ar": text, "en": text})
        return body

    # ------------------------------------------------------------------ public
    def health(self) -> dict[str, Any]:
        return self.request("GET", "/api/v1/health", retry=True)

    def services(self) -> dict[str, Any]:
        """``{"center", "categories", "services"}``; each service has ``open_now`` and documents."""
        return self.request("GET", "/api/v1/services", retry=True)

    def counters(self) -> list[dict[str, Any]]:
        return self.request("GET", "/api/v1/counters", retry=True)

    def ticket_status(self, token: str) -> dict[str, Any]:
        return self.request("GET", f"/api/v1/tickets/public/{token}", retry=True)

    def ticket_notify(self, token: str, phone: str, lang: str) -> dict[str, Any]:
        """Text messages for a ticket (its token is the capability): "turn near", "called".
        Safe to retry: the same number twice is the same answer."""
        body = {"phone": phone, "lang": lang}
        return self.request(
            "POST", f"/api/v1/tickets/public/{_segment(token)}/notify", json_body=body, retry=True
        )

    # ------------------------------------------------------------------ people
    def login(self, username: str, password: str, counter: str | None = None) -> dict[str, Any]:
        """Sign in (at ``counter``); the token is kept for the following calls."""
        answer = self.request(
            "POST",
            "/api/v1/auth/login",
            json_body={"username": username, "password": password, "counter": counter},
        )
        self.token = answer["token"]
        self.role = answer["role"]
        self.counter = answer.get("counter")
        return answer

    def logout(self) -> None:
        try:
            self.request("POST", "/api/v1/auth/logout")
        finally:
            self.token = None
            self.role = None
            self.counter = None

    # ------------------------------------------------------------------ kiosk
    def issue_ticket(
        self,
        service: str,
        priority: bool | None = None,
        file: str | None = None,
        idempotency_key: str | None = None,
        person: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """A new ticket (201), retried safely under one idempotency key (made here if not given).

        ``person``: ``{"phone": ...}`` or ``{"id_digits": ...}`` for a service limiting tickets
        per person per day (docs/api.md)."""
        key = idempotency_key or uuid.uuid4().hex
        body: dict[str, Any] = {"service": service, "priority": bool(priority)}
        if file is not None:
            body["file"] = file
        if person is not None:
            body["person"] = person
        return self.request(
            "POST",
            "/api/v1/tickets",
            json_body=body,
            headers={"Idempotency-Key": key},
            retry=True,
        )

    def post_alert(self, kind: str, message: str = "", device: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"kind": kind, "message": message}
        if device is not None:
            body["device"] = device
        return self.request("POST", "/api/v1/alerts", json_body=body)

    def reprint_ticket(self, token: str | None = None, number: str | None = None) -> dict[str, Any]:
        """Today's ticket again (the kiosk): by its QR's ``token`` or its typed ``number``. Not
        retried: each answer counts a reprint."""
        body = {"token": token} if token is not None else {"number": number}
        return self.request("POST", "/api/v1/tickets/reprint", json_body=body)

    def reprint_at_counter(self, ticket_id: int) -> dict[str, Any]:
        """The counter's reprint of a ticket it holds (or may call)."""
        return self.request("POST", f"/api/v1/tickets/{ticket_id}/reprint")

    def silent_alarm(self, counter: str) -> dict[str, Any]:
        """The counter's silent alarm (202 ``{alert, repeat}``)."""
        return self.request("POST", f"/api/v1/counters/{counter}/alarm")

    # ------------------------------------------------------------------ counter
    def call_next(self, counter: str) -> dict[str, Any] | None:
        """The ticket called to ``counter``, or None when nobody waits."""
        return self.request("POST", f"/api/v1/counters/{counter}/next")

    def call_ticket(self, counter: str, ticket_id: int, reason: str) -> dict[str, Any]:
        return self.request(
            "POST", f"/api/v1/counters/{counter}/call/{ticket_id}", json_body={"reason": reason}
        )

    def callable_tickets(self, counter: str) -> dict[str, Any]:
        """What ``counter`` may call out of order: ``{tickets, reasons}`` (docs/api.md)."""
        return self.request("GET", f"/api/v1/counters/{counter}/callable", retry=True)

    def ticket_action(self, ticket_id: int, action: str, **body: Any) -> dict[str, Any]:
        """recall, no-show, start, finish, transfer (service=, counter=) or cancel a ticket."""
        return self.request("POST", f"/api/v1/tickets/{ticket_id}/{action}", json_body=body or {})

    def send_back(self, ticket_id: int, step: int, reason: str | None = None) -> dict[str, Any]:
        """Send a ticket called or served here back to an earlier ``step`` of its visit."""
        body: dict[str, Any] = {"step": step, "reason": reason}
        return self.request("POST", f"/api/v1/tickets/{ticket_id}/send-back", json_body=body)

    def pause_counter(self, counter: str, reason: str | None = None) -> dict[str, Any]:
        """Pause a counter; the reason is kept in the audit log."""
        body = {"reason": reason} if reason else None
        return self.request("POST", f"/api/v1/counters/{counter}/pause", json_body=body)

    def resume_counter(self, counter: str) -> dict[str, Any]:
        return self.request("POST", f"/api/v1/counters/{counter}/resume")

    def ticket(self, ticket_id: int) -> dict[str, Any]:
        return self.request("GET", f"/api/v1/tickets/{ticket_id}", retry=True)

    def clerk_today(self) -> dict[str, Any]:
        """The signed-in clerk's day: ``served``, ``no_shows``, ``average_service_s``."""
        return self.request("GET", "/api/v1/me/today", retry=True)

    def my_ratings(self) -> dict[str, Any]:
        """The signed-in clerk's own rating averages: ``today``, ``week``, ``month`` (each
        ``count``, ``mean``, ``satisfied``); nobody else's (docs/ratings.md)."""
        return self.request("GET", "/api/v1/me/ratings", retry=True)

    def queue(self) -> dict[str, Any]:
        return self.request("GET", "/api/v1/queue", retry=True)

    def alerts(self, include_resolved: bool = False) -> list[dict[str, Any]]:
        return self.request("GET", "/api/v1/alerts", params={"all": include_resolved}, retry=True)

    # ------------------------------------------------------------------ files
    def open_file(
        self,
        service: str,
        citizen: dict[str, Any],
        documents_received: list[int] | None = None,
        ticket: int | None = None,
        note: str | None = None,
        notify: bool = False,
        lang: str | None = None,
    ) -> dict[str, Any]:
        """Open a citizen's file (staff): ``citizen`` is ``{name, national_id?, phone?}``,
        ``documents_received`` the positions of the service's documents handed in. The answer is
        the staff view of the file, with its printed ``reference`` (docs/files.md). ``notify``:
        the citizen agreed to text messages at ``citizen.phone`` in ``lang`` (docs/sms.md)."""
        body: dict[str, Any] = {
            "service": service,
            "citizen": citizen,
            "documents_received": list(documents_received or []),
        }
        if ticket is not None:
            body["ticket"] = ticket
        if note is not None:
            body["note"] = note
        if notify:
            body["notify"] = True
        if lang is not None:
            body["lang"] = lang
        return self.request("POST", "/api/v1/files", json_body=body)

    def move_file(
        self,
        reference: str,
        stage: str,
        note: str | None = None,
        reason: str | None = None,
        missing: list[Any] | None = None,
        version: int | None = None,
    ) -> dict[str, Any]:
        """Move a file to ``stage`` (a workflow stage, ``missing_documents`` with ``missing``, or
        ``cancelled`` with ``reason``); ``version`` refuses the move if the file moved since."""
        body: dict[str, Any] = {"stage": stage}
        for key, value in (
            ("note", note),
            ("reason", reason),
            ("missing", missing),
            ("version", version),
        ):
            if value is not None:
                body[key] = value
        return self.request("POST", f"/api/v1/files/{_segment(reference)}/stage", json_body=body)

    def track(self, reference: str) -> dict[str, Any]:
        """A file's public view by reference (no personal data); 429 ``track_rate_limited``."""
        return self.request("GET", f"/api/v1/track/{_segment(reference)}", retry=True)

    def get_file(self, reference: str) -> dict[str, Any]:
        """A file's staff view: citizen, documents, full history (staff)."""
        return self.request("GET", f"/api/v1/files/{_segment(reference)}", retry=True)

    def find_files(
        self,
        reference: str | None = None,
        national_id: str | None = None,
        phone: str | None = None,
    ) -> list[dict[str, Any]]:
        """Files by reference, or by the citizen's national id and/or phone (staff)."""
        params = {
            k: v
            for k, v in (("reference", reference), ("national_id", national_id), ("phone", phone))
            if v
        }
        return self.request("GET", "/api/v1/files", params=params, retry=True)["files"]

    def overdue_files(self) -> dict[str, Any]:
        """Files past their stage's expected duration: counts by service and stage (managers)."""
        return self.request("GET", "/api/v1/files/overdue", retry=True)

    # ------------------------------------------------------------------ appointments
    def appointment_services(self) -> dict[str, Any]:
        """The bookable services (documents) and what booking asks for (docs/appointments.md)."""
        return self.request("GET", "/api/v1/appointments/services", retry=True)

    def appointment_slots(
        self, service: str, day: str | None = None, days: int = 7
    ) -> dict[str, Any]:
        """``days`` days of ``service``'s slots from ``day`` (YYYY-MM-DD; today when None)."""
        params: dict[str, Any] = {"service": service, "days": days}
        if day:
            params["from"] = day
        return self.request("GET", "/api/v1/appointments/slots", params=params, retry=True)

    def book(
        self,
        service: str,
        day: str,
        start: str,
        lang: str,
        phone: str | None = None,
        name: str | None = None,
        notify: bool = False,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        """Book the slot ``start`` (HH:MM) of ``day``: the booking (``code``, ``url``...).

        Retried safely under one idempotency key (made here if not given): a kiosk or clerk whose
        answer was lost gets the same booking, never a second."""
        body: dict[str, Any] = {"service": service, "day": day, "start": start, "lang": lang}
        if phone:
            body["phone"] = phone
            body["notify"] = notify
        if name:
            body["name"] = name
        return self.request(
            "POST",
            "/api/v1/appointments",
            json_body=body,
            headers={"Idempotency-Key": idempotency_key or uuid.uuid4().hex},
            retry=True,
        )

    def appointment(self, code: str) -> dict[str, Any]:
        """A booking by its code (as typed or scanned, dashes or not)."""
        return self.request("GET", f"/api/v1/appointments/{_segment(code)}", retry=True)

    def cancel_appointment(self, code: str) -> dict[str, Any]:
        return self.request("POST", f"/api/v1/appointments/{_segment(code)}/cancel")

    def move_appointment(self, code: str, day: str, start: str) -> dict[str, Any]:
        body = {"day": day, "start": start}
        return self.request("POST", f"/api/v1/appointments/{_segment(code)}/move", json_body=body)

    def check_in(self, code: str, idempotency_key: str | None = None) -> dict[str, Any]:
        """Check a booking in (kiosk or clerk): ``{appointment, ticket, late}``; ``ticket`` is
        shaped as :meth:`issue_ticket`'s answer. Retried safely under one idempotency key (made
        here if not given): a lost answer comes back as the same ticket, never a second one."""
        return self.request(
            "POST",
            f"/api/v1/appointments/{_segment(code)}/check-in",
            headers={"Idempotency-Key": idempotency_key or uuid.uuid4().hex},
            retry=True,
        )

    # ------------------------------------------------------------------ places (join from a phone)
    def join_queue(
        self, service: str, phone: str, lang: str = "ar", notify: bool = False
    ) -> dict[str, Any]:
        """A place in today's queue for this phone number (docs/appointments.md)."""
        body = {"service": service, "phone": phone, "lang": lang, "notify": notify}
        return self.request("POST", "/api/v1/places", json_body=body)

    def place(self, token: str) -> dict[str, Any]:
        return self.request("GET", f"/api/v1/places/{_segment(token)}", retry=True)

    def confirm_place(self, token: str) -> dict[str, Any]:
        """The kiosk scanned a place's QR (``/p/<token>``): ``{place, ticket}``, the ticket shaped
        as :meth:`issue_ticket`'s answer. Safe to retry: a confirmed place answers its ticket."""
        return self.request("POST", f"/api/v1/places/{_segment(token)}/confirm", retry=True)

    # ------------------------------------------------------------- complaints (docs/complaints.md)
    def complaint_options(self) -> dict[str, Any]:
        """Kinds with their topics, what a complaint may be about, services, whether SMS is on."""
        return self.request("GET", "/api/v1/complaints/options", retry=True)

    def file_complaint(self, **body: Any) -> dict[str, Any]:
        """A new complaint or suggestion (``kind, about, service?, topic?, text?, anonymous,
        phone?, lang``): ``{reference, url, deadline, ...}``. Not retried: a lost answer files
        none or one, never two (a kiosk shows the error and the citizen tries again)."""
        clean = {key: value for key, value in body.items() if value is not None}
        return self.request("POST", "/api/v1/complaints", json_body=clean)

    def complaint(self, reference: str) -> dict[str, Any]:
        """A complaint's public view by its reference: status, answer, dates; never the phone."""
        return self.request("GET", f"/api/v1/complaints/{_segment(reference)}", retry=True)

    # ------------------------------------------------------------------ live events
    def events(
        self, last_event_id: int | str | None = None, read_timeout: float | None = 30.0
    ) -> Iterator[dict[str, Any]]:
        """Server-Sent Events as ``{"id", "event", "data"}`` dicts, until the connection ends.

        Pass the last ``id`` seen to resume without missing an event.
        """
        headers = self._headers({"Accept": "text/event-stream"})
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        try:
            response = self.session.get(
                self.base_url + "/api/v1/events",
                headers=headers,
                stream=True,
                timeout=(self.timeout, read_timeout),
                verify=self.verify,
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise ServerUnreachable(str(exc)) from exc
        with response:
            if response.status_code >= 400:
                self._decode(response)
            event: dict[str, Any] = {}
            data: list[str] = []
            try:
                for line in response.iter_lines(decode_unicode=True):
                    if line == "":
                        if data:
                            event["data"] = json.loads("\n".join(data))
                            yield event
                        event, data = {}, []
                    elif line.startswith(":"):
                        continue
                    else:
                        field, _, value = line.partition(":")
                        value = value.removeprefix(" ")
                        if field == "data":
                            data.append(value)
                        elif field in ("id", "event"):
                            event[field] = (
                                int(value) if field == "id" and value.isdigit() else value
                            )
            except (requests.ConnectionError, requests.Timeout) as exc:
                raise ServerUnreachable(str(exc)) from exc


def _segment(text: str) -> str:
    """``text`` as one URL path segment (a typed reference may hold spaces or slashes)."""
    return quote(text, safe="")
