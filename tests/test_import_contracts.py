"""The layers' import contracts (``.importlinter``) hold, so ``pytest`` alone catches an import that
crosses a layer (``bash scripts/bootstrap test`` also runs ``lint-imports`` before the tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from nafitha.paths import ROOT


def test_every_import_contract_is_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout
