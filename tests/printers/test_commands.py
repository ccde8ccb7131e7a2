"""``nafitha print``: preview, test, status, and the virtual printer as its own process."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from PIL import Image, ImageChops

from nafitha.cli import main
from printers.printing import Printer
from printers.sample import sample_receipt, sample_ticket
from tests.support.ports import free_port, wait_for_port


def test_preview_writes_the_image_that_would_print(tmp_path, capsys):
    out = tmp_path / "t.png"
    assert (
        main(["print", "preview", "--ticket", "--width", "58", "--lang", "ar", "-o", str(out)]) == 0
    )
    expected = Printer("dummy://?width=58").render_ticket(sample_ticket(), "ar")
    with Image.open(out) as written:
        assert ImageChops.difference(written.convert("L"), expected.convert("L")).getbbox() is None
    assert "384x" in capsys.readouterr().out


def test_preview_of_a_receipt_for_a_named_service(tmp_path):
    out = tmp_path / "r.png"
    assert main(["print", "preview", "--receipt", "--service", "passport-new", "-o", str(out)]) == 0
    receipt = sample_receipt("passport-new")
    assert receipt.stages and receipt.service_name.en
    with Image.open(out) as written:
        assert written.width == 576


def test_preview_of_an_unknown_service_names_the_known_ones(tmp_path, capsys):
    assert main(["print", "preview", "--service", "no-such", "-o", str(tmp_path / "x.png")]) == 2
    assert "civil-extract" in capsys.readouterr().err


def test_status_in_words_and_exit_codes(capsys):
    assert main(["print", "status", "--printer", "dummy://"]) == 0
    assert "ready: The printer is ready" in capsys.readouterr().out
    assert main(["print", "status", "--printer", "dummy://?state=near_end"]) == 0
    assert main(["print", "status", "--printer", "dummy://?state=paper_out"]) == 1
    out = capsys.readouterr().out
    assert "paper_out: The printer is out of paper" in out and "نفد الورق من الطابعة" in out
    assert main(["print", "status", "--printer", "dummy://?state=silent"]) == 1
    assert "did not report" in capsys.readouterr().out
    assert main(["print", "status", "--printer", f"tcp://127.0.0.1:{free_port()}"]) == 1
    assert "offline" in capsys.readouterr().err
    assert main(["print", "status", "--printer", "usb://nope"]) == 2
    assert "VENDOR:PRODUCT" in capsys.readouterr().err


def test_virtual_printer_process_prints_what_print_test_sends(tmp_path, capsys):
    port = free_port()
    out = tmp_path / "printed"
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "nafitha.cli", "print", "virtual"),
            *("--listen", f"127.0.0.1:{port}", "--out", str(out)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_port(port, timeout=20)
        assert main(["print", "test", "--printer", f"tcp://127.0.0.1:{port}", "--lang", "en"]) == 0
        assert "printed" in capsys.readouterr().out
        assert main(["print", "test", "--receipt", "--printer", f"tcp://127.0.0.1:{port}"]) == 0
        deadline = time.monotonic() + 10
        while len(list(out.glob("page-*.png"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sorted(p.name for p in out.glob("page-*.png")) == ["page-0001.png", "page-0002.png"]
    finally:
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=10)
    assert process.returncode == 0, stderr
    assert "page 1: 576x" in stdout and "page 2: 576x" in stdout
    assert (out / "printer.log").read_text(encoding="utf-8").count(" page ") == 2
