"""SQL lives in server/store/ (docs/server.md): use cases, the API, the pages and the event feed
compose store functions and never hold a statement or run one themselves.

Read with :mod:`ast`: a string constant holding an SQL keyword (docstrings, which are prose, are
left out), a call of ``execute``/``executemany``/``executescript``/``query``/``table``, or a
sqlite-utils table taken by subscript (``db["tickets"]``) is a finding. The allow-list is empty.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from nafitha.paths import ROOT

SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA|BEGIN)\b")
SQL_CALLS = {"execute", "executemany", "executescript", "query", "table"}
DATABASE_NAMES = {"db", "tx", "conn"}
ALLOWED: set[str] = set()  # "path:line" entries; keep it empty: move the SQL into server/store/


def layer_files() -> list[Path]:
    server = ROOT / "server"
    files = [server / "events.py"]
    for part in ("usecases", "api", "web"):
        files += sorted((server / part).rglob("*.py"))
    return files


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring constants of a module, its classes and functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _is_database(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in DATABASE_NAMES
    if isinstance(node, ast.Attribute):
        return node.attr in DATABASE_NAMES
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in {"read", "write", "snapshot"}
    return False


def sql_findings(source: str, name: str) -> list[str]:
    """Each place in ``source`` that holds or runs SQL, as ``name:line: what``."""
    tree = ast.parse(source)
    prose = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        what = None
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose:
            match = SQL_WORDS.search(node.value)
            if match:
                what = f"SQL keyword {match.group(1)} in a string"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in SQL_CALLS:
                what = f"call of .{node.func.attr}()"
        elif isinstance(node, ast.Subscript) and _is_database(node.value):
            what = "table taken by subscript"
        if what is not None:
            found.append(f"{name}:{node.lineno}: {what}")
    return found


@pytest.mark.parametrize("path", layer_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_sql_outside_the_store(path: Path) -> None:
    name = str(path.relative_to(ROOT))
    findings = [
        f
        for f in sql_findings(path.read_text(encoding="utf-8"), name)
        if f.rsplit(":", 1)[0] not in ALLOWED
    ]
    assert not findings, "move these into server/store/:\n" + "\n".join(findings)


def test_the_layers_are_found() -> None:
    names = {str(p.relative_to(ROOT)) for p in layer_files()}
    assert {"server/events.py", "server/usecases/stats.py", "server/api/health.py"} <= names
    assert any(n.startswith("server/web/") for n in names)


@pytest.mark.parametrize(
    "line",
    [
        'rows = ctx.db.read().execute("SELECT 1").fetchone()',
        'tx.conn.executemany("INSERT INTO t VALUES (?)", rows)',
        'sql = f"UPDATE tickets SET state = {state!r}"',
        'ctx.db.read().query("select * from t")',
        'db["tickets"].insert({"id": 1})',
        'with ctx.db.write() as tx:\n    tx["meta"].delete("k")',
        'STATEMENT = "DELETE FROM meta WHERE key = ?"',
        'sql = "PRAGMA user_version"',
    ],
)
def test_a_planted_statement_is_found(line: str) -> None:
    clean = '"""A use case that says SELECT in its docstring, which is prose."""\n\nx = 1\n'
    assert sql_findings(clean, "clean.py") == []
    assert sql_findings(clean + line + "\n", "planted.py")
