"""Every ratings text the pages, the rating screen and the counter ask for exists in both
languages, and the pages receive them (the ``ratings.`` catalog is among the pages' texts)."""

from __future__ import annotations

import re
from pathlib import Path

from nafitha.text import catalogs
from server.web.render import page_texts

ROOT = Path(__file__).resolve().parents[2]
FILES = [
    ROOT / "server/web/templates/rating_box.html",
    ROOT / "server/web/templates/dashboard_ratings.html",
    ROOT / "server/web/templates/assessment.html",
    ROOT / "server/web/static/rating.js",
    ROOT / "server/web/static/dashboard_ratings.js",
    ROOT / "server/web/static/assessment.js",
    ROOT / "kiosk/screens/rating.kv",
    ROOT / "counter/screens/serve.py",
]
KEY = re.compile(r"""["'`](ratings\.[a-z0-9_]+)["'`]""")
BUILT = [
    *(f"ratings.star_{n}" for n in range(1, 6)),
    *(f"ratings.dash_group_{g}" for g in ("service", "counter", "clerk", "hour")),
    *(
        f"ratings.m_{m}"
        for m in (
            "within_target",
            "mean_wait_s",
            "resolution",
            "mean_stars",
            "satisfied",
            "complaints_on_time",
        )
    ),
]


def test_every_ratings_key_used_exists_and_reaches_the_pages() -> None:
    used = {key for path in FILES for key in KEY.findall(path.read_text(encoding="utf-8"))}
    assert len(used) > 40
    known = set(catalogs())
    assert sorted((used | set(BUILT)) - known) == []
    assert sorted((used | set(BUILT)) - set(page_texts())) == []
