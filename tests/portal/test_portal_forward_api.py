"""The hub's forwarding API in process, on a real PostgreSQL hub (the portal's ``loaded_hub``):
a center that does not answer is a bilingual 503 ``center_unreachable``; the forwarded requests
are rate-limited per client address in the portal's shared buckets; strict bodies; unknown
centers; the pages' frame and their Content-Security-Policy."""

from __future__ import annotations

import warnings

from hub.api.app import create_app
from hub.api.center_link import ForwardLink
from hub.config import PortalSettings
from hub.store.database import connect
from tests.portal.conftest import LoadedHub
from tests.support.ports import free_port

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

BOOKING = {"service": "passport", "day": "2030-01-02", "start": "09:00", "lang": "en"}


def _client(hub: LoadedHub, link: ForwardLink | None, **portal: float) -> TestClient:
    with connect(hub.dsn) as conn:
        conn.execute("DELETE FROM portal_rate_limits")
    return TestClient(create_app(hub.dsn, portal=PortalSettings(**portal), forward=link))


def _nowhere() -> ForwardLink:
    """A hub whose nats-server is not there: nothing answers for any center."""
    return ForwardLink(f"nats://127.0.0.1:{free_port()}", "password123", timeout_s=1.0)


def test_a_center_that_does_not_answer_is_a_clear_refusal(loaded_hub: LoadedHub) -> None:
    client = _client(loaded_hub, _nowhere())
    answer = client.post("/api/v1/portal/centers/c1/appointments", json=BOOKING)
    assert answer.status_code == 503
    error = answer.json()["error"]
    assert error["code"] == "center_unreachable"
    assert error["message"]["en"] == (
        "This center cannot be reached through the portal right now; try again later or go to"
        " the center."
    )
    assert "راجع المركز" in error["message"]["ar"]
    assert answer.headers["Retry-After"] == "30"
    for path in ("/appointments/services", "/complaints/ZZZZ-ZZZZ-Z", "/appointments/AB",
                 "/places/services", "/places/some-token"):  # fmt: skip
        assert client.get(f"/api/v1/portal/centers/c2{path}").status_code == 503


def test_forwarded_requests_are_rate_limited_per_address(loaded_hub: LoadedHub) -> None:
    client = _client(loaded_hub, _nowhere(), forward_per_minute=1, forward_burst=3)
    codes = [
        client.post("/api/v1/portal/centers/c1/appointments", json=BOOKING).status_code
        for _ in range(5)
    ]
    assert codes == [503, 503, 503, 429, 429]
    limited = client.get("/api/v1/portal/centers/c2/appointments/services")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["error"]["code"] == "forward_rate_limited"
    assert set(limited.json()["error"]["message"]) == {"ar", "en"}


def test_bodies_are_strict_and_centers_known(loaded_hub: LoadedHub) -> None:
    client = _client(loaded_hub, _nowhere())
    base = "/api/v1/portal/centers"
    for body in ({**BOOKING, "extra": 1}, {**BOOKING, "day": "tomorrow"}, {"service": "x"}):
        answer = client.post(f"{base}/c1/appointments", json=body)
        assert answer.status_code == 422 and answer.json()["error"]["code"] == "forward_invalid"
    for days in ("x", "-1", "99999"):
        answer = client.get(f"{base}/c1/appointments/slots", params={"service": "a", "days": days})
        assert answer.status_code == 422 and answer.json()["error"]["code"] == "forward_invalid"
    bad_id = client.post(f"{base}/c1/appointments", json={**BOOKING, "request_id": "a b"})
    assert bad_id.status_code == 422
    huge = client.post(f"{base}/c1/complaints", content=b'{"text": "' + b"x" * 9000 + b'"}')
    assert huge.status_code == 413
    for center in ("nowhere", "NOT-AN-ID", "c" * 40):
        answer = client.get(f"{base}/{center}/appointments/services")
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "unknown_center"
    off = TestClient(create_app(loaded_hub.dsn)).get(f"{base}/c1/appointments/services")
    assert off.status_code == 503 and off.json()["error"]["code"] == "portal_forward_off"


def test_the_pages_frame_in_both_languages_with_their_own_script_only(
    loaded_hub: LoadedHub,
) -> None:
    client = _client(loaded_hub, _nowhere())
    pages = ("/centers/c1/book", "/centers/c1/complaint", "/centers/c2/complaints/ABCD",
             "/centers/c1/join", "/centers/c2/places/some-token")  # fmt: skip
    for path in pages:
        for lang, direction in (("ar", "rtl"), ("en", "ltr")):
            page = client.get(path, params={"lang": lang})
            assert page.status_code == 200
            assert f'dir="{direction}"' in page.text
            assert '<script src="/portal/static/forward.js" defer></script>' in page.text
            csp = page.headers["Content-Security-Policy"]
            assert "script-src 'self'" in csp and "unsafe" not in csp
    assert client.get("/centers/nowhere/book").status_code == 404
    assert client.get("/centers/nowhere/join").status_code == 404
    token = client.get('/centers/c1/places/"><script>x</script>', params={"lang": "en"})
    assert "<script>x</script>" not in token.text  # the token is an attribute, escaped
    script = client.get("/portal/static/forward.js")
    assert script.status_code == 200
    for sink in (".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script.text, sink
