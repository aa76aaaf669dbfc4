"""Signed QR codes issued by the centre, defined once: format, signing and verification.

The centre issues these (QR login, appointment and e-certificate codes); the kiosk verifies
them. This module needs only ``cryptography`` and the standard library, and imports nothing
of the kiosk side.

Format, version 1
-----------------
A code is one line of ASCII text, at most ``MAX_CODE_CHARS`` (1024) characters::

    ZWQR1.<payload>.<signature>

- ``ZWQR1.`` is the prefix: 政务 QR, format version 1. Another version gets a new prefix.
- ``<payload>`` is base64url without padding of a UTF-8 JSON object (at most
  ``MAX_PAYLOAD_BYTES`` bytes once decoded) with exactly these keys:

  ======  ========================  ====================================================
  ``t``   kind, str                 ``[a-z][a-z0-9_]{0,31}``; the kiosk knows ``login``,
                                    ``appointment`` and ``certificate``
  ``i``   code id, str              1..64 characters, unique per issued code
  ``s``   issued at, int            Unix seconds (UTC)
  ``e``   expires at, int           Unix seconds (UTC), later than ``s``
  ``d``   data, object str → str    at most 16 entries, keys ``[a-z][a-z0-9_]{0,31}``,
                                    values at most 256 characters (may be Chinese)
  ======  ========================  ====================================================

- ``<signature>`` is base64url without padding of the 64-byte Ed25519 signature over the
  ASCII bytes of ``ZWQR1.<payload>`` (prefix included, so the version is signed too).

The whole code is ASCII, so it survives scanners set to any output code page and decoders
that guess text encodings; Chinese in ``d`` travels inside the base64.

Base64 must be canonical (the unused low bits of the last character are zero), so a code
has exactly one spelling. Verification order: size, prefix, shape, signature (against each
configured public key, to allow key rotation), then the JSON fields, then time: a code is
expired from ``e`` on, and is refused if ``s`` lies more than ``CLOCK_SKEW`` seconds in the
future.

Public keys travel as base64 of the 32 raw bytes (``public_key_text`` / ``load_public_key``).

Errors::

    QrCodeError
     ├── NotACentreCode   no ``ZWQR1.`` prefix: some other code
     ├── OversizedCode    longer than MAX_CODE_CHARS
     ├── MalformedCode    wrong shape, bad base64 or JSON, missing or bad fields
     ├── ForgedCode       the signature matches none of the keys
     ├── ExpiredCode      now ≥ expires at
     └── NotYetValidCode  issued in the future (beyond CLOCK_SKEW)
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PREFIX = "ZWQR1."
MAX_CODE_CHARS = 1024
MAX_PAYLOAD_BYTES = 640
MAX_DATA_ENTRIES = 16
MAX_VALUE_CHARS = 256
CLOCK_SKEW = 300  # seconds

KIND_LOGIN = "login"
KIND_APPOINTMENT = "appointment"
KIND_CERTIFICATE = "certificate"

_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
_B64URL = re.compile(r"[A-Za-z0-9_-]+")
_SIGNATURE_CHARS = 86  # 64 bytes in unpadded base64url


class QrCodeError(ValueError):
    """A text is not a valid centre-issued code."""


class NotACentreCode(QrCodeError):
    """The text does not start with the centre's prefix."""


class OversizedCode(QrCodeError):
    """The text is longer than any code the centre issues."""


class MalformedCode(QrCodeError):
    """The text has the prefix but not the shape or fields of a code."""


class ForgedCode(QrCodeError):
    """The signature does not verify against any of the centre's keys."""


class ExpiredCode(QrCodeError):
    """The code's expiry has passed."""


class NotYetValidCode(QrCodeError):
    """The code claims to be issued in the future."""


@dataclass(frozen=True)
class CentreCode:
    """A verified code."""

    kind: str
    code_id: str
    issued_at: datetime
    expires_at: datetime
    data: Mapping[str, str] = field(default_factory=dict, repr=False)


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    if not _B64URL.fullmatch(text):
        raise MalformedCode("not base64url")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as err:
        raise MalformedCode("not base64url") from err
    if _b64encode(raw) != text:  # one code, one spelling: no spare bits to play with
        raise MalformedCode("not canonical base64url")
    return raw


