"""A file opened at the counter: checklist, printed receipt decoded, looked up by a scanner, moved
to ready and handed over; a failed printer shows the receipt on screen and alerts the staff."""

from __future__ import annotations

import os
import tty
from pathlib import Path

import pytest
import requests
import zxingcpp
from PIL import Image, ImageOps

from nafitha.text import t
from printers.virtual import VirtualPrinter
from tests.kiosk.driver import arabic_ocr
from tests.support.ports import free_port

pytestmark = pytest.mark.gui


def field_ocr(screenshot: Path, field: dict, window: list[int]) -> str:
    """What Arabic OCR reads inside one field of a screenshot (window coordinates start bottom
    left): the field's border left out, enlarged, on a white margin, as Tesseract reads best."""
    (x, y), (width, height) = field["pos"], field["size"]
    inset = 6
    with Image.open(screenshot) as image:
        scale = image.width / window[0]
        top = window[1] - y - height
        box = (x + inset, top + inset, x + width - inset, top + height - inset)
        crop = image.crop(tuple(int(v * scale) for v in box)).convert("L")
        crop = ImageOps.expand(crop.resize((crop.width * 2, crop.height * 2)), 20, fill=255)
        path = screenshot.with_name(screenshot.stem + "-field.png")
        crop.save(path)
    return arabic_ocr(path)


def barcodes(image, kind=zxingcpp.BarcodeFormat.Code128) -> list[str]:
    found = zxingcpp.read_barcodes(image.convert("L"), formats=kind)
    return [result.text for result in found]


def all_shown(app, name: str) -> bool:
    """Every line of the label is drawn and the label is as tall as its text."""
    shown = app.app.call("shown_lines", name=name)
    return shown["drawn"] == shown["lines"] > 0 and shown["height"] >= shown["text_height"] - 1


@pytest.fixture
def printer(tmp_path: Path):
    with VirtualPrinter("127.0.0.1", free_port(), tmp_path / "printed") as virtual:
        yield virtual


@pytest.fixture
def scanner_pty():
    """A pseudo-terminal: the app reads the slave as its serial scanner, the test types on the
    master as a scanner would."""
    master, slave = os.openpty()
    tty.setraw(master)
    yield master, os.ttyname(slave)
    os.close(master)
    os.close(slave)


