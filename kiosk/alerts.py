"""Faults this kiosk reports to staff (``POST /api/v1/alerts``), kept until the server has them.

A printer out of paper while the server is also down must still reach the staff: an alert that
cannot be sent stays in the outbox and goes out with the next successful contact.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nafitha.gui.background import Background

log = logging.getLogger("nafitha.kiosk")


def alert_text(message: dict[str, str]) -> str:
    """The API takes one text (≤ 500 characters): English then Arabic, for any member of staff."""
    return " / ".join(part for part in (message.get("en", ""), message.get("ar", "")) if part)[:500]


@dataclass
class Alert:
    kind: str
    message: dict[str, str]
    on_sent: Callable[[], Any] | None = None


class AlertOutbox:
    def __init__(self, background: Background, client: Any, device: str | None) -> None:
        self.background = background
        self.client = client
        self.device = device or None
        self.pending: list[Alert] = []
        self.sent: list[str] = []
        self._sending = False

    def send(
        self, kind: str, message: dict[str, str], on_sent: Callable[[], Any] | None = None
    ) -> None:
        self.pending.append(Alert(kind, message, on_sent))
        self.flush()

    def flush(self) -> None:
        """Try to send what is pending (one at a time, in order)."""
        if self._sending or not self.pending:
            return
        alert = self.pending[0]
        self._sending = True
        self.background.run(
            lambda: self.client.post_alert(
                alert.kind, alert_text(alert.message), device=self.device
            ),
            lambda _answer: self._delivered(alert),
            self._not_delivered,
        )

    def _delivered(self, alert: Alert) -> None:
        self._sending = False
        if self.pending and self.pending[0] is alert:
            self.pending.pop(0)
        self.sent.append(alert.kind)
        if alert.on_sent:
            alert.on_sent()
        self.flush()

    def _not_delivered(self, error: Exception) -> None:
        self._sending = False
        log.warning("alert not delivered yet (%r); kept for the next contact", error)
