"""Schemathesis against the centre's own OpenAPI document: no server error, answers as
documented, on SQLite and on PostgreSQL.

``make test`` tries 25 examples an operation; a deeper run sets ``KIOSK_FUZZ_EXAMPLES``
(``KIOSK_FUZZ_EXAMPLES=500 make test PYTEST_ARGS=tests/central/test_schemathesis.py``)."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from centre_support import Api
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from central.server import create_app, serve_in_thread, shut_down
from central.throwaway_pg import ThrowawayCluster

ANY_KIOSK_TOKEN = "schemathesis-kiosk-0123456789"
CLERK_TOKEN = "schemathesis-clerk-0123456789"
CATALOG = {"community-1": {"version": "1", "items": [{"id": "a"}]}}


def _document() -> dict[str, object]:
    """The OpenAPI document, built without touching a database."""
    folder = Path(tempfile.mkdtemp(prefix="openapi-"))
    app = create_app(f"sqlite:///{folder / 'unused.db'}", {ANY_KIOSK_TOKEN: "*"},
                     migrate_database=False)
    document = app.openapi()
    shut_down(app)
    shutil.rmtree(folder, ignore_errors=True)
    return document


schema = schemathesis.openapi.from_dict(_document())
# A kiosk's logs upload (``PUT .../uploads/{id}``) is gzip: bytes, sent as they are.
schemathesis.serializer.alias("application/gzip", "application/octet-stream")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[str]:
    """The centre, served on a fresh database; its base URL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'central.db'}"
    else:
        cluster: ThrowawayCluster | str = request.getfixturevalue("pg_cluster")
        if isinstance(cluster, str):
            pytest.skip(f"PostgreSQL cannot be started here: {cluster}")
        url = cluster.create_database(f"fuzz_{uuid.uuid4().hex[:12]}")
    app = create_app(url, {ANY_KIOSK_TOKEN: "*"},
                     clerk_tokens={CLERK_TOKEN: {"name": "clerk", "role": "supervisor"}},
                     catalog=CATALOG)
    running = serve_in_thread(app)
    with Api(running.base_url) as api:
        assert api.get("/openapi.json").json() == schema.raw_schema
    yield running.base_url
    running.stop()


@schema.parametrize()
@settings(max_examples=int(os.environ.get("KIOSK_FUZZ_EXAMPLES", "25")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_keeps_its_documented_promises(
    case: schemathesis.Case, served: str
) -> None:
    token = CLERK_TOKEN if "/clerk/" in case.path else ANY_KIOSK_TOKEN
    case.call_and_validate(
        base_url=served,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
        checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                response_schema_conformance],
    )
