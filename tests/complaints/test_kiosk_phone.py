"""The kiosk's phone step, where the center sends messages: a number typed on the keypad goes
with the complaint (for the answer by SMS); "no phone" keeps it anonymous. Xvfb, real server with
a folder modem, the virtual printer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from printers.virtual import VirtualPrinter
from tests.complaints.conftest import ARTIFACTS
from tests.kiosk.driver import Kiosk, start_kiosk
from tests.support.server import RunningServer, running_server

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def sms_kiosk(
    display: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Kiosk, RunningServer]]:
    root = tmp_path_factory.mktemp("complaint-sms-kiosk")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    config = root / "server.toml"
    config.write_text(f'[sms]\nmode = "folder"\nfolder = "{root / "sms"}"\n', encoding="utf-8")
    with (
        running_server(root / "server", extra_args=["--config", str(config)]) as server,
        VirtualPrinter(out_dir=root / "paper") as paper,
    ):
        kiosk = start_kiosk(root / "kiosk", ARTIFACTS, server.url, paper.url)
        try:
            yield kiosk, server
        finally:
            kiosk.close()


def to_phone_step(kiosk: Kiosk) -> None:
    kiosk.home()
    kiosk.tap_to("complaint_button", "complaint_choose")
    for name in (
        "complaint_kind_complaint",
        "complaint_about_center",
        "complaint_topic_cleanliness",
    ):
        kiosk.wait_for_name(name)
        kiosk.tap(name)
    kiosk.wait_screen("complaint_text")
    kiosk.wait_state(lambda s: s["complaints"]["sms"], "the options (messages on)")
    kiosk.tap_to("complaint_text_done", "complaint_phone")


def test_a_phone_typed_at_the_kiosk_goes_with_the_complaint(
    sms_kiosk: tuple[Kiosk, RunningServer],
) -> None:
    kiosk, server = sms_kiosk
    to_phone_step(kiosk)
    for digit in "71123456":
        kiosk.tap(f"cphone_{digit}")
    kiosk.wait_state(lambda s: s["complaints"]["phone_digits"] == 8, "the typed number")
    kiosk.shot("complaint_phone_ar")
    kiosk.tap_to("complaint_send_phone", "complaint_done")
    state = kiosk.wait_state(lambda s: s["complaints"]["phase"] == "printed", "the slip")
    filed = state["complaints"]["filed"]
    assert filed["sms"] is True and state["complaints"]["phone_digits"] == 0
    staff = server.login("manager").request("GET", f"/api/v1/complaints/{filed['reference']}")
    assert staff["phone"] == "+96171123456" and staff["channel"] == "kiosk"


def test_no_phone_keeps_it_anonymous(sms_kiosk: tuple[Kiosk, RunningServer]) -> None:
    kiosk, server = sms_kiosk
    to_phone_step(kiosk)
    kiosk.tap_to("complaint_send_anonymous", "complaint_done")
    state = kiosk.wait_state(lambda s: s["complaints"]["phase"] == "printed", "the slip")
    reference = state["complaints"]["filed"]["reference"]
    staff = server.login("manager").request("GET", f"/api/v1/complaints/{reference}")
    assert staff["phone"] is None
