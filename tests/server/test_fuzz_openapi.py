"""schemathesis fuzzes a real server process from its own /openapi.json: no request gets a 5xx.

Each operation is called anonymously and, for half the examples, as an admin (so handlers behind
the role checks see the junk too). Examples per operation are few to keep the suite fast.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.server import RunningServer, running_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fuzzed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("fuzz")) as server:
        yield server


@pytest.fixture(scope="module")
def api_schema(fuzzed_server: RunningServer):
    document = requests.get(fuzzed_server.url + "/openapi.json", timeout=10).json()
    # The live stream never ends: it is tested on its own (test_server_process.py).
    document["paths"].pop("/api/v1/events", None)
    return schemathesis.openapi.from_dict(document)


@pytest.fixture(scope="module")
def admin_token(fuzzed_server: RunningServer) -> str:
    return fuzzed_server.login("admin").token or ""


def test_no_server_error(fuzzed_server: RunningServer, api_schema, admin_token: str) -> None:
    session = requests.Session()
    checked = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=10,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        @given(case=operation.as_strategy(), as_admin=st.booleans())
        def fuzz(case, as_admin: bool) -> None:
            headers = {"Authorization": f"Bearer {admin_token}"} if as_admin else {}
            response = case.call(
                base_url=fuzzed_server.url, session=session, headers=headers, timeout=10
            )
            assert response.status_code < 500, (case.method, case.path, response.text[:300])
            if response.status_code >= 400:
                assert set(response.json()) == {"error"}, response.text[:300]

        fuzz()
        checked += 1
    assert checked >= 15