def _unix(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return int(moment.timestamp())


def _check_fields(kind: str, code_id: str, data: Mapping[str, str]) -> None:
    if not _NAME.fullmatch(kind):
        raise ValueError(f"kind {kind!r} must match {_NAME.pattern}")
    if not 1 <= len(code_id) <= 64:
        raise ValueError("code id must have 1 to 64 characters")
    if len(data) > MAX_DATA_ENTRIES:
        raise ValueError(f"at most {MAX_DATA_ENTRIES} data entries")
    for key, value in data.items():
        if not isinstance(key, str) or not _NAME.fullmatch(key):
            raise ValueError(f"data key {key!r} must match {_NAME.pattern}")
        if not isinstance(value, str) or len(value) > MAX_VALUE_CHARS:
            raise ValueError(f"data value for {key!r}: a string of at most {MAX_VALUE_CHARS}")


def issue_code(
    private_key: Ed25519PrivateKey,
    *,
    kind: str,
    code_id: str,
    expires_at: datetime,
    data: Mapping[str, str] | None = None,
    issued_at: datetime | None = None,
) -> str:
    """Sign and return the text of a code; raise ``ValueError`` if it breaks the format."""
    data = dict(data or {})
    _check_fields(kind, code_id, data)
    issued = _unix(issued_at or datetime.now(UTC))
    expires = _unix(expires_at)
    if expires <= issued:
        raise ValueError("a code must expire after it is issued")
    body = json.dumps(
        {"t": kind, "i": code_id, "s": issued, "e": expires, "d": data},
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    ).encode("utf-8")
    if len(body) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"payload is {len(body)} bytes; the limit is {MAX_PAYLOAD_BYTES}")
    signed = PREFIX + _b64encode(body)
    text = signed + "." + _b64encode(private_key.sign(signed.encode("ascii")))
    assert len(text) <= MAX_CODE_CHARS
    return text


def verify_code(
    text: str,
    public_keys: Ed25519PublicKey | Iterable[Ed25519PublicKey],
    *,
    now: datetime | None = None,
) -> CentreCode:
    """Check a scanned text and return the code it carries, or raise a ``QrCodeError``."""
    if len(text) > MAX_CODE_CHARS:
        raise OversizedCode(f"{len(text)} characters; the limit is {MAX_CODE_CHARS}")
    if not text.startswith(PREFIX):
        raise NotACentreCode("no centre prefix")
    parts = text[len(PREFIX) :].split(".")
    if len(parts) != 2 or not parts[0] or len(parts[1]) != _SIGNATURE_CHARS:
        raise MalformedCode("expected prefix, payload and signature")
    payload_text, signature_text = parts
    body = _b64decode(payload_text)
    signature = _b64decode(signature_text)
    if len(body) > MAX_PAYLOAD_BYTES:
        raise OversizedCode(f"payload is {len(body)} bytes; the limit is {MAX_PAYLOAD_BYTES}")
    keys = [public_keys] if isinstance(public_keys, Ed25519PublicKey) else list(public_keys)
    signed = (PREFIX + payload_text).encode("ascii")
    for key in keys:
        try:
            key.verify(signature, signed)
            break
        except InvalidSignature:
            continue
    else:
        raise ForgedCode("signature matches none of the centre's keys")
    code = _parse_body(body)
    moment = _unix(now or datetime.now(UTC))
    if int(code.issued_at.timestamp()) > moment + CLOCK_SKEW:
        raise NotYetValidCode("issued in the future")
    if moment >= int(code.expires_at.timestamp()):
        raise ExpiredCode("expired")
    return code


def _parse_body(body: bytes) -> CentreCode:
    try:
        obj = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise MalformedCode("payload is not UTF-8 JSON") from err
    if not isinstance(obj, dict) or set(obj) != {"t", "i", "s", "e", "d"}:
        raise MalformedCode("payload must have exactly the keys t, i, s, e, d")
    kind, code_id, issued, expires, data = obj["t"], obj["i"], obj["s"], obj["e"], obj["d"]
    if not isinstance(kind, str) or not isinstance(code_id, str) or not isinstance(data, dict):
        raise MalformedCode("t and i must be strings, d an object")
    for stamp in (issued, expires):
        if type(stamp) is not int or not 0 <= stamp < 2**40:
            raise MalformedCode("s and e must be Unix seconds")
    if expires <= issued:
        raise MalformedCode("e must be later than s")
    try:
        _check_fields(kind, code_id, data)
    except ValueError as err:
        raise MalformedCode(str(err)) from err
    return CentreCode(
        kind=kind,
        code_id=code_id,
        issued_at=datetime.fromtimestamp(issued, UTC),
        expires_at=datetime.fromtimestamp(expires, UTC),
        data=dict(data),
    )


def public_key_text(key: Ed25519PublicKey) -> str:
    """Return the key as base64 of its 32 raw bytes, the form site configs hold."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return base64.b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode("ascii")


def load_public_key(text: str) -> Ed25519PublicKey:
    """Read a public key written by ``public_key_text``; raise ``ValueError`` if it is not one."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as err:
        raise ValueError("the centre's QR public key must be base64 of 32 bytes") from err
    if len(raw) != 32:
        raise ValueError("the centre's QR public key must be base64 of 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)
