"""The hub's fixtures: one real PostgreSQL 15 cluster per session, a fresh database per test.

The cluster runs from a folder under /tmp (PostgreSQL runs as an unprivileged user when the
tests run as root, and pytest's own tmp folder is closed to other users), on a free port, and is
stopped at the end of the session.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator

import pytest

from hub.store.database import prepare
from nafitha.harness import ports
from nafitha.postgres import PostgresCluster
from tests.national.conftest import free_port, nats_hub, nats_leaf

__all__ = ["free_port", "nats_hub", "nats_leaf"]  # the national fixtures, for the writer's tests


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    folder = tempfile.mkdtemp(prefix="nafitha-pg-")
    cluster = PostgresCluster(folder, ports.free_port())
    try:
        cluster.start()
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    try:
        yield cluster
    finally:
        try:
            if not cluster.running:
                cluster.start()  # a test that stopped it leaves it to us to clean up
            cluster.stop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_dsn(pg_cluster: PostgresCluster) -> Iterator[str]:
    """A fresh, empty database of the session's cluster, its schema migrated."""
    if not pg_cluster.running:
        pg_cluster.start()
    name = f"hub_{uuid.uuid4().hex[:12]}"
    dsn = pg_cluster.create_database(name)
    prepare(dsn)
    yield dsn
    if pg_cluster.running:
        pg_cluster.drop_database(name)
