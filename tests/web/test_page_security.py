"""No other site can show our pages in a frame (clickjacking a clerk or the admin): Chromium
refuses to frame them. The pages under their own policy are tests/web/test_csp.py's."""

from __future__ import annotations

import pytest

from tests.support.server import RunningServer

pytestmark = pytest.mark.browser

FRAMING_PAGE = "http://frames.invalid/"


def _framed_texts(browser: object, server: RunningServer, strip_headers: bool) -> int:
    """How many catalog texts of the board a page of another origin sees in its frame."""
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.route(
            FRAMING_PAGE,
            lambda route: route.fulfill(
                content_type="text/html",
                body=f'<iframe id="f" src="{server.url}/board"></iframe>',
            ),
        )
        if strip_headers:  # the control: the same board without the two headers

            def without(route: object) -> None:
                answer = route.fetch()  # type: ignore[attr-defined]
                headers = {
                    k: v
                    for k, v in answer.headers.items()
                    if k.lower() not in ("content-security-policy", "x-frame-options")
                }
                route.fulfill(response=answer, headers=headers)  # type: ignore[attr-defined]

            page.route(f"{server.url}/board", without)
        page.goto(FRAMING_PAGE, wait_until="load")  # "load" waits for the frame's load too
        frame = next(f for f in page.frames if f is not page.main_frame)
        return frame.evaluate("document.querySelectorAll('[data-t]').length")
    finally:
        context.close()


def test_a_page_cannot_be_framed_by_another_origin(
    browser: object, demo_server: RunningServer
) -> None:
    assert _framed_texts(browser, demo_server, strip_headers=True) > 0  # framing would work
    assert _framed_texts(browser, demo_server, strip_headers=False) == 0
