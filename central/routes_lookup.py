"""The anonymous receipt lookup (``GET /api/v1/lookup/{case_number}``): no account, no token
of the kiosk's, only what is printed on the receipt.

The receipt's QR carries the case number and a lookup token (128 random bits, base64url) the
kiosk made; the centre holds only the token's SHA-256 (``cases.lookup_token_sha256``) and
compares digests in constant time. The token travels in the ``Lookup-Token`` header, not the
query string, so access logs and proxies never record it. An unknown case, a case without a
token and a wrong token get the same ``404`` and body; a token or an address that asks too
often gets ``429`` with ``Retry-After`` (``central.lookup_limits``).
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Path, Request, Response
from fastapi.responses import JSONResponse

from central import cases
from central.lookup_limits import LookupLimits
from central.routes_kiosk import Db
from contract.wire import API_PREFIX, CASE_NUMBER_PATTERN, LOOKUP_TOKEN_PATTERN, ResidentCaseView

router = APIRouter(prefix=API_PREFIX, tags=["lookup"])

NOT_FOUND = "no case has this number and token"
_TOKEN = re.compile(LOOKUP_TOKEN_PATTERN)

CaseNumber = Annotated[str, Path(pattern=CASE_NUMBER_PATTERN)]
# Any text up to a bound is taken (and counted), so a malformed token is "not found" too.
Token = Annotated[str, Header(alias="Lookup-Token", max_length=128)]


@router.get(
    "/lookup/{case_number}",
    response_model=ResidentCaseView,
    responses={404: {"description": "no case with this number and token (one answer for all)"},
               429: {"description": "too many lookups; see Retry-After"}},
)
def lookup(case_number: CaseNumber, token: Token, request: Request, engine: Db) -> Response:
    """What the receipt's holder may read of the case: status, a fixed message, the next step."""
    limits: LookupLimits = request.app.state.lookup_limits
    address = request.client.host if request.client else "unknown"
    wait = limits.retry_after(token, address)
    if wait:
        return JSONResponse({"detail": "too many lookups; try again later"}, status_code=429,
                            headers={"Retry-After": str(wait)})
    try:
        if not _TOKEN.fullmatch(token):
            raise cases.CaseNotFound(case_number)
        view = cases.lookup(engine, case_number, token)
    except cases.CaseNotFound as err:
        raise HTTPException(status_code=404, detail=NOT_FOUND) from err
    # Defaults left out: ``missing`` appears only when there is something to bring.
    return Response(view.model_dump_json(exclude_defaults=True), media_type="application/json",
                    headers={"Cache-Control": "no-store"})

