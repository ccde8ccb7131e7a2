"""The HTTP client the kiosk and the counter share: server refusals and an unreachable server."""

from __future__ import annotations

import pytest

from nafitha.client import ApiError, Client, ServerUnreachable
from tests.support.ports import free_port
from tests.support.server import RunningServer


def test_client_raises_server_errors_with_code_and_both_languages(
    demo_server: RunningServer,
) -> None:
    with pytest.raises(ApiError) as caught:
        demo_server.client(demo_server.kiosk_token).issue_ticket("no-such-service")
    assert caught.value.status == 404 and caught.value.code == "unknown_service"
    assert caught.value.message["ar"] and caught.value.message["en"]
    assert demo_server.login("clerk3", counter="c3").call_next("c3") is None


def test_client_reports_an_unreachable_server() -> None:
    client = Client(f"http://127.0.0.1:{free_port()}", timeout=0.5, retries=1, retry_delay=0.01)
    with pytest.raises(ServerUnreachable) as caught:
        client.health()
    assert caught.value.code == "server_unreachable" and caught.value.message["ar"]
