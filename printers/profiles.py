"""python-escpos's printer capability profiles, loaded once per process and cached across runs.

python-escpos parses its capability database at import and pickles it into a fresh temporary
folder each time (one new folder in /tmp per process, and ~0.2 s at every start). Pointing
``ESCPOS_CAPABILITIES_PICKLE_DIR`` at a folder that stays makes later starts read the pickle.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "nafitha" / "escpos"


def _prepare_cache() -> None:
    if "ESCPOS_CAPABILITIES_PICKLE_DIR" in os.environ:
        return
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # read-only home: python-escpos falls back to its temporary folder
    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(CACHE_DIR)


@cache
def profile_data(name: str) -> dict[str, Any]:
    """The capability data of profile ``name``; KeyError-like errors for unknown names propagate."""
    _prepare_cache()
    from escpos.capabilities import get_profile

    return get_profile(name).profile_data
