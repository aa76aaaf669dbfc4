"""What the centre's tests share: the tokens the test app accepts, and an HTTP client."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import requests
from fastapi import FastAPI
from sqlalchemy import Engine

from central.server import create_app, serve_in_thread

KIOSK_TOKEN = "kiosk-token-T001-0123456789"
OTHER_KIOSK_TOKEN = "kiosk-token-T002-0123456789"
CLERK_TOKEN = "clerk-token-wang-0123456789"
OTHER_CLERK_TOKEN = "clerk-token-li-000123456789"

KIOSK = {"Authorization": f"Bearer {KIOSK_TOKEN}"}
OTHER_KIOSK = {"Authorization": f"Bearer {OTHER_KIOSK_TOKEN}"}
CLERK = {"Authorization": f"Bearer {CLERK_TOKEN}"}
OTHER_CLERK = {"Authorization": f"Bearer {OTHER_CLERK_TOKEN}"}


class Api(requests.Session):
    """A requests session whose URLs are paths on one server."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url
        self.trust_env = False

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
                ) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", 30)
        return super().request(method, f"{self.base_url}{url!s}", *args, **kwargs)


SUPERVISOR_TOKEN = "clerk-token-zhao-0123456789"
ELSEWHERE_CLERK_TOKEN = "clerk-token-sun-00123456789"
TECHNICIAN_TOKEN = "staff-token-zhou-0123456789"
SUPERVISOR = {"Authorization": f"Bearer {SUPERVISOR_TOKEN}"}
TECHNICIAN = {"Authorization": f"Bearer {TECHNICIAN_TOKEN}"}
ELSEWHERE_CLERK = {"Authorization": f"Bearer {ELSEWHERE_CLERK_TOKEN}"}

DEPARTMENT = "区民政局"  # the department of central.samples' "sample-item" at "demo-site"
# The catalogue the test centre serves unless a test gives its own: it gives the sample
# cases their department.
SAMPLE_CATALOG = {"demo-site": {"items": [{"id": "sample-item", "department": DEPARTMENT}]}}


def build_app(database_url: str, **options: Any) -> FastAPI:
    options.setdefault("catalog", SAMPLE_CATALOG)
    return create_app(
        database_url,
        {KIOSK_TOKEN: {"terminal_id": "T001", "terminal_number": 1},
         OTHER_KIOSK_TOKEN: {"terminal_id": "T002", "terminal_number": 2}},
        clerk_tokens={
            CLERK_TOKEN: {"name": "wang", "department": DEPARTMENT},
            OTHER_CLERK_TOKEN: {"name": "li", "department": DEPARTMENT},
            ELSEWHERE_CLERK_TOKEN: {"name": "sun", "department": "区医疗保障局"},
            SUPERVISOR_TOKEN: {"name": "zhao", "role": "supervisor"},
            TECHNICIAN_TOKEN: {"name": "zhou", "role": "technician"},
        },
        **options,
    )


@dataclass
class ServedCentre:
    """A test centre served on loopback: an API client for it, and its database."""

    api: Api
    engine: Engine


def served_centre(database_url: str, **options: Any) -> Iterator[ServedCentre]:
    """Serve ``build_app(database_url)`` until the generator is closed (a fixture's body)."""
    running = serve_in_thread(build_app(database_url, **options))
    try:
        with Api(running.base_url) as api:
            yield ServedCentre(api, running.app.state.engine)
    finally:
        running.stop()
