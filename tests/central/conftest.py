"""Fixtures for the centre's tests: the real app served over HTTP, on SQLite and PostgreSQL.

PostgreSQL runs as a throwaway cluster (``central.throwaway_pg``) started once per test
session on a free loopback port, as the ``postgres`` user when the tests run as root; each
test gets a fresh database in it. When no cluster can be started the PostgreSQL variants are
skipped with the reason, unless ``KIOSK_REQUIRE_POSTGRES=1`` makes that a failure.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from centre_support import Api, build_app

from central.server import serve_in_thread
from central.throwaway_pg import ClusterUnavailable, ThrowawayCluster

BACKENDS = ["sqlite", "postgresql"]
_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[ThrowawayCluster | str]:
    """The session's PostgreSQL cluster, or the reason there is none."""
    try:
        cluster = ThrowawayCluster.start()
    except ClusterUnavailable as err:
        yield str(err)
        return
    yield cluster
    cluster.stop()


def _postgres_url(pg_cluster: ThrowawayCluster | str) -> str:
    if isinstance(pg_cluster, str):
        if os.environ.get("KIOSK_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required but cannot start: {pg_cluster}")
        pytest.skip(f"PostgreSQL cannot be started here: {pg_cluster}")
    return pg_cluster.create_database(f"t{os.getpid()}_{next(_names)}")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'central.db'}"


@pytest.fixture
def postgres_url(pg_cluster: ThrowawayCluster | str) -> str:
    return _postgres_url(pg_cluster)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'central.db'}"
    return _postgres_url(request.getfixturevalue("pg_cluster"))


@pytest.fixture
def client(database_url: str) -> Iterator[Api]:
    running = serve_in_thread(build_app(database_url))
    with Api(running.base_url) as api:
        yield api
    running.stop()
