"""The counter with text messages on (docs/sms.md): the file form offers "text messages" and the
citizen's language, a bad number is refused with the reason in both languages and opens nothing,
a good one opens the file with consent, and its "ready" message lands in the modem's folder. The
status line shows the modem's state and, when the modem goes, says so within seconds.

Real server process with the folder modem, the real counter app under Xvfb; screenshots in
``tests/artifacts/sms/``."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter.sms_status import fault_of, label_key, state_of
from nafitha.harness.server import RunningServer, running_server
from nafitha.text import t
from server.store.database import Database
from tests.counter.driver import CounterDriver, start_counter

pytestmark = pytest.mark.gui

PHONE = "+9613123456"


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def sms_server(tmp_path: Path) -> Iterator[tuple[RunningServer, Path]]:
    folder = tmp_path / "modem"
    config = tmp_path / "server.toml"
    config.write_text(
        f'[sms]\nmode = "folder"\nfolder = "{folder}"\nquiet_start = 00:00:00\n'
        "quiet_end = 00:00:00\npoll_s = 0.05\n",
        encoding="utf-8",
    )
    with running_server(tmp_path / "data", extra_args=["--config", str(config)]) as server:
        yield server, folder


@pytest.fixture
def sms_counter(display: str, artifacts: Path, tmp_path: Path) -> Iterator[list[CounterDriver]]:
    started: list[CounterDriver] = []
    yield started
    for driver in started:
        driver.close()


def _start(started: list[CounterDriver], url: str, tmp_path: Path, artifacts: Path):
    folder = artifacts / "sms"
    folder.mkdir(exist_ok=True)
    driver = start_counter(url, "c1", tmp_path / "counter.log", folder, lang="ar")
    started.append(driver)
    return driver


def consent(db_path: Path, phone: str) -> tuple[str, str] | None:
    db = Database(db_path)
    try:
        row = (
            db.read()
            .execute("SELECT given_by, lang FROM sms_consent WHERE phone = ?", [phone])
            .fetchone()
        )
        return (row[0], row[1]) if row else None
    finally:
        db.close()


def count_files(db_path: Path) -> int:
    db = Database(db_path)
    try:
        return db.read().execute("SELECT count(*) FROM files").fetchone()[0]
    finally:
        db.close()


def test_the_counter_offers_messages_refuses_a_bad_number_and_shows_the_modem(
    sms_server, sms_counter, tmp_path: Path, artifacts: Path
) -> None:
    server, modem = sms_server
    kiosk = server.client(server.kiosk_token)
    manager = server.login("manager")
    kiosk.issue_ticket("civil-extract")
    app = _start(sms_counter, server.url, tmp_path, artifacts)
    app.login("clerk1", server.password)
    app.wait(lambda s: s["sms_state"] == "connected", "the modem's state on the status line")
    shown = app.describe("sms_status")
    assert shown["texts"] == [t("counter.sms_state_connected", "ar")] and shown["size"][0] > 100
    app.shots_both("sms-status-connected")

    app.tap("call_next")
    app.wait(lambda s: s["ticket"].get("number"), "the call")
    app.tap("start")
    app.wait(lambda s: s["ticket"].get("state") == "serving", "serving")
    app.tap("open_file")
    app.wait(lambda s: s["screen"] == "open_file", "the file form")
    assert app.describe("notify")["size"][1] > 40  # offered: the server sends messages

    # notify without a number: the counter asks for one, nothing is sent to the server
    app.fill("citizen_name", "Rana Khalil")
    app.tap("notify")
    app.tap("confirm")
    state = app.wait(lambda s: s["notice_kind"] == "error", "the missing number")
    assert state["notice"]["en"] == t("counter.sms_phone_needed", "en")
    assert state["notice"]["ar"] == t("counter.sms_phone_needed", "ar")

    # a landline: refused by the server with the reason, in both languages; no file opened
    app.fill("phone", "01 123 456")
    app.tap("confirm")
    state = app.wait(lambda s: "landline" in s["notice"].get("en", ""), "the refusal")
    assert state["notice"]["en"].startswith("Messages cannot be sent to this number")
    assert "هاتف ثابت" in state["notice"]["ar"]
    assert state["screen"] == "open_file" and not state["file"]
    app.shots_both("open-file-bad-number")
    assert count_files(server.db) == 0

    # a foreign number: refused with the countries allowed
    app.fill("phone", "+33 6 12 34 56 78")
    app.tap("confirm")
    state = app.wait(lambda s: "+961" in s["notice"].get("en", ""), "the foreign refusal")
    assert "+961" in state["notice"]["ar"]

    # a good local number, messages in English although the clerk works in Arabic
    app.fill("phone", "03 123 456")
    app.tap("sms_lang")
    app.shots_both("open-file-notify")
    app.tap("confirm")
    state = app.wait(lambda s: s["file"].get("reference"), "the file")
    reference = state["file"]["reference"]
    assert consent(server.db, PHONE) == ("clerk1", "en")
    for stage in ("document-check", "registry", "signature", "ready"):
        manager.move_file(reference, stage)
    wait_until(lambda: any((modem / "sent").glob(f"*_{PHONE}.txt")), 20, "the ready message")
    [sent] = (modem / "sent").glob(f"*_{PHONE}.txt")
    body = sent.read_text(encoding="utf-8")
    assert reference in body and "ready" in body

    # the modem goes (its folder replaced by a file): the status line and a notice within seconds
    app.wait(lambda s: s["screen"] == "receipt", "the receipt on screen (no printer here)")
    app.press("escape")
    app.wait(lambda s: s["screen"] != "receipt", "the receipt closed")
    app.app.call("goto", screen="serve")  # the status line is the serve screen's header
    app.wait(lambda s: s["screen"] == "serve", "the serve screen")
    shutil.move(modem, tmp_path / "modem-away")
    modem.write_text("not a folder", encoding="utf-8")
    began = time.monotonic()
    state = app.wait(lambda s: s["sms_state"] == "fault:absent", "the fault", timeout=20)
    seen_after = time.monotonic() - began
    assert state["notice_kind"] == "error"
    assert state["notice"]["en"].startswith("Text messages are not going out (SMS: no modem)")
    kinds = {a["kind"] for a in manager.alerts()}
    assert "sms_modem_absent" in kinds  # on the dashboard's list
    assert app.describe("sms_status")["texts"] == [t("counter.sms_state_absent", "ar")]
    app.shots_both("sms-status-absent")
    modem.unlink()
    shutil.move(tmp_path / "modem-away", modem)
    state = app.wait(lambda s: s["sms_state"] == "connected", "the modem back", timeout=20)
    assert state["notice"]["en"] == t("counter.sms_back_notice", "en")
    assert "sms_modem_absent" not in {a["kind"] for a in manager.alerts()}
    print(f"the counter saw the modem gone after {seen_after:.1f} s")


def test_the_status_line_reads_the_health_answer() -> None:
    assert state_of({"status": "ok"}) == ""  # no [sms]: nothing shown, nothing offered
    assert state_of({"sms": {"state": "connected"}}) == "connected"
    assert state_of({"sms": {}}) == "starting"
    assert (fault_of("fault:no_network"), fault_of("connected")) == ("no_network", None)
    assert fault_of("fault:something_new") == "absent"
    assert label_key("fault:rejected") == "sms_state_rejected"
    assert label_key("standby") == "sms_state_starting"
    for key in ("connected", "starting", "absent", "no_network", "rejected"):
        assert t(f"counter.sms_state_{key}", "ar") and t(f"counter.sms_state_{key}", "en")
