"""The kiosk's HTTP client for the centre's kiosk API (``central.wire``), over ``requests``.

Every call has a connect and a read timeout, verifies TLS (or trusts the CA bundle named by
``verify``), and presents the kiosk's credential: a bearer token, and optionally a client
certificate. Whatever goes wrong comes out as a ``kiosk.errors.CentreError``:

====================================  ======================  ==========
what happened                         raised                  retryable
====================================  ======================  ==========
refused, reset, timed out, TLS error  ``CentreUnreachable``   yes
5xx, 408, 429, an unreadable answer   ``CentreUnavailable``   yes
409                                   ``CentreConflict``      no
any other 4xx                         ``CentreRejected``      no
====================================  ======================  ==========
"""

from __future__ import annotations

from typing import Any, TypeVar

import requests
from pydantic import BaseModel, ValidationError

from central.wire import API_PREFIX, CaseAck, CaseStatusView, CaseSubmission
from kiosk.errors import (
    CentreConflict,
    CentreError,
    CentreRejected,
    CentreUnavailable,
    CentreUnreachable,
)

Model = TypeVar("Model", bound=BaseModel)

RETRYABLE_4XX = frozenset({408, 425, 429})


class CentreClient:
    """Talk to the centre as one kiosk. Not shared between threads: make one per thread."""

    def __init__(
        self,
        base_url: str,
        token: str,
        connect_timeout: float = 3.05,
        read_timeout: float = 10,
        verify: bool | str = True,
        client_cert: tuple[str, str] | str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = (connect_timeout, read_timeout)
        self._session = requests.Session()
        self._session.verify = verify
        if client_cert is not None:
            self._session.cert = client_cert
        self._session.headers.update({
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "User-Agent": "gov-kiosk",
        })
        self._session.trust_env = False  # no proxies from the environment on a kiosk

    def close(self) -> None:
        self._session.close()

    def submit(self, submission: CaseSubmission) -> CaseAck:
        """Deliver a case; the centre's acknowledgement means it is stored for good."""
        response = self._request(
            "POST", "/cases", data=submission.model_dump_json().encode("utf-8"),
            headers={"Content-Type": "application/json"},
        )
        return _parse(response, CaseAck)

    def case_status(self, case_number: str) -> CaseStatusView:
        """Ask for a case's public status (e.g. after scanning a receipt's QR)."""
        response = self._request("GET", f"/cases/{case_number}")
        return _parse(response, CaseStatusView)

    def _request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        url = f"{self.base_url}{API_PREFIX}{path}"
        try:
            response = self._session.request(method, url, timeout=self.timeout, **kwargs)
            response.content  # noqa: B018 - read the whole body here, inside the try
        except requests.exceptions.SSLError as err:
            raise CentreUnreachable(detail=f"TLS: {err}") from err
        except requests.exceptions.Timeout as err:
            raise CentreUnreachable(detail=f"timeout: {err}") from err
        except requests.exceptions.RequestException as err:
            raise CentreUnreachable(detail=f"{type(err).__name__}: {err}") from err
        status = response.status_code
        if status < 400:
            return response
        detail = f"HTTP {status}: {response.text[:200]}"
        if status == 409:
            raise CentreConflict(detail=detail)
        if status >= 500 or status in RETRYABLE_4XX:
            raise CentreUnavailable(detail=detail)
        raise CentreRejected(detail=detail, status_code=status)


def _parse(response: requests.Response, model: type[Model]) -> Model:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as err:
        raise CentreUnavailable(
            detail=f"HTTP {response.status_code}: unreadable answer ({err.error_count()} errors)"
        ) from err


__all__ = ["CentreClient", "CentreError"]
