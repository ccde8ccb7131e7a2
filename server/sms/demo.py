"""The demo's simulated modem: the ``[sms]`` settings ``nafitha demo`` gives its server.

Every message the demo center sends lands as a file in ``<data>/sms/sent``; a file dropped in
``<data>/sms/inbox`` (named for the sender's number, ``+9613123456.txt``, holding the text) is
read as a citizen's message: a file reference gets its stage back, ``STOP``/``قف`` stops messages.
No quiet hours, so the demo answers at any time of day.
"""

from __future__ import annotations

import json
from pathlib import Path


def demo_sms_config(data: Path) -> tuple[Path, Path]:
    """Write the demo server's settings file in ``data``: (its path, the modem's folder)."""
    folder = data / "sms"
    for sub in ("sent", "inbox"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    path = data / "server-sms.toml"
    path.write_text(
        "# Written by nafitha demo: the simulated modem (docs/sms.md).\n"
        "[sms]\n"
        'mode = "folder"\n'
        f"folder = {json.dumps(str(folder))}\n"  # a JSON string is a TOML basic string
        "quiet_start = 00:00:00\nquiet_end = 00:00:00\n",
        encoding="utf-8",
    )
    return path, folder
