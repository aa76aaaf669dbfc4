"""Fixtures for the centre's tests: the real app served over HTTP on a fresh SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from centre_support import CLERK_TOKEN, KIOSK_TOKEN, OTHER_CLERK_TOKEN, OTHER_KIOSK_TOKEN, Api
from fastapi import FastAPI

from central.server import create_app, serve_in_thread


def build_app(database_url: str, **options: Any) -> FastAPI:
    return create_app(
        database_url,
        {KIOSK_TOKEN: "T001", OTHER_KIOSK_TOKEN: "T002"},
        clerk_tokens={CLERK_TOKEN: "wang", OTHER_CLERK_TOKEN: "li"},
        **options,
    )


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'central.db'}"


@pytest.fixture
def client(sqlite_url: str) -> Iterator[Api]:
    running = serve_in_thread(build_app(sqlite_url))
    with Api(running.base_url) as api:
        yield api
    running.stop()
