"""Serving a ticket through a real server, as a kiosk and a clerk would (for the ratings' tests)."""

from __future__ import annotations

import uuid
from typing import Any

from nafitha.client import Client
from nafitha.harness.server import RunningServer


def token_of(ticket: dict[str, Any]) -> str:
    return ticket["status_url"].rsplit("/", 1)[-1]


def issue(server: RunningServer, service: str) -> dict[str, Any]:
    kiosk = server.client(server.kiosk_token)
    return kiosk.issue_ticket(service, idempotency_key=str(uuid.uuid4()))


def call_mine(clerk: Client, counter: str, ticket: dict[str, Any]) -> None:
    """Call at ``counter`` until ``ticket`` is called (finishing any other called first)."""
    for _ in range(50):
        called = clerk.call_next(counter)
        assert called is not None, "the ticket was never called"
        if called["id"] == ticket["id"]:
            return
        clerk.ticket_action(called["id"], "finish")
    raise AssertionError("the ticket was never called")


def served(
    server: RunningServer, service: str, counter: str, clerk_name: str
) -> tuple[Client, dict[str, Any]]:
    """A ticket issued at the kiosk, called at ``counter`` and finished there."""
    ticket = issue(server, service)
    clerk = server.login(clerk_name, counter=counter)
    call_mine(clerk, counter, ticket)
    done = clerk.ticket_action(ticket["id"], "finish")
    assert done["state"] == "done", done
    return clerk, ticket
