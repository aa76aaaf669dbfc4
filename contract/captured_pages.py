"""Pages the document camera took (高拍仪) on the wire: sent with their case, one request a page.

- ``PUT /api/v1/cases/{case_number}/pages/{number}`` with a ``CapturedPage`` → ``201
  CapturedPageAck`` the first time, ``200`` when the same page comes again (a lost
  acknowledgement: nothing changes); from the kiosk that took the case only (another kiosk's
  case is ``403``, a case the centre does not have yet ``404``: the kiosk sends its pages
  after the case itself is acknowledged). ``number`` counts from 1 within the case, at most
  ``PAGES_MAX``.

A page is what ``kiosk.capture.encode_page`` gives: the rectified, enhanced page as a grey
JPEG of at most ``PAGE_MAX_BYTES``, and the guide's name of the material it shows
(``material``, as the catalogue writes it: "户口簿本人页"). The kiosk keeps it encrypted in its
outbox until this acknowledgement, then erases it; the centre keeps it sealed with the case for
the clerk (``central.case_pages``), and each look at one is a recorded read.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema

from contract.scalars import Text, base64_in, base64_out

PAGES_PATH = "/pages"  # under API_PREFIX/cases/{case_number}; a path of its own for a larger body limit
PAGES_MAX = 10  # pages one case may carry
PAGE_MAX_BYTES = 512 * 1024
PAGE_MAX_BODY_BYTES = PAGE_MAX_BYTES * 4 // 3 + 4 + 1024  # one base64 JPEG in JSON, and the name
MATERIAL_NAME_MAX = 64


def _jpeg(data: bytes) -> bytes:
    if len(data) > PAGE_MAX_BYTES:
        raise ValueError(f"a page may be at most {PAGE_MAX_BYTES} bytes")
    if not data.startswith(b"\xff\xd8\xff"):
        raise ValueError("not a JPEG image")
    return data


PageJpeg = Annotated[
    bytes,
    BeforeValidator(base64_in),
    AfterValidator(_jpeg),
    PlainSerializer(base64_out, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "contentEncoding": "base64", "description": "a JPEG"}),
]


class CapturedPage(BaseModel):
    """One page: which material it is, and the picture (base64 in JSON)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    material: Text = Field(min_length=1, max_length=MATERIAL_NAME_MAX)
    jpeg: PageJpeg


class CapturedPageAck(BaseModel):
    """The centre has the page."""

    model_config = ConfigDict(frozen=True)

    case_number: str
    number: int
