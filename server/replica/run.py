"""Start the replica's supervisor with the server, and stop it when the server's process ends."""

from __future__ import annotations

import atexit
import sys

from server.config import ServerSettings


def start_replica(settings: ServerSettings) -> int:
    """Start Litestream for ``settings.db`` (stopped at exit); an exit status, 0 when started.

    The staff alerts it raises are written through a context of its own (the server's workers
    may be other processes); the database is opened lazily, once there is something to say.
    """
    from server.replica.alerts import ReplicaAlerts
    from server.replica.litestream import LitestreamMissing, binary
    from server.replica.state import ReplicaState
    from server.replica.supervisor import ReplicaBusy, Supervisor
    from server.store.database import Database
    from server.usecases.context import Context

    assert settings.replica is not None
    try:
        binary()
    except LitestreamMissing as exc:
        print(f"nafitha server: replica: {exc}", file=sys.stderr)
        return 2
    contexts: list[Context] = []

    def on_state(state: ReplicaState) -> None:
        if not contexts:
            db = Database(settings.db, timeout=settings.busy_timeout_s, checkpoints=False)
            contexts.append(Context(db=db, settings=settings))
            alerts.append(ReplicaAlerts(contexts[0]))
        alerts[0](state)

    alerts: list[ReplicaAlerts] = []
    supervisor = Supervisor(settings.replica, settings.db, on_state=on_state)
    try:
        supervisor.start()
    except ReplicaBusy as exc:
        print(f"nafitha server: replica: {exc}", file=sys.stderr)
        return 2

    def stop() -> None:
        supervisor.stop()
        for ctx in contexts:
            ctx.db.close()

    atexit.register(stop)
    return 0
