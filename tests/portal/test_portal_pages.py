"""The portal's pages in headless Chromium (a real uvicorn serving the hub's app on a real
PostgreSQL fed with a real center's log): Arabic first and English, phone-sized, no script
needed (the lookup form works with JavaScript off), nothing loaded from outside the hub, axe-core
with no serious or critical violation, bytes per page measured, screenshots to look at, and no
personal data on any page."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from hub.api.app import create_app
from hub.config import PortalSettings
from tests.portal.conftest import LoadedHub
from tests.support.ports import free_port
from tests.web.conftest import Recorded, open_page
from tests.web.test_pages import check_accessibility

__all__ = ["open_page"]
pytestmark = pytest.mark.browser
LANGS = ("ar", "en")


@pytest.fixture(scope="module")
def hub_url(loaded_hub: LoadedHub) -> Iterator[str]:
    port = free_port()
    settings = PortalSettings(track_per_minute=6000, track_burst=1000)
    config = uvicorn.Config(
        create_app(loaded_hub.dsn, portal=settings), host="127.0.0.1", port=port,
        log_level="warning", lifespan="off",
    )  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def _pages(loaded_hub: LoadedHub) -> dict[str, str]:
    reference = loaded_hub.references[0]
    missing = loaded_hub.references[1]  # held for a missing document
    return {
        "lookup": "/f",
        "file": f"/f/{reference}?center=c1",
        "file-missing": f"/f/{missing}?center=c2",  # c2 is stale: the page says so
        "choose-center": f"/f/{reference}",
        "mistyped": f"/f/{reference[:-1]}{'0' if reference[-1] != '0' else '1'}",
        "centers": "/centers",
        "centers-one-service": "/centers?service=civil-extract",
        "services": "/services?q=%D8%AC%D9%88%D8%A7%D8%B2",  # "جواز"
    }


def _weight(recorded: Recorded, sizes: dict[str, int]) -> int:
    return sum(sizes.get(url, 0) for url in recorded.requests)


@pytest.mark.parametrize("lang", LANGS)
def test_every_portal_page_in_both_languages(
    loaded_hub: LoadedHub, hub_url: str, open_page, artifacts: Path, lang: str
) -> None:
    weights = {}
    personal = [v for row in loaded_hub.personal for v in row.values() if v]
    recorded = open_page(360, 740, locale="ar-LB" if lang == "ar" else "en-US")
    page = recorded.page
    sizes: dict[str, int] = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())))
    for name, path in _pages(loaded_hub).items():
        recorded.requests.clear()
        page.context.clear_cookies()  # each page's style sheet counted, nothing kept between
        joiner = "&" if "?" in path else "?"
        page.goto(f"{hub_url}{path}{joiner}lang={lang}")
        assert page.evaluate("document.documentElement.lang") == lang
        assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
        assert page.evaluate("document.scripts.length") == 0  # nothing needs JavaScript
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # phone-sized
        text = page.inner_text("body")
        assert not [value for value in personal if value in text]
        page.screenshot(path=str(artifacts / f"portal-{name}-{lang}.png"))
        check_accessibility(recorded)
        assert recorded.outside(hub_url) == []
        weights[name] = _weight(recorded, sizes)
    print(f"\nportal page weights ({lang}, bytes, uncompressed, style sheet included):", weights)
    assert max(weights.values()) < 60_000


def test_the_lookup_form_works_with_javascript_off(
    loaded_hub: LoadedHub, hub_url: str, browser
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(f"{hub_url}/f?lang=en")
        page.fill("#reference", loaded_hub.references[2].lower().replace("-", " "))
        page.click("button[type=submit]")
        page.wait_for_load_state()
        assert "/f/" in page.url
        # the reference exists at both centers: the page offers them, then the file
        page.click("text=Test center 1")
        page.wait_for_load_state()
        view = loaded_hub.center_views[loaded_hub.references[2]]
        body = page.inner_text("main")
        assert view["stage"]["name"]["en"] in body and view["status_name"]["en"] in body
        page.goto(f"{hub_url}/f?lang=en")
        page.fill("#reference", "7KQ2-M9XD-X")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        assert "seems mistyped" in page.inner_text("main")
    finally:
        context.close()
