"""Running the ``nafitha`` command as a user would: its own process, from the project folder."""

from __future__ import annotations

import subprocess
import sys

from nafitha.paths import ROOT


def run_nafitha(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``nafitha ARGS...`` to its end (at most a minute), its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "nafitha.cli", *args],
        input=stdin,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
