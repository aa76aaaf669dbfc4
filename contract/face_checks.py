"""The face check (人证比对) on the wire: a kiosk sends its capture with the card's photo.

- ``POST /api/v1/face-checks/{case_number}`` with a ``FaceCheckSubmission`` →
  ``201 FaceCheckAck``, from the kiosk that took the case only (another kiosk's case is
  ``403``, an unknown one ``404``). A case has one face check: sending again while it is
  pending replaces the images; once decided, ``409``.

The capture is what ``kiosk.capture.face_check`` gives (a JPEG of the face); the card's photo
is the picture the ID card reader's own library decodes from the card (JPEG, PNG or BMP: the
chip's WLT form is the vendor's). Each is at most ``FACE_IMAGE_MAX_BYTES``. The centre keeps
them only until the check is decided (``central.face_checks``), then erases them.
"""

from __future__ import annotations

import enum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, PlainSerializer, WithJsonSchema

from contract.scalars import base64_in, base64_out

FACE_CHECKS_PATH = "/face-checks"  # under API_PREFIX; a path of its own for a larger body limit
FACE_IMAGE_MAX_BYTES = 256 * 1024
FACE_CHECK_MAX_BODY_BYTES = 2 * (FACE_IMAGE_MAX_BYTES * 4 // 3 + 4) + 1024  # two base64 images in JSON
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"BM")


class FaceVerdict(enum.StrEnum):
    PENDING = "pending"  # queued for a clerk's eye check (or another verifier)
    MATCH = "match"
    NO_MATCH = "no_match"


def _image(data: bytes) -> bytes:
    if len(data) > FACE_IMAGE_MAX_BYTES:
        raise ValueError(f"an image may be at most {FACE_IMAGE_MAX_BYTES} bytes")
    if not data.startswith(IMAGE_MAGIC):
        raise ValueError("not a JPEG, PNG or BMP image")
    return data


FaceImage = Annotated[
    bytes,
    BeforeValidator(base64_in),
    AfterValidator(_image),
    PlainSerializer(base64_out, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "contentEncoding": "base64", "description": "a JPEG, PNG or BMP"}),
]


class FaceCheckSubmission(BaseModel):
    """The two pictures, base64 in JSON."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    capture: FaceImage
    card_photo: FaceImage


class FaceCheckAck(BaseModel):
    """What the centre decided so far (``pending`` until a clerk looks)."""

    model_config = ConfigDict(frozen=True)

    case_number: str
    verdict: FaceVerdict
