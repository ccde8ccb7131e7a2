"""schemathesis fuzzes the appointment endpoints of a real server process from its own
/openapi.json (anonymously, and as a manager for half the examples): never a 5xx."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.server import running_server

pytestmark = pytest.mark.slow


def test_the_appointment_endpoints_never_answer_a_server_error(tmp_path: Path) -> None:
    with running_server(tmp_path) as server:
        document = requests.get(server.url + "/openapi.json", timeout=10).json()
        document["paths"] = {p: v for p, v in document["paths"].items() if "appointments" in p}
        schema = schemathesis.openapi.from_dict(document)
        token = server.login("manager").token or ""
        kiosk = server.kiosk_token
        session = requests.Session()
        checked = 0
        for result in schema.get_all_operations():
            operation = result.ok()

            @settings(
                max_examples=40,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
                database=None,
            )
            @given(case=operation.as_strategy(), who=st.sampled_from([None, token, kiosk]))
            def fuzz(case, who: str | None) -> None:
                headers = {"Authorization": f"Bearer {who}"} if who else {}
                answer = case.call(
                    base_url=server.url, session=session, headers=headers, timeout=10
                )
                assert answer.status_code < 500, (case.method, case.path, answer.text[:300])

            fuzz()
            checked += 1
        assert checked == 11
