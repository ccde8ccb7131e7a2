"""``nafitha status --config server.toml``: is the center well, in a few lines for an operator.

It asks the running server's ``GET /api/v1/health`` (status, version, writes; any other part it
reports, such as the national relay, printed as it comes), and reads the off-site replica's
state from the file its supervisor keeps beside the database (position, lag, last error: the
details the public health answer leaves out). Exit 0 when the server answers ok and the replica
(if any) is up to date, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import ssl
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nafitha.text import t

SHOWN = {"status", "version", "writable", "time", "replica"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, help="server settings TOML")
    parser.add_argument("--db", type=Path, help="the database (default: from --config)")
    parser.add_argument("--url", help="the server's URL (default: from --config's host and port)")
    parser.add_argument("--lang", default="en", choices=("ar", "en"), help="language of the output")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")


def _when(moment: float | None) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds") if moment else "-"


def _health(url: str, cafile: Path | None = None) -> tuple[dict[str, Any] | None, str | None]:
    """The health answer, or why there is none. Over HTTPS the server's own certificate file
    (which carries the center's CA after it, ``nafitha tls init``) is what is trusted."""
    context = ssl.create_default_context(cafile=str(cafile)) if cafile else None
    try:
        with urllib.request.urlopen(url + "/api/v1/health", timeout=5, context=context) as answer:
            return json.loads(answer.read()), None
    except urllib.error.HTTPError as exc:  # 503: storage unavailable, still a health answer
        try:
            return json.loads(exc.read()), None
        except ValueError:
            return None, f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        return None, str(getattr(exc, "reason", exc))


def run(args: argparse.Namespace) -> int:
    from server.config import load_server_settings
    from server.replica.litestream import redact
    from server.replica.state import read_state, state_path

    settings = load_server_settings(args.config, {"db": args.db})
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    tls = getattr(settings, "tls", None)
    cafile = tls.certificate if tls is not None and tls.certificate is not None else None
    url = (args.url or f"{'https' if cafile else 'http'}://{host}:{settings.port}").rstrip("/")
    health, error = _health(url, cafile if url.startswith("https:") else None)
    replica = read_state(state_path(settings.db), time.time()) if settings.replica else None
    healthy = health is not None and health.get("status") == "ok"
    replica_ok = settings.replica is None or (replica is not None and replica.status == "ok")
    if args.json:
        out = {"url": url, "health": health, "error": error}
        out["replica"] = replica.to_json() if replica else None
        print(json.dumps(out, indent=1))
        return 0 if healthy and replica_ok else 1
    lang = args.lang
    if health is None:
        print(t("replica.status_unreachable", lang, url=url, error=error))
    else:
        print(
            t(
                "replica.status_server",
                lang,
                url=url,
                status=health.get("status"),
                version=health.get("version"),
                writable=health.get("writable"),
            )
        )
        for name, value in health.items():  # the other parts it reports (clock, national, ...)
            if name not in SHOWN:
                print(t("replica.status_part", lang, name=name, value=json.dumps(value)))
    if settings.replica is None:
        print(t("replica.status_no_replica", lang))
    elif replica is None:
        print(t("replica.status_replica_unknown", lang, url=redact(settings.replica.url)))
    else:
        print(
            t(
                "replica.status_replica",
                lang,
                url=replica.url,
                status=replica.status,
                replicated=replica.replicated_txid if replica.replicated_txid is not None else "-",
                local=replica.local_txid if replica.local_txid is not None else "-",
                lag=f"{replica.lag_s:.1f}",
                running=replica.running,
                restarts=replica.restarts,
            )
        )
        print(t("replica.status_replica_last", lang, at=_when(replica.replicated_at)))
        if replica.error:
            print(
                t(
                    "replica.status_replica_error",
                    lang,
                    at=_when(replica.error_at),
                    error=replica.error,
                )
            )
    sys.stdout.flush()
    return 0 if healthy and replica_ok else 1