def test_a_file_is_opened_printed_scanned_moved_to_ready_and_handed_over(
    demo_server, counters, printer, scanner_pty
):
    master, scanner_port = scanner_pty
    kiosk = demo_server.client(demo_server.kiosk_token)
    manager = demo_server.login("manager")
    kiosk.issue_ticket("civil-extract")

    app = counters(demo_server.url, "c1", printer=printer.url, extra=("--scanner", scanner_port))
    app.login("clerk1", demo_server.password)
    app.tap("call_next")
    app.wait(lambda s: s["ticket"].get("number"), "the call")
    app.tap("start")
    app.wait(lambda s: s["ticket"].get("state") == "serving", "serving")

    # the checklist: the service's two documents, both missing until ticked
    app.tap("open_file")
    app.wait(lambda s: s["screen"] == "open_file", "the file form")
    assert {"document_0", "document_1"} <= set(app.app.call("names"))
    # typed key by key, Arabic is drawn shaped and right to left while the field is edited
    app.app.call("focus", name="citizen_name")
    app.type_text("رنا خليل")
    typing = app.shot("open-file-typing-arabic")
    assert "رنا" in field_ocr(typing, app.describe("citizen_name"), app.app.call("window_size"))
    app.tap("document_0")  # the name, left, stays drawn shaped
    app.fill("national_id", "LB-1234567")
    app.fill("phone", "+961 3 123456")
    app.shots_both("open-file")
    app.tap("confirm")
    state = app.wait(lambda s: s["file"].get("reference"), "the file")
    reference = state["file"]["reference"]
    stored = manager.get_file(reference)
    assert stored["citizen"]["name"] == "رنا خليل"
    assert [doc["en"] for doc in stored["documents_missing"]] == ["Fiscal stamp"]
    assert stored["ticket"] == state["ticket"]["id"]

    # the receipt came out of the counter's printer: its barcode reads back the reference
    page = printer.wait_for_pages(1, timeout=20)[0]
    page.save(app.artifacts / "counter-receipt-printed.png")
    assert [code.replace("-", "") for code in barcodes(page)] == [reference.replace("-", "")]
    # its QR code is the server's own link (the server's public address is not the catalog's):
    # it opens the file's page
    [link] = barcodes(page, zxingcpp.BarcodeFormat.QRCode)
    assert link == state["file"]["track_url"] and link.startswith(f"{demo_server.url}/f/")
    assert requests.get(link, timeout=10).status_code == 200
    app.wait(lambda s: s["screen"] == "files" and s["notice"].get("en") == "Receipt printed", "")
    app.shots_both("files")

    # the files screen shows every line of the file, the missing stamp included
    assert all_shown(app, "file_summary")
    assert any("طابع مالي" in text for text in app.describe("file_summary")["texts"])
    # the checklist starts from the file: the stamp is missing, the identity card received
    app.tap("mark_missing")
    app.wait(lambda s: bool(app.describe("missing_1")["texts"]), "the checklist")
    assert t("counter.document_missing", "ar") in app.describe("missing_1")["texts"]
    assert t("counter.document_received", "ar") in app.describe("missing_0")["texts"]
    assert all_shown(app, "missing_0_text")
    app.shots_both("files-checklist")
    # the citizen brought the stamp: nothing missing any more, recorded and said
    app.tap("missing_1")
    app.tap("mark_missing")
    state = app.wait(lambda s: s["file"].get("status") == "open", "the documents brought")
    assert state["notice"]["en"].startswith("Missing documents brought back")
    stored = manager.get_file(reference)
    assert stored["documents_missing"] == [] and stored["history"][-1]["kind"] == "resume"

    # the clerk moves it on; a stage only a manager may enter is refused with the server's words
    for stage in ("document-check", "registry"):
        app.fill("file_note", f"to {stage}")
        app.tap(f"move_{stage}")
        app.wait(lambda s, stage=stage: s["file"]["stage"]["id"] == stage, stage)
    app.tap("move_signature")
    state = app.wait(lambda s: s["notice_kind"] == "error", "the refusal")
    assert state["notice"]["ar"] and state["notice"]["en"]
    manager.move_file(reference, "signature", note="signed")
    # the clerk's screen still shows the file at the registry: a move from there carries the
    # version the clerk saw, is refused as a conflict, and the file's new state is shown
    app.app.call("goto", screen="serve")
    app.app.call("goto", screen="files")
    app.tap("move_signature")
    state = app.wait(lambda s: s["file"]["stage"]["id"] == "signature", "the new state")
    assert state["notice"]["en"].startswith("Someone else just moved this file")
    assert state["notice_kind"] == "error"

    # a scan on the serial scanner brings the file up where the manager left it
    app.tap("back")
    app.wait(lambda s: s["screen"] == "serve", "back to serving")
    os.write(master, reference.encode() + b"\r")
    app.wait(
        lambda s: s["screen"] == "files" and s["file"]["stage"]["id"] == "signature", "the scan"
    )
    app.tap("move_ready")
    app.wait(lambda s: s["file"]["stage"]["id"] == "ready", "ready")
    assert kiosk.track(reference)["ready"] is True

    # missing documents marked from the checklist (here: the stamp again), then handed over
    app.tap("mark_missing")
    app.tap("missing_1")
    app.tap("mark_missing")
    app.wait(lambda s: s["file"]["status"] == "missing_documents", "missing documents")
    assert [doc["en"] for doc in manager.get_file(reference)["missing_documents"]] == [
        "Fiscal stamp"
    ]
    app.tap("hand_over")
    state = app.wait(lambda s: s["file"]["stage"]["id"] == "delivered", "delivered")
    assert state["file"]["status"] == "closed"

    # a printer out of paper: the receipt is shown on screen and the staff are alerted
    printer.state = "paper_out"
    app.tap("print_receipt")
    state = app.wait(lambda s: s["screen"] == "receipt", "the receipt on screen")
    assert state["notice_kind"] == "error" and Path(state["receipt_image"]).is_file()
    app.shots_both("receipt")
    alerts = manager.alerts()
    assert any(alert.get("device") == "counter-c1" for alert in alerts), alerts
    app.press("escape")
    app.wait(lambda s: s["screen"] == "files", "back to the file")
