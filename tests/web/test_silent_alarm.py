"""The silent alarm end to end: Ctrl+Shift+F12 on the real counter (Kivy under Xvfb) reaches the
manager's dashboard in headless Chromium at once, red and naming the counter, while the counter's
own screen changes by one full stop inside its "Connected" corner and nothing else."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from tests.counter.driver import CounterDriver, start_counter
from tests.support.server import RunningServer
from tests.web.conftest import login_in_page

pytestmark = pytest.mark.gui


@pytest.fixture
def counter(display: str, demo_server: RunningServer, artifacts: Path, tmp_path: Path):
    driver = start_counter(demo_server.url, "c1", tmp_path / "counter.log", artifacts)
    try:
        driver.login("clerk1", demo_server.password)
        yield driver
    finally:
        driver.close()


def _visible_texts(counter: CounterDriver) -> list[str]:
    return [t for t in counter.texts() if t]


def test_ctrl_shift_f12_at_the_counter_is_on_the_dashboard_at_once_and_silent_at_the_counter(
    counter: CounterDriver, demo_server: RunningServer, open_page, artifacts: Path
) -> None:
    recorded = open_page(1280, 900, locale="ar-LB", timezone_id="Asia/Beirut")
    page = recorded.page
    page.goto(f"{demo_server.url}/dashboard")
    login_in_page(page, demo_server, "manager")
    assert page.locator("#silent-alarm").is_hidden()

    before_state = counter.state()
    before_texts = _visible_texts(counter)
    before = counter.shot("silent-alarm-before-ar")
    pressed_at = time.monotonic()
    counter.app.call("press", name="f12", modifiers=["ctrl", "shift"])
    page.wait_for_selector("#silent-alarm:not(.hidden)", timeout=10_000)
    seen_after = time.monotonic() - pressed_at
    item = page.locator("#silent-alarm-list li.silent-alarm")
    assert item.count() == 1
    words = item.inner_text()
    assert "الشباك 1" in words and "إنذار صامت" in words, words
    assert page.title().startswith("\u26a0")
    page.screenshot(path=str(artifacts / "dashboard-silent-alarm-ar.png"), full_page=False)
    print(f"silent alarm: key to dashboard {seen_after:.2f} s")
    assert seen_after < 5.0, seen_after  # "at once": the wait answers as soon as it is raised

    page.click("[data-switch-lang]")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert "Counter 1" in page.locator("#silent-alarm-list li").inner_text()
    assert "a member of staff needs help" in page.locator("#silent-alarm-title").inner_text()
    page.screenshot(path=str(artifacts / "dashboard-silent-alarm-en.png"), full_page=False)

    # the counter: the same screen, language, notice and texts; only "متصل" gained a full stop
    after_state = counter.wait(lambda s: True, "the state")
    counter.app.wait_for(
        lambda: any(t.endswith("متصل.") for t in counter.texts()), 10, "the clerk's sign"
    )
    for key in ("screen", "lang", "notice", "notice_kind", "ticket", "confirming", "pending"):
        assert after_state[key] == before_state[key], key
    after_texts = _visible_texts(counter)
    changed = [(a, b) for a, b in zip(before_texts, after_texts, strict=True) if a != b]
    assert changed == [("متصل", "متصل.")], changed
    after = counter.shot("silent-alarm-after-ar")
    with Image.open(before) as first, Image.open(after) as second:
        box = ImageChops.difference(first.convert("RGB"), second.convert("RGB")).getbbox()
        height = second.height
    pill = counter.describe("connection")
    left, bottom = pill["pos"]
    width, tall = pill["size"]
    top = height - (bottom + tall)
    assert box is not None
    assert left - 2 <= box[0] and box[2] <= left + width + 2, (box, pill)
    assert top - 2 <= box[1] and box[3] <= top + tall + 2, (box, pill)

    # the manager clears it: gone from the page; a second press raises it again
    page.locator("#silent-alarm-list button").click()
    page.wait_for_selector("#silent-alarm.hidden", state="attached", timeout=10_000)
    counter.app.call("press", name="f12", modifiers=["ctrl", "shift"])
    page.wait_for_selector("#silent-alarm:not(.hidden)", timeout=10_000)


def test_f12_alone_still_switches_the_language_and_raises_nothing(
    counter: CounterDriver, demo_server: RunningServer
) -> None:
    manager = demo_server.login("manager")
    open_before = [a for a in manager.alerts() if a["kind"] == "silent_alarm"]
    counter.press("f12")
    counter.wait(lambda s: s["lang"] == "en", "English")
    counter.app.call("press", name="f12", modifiers=["ctrl"])  # Ctrl+F12: not the alarm either
    counter.wait(lambda s: s["lang"] == "ar", "Arabic again")
    assert [a for a in manager.alerts() if a["kind"] == "silent_alarm"] == open_before
