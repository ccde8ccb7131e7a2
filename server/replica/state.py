"""The replica's state: what Litestream said and when, reduced to position, lag and error.

:class:`Tracker` is pure (times are passed in): the supervisor feeds it Litestream's log lines
and the database's own position (its control socket), and it answers the state. The lag is the
age of the oldest local transaction the replica does not hold yet: each local position is
stamped when first seen, so a replica a few transactions behind under steady load shows the
seconds those transactions wait, not the time since it was last idle. The state is written to a
small JSON file beside the database, read by every worker (health, dashboard) and by
``nafitha status``.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from server.replica.litestream import Line

Status = Literal["starting", "ok", "behind", "failing"]
# A state file older than this means nobody supervises the replica any more.
STALE_S = 10.0
# Litestream running this long without the replica's position known: the replica does not answer
# (its S3 client retries the first listing silently).
STARTUP_GRACE_S = 30.0


def state_path(db: Path | str) -> Path:
    """Where the supervisor writes the replica's state: beside the database."""
    db = Path(db)
    return db.with_name(db.name + ".replica.json")


@dataclass
class ReplicaState:
    url: str  # redacted
    status: Status = "starting"
    running: bool = False
    pid: int | None = None
    restarts: int = 0
    local_txid: int | None = None
    replicated_txid: int | None = None
    replicated_at: float | None = None  # when the replica last took a transaction
    caught_up_at: float | None = None  # when it last held every local transaction
    lag_s: float = 0.0
    error: str | None = None
    error_at: float | None = None
    updated_at: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReplicaState:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class Tracker:
    """Turns Litestream's lines and the local position into a :class:`ReplicaState`."""

    url: str
    alert_lag_s: float
    state: ReplicaState = field(init=False)
    _first_seen: dict[int, float] = field(default_factory=dict)
    _changed_since: float | None = None  # while Litestream is down: first local change seen
    _put: str | None = None  # the object of the last PUT not yet uploaded
    _attempts: int = 0
    _started_at: float | None = None

    def __post_init__(self) -> None:
        self.state = ReplicaState(url=self.url)

    def started(self, pid: int, now: float) -> None:
        self.state.running = True
        self.state.pid = pid
        self._changed_since = None
        self._started_at = now
        self.state.updated_at = now

    def exited(self, reason: str, now: float) -> None:
        self.state.running = False
        self.state.pid = None
        self.state.restarts += 1
        self._error(reason, now)

    def line(self, line: Line, now: float) -> None:
        """One log line of Litestream."""
        if line.kind == "error" and line.error:
            self._error(line.error, now)
            return
        if line.kind == "put":
            self._attempts = self._attempts + 1 if line.target == self._put else 1
            self._put = line.target
            if self._attempts > 1:  # the same object again: the previous attempt failed
                self._error(
                    f"the replica does not answer: sending {line.target} again"
                    f" (attempt {self._attempts})",
                    now,
                )
            return
        if line.db_txid is not None:
            self.local(line.db_txid, now)
        if line.replica_txid is not None and line.kind in ("uploaded", "sync"):
            before = self.state.replicated_txid or 0
            if line.kind == "uploaded" or line.replica_txid >= before:
                self.state.replicated_txid = max(before, line.replica_txid)
            if line.kind == "uploaded":
                self.state.replicated_at = now
                self._put, self._attempts = None, 0
                self._clear_error()
            elif line.db_txid is not None and line.replica_txid >= line.db_txid:
                # After an error Litestream forgets the replica's position and lists the replica
                # again before this line: a sync that found nothing missing proves it is back.
                self._clear_error()
        self._settle(now)

    def local(self, txid: int, now: float) -> None:
        """The database's own position (Litestream's newest local LTX file)."""
        if self.state.local_txid is None or txid > self.state.local_txid:
            self.state.local_txid = txid
        self._first_seen.setdefault(txid, now)

    def tick(self, now: float, wal_changed_at: float | None = None) -> ReplicaState:
        """The state now; ``wal_changed_at`` (the WAL's mtime) counts while Litestream is down."""
        if not self.state.running and wal_changed_at is not None:
            since = self.state.caught_up_at or self.state.replicated_at or 0.0
            if wal_changed_at > since and self._changed_since is None:
                self._changed_since = now
        self._settle(now)
        return self.state

    def _error(self, message: str, now: float) -> None:
        self.state.error = message[:500]
        self.state.error_at = now
        self._settle(now)

    def _clear_error(self) -> None:
        self.state.error = None
        self.state.error_at = None

    def _settle(self, now: float) -> None:
        state = self.state
        replicated = state.replicated_txid or 0
        for txid in [t for t in self._first_seen if t <= replicated]:
            del self._first_seen[txid]
        caught_up = state.local_txid is not None and state.replicated_txid is not None
        if caught_up and replicated >= (state.local_txid or 0):
            state.caught_up_at = now
            if state.running:
                self._changed_since = None
        pending = [self._first_seen[t] for t in self._first_seen if t > replicated]
        oldest = min(pending) if pending else None
        if not state.running and self._changed_since is not None:
            oldest = min(oldest, self._changed_since) if oldest is not None else self._changed_since
        state.lag_s = round(max(0.0, now - oldest), 3) if oldest is not None else 0.0
        if not state.running and state.updated_at and state.error is None:
            state.error = "litestream is not running"
            state.error_at = now
        waited = now - self._started_at if self._started_at is not None else 0.0
        if (
            state.running
            and state.replicated_txid is None
            and state.error is None
            and self._put is None  # no upload under way (a first snapshot may take long)
            and waited > STARTUP_GRACE_S
        ):
            state.error = (
                f"the replica has not answered since Litestream started {waited:.0f} s ago"
            )
            state.error_at = now
        if state.error is not None or not state.running:
            state.status = "failing" if state.updated_at else "starting"
        elif state.replicated_txid is None:
            state.status = "starting"
        elif state.lag_s > self.alert_lag_s:
            state.status = "behind"
        else:
            state.status = "ok"
        state.updated_at = now


def write_state(path: Path, state: ReplicaState) -> None:
    """Replace the state file atomically (a reader never sees half of it)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(state.to_json()), encoding="utf-8")
    os.replace(tmp, path)


def read_state(path: Path, now: float) -> ReplicaState | None:
    """The state the supervisor last wrote; ``failing`` when nobody has written it for a while."""
    try:
        state = ReplicaState.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if now - state.updated_at > STALE_S:
        state.status = "failing"
        state.running = False
        state.error = "nothing supervises the replica (the server's main process is not running)"
    return state


class StateReader:
    """The state file read at most twice a second, for health answers in any worker."""

    def __init__(self, db: Path | str, clock: Any = None) -> None:
        import time

        self.path = state_path(db)
        self.clock = clock or time.time
        self._read_at = -1.0
        self._state: ReplicaState | None = None

    def __call__(self) -> ReplicaState | None:
        now = self.clock()
        if now - self._read_at >= 0.5:
            self._state = read_state(self.path, now)
            if self._state is None:  # no file yet: the supervisor is starting (or absent)
                self._state = ReplicaState(url="", status="starting")
            self._read_at = now
        return self._state
