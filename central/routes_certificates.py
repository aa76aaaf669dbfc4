"""Certificates for instant printing (即时打印): issued to kiosks, verified by anyone.

- ``POST /api/v1/kiosk/certificates`` (kiosk token; a case number of the calling terminal
  only) with a ``contract.certificates.CertificateRequest`` → the PDF, with
  ``X-Certificate-Code`` and ``X-Valid-Until``; ``404`` for an item that has no certificate.
- ``GET /verify/{code}`` (public): an HTML page saying whether the code belongs to a
  certificate the centre issued, with the item, issue date, validity and masked name;
  ``404`` with a "not found" page otherwise. The code must match
  ``CERTIFICATE_CODE_PATTERN`` (anything else is the same "not found"), and lookups are
  rate-limited per code and per address (``central.lookup_limits``: ``429``, ``Retry-After``).

The centre's public address, printed into the QR, is ``app.state.public_url``
(``CENTRAL_PUBLIC_URL``); without it the address the kiosk called is used.
"""

from __future__ import annotations

import html
import re
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from central import certificates
from central.certificate_records import UnknownCertificate
from central.lookup_limits import LookupLimits
from central.routes_kiosk import ERRORS, Db, Kiosk, require_case_number
from contract.certificates import (
    CERTIFICATE_CODE_PATTERN,
    CERTIFICATES_PATH,
    CODE_HEADER,
    PDF_MEDIA_TYPE,
    VALID_UNTIL_HEADER,
    VERIFY_PATH,
    CertificateRequest,
)

router = APIRouter(tags=["certificates"])

NO_CERTIFICATE = "no certificate is issued for this item"
_CODE = re.compile(CERTIFICATE_CODE_PATTERN)
# Bounded before matching: a long path is not even looked at.
Code = Annotated[str, Path(max_length=64)]


@router.post(
    CERTIFICATES_PATH,
    response_class=Response,
    responses={200: {"content": {PDF_MEDIA_TYPE: {}}, "description": "the certificate, one A4 page"},
               404: {"description": NO_CERTIFICATE}, **ERRORS},
)
async def issue_certificate(body: CertificateRequest, caller: Kiosk, engine: Db, request: Request
                            ) -> Response:
    """Draw a certificate for the resident at the kiosk and record it for verification."""
    require_case_number(caller, body.case_number)
    public_url = request.app.state.public_url or str(request.base_url)
    try:
        issued = await run_in_threadpool(
            certificates.issue, engine, request.app.state.certificate_source, body,
            public_url=public_url)
    except UnknownCertificate as err:
        raise HTTPException(status_code=404, detail=NO_CERTIFICATE) from err
    return Response(issued.pdf, media_type=PDF_MEDIA_TYPE, headers={
        CODE_HEADER: issued.code, VALID_UNTIL_HEADER: issued.valid_until.isoformat(),
        "Cache-Control": "no-store",
    })


@router.get(f"{VERIFY_PATH}/{{code}}", response_class=HTMLResponse,
            responses={404: {"description": "no certificate has this code"},
                       429: {"description": "too many lookups; see Retry-After"}})
def verify(code: Code, request: Request, engine: Db) -> HTMLResponse:
    """Say whether a printed certificate is genuine (public, no personal data but the masked name)."""
    limits: LookupLimits = request.app.state.verify_limits
    wait = limits.retry_after(code, request.client.host if request.client else "unknown")
    if wait:
        return _page("请稍后再试", "<p>核验过于频繁，请稍后再试。</p>", 429, {"Retry-After": str(wait)})
    found = certificates.verification(engine, code) if _CODE.fullmatch(code) else None
    if found is None:
        return _page("未找到该证明", "<p class=bad>未找到该核验码对应的证明。此件可能不是本中心出具的，"
                     "请向出具单位核实。</p>", 404)
    today = certificates.china_today()
    title = f"《{found.kind.title}》" if found.kind else found.item_id
    state = ("<p class=good>该证明由本中心出具，真实有效。</p>" if found.valid_on(today)
             else "<p class=bad>该证明由本中心出具，但已超过有效期。</p>")
    rows = [("证明名称", title), ("出具单位", found.kind.department if found.kind else ""),
            ("持证人", found.masked_name), ("出具日期", found.issued_on.isoformat()),
            ("有效期至", found.valid_until.isoformat()), ("核验码", found.code)]
    table = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    return _page("证明核验", f"{state}<table>{table}</table>", 200)


def _page(heading: str, body: str, status: int, headers: dict[str, str] | None = None) -> HTMLResponse:
    page = (
        "<!doctype html><html lang=zh-Hans><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(heading)}</title><style>"
        "body{font-family:sans-serif;max-width:36em;margin:2em auto;padding:0 1em;line-height:1.6}"
        ".good{color:#0a6b2d;font-weight:bold}.bad{color:#b3141b;font-weight:bold}"
        "th{text-align:left;padding-right:1em;color:#555;font-weight:normal}</style></head>"
        f"<body><h1>{html.escape(heading)}</h1>{body}</body></html>"
    )
    return HTMLResponse(page, status_code=status,
                        headers={"Cache-Control": "no-store", **(headers or {})})
