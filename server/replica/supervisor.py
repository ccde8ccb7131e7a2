"""``litestream replicate`` as a child of the server: started, watched, restarted, stopped.

One supervisor per database: it runs in the server's main process (the one uvicorn's workers
are forked from, or the only one), holds an exclusive lock on ``<db>.replica.lock`` so a second
server on the same file cannot start a second Litestream, and writes the replica's state to
``<db>.replica.json`` twice a second for every worker to read.

The child dies with us: it is started with ``PR_SET_PDEATHSIG`` (a SIGKILLed server leaves no
Litestream behind), restarted with a doubling delay (1 s up to 60 s) when it exits, and stopped
with SIGTERM after the server (it then syncs what is left, for up to 5 s).

While Litestream is down nobody checkpoints (the server's connections leave checkpoints to it):
after a minute down with a WAL past 4,000 pages the supervisor runs one PASSIVE checkpoint itself,
which is safe because Litestream is not reading the WAL then.
"""

from __future__ import annotations

import contextlib
import ctypes
import http.client
import json
import logging
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from server.config import ReplicaSettings
from server.process_lock import try_lock
from server.replica import litestream
from server.replica.state import ReplicaState, Tracker, state_path, write_state

log = logging.getLogger("nafitha.replica")

POLL_S = 0.5
BACKOFF_MAX_S = 60.0
STOP_WAIT_S = 10.0
FALLBACK_CHECKPOINT_AFTER_S = 60.0
FALLBACK_CHECKPOINT_PAGES = 4000


