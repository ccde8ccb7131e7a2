"""A refusal is an error value: a code, the parameters of its message, and maybe response headers.

Every code is registered once in ``CODES``: its HTTP status and the catalog holding its bilingual
text (table ``error_<code>`` of ``assets/i18n/<catalog>.toml``). The API turns every refusal into
the one error shape ``{"error": {"code", "message": {"ar", "en"}}}`` with that status and the
refusal's headers (``Retry-After`` on a 429 or 503). ``tests/server/test_error_shape.py`` checks
that every code raised in ``server/`` is registered and has its text in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Code:
    """How one refusal code leaves the server: its status and the catalog of its text."""

    status: int
    catalog: str = "server"

    def text_key(self, code: str) -> str:
        return f"{self.catalog}.error_{code}"


_FILES = "files"
_WEB = "web"

CODES: dict[str, Code] = {
    # 400
    "malformed_json": Code(400),
    # 401
    "unauthenticated": Code(401),
    "token_expired": Code(401),
    "bad_credentials": Code(401),
    # 403
    "forbidden": Code(403),
    "tls_required": Code(403),  # a staff secret over plain HTTP (server/require_tls.py)
    "not_at_counter": Code(403),
    "not_your_ticket": Code(403),
    "not_your_no_show": Code(403),
    "last_admin": Code(403),
    "role_not_allowed": Code(403, _FILES),
    # 404
    "not_found": Code(404),
    "unknown_service": Code(404),
    "unknown_counter": Code(404),
    "ticket_not_found": Code(404),
    "unknown_action": Code(404),
    "unknown_person": Code(404),
    "unknown_device": Code(404),
    "unknown_category": Code(404),
    "unknown_alert": Code(404),
    "file_not_found": Code(404, _FILES),
    # 405
    "method_not_allowed": Code(405),
    # 409
    "service_closed": Code(409),
    "counter_not_serving": Code(409),
    "service_not_at_kiosk": Code(409),  # a step-only service (visit steps)
    "counter_busy": Code(409),
    "counter_paused": Code(409),
    "counter_taken": Code(409),
    "wrong_state": Code(409),
    "no_show_too_soon": Code(409),
    "undo_too_late": Code(409),
    "duplicate_username": Code(409),
    "duplicate_device": Code(409),
    "idempotency_conflict": Code(409),
    "reprint_not_today": Code(409),
    "reprint_closed": Code(409),
    "reprint_limit_reached": Code(409),
    "past_cutoff": Code(409),  # the cut-off (server/domain/cutoff.py)
    "person_limit_reached": Code(409),  # tickets per person (server/domain/person_limit.py)
    "transition_not_allowed": Code(409, _FILES),
    "file_cancelled": Code(409, _FILES),
    "file_closed": Code(409, _FILES),
    "file_changed": Code(409, _FILES),
    "workflow_changed": Code(409, _FILES),
    # the portal's requests forwarded by the hub (server/usecases/portal_requests.py, H)
    "portal_request_invalid": Code(422, "forward"),
    "portal_request_too_large": Code(413, "forward"),
    "portal_request_reused": Code(409, "forward"),
    "portal_center_error": Code(500, "forward"),
    # complaints and suggestions (server/domain/complaints.py, docs/complaints.md)
    "complaint_not_found": Code(404, "complaints"),
    "complaint_wrong_state": Code(409, "complaints"),
    "complaint_too_long": Code(422, "complaints"),
    "complaint_bad_kind": Code(422, "complaints"),
    "complaint_bad_about": Code(422, "complaints"),
    "complaint_bad_topic": Code(422, "complaints"),
    "complaint_bad_status": Code(422, "complaints"),
    "complaint_empty": Code(422, "complaints"),
    "complaint_service_required": Code(422, "complaints"),
    "complaint_anonymous_contact": Code(422, "complaints"),
    "complaint_ticket_unknown": Code(422, "complaints"),
    "complaint_ticket_number_bad": Code(422, "complaints"),
    "complaint_answer_empty": Code(422, "complaints"),
    "complaint_rate_limited": Code(429, "complaints"),
    # ratings of visits (server/domain/ratings.py, docs/ratings.md)
    "rating_not_finished": Code(409, "ratings"),
    "already_rated": Code(409, "ratings"),
    "rating_closed": Code(409, "ratings"),
    "nothing_to_rate": Code(409, "ratings"),
    "rating_rate_limited": Code(429, "ratings"),
    # joining the queue from a phone (server/usecases/queue_places.py, docs/appointments.md)
    "places_disabled": Code(409, "appointments"),
    "places_portal_off": Code(409, "appointments"),
    "places_no_counter": Code(409, "appointments"),
    "place_limit_reached": Code(409, "appointments"),
    "place_lapsed": Code(409, "appointments"),
    "place_not_found": Code(404, "appointments"),
    "places_rate_limited": Code(429, "appointments"),
    # appointments (server/usecases/appointments.py, docs/appointments.md)
    "not_bookable": Code(409, "appointments"),
    "slot_full": Code(409, "appointments"),
    "slot_closed": Code(409, "appointments"),
    "day_closed": Code(409, "appointments"),
    "slot_past": Code(409, "appointments"),
    "outside_horizon": Code(409, "appointments"),
    "booking_limit_reached": Code(409, "appointments"),
    "name_required": Code(422, "appointments"),
    "phone_required": Code(422, "appointments"),
    "booking_not_found": Code(404, "appointments"),
    "checkin_too_early": Code(409, "appointments"),
    "checkin_wrong_day": Code(409, "appointments"),
    "already_checked_in": Code(409, "appointments"),
    "booking_cancelled": Code(409, "appointments"),
    "booking_no_show": Code(409, "appointments"),
    "bad_day_range": Code(422, "appointments"),
    "booking_rate_limited": Code(429, "appointments"),
    # 413
    "body_too_large": Code(413),
    # 422
    "invalid_input": Code(422),
    "unsafe_text": Code(422),
    "weak_password": Code(422),
    "reason_required": Code(422),
    "transfer_target_required": Code(422),
    "reprint_needs_ticket": Code(422),
    "reprint_bad_number": Code(422),
    "person_required": Code(422),
    "person_invalid": Code(422),
    "override_day_past": Code(422),
    "unknown_outcome": Code(422),  # visit steps (server/domain/visit_steps.py)
    "outcome_only_at_finish": Code(422),
    "bad_step": Code(422),
    "invalid_catalog": Code(422),
    "reference_malformed": Code(422, _FILES),
    "reference_mistyped": Code(422, _FILES),
    "service_has_no_workflow": Code(422, _FILES),
    "unknown_document": Code(422, _FILES),
    "unknown_stage": Code(422, _FILES),
    "missing_list_required": Code(422, _FILES),
    "search_needs_a_key": Code(422, _FILES),
    "sms_too_long": Code(422, "sms"),  # text messages (server/store/outbox.py)
    "sms_phone_refused": Code(422, "sms"),  # reason: nafitha/phone_numbers.py
    # a ticket's text messages (server/usecases/ticket_sms.py): off, not waiting, STOP, too often
    "sms_unavailable": Code(409, "sms"),
    "sms_ticket_not_waiting": Code(409, "sms"),
    "sms_number_stopped": Code(409, "sms"),
    "sms_notify_rate_limited": Code(429, "sms"),
    "message_too_long": Code(422, _WEB),
    "bad_period": Code(422, _WEB),
    "bad_day": Code(422, _WEB),  # the integrity report's ?day= (server/usecases/integrity.py)
    # 429
    "too_many_attempts": Code(429),
    "alerts_rate_limited": Code(429),
    "reprint_rate_limited": Code(429),
    "track_rate_limited": Code(429, _FILES),
    "integrity_rate_limited": Code(429, _WEB),
    # 431
    "headers_too_large": Code(431),
    # 500
    "internal_error": Code(500),
    # 503
    "too_many_streams": Code(503),
    "storage_unavailable": Code(503),
}

UNREGISTERED = Code(409)


def code_of(code: str) -> Code:
    """The registered status and catalog of ``code`` (an unregistered code is a 409 conflict)."""
    return CODES.get(code, UNREGISTERED)


class Refusal(Exception):
    """Raised by use cases and domain rules when a request cannot be done as asked.

    ``status`` and ``text_key`` are only for a code not yet in ``CODES`` (the registry wins);
    ``headers`` go on the answer as they are (``{"Retry-After": "30"}``).
    """

    def __init__(
        self,
        code: str,
        *,
        status: int | None = None,
        text_key: str | None = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> None:
        registered = CODES.get(code)
        self.code = code
        self.status = registered.status if registered else (status or UNREGISTERED.status)
        self.text_key = (
            registered.text_key(code) if registered else (text_key or f"server.error_{code}")
        )
        self.headers = dict(headers or {})
        self.params = params
        super().__init__(code)

    @classmethod
    def retry_after(cls, code: str, seconds: int) -> Refusal:
        """A refusal that says when to come back: ``Retry-After`` and the text's ``seconds``."""
        return cls(code, headers={"Retry-After": str(seconds)}, seconds=seconds)
