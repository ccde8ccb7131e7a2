"""The box's clock and time zone: read from the kernel and the system, warned about at start in
both languages, shown to the manager as alerts (once), and reported by the health check."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from nafitha.client import Client
from nafitha.harness.ports import free_port, wait_for_http
from nafitha.paths import ROOT
from nafitha.text import both
from server.clock import (
    ClockState,
    clock_warnings,
    read_clock_state,
    system_zone_name,
    zones_differ,
)

NOW = 1_795_000_000.0  # 2026-11-18


def test_an_unsynchronised_clock_and_a_foreign_zone_are_each_one_warning() -> None:
    fine = ClockState(True)
    assert clock_warnings(fine, "Asia/Beirut", "Asia/Beirut", NOW) == []
    assert clock_warnings(ClockState(None), None, "Asia/Beirut", NOW) == []  # cannot tell
    found = clock_warnings(ClockState(False), "Etc/UTC", "Asia/Beirut", NOW)
    assert [w.code for w in found] == ["clock_unsynchronised", "timezone_mismatch"]
    assert found[1].params == {"system": "Etc/UTC", "center": "Asia/Beirut"}


@pytest.mark.parametrize(
    ("first", "second", "differ"),
    [
        ("Asia/Beirut", "Etc/UTC", True),
        ("Asia/Kuwait", "Asia/Riyadh", False),  # two names, one offset all year
        ("Europe/London", "Etc/UTC", True),  # equal in winter, not in summer
        ("Asia/Beirut", "Asia/Beirut", False),
        ("Not/AZone", "Asia/Beirut", True),
    ],
)
def test_zones_differ_when_their_offsets_differ_at_some_time_of_the_year(
    first: str, second: str, differ: bool
) -> None:
    assert zones_differ(first, second, NOW) is differ


def test_the_system_zone_comes_from_tz_then_localtime_then_etc_timezone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TZ", raising=False)
    etc = tmp_path / "etc"
    etc.mkdir()
    assert system_zone_name(etc) is None
    (etc / "timezone").write_text("Asia/Baghdad\n", encoding="utf-8")
    assert system_zone_name(etc) == "Asia/Baghdad"
    (etc / "localtime").symlink_to("/usr/share/zoneinfo/Asia/Damascus")
    assert system_zone_name(etc) == "Asia/Damascus"
    monkeypatch.setenv("TZ", ":Asia/Beirut")
    assert system_zone_name(etc) == "Asia/Beirut"


def test_the_kernel_is_asked_through_adjtimex() -> None:
    state = read_clock_state()
    assert state.synchronised in (True, False)  # Linux always answers the read-only call
    assert state.max_error_us is not None and state.max_error_us >= 0


def test_the_warnings_have_their_texts_in_both_languages() -> None:
    for key, params in (
        ("server.clock_unsynchronised", {}),
        ("server.timezone_mismatch", {"system": "Etc/UTC", "center": "Asia/Beirut"}),
        ("web.alert_clock_unsynchronised", {}),
        ("web.alert_timezone_mismatch", {}),
    ):
        text = both(key, **params)
        assert text["ar"] and text["en"] and text["ar"] != text["en"]


def _dashboard_shows(url: str, username: str, password: str, key: str) -> None:
    """The manager signs in on /dashboard in Chromium and sees the alert's catalog text."""
    from playwright.sync_api import sync_playwright

    from nafitha.harness.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="en-GB")
            page.goto(url + "/dashboard")
            page.fill("#login-form input[name=username]", username)
            page.fill("#login-form input[name=password]", password)
            page.click("#login-form button[type=submit]")
            page.wait_for_selector("#content:not(.hidden)")
            item = page.wait_for_selector('#now-alerts-list li[data-kind="timezone_mismatch"]')
            text = item.inner_text()
            assert both(key)["en"] in text or both(key)["ar"] in text, text
            assert "Etc/UTC" in text
        finally:
            browser.close()


def _start(db: Path, port: int, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TZ": "Etc/UTC"}  # the demo center is in Asia/Beirut
    log = (db.parent / f"server-{port}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "nafitha.cli", "server", "--db", str(db), "--port", str(port),
         *extra],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    log.close()
    wait_for_http(f"http://127.0.0.1:{port}/api/v1/health", timeout=40)
    return process


def _stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


def test_a_production_server_warns_at_start_and_the_manager_sees_one_alert(
    tmp_path: Path,
) -> None:
    db = tmp_path / "nafitha.db"
    made = subprocess.run(
        [sys.executable, "-m", "nafitha.cli", "server", "--db", str(db), "--set-password",
         "rana", "--role", "manager"],
        input="a-long-password\n", capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    port = free_port()
    url = f"http://127.0.0.1:{port}"

    def zone_alerts() -> list[dict]:
        manager = Client(url)
        manager.login("rana", "a-long-password")
        return [
            a for a in manager.request("GET", "/api/v1/alerts") if a["kind"] == "timezone_mismatch"
        ]

    process = _start(db, port)
    try:
        first = zone_alerts()
        assert len(first) == 1
        assert first[0]["message"] == "system=Etc/UTC center=Asia/Beirut"
        assert first[0]["actor"] == "server"
        assert "timezone_mismatch" in Client(url).health()["clock"]["warnings"]
        _dashboard_shows(url, "rana", "a-long-password", "web.alert_timezone_mismatch")
    finally:
        _stop(process)
    log = (tmp_path / f"server-{port}.log").read_text(encoding="utf-8")
    assert "the system time zone (Etc/UTC) differs from the center's (Asia/Beirut)" in log
    assert "المنطقة الزمنية للنظام (Etc/UTC)" in log

    process = _start(db, port)  # a restart adds no second alert while the first is open
    try:
        assert [a["id"] for a in zone_alerts()] == [first[0]["id"]]
        manager = Client(url)
        manager.login("rana", "a-long-password")
        manager.request("POST", f"/api/v1/alerts/{first[0]['id']}/resolve")
        assert zone_alerts() == []
    finally:
        _stop(process)


def test_a_demo_server_only_prints_the_warnings(tmp_path: Path) -> None:
    from nafitha.demo import DEMO_PASSWORD, seed_demo

    db = tmp_path / "nafitha.db"
    seed_demo(db)
    port = free_port()
    process = _start(db, port, "--demo")
    try:
        manager = Client(f"http://127.0.0.1:{port}")
        manager.login("manager", DEMO_PASSWORD)
        assert manager.request("GET", "/api/v1/alerts") == []
    finally:
        _stop(process)
    assert "differs from the center's" in (tmp_path / f"server-{port}.log").read_text("utf-8")
