"""Storage faults caused for real: a read-only database, a damaged file, a full disk, a folder.

Tests run as root, and root ignores file modes: the server is started without the capabilities
that let root write anywhere (``setpriv --bounding-set=-dac_override,...``), so a 0444 file is
read-only to it as it would be to the service's own user. A full disk is a file-size limit on
the server process (``prlimit --fsize``): its writes fail as they would on a full disk.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from nafitha.demo import seed_demo
from nafitha.paths import ROOT
from tests.support.ports import free_port
from tests.support.server import running_server

SETPRIV = shutil.which("setpriv")
PRLIMIT = shutil.which("prlimit")
UNPRIVILEGED = [SETPRIV or "setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def start_fails(*args: str, prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    """``nafitha server ARGS`` that must stop by itself at start (at most 60 s)."""
    port = str(free_port())
    command = [*(prefix or []), sys.executable, "-m", "nafitha.cli", "server", "--port", port]
    return subprocess.run([*command, *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


def assert_one_clear_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def seeded(tmp_path: Path) -> Path:
    db = tmp_path / "data" / "nafitha.db"
    db.parent.mkdir()
    seed_demo(db)
    return db


@pytest.mark.skipif(SETPRIV is None, reason="needs setpriv (util-linux)")
def test_a_read_only_database_stops_the_start_with_its_path(tmp_path: Path) -> None:
    db = seeded(tmp_path)
    for path in db.parent.iterdir():
        if path.is_file():
            path.chmod(0o444)
    result = start_fails("--db", str(db), prefix=UNPRIVILEGED)
    assert_one_clear_line(result, str(db), "read-only")
    db.parent.chmod(0o555)  # and a folder where SQLite cannot make its -wal and -shm files
    try:
        result = start_fails("--db", str(db), prefix=UNPRIVILEGED)
        assert_one_clear_line(result, str(db), "folder cannot be written")
    finally:
        db.parent.chmod(0o755)


def test_a_damaged_database_stops_the_start_with_its_path(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all " * 500)
    assert_one_clear_line(start_fails("--db", str(garbage)), str(garbage), "not a database")
    db = seeded(tmp_path)
    with db.open("r+b") as file:  # a page in the middle overwritten: the header still looks right
        size = file.seek(0, 2)
        file.seek(size // 2 // 4096 * 4096)
        file.write(b"\xff" * 4096)
    result = start_fails("--db", str(db))
    assert_one_clear_line(result, str(db))
    assert "damaged" in result.stderr or "not a database" in result.stderr


def test_a_folder_given_as_settings_or_database_is_one_clear_line(tmp_path: Path) -> None:
    folder = tmp_path / "settings.toml"
    folder.mkdir()
    result = start_fails("--config", str(folder), "--db", str(tmp_path / "x.db"))
    assert_one_clear_line(result, str(folder), "folder")
    result = start_fails("--db", str(folder))
    assert_one_clear_line(result, "folder")


@pytest.mark.skipif(PRLIMIT is None, reason="needs prlimit (util-linux)")
def test_a_full_disk_answers_storage_unavailable_and_health_says_so(tmp_path: Path) -> None:
    db = seeded(tmp_path)
    largest = max(p.stat().st_size for p in db.parent.rglob("*") if p.is_file())
    limit = largest + 256 * 1024  # the write-ahead log outgrows it after a few dozen tickets
    with running_server(
        db.parent, seed=False, prefix=[PRLIMIT or "prlimit", f"--fsize={limit}:unlimited", "--"]
    ) as server:
        assert requests.get(server.url + "/api/v1/health", timeout=10).json()["writable"]
        headers = {"Authorization": f"Bearer {server.kiosk_token}"}
        statuses = []
        for i in range(2000):
            answer = requests.post(
                server.url + "/api/v1/tickets",
                json={"service": "civil-extract"},
                headers={**headers, "Idempotency-Key": f"full-{i}"},
                timeout=30,
            )
            statuses.append(answer.status_code)
            if answer.status_code != 201:
                break
        assert statuses[-1] == 503, statuses[-5:]
        assert answer.json()["error"]["code"] == "storage_unavailable"
        assert set(answer.json()["error"]["message"]) == {"ar", "en"}
        health = requests.get(server.url + "/api/v1/health", timeout=10)
        assert health.status_code == 503
        assert health.json()["writable"] is False
        assert server.log is not None and "Traceback" not in server.log.read_text()
        # space again (the limit lifted): the next write commits and health says so
        lift = [
            PRLIMIT or "prlimit",
            "--pid",
            str(server.process.pid),
            "--fsize=unlimited:unlimited",
        ]
        subprocess.run(lift, check=True)
        again = requests.post(
            server.url + "/api/v1/tickets",
            json={"service": "civil-extract"},
            headers={**headers, "Idempotency-Key": "after-the-fault"},
            timeout=30,
        )
        assert again.status_code == 201, again.text
        health = requests.get(server.url + "/api/v1/health", timeout=10)
        assert health.status_code == 200 and health.json()["writable"] is True
