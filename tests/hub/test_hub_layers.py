"""SQL lives in hub/store/ only: the hub's domain, use cases, API and commands hold no statement
and run none (the same check as tests/server/test_layers_sql.py, over the hub's files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nafitha.paths import ROOT
from tests.server.test_layers_sql import sql_findings


def hub_files() -> list[Path]:
    hub = ROOT / "hub"
    files = [hub / "__init__.py", hub / "config.py"]
    for part in ("domain", "usecases", "api", "commands"):
        files += sorted((hub / part).rglob("*.py"))
    return files


@pytest.mark.parametrize("path", hub_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_sql_outside_the_hub_store(path: Path) -> None:
    name = str(path.relative_to(ROOT))
    assert sql_findings(path.read_text(encoding="utf-8"), name) == []


def test_the_check_finds_sql_where_it_is() -> None:
    found = sql_findings('conn.execute("SELECT 1")\n', "x.py")
    assert sorted(found) == ["x.py:1: SQL keyword SELECT in a string", "x.py:1: call of .execute()"]
