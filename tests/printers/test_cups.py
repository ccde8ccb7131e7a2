"""cups:// for real: Debian's cupsd, a raw queue whose device is the virtual printer's TCP port,
and a ticket printed through our CUPS transport coming out on paper exactly as laid out.

cupsd runs in the foreground with its own configuration folder, on a free loopback port and its
own socket (nothing of the system's CUPS is used or changed) and stops at the end of the module.
pycups is Debian's ``python3-cups`` (PyPI ships only its source), loaded from Debian's folder for
the duration of these tests.
"""

from __future__ import annotations

import importlib.util
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PIL import ImageChops

from printers.errors import PrinterError
from printers.printing import Printer
from printers.virtual import VirtualPrinter
from tests.support.ports import free_port

CUPSD = shutil.which("cupsd") or "/usr/sbin/cupsd"
DEBIAN_PYCUPS = sorted(Path("/usr/lib/python3/dist-packages").glob("cups.cpython-*.so"))
pytestmark = pytest.mark.skipif(
    not Path(CUPSD).exists() or not DEBIAN_PYCUPS,
    reason="needs Debian's cups and python3-cups (bash scripts/bootstrap test installs them)",
)
QUEUE = "Nafitha_Kiosk"


def _pycups() -> ModuleType:
    try:
        import cups  # type: ignore[import-not-found]

        return cups
    except ImportError:
        spec = importlib.util.spec_from_file_location("cups", DEBIAN_PYCUPS[0])
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module


@pytest.fixture(scope="module")
def cupsd() -> Iterator[ModuleType]:
    """A private cupsd; yields pycups pointed at it (as ``cups`` for the transport to import).

    Its folder is outside pytest's (mode 0700): the backends run as ``lp`` and must reach it.
    """
    folder = Path(tempfile.mkdtemp(prefix="nafitha-cups-"))
    folder.chmod(0o755)
    for name in ("root", "spool", "cache", "state", "tmp", "log"):
        (folder / name).mkdir()
    socket_path = folder / "cups.sock"
    (folder / "root/cups-files.conf").write_text(
        "\n".join(
            [
                f"ServerRoot {folder}/root",
                f"RequestRoot {folder}/spool",
                f"CacheDir {folder}/cache",
                f"StateDir {folder}/state",
                f"TempDir {folder}/tmp",
                f"ErrorLog {folder}/log/error_log",
                f"AccessLog {folder}/log/access_log",
                f"PageLog {folder}/log/page_log",
                "ServerBin /usr/lib/cups",
                "DataDir /usr/share/cups",
                "User lp",
                "Group lp",
                "SystemGroup root",
                "FileDevice No",
                "Printcap",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    (folder / "root/cupsd.conf").write_text(
        f"Listen 127.0.0.1:{free_port()}\nListen {socket_path}\nLogLevel info\n"
        "WebInterface No\nBrowsing Off\nDefaultAuthType None\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n    Allow all\n  </Limit>\n"
        "</Policy>\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [CUPSD, "-f", "-c", str(folder / "root/cupsd.conf"), "-s",
         str(folder / "root/cups-files.conf")],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    cups = _pycups()
    cups.setServer(str(socket_path))
    previous = sys.modules.get("cups")
    sys.modules["cups"] = cups
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                cups.Connection().getPrinters()
                break
            except RuntimeError:
                if time.monotonic() > deadline or process.poll() is not None:
                    log = (folder / "log/error_log").read_text(errors="replace")
                    raise RuntimeError(f"cupsd did not start: {log[-2000:]}") from None
                time.sleep(0.1)
        yield cups
    finally:
        if previous is None:
            sys.modules.pop("cups", None)
        else:
            sys.modules["cups"] = previous
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


def test_a_ticket_printed_through_a_cups_raw_queue_reaches_the_paper_as_laid_out(
    cupsd: ModuleType, tmp_path: Path, ticket
) -> None:
    with VirtualPrinter("127.0.0.1", 0, tmp_path / "paper") as paper:
        connection = cupsd.Connection()
        connection.addPrinter(QUEUE, device=f"socket://127.0.0.1:{paper.port}")
        connection.enablePrinter(QUEUE)
        connection.acceptJobs(QUEUE)

        printer = Printer(f"cups://{QUEUE}?width=80")
        result = printer.print_ticket(ticket)
        assert result.status.state == "not_supported"  # CUPS passes no DLE EOT answers back

        page = paper.wait_for_pages(1, timeout=20)[0]
        expected = printer.render_ticket(ticket)
        assert page.width == expected.width
        top = page.crop((0, 0, *expected.size)).convert("L")
        assert ImageChops.difference(top, expected.convert("L")).getbbox() is None
        assert paper.status_requests == 0  # the bytes came through CUPS untouched, one job

        # a stopped queue is offline before anything is sent
        connection.disablePrinter(QUEUE)
        with pytest.raises(PrinterError) as stopped:
            printer.print_ticket(ticket)
        assert stopped.value.code == "offline"
        connection.deletePrinter(QUEUE)


def test_an_unknown_queue_is_no_such_device(cupsd: ModuleType, ticket) -> None:
    with pytest.raises(PrinterError) as missing:
        Printer("cups://No_Such_Queue").print_ticket(ticket)
    assert missing.value.code == "no_such_device"
