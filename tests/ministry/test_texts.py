"""Every text the dashboard shows exists in Arabic and English: the keys written in its page and
script, the families the script builds from values, and every refusal code's message."""

from __future__ import annotations

import re

from hub.domain.roles import ROLES, STATUS
from hub.web.ministry.pages import HERE
from nafitha.text import catalogs

KEY = re.compile(r"""["'`]((?:ministry|common)\.[a-z0-9_]+)["'`]""")
BUILT = re.compile(r"""\[([^\]]*)\]\.map\(\(k\) => [^)]*t\(`ministry\.\$\{k\}`\)""")


def test_every_key_of_the_page_is_in_the_catalogs() -> None:
    files = [HERE / "ministry.html", HERE / "static" / "ministry.js"]
    text = "".join(path.read_text(encoding="utf-8") for path in files)
    used = set(KEY.findall(text))
    # Column titles built from lists: ["center", "status", ...].map((k) => ... t(`ministry.${k}`))
    for names in BUILT.findall(text):
        used |= {f"ministry.{name}" for name in re.findall(r'"([a-z_]+)"', names)}
    used |= {f"ministry.role_{role}" for role in ROLES}
    used |= {f"ministry.files_{k}" for k in ("opened", "closed", "overdue")}
    assert len(used) > 60
    assert sorted(used - set(catalogs())) == []


def test_every_refusal_has_its_message() -> None:
    assert (
        sorted(
            f"ministry.error_{code}"
            for code in STATUS
            if f"ministry.error_{code}" not in catalogs()
        )
        == []
    )
