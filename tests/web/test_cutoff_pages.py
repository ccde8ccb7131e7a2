"""The cut-off on the board and the dashboard, in headless Chromium against a real server whose
center is ``tests/support/cutoff_center.py`` (local time about 10:00, hours around now)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nafitha.client import ApiError
from tests.support.cutoff_center import BY_ID, BY_PHONE, LAST, LATE, cutoff_center
from tests.support.server import RunningServer, start_server
from tests.web.conftest import login_in_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def cut_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningServer, dict]]:
    root = tmp_path_factory.mktemp("cutoff-web")
    center, times = cutoff_center(root)
    server = start_server(root / "server", center=center, ignore_hours=False)
    try:
        yield server, times
    finally:
        server.stop()


def line(page, service: str) -> str:
    selector = f'#waiting li[data-service="{service}"] .last-ticket'
    page.wait_for_selector(selector)
    return page.inner_text(selector)


def test_the_board_shows_each_services_last_ticket_in_both_languages(
    cut_server, open_page, artifacts: Path
) -> None:
    server, times = cut_server
    for lang in ("en", "ar"):
        recorded = open_page(1920, 1080)
        page = recorded.page
        page.goto(f"{server.url}/board?lang={lang}")
        page.wait_for_function("window.NFBoard && window.NFBoard.Board.stream !== null")
        last, late = line(page, LAST), line(page, LATE)
        assert f"last ticket {times['last_ticket']}" in last
        assert f"آخر تذكرة {times['last_ticket']}" in last
        assert f"no more tickets today (closes {times['late_close']})" in late
        assert f"لا تذاكر جديدة اليوم (الإغلاق {times['late_close']})" in late
        page.screenshot(path=str(artifacts / f"board-cutoff-{lang}.png"))
        # a service open all day (no closing time) and nobody waiting: not listed
        assert page.query_selector('#waiting li[data-service="death-registration"]') is None


def test_the_manager_keeps_a_late_service_issuing_and_sees_the_limits(
    cut_server, open_page, artifacts: Path
) -> None:
    server, times = cut_server
    kiosk = server.client(server.kiosk_token)
    kiosk.issue_ticket(BY_PHONE, person={"phone": "0933000111"})
    for _ in range(2):  # beyond the limit: refused, and each refusal counted
        with pytest.raises(ApiError) as refused:
            kiosk.issue_ticket(BY_PHONE, person={"phone": "0933000111"})
        assert refused.value.code == "person_limit_reached"
    board = open_page(1920, 1080).page
    board.goto(f"{server.url}/board?lang=en")
    assert "no more tickets" in line(board, LATE)

    page = open_page(1280, 900).page
    page.goto(f"{server.url}/dashboard?lang=en")
    login_in_page(page, server, "manager")
    row = f'#cutoff-services tr[data-service="{BY_PHONE}"]'
    page.wait_for_selector(row)
    assert page.get_attribute(f'{row} [data-figure="refusals"]', "data-value") == "2"
    assert page.get_attribute(f'{row} [data-figure="limit"]', "data-value") == "1"
    assert "1 per phone" in page.inner_text(f'{row} [data-figure="limit"]')
    id_row = f'#cutoff-services tr[data-service="{BY_ID}"] [data-figure="limit"]'
    assert "1 per national ID" in page.inner_text(id_row)
    late_row = f'#cutoff-services tr[data-service="{LATE}"]'
    assert times["late_close"] in page.inner_text(late_row)
    page.click(f'{late_row} button[data-override="{LATE}"]')
    page.wait_for_selector(f'{late_row} button[data-open="false"]')
    page.screenshot(path=str(artifacts / "dashboard-cutoff-en.png"), full_page=True)
    # the board follows the override at once: the late service issues until it closes
    board.wait_for_function(
        "([s, t]) => (document.querySelector(`#waiting li[data-service='${s}'] .last-ticket`)"
        " || {}).textContent?.includes(`last ticket ${t}`)",
        arg=[LATE, times["late_close"]],
    )
    assert kiosk.issue_ticket(LATE)["number"]
    page.click(f'{late_row} button[data-override="{LATE}"]')  # back to the rule
    page.wait_for_selector(f'{late_row} button[data-open="true"]')
    # the same panel in Arabic
    page.goto(f"{server.url}/dashboard?lang=ar")
    page.wait_for_selector(f'{late_row} button[data-open="true"]')
    assert page.inner_text("#cutoff-title") == "آخر تذكرة اليوم وحدود التذاكر"
    assert f"لا تذاكر جديدة اليوم (الإغلاق {times['late_close']})" in page.inner_text(late_row)
    assert page.inner_text(f'{late_row} button[data-override="{LATE}"]') == (
        "إبقاء الإصدار حتى الإغلاق"
    )
    assert "1 لكل هاتف" in page.inner_text(f'{row} [data-figure="limit"]')
    page.screenshot(path=str(artifacts / "dashboard-cutoff-ar.png"))