class ReplicaBusy(RuntimeError):
    """Another process already replicates this database."""


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class _UnixHTTP(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("litestream", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self._path)
        except OSError:
            sock.close()  # Litestream not listening (yet): no socket left behind
            raise
        self.sock = sock


class Supervisor:
    """Runs Litestream for ``db`` and keeps :attr:`state` (also in the state file) current."""

    def __init__(
        self,
        settings: ReplicaSettings,
        db: Path,
        on_state: Callable[[ReplicaState], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.db = Path(db).resolve()
        self.on_state = on_state
        self.clock = clock
        self.tracker = Tracker(litestream.redact(settings.url), settings.alert_lag_s)
        self.state_file = state_path(self.db)
        self.config_file = self.db.with_name(self.db.name + ".replica.yml")
        self._lock_fd: int | None = None
        self._lock = threading.Lock()  # the tracker is fed by two threads
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._child: subprocess.Popen[bytes] | None = None
        self._tmp: Path | None = None  # a private folder for the control socket, from start()
        self.socket = Path("control.sock")
        self._down_since: float | None = None
        self._last_fallback = 0.0
        self._last_text = ""

    @property
    def state(self) -> ReplicaState:
        with self._lock:
            return ReplicaState.from_json(self.tracker.state.to_json())

    def start(self) -> Supervisor:
        """Take the database's replica lock and start Litestream; raises ReplicaBusy if taken."""
        lock = self.db.with_name(self.db.name + ".replica.lock")
        fd = try_lock(lock, 0o600)
        if fd is None:
            raise ReplicaBusy(f"{self.db} is already replicated by another process")
        self._lock_fd = fd
        self._tmp = Path(tempfile.mkdtemp(prefix="nafitha-ls-"))  # short: a socket path is <108
        self.socket = self._tmp / "control.sock"
        litestream.write_config(
            self.config_file, litestream.config(self.settings, self.db, self.socket)
        )
        self._thread = threading.Thread(target=self._run, name="replica", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop Litestream (SIGTERM: it syncs what is left) and the supervision."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(STOP_WAIT_S + 5)
        with self._lock:
            self.tracker.state.running = False
            self.tracker.state.pid = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    # ------------------------------------------------------------------ the supervising thread
    def _run(self) -> None:
        delay = 1.0
        while not self._stop.is_set():
            started = self.clock()
            try:
                self._child = self._spawn()
            except (OSError, litestream.LitestreamMissing) as exc:
                self._exited(f"cannot start litestream: {exc}")
            else:
                reason = self._watch(self._child)
                if self._stop.is_set():
                    break
                self._exited(reason)
                if self.clock() - started > BACKOFF_MAX_S:
                    delay = 1.0
            if self._wait(delay):
                break
            delay = min(delay * 2, BACKOFF_MAX_S)
        self._publish()

    def _wait(self, seconds: float) -> bool:
        """Wait before a restart, still publishing the state (it must not look unsupervised);
        whether we are stopping."""
        deadline = self.clock() + seconds
        while self.clock() < deadline:
            if self._stop.wait(min(POLL_S, max(0.0, deadline - self.clock()))):
                return True
            self._publish()
        return self._stop.is_set()

    def _spawn(self) -> subprocess.Popen[bytes]:
        self._last_text = ""
        with contextlib.suppress(FileNotFoundError):
            self.socket.unlink()
        argv = [
            str(litestream.binary()),
            "replicate",
            "-no-expand-env",
            "-config",
            str(self.config_file),
        ]
        child = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=litestream.environment(self.settings),
            preexec_fn=_die_with_parent,  # only prctl before exec: no Python lock is taken
        )
        with self._lock:
            self.tracker.started(child.pid, self.clock())
            self._down_since = None
        log.info("litestream started (pid %d) for %s", child.pid, self.db)
        return child

    def _exited(self, reason: str) -> None:
        log.warning("litestream for %s: %s", self.db, reason)
        with self._lock:
            self.tracker.exited(reason, self.clock())
            self._down_since = self._down_since or self.clock()
        self._publish()

    def _watch(self, child: subprocess.Popen[bytes]) -> str:
        """Read the child's lines and poll its position until it exits or we stop; why it ended."""
        reader = threading.Thread(target=self._read_lines, args=(child,), daemon=True)
        reader.start()
        while child.poll() is None:
            if self._stop.wait(POLL_S):
                child.send_signal(signal.SIGTERM)
                try:
                    child.wait(STOP_WAIT_S)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
                reader.join(2)
                return "stopped"
            self._poll_position()
            self._publish()
        reader.join(2)
        said = f": {self._last_text}" if self._last_text else ""
        return f"litestream exited with status {child.returncode}{said}"

    def _read_lines(self, child: subprocess.Popen[bytes]) -> None:
        assert child.stdout is not None
        for raw in child.stdout:
            text = raw.decode("utf-8", errors="replace").strip()
            line = litestream.parse_line(text)
            if text and not text.startswith("{"):
                self._last_text = text[:300]  # e.g. its start-up error, printed as plain text
            if line.kind == "other":
                continue
            if line.kind == "error":
                log.warning("litestream: %s", line.error)
            with self._lock:
                self.tracker.line(line, self.clock())
        child.stdout.close()

    def _poll_position(self) -> None:
        """The database's own position from Litestream's control socket (quietly: it may be
        starting)."""
        conn = _UnixHTTP(str(self.socket), timeout=2)
        try:
            conn.request("GET", "/txid?path=" + str(self.db))
            answer = conn.getresponse()
            body = answer.read()
            if answer.status != 200:
                return
            txid = int(json.loads(body)["txid"])
        except (OSError, ValueError, KeyError, http.client.HTTPException):
            return
        finally:
            conn.close()
        with self._lock:
            self.tracker.local(txid, self.clock())

    def _publish(self) -> None:
        now = self.clock()
        wal = self.db.with_name(self.db.name + "-wal")
        try:
            wal_mtime: float | None = wal.stat().st_mtime
        except OSError:
            wal_mtime = None
        with self._lock:
            state = self.tracker.tick(now, wal_mtime)
            snapshot = ReplicaState.from_json(state.to_json())
            down_since = self._down_since
        if (
            not snapshot.running
            and down_since is not None
            and now - down_since > FALLBACK_CHECKPOINT_AFTER_S
            and now - self._last_fallback > FALLBACK_CHECKPOINT_AFTER_S
        ):
            self._last_fallback = now
            self._fallback_checkpoint()
        # the alerts first: once the file (health, `nafitha status`) says ok, the alert is gone
        if self.on_state is not None:
            try:
                self.on_state(snapshot)
            except Exception:
                log.exception("the replica's state callback failed")
        try:
            write_state(self.state_file, snapshot)
        except OSError as exc:
            log.warning("cannot write %s: %s", self.state_file, exc)

    def _fallback_checkpoint(self) -> None:
        """One PASSIVE checkpoint while Litestream is down and the WAL has grown past a bound."""
        wal = self.db.with_name(self.db.name + "-wal")
        try:
            if wal.stat().st_size < FALLBACK_CHECKPOINT_PAGES * 4096:
                return
            conn = sqlite3.connect(str(self.db), timeout=5)
            try:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            finally:
                conn.close()
            log.warning("litestream is down: checkpointed %s's WAL ourselves", self.db)
        except (OSError, sqlite3.Error) as exc:
            log.warning("fallback checkpoint of %s failed: %s", self.db, exc)
