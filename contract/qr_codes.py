"""Signed QR codes, defined once: format, signing and verification.

Three authorities sign codes. The centre signs appointment and e-certificate codes with its
key; an identity authority (the e-government app's, which has checked who the resident is)
signs login codes (and staff codes, a grid worker's or clerk's own, for assisted mode) with
its own; the technicians' issuer signs technician codes (which open
maintenance mode) with a third. A kiosk trusts each by its public keys, *per kind*: a login
code verifies only against identity-authority keys, an appointment or certificate code only
against centre keys, so the centre's key (and anything that can make the centre sign, such
as a stolen kiosk token) can never log anyone in. This module needs only ``cryptography``
and the standard library, and imports nothing of the kiosk side.

Format, version 2
-----------------
A code is one line of ASCII text, at most ``MAX_CODE_CHARS`` (1024) characters::

    ZWQR2.<payload>.<signature>

- ``ZWQR2.`` is the prefix: 政务 QR, format version 2. Another version gets a new prefix.
- ``<payload>`` is base64url without padding of a UTF-8 JSON object (at most
  ``MAX_PAYLOAD_BYTES`` bytes once decoded) with exactly these keys:

  ======  ========================  ====================================================
  ``t``   kind, str                 ``[a-z][a-z0-9_]{0,31}``; the kiosk knows ``login``,
                                    ``appointment``, ``certificate``, ``technician``
                                    and ``staff``
  ``i``   code id, str              1..64 characters, unique per issued code
  ``s``   issued at, int            Unix seconds (UTC)
  ``e``   expires at, int           Unix seconds (UTC), later than ``s``
  ``a``   audience, str             who may accept the code: ``[A-Za-z0-9][A-Za-z0-9._:-]
                                    {0,63}``, e.g. ``gov-kiosk`` (every kiosk, the default)
                                    or a site id; a verifier refuses any other audience
  ``k``   issuer key id, str        ``key_id`` of the signing public key (11 characters:
                                    base64url of the first 8 bytes of SHA-256 of its 32
                                    raw bytes); it must name the key that verifies
  ``d``   data, object str → str    at most 16 entries, keys ``[a-z][a-z0-9_]{0,31}``,
                                    values at most 256 characters (may be Chinese)
  ======  ========================  ====================================================

- ``<signature>`` is base64url without padding of the 64-byte Ed25519 signature over the
  ASCII bytes of ``ZWQR2.<payload>`` (prefix included, so the version is signed too).

The whole code is ASCII, so it survives scanners set to any output code page and decoders
that guess text encodings; Chinese in ``d`` travels inside the base64.

Base64 must be canonical (the unused low bits of the last character are zero), so a code
has exactly one spelling. Verification order (``verify_code`` with a ``CodeTrust``): size,
prefix, shape, signature (against every key the verifier trusts for any kind, to allow key
rotation; nothing of the payload is parsed before a trusted key has signed it), then the
JSON fields, then that ``k`` names the signing key, that the signing key is trusted *for the
code's kind*, the audience, and last time, allowing ``CLOCK_SKEW`` seconds either way for a
clock that is a little off (``contract.clock``): a code is expired from ``e`` + ``CLOCK_SKEW``
on, and is refused if ``s`` lies more than ``CLOCK_SKEW`` seconds in the future.

Version 1 (``ZWQR1.``: the same without ``a`` and ``k``) is still verified, but only for the
kinds a ``CodeTrust`` lists in ``v1_kinds`` (a kiosk: appointment and certificate, signed by
the centre key): such codes may already be in residents' hands (they live up to 7 days) and
a copied one can do no more than it could before. A version 1 *login* code is always
refused: the centre issued those to any kiosk token on request, and it carries no audience.
Nothing issues version 1 any more.

Public keys travel as base64 of the 32 raw bytes (``public_key_text`` / ``load_public_key``).

Errors::

    QrCodeError
     ├── NotACentreCode    no ``ZWQR2.``/``ZWQR1.`` prefix: some other code
     ├── OversizedCode     longer than MAX_CODE_CHARS
     ├── MalformedCode     wrong shape, bad base64 or JSON, missing or bad fields
     ├── ForgedCode        the signature matches none of the trusted keys
     │    └── UntrustedSigner  signed by a trusted key, but not one trusted for this kind
     │                         (a login code signed by the centre; a version 1 login code)
     ├── UnsupportedKind   a kind the verifier trusts no key for
     ├── WrongAudience     meant for someone else
     ├── ExpiredCode       now ≥ expires at + CLOCK_SKEW
     └── NotYetValidCode   issued in the future (beyond CLOCK_SKEW)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from contract.clock import CLOCK_TOLERANCE

PREFIX = "ZWQR2."
PREFIX_V1 = "ZWQR1."
MAX_CODE_CHARS = 1024
MAX_PAYLOAD_BYTES = 640
MAX_DATA_ENTRIES = 16
MAX_VALUE_CHARS = 256
CLOCK_SKEW = int(CLOCK_TOLERANCE.total_seconds())  # seconds allowed either way on s and e

KIND_LOGIN = "login"
KIND_APPOINTMENT = "appointment"
KIND_CERTIFICATE = "certificate"
KIND_TECHNICIAN = "technician"  # opens maintenance mode; signed by the technicians' own issuer
KIND_STAFF = "staff"  # a grid worker's or clerk's own code (帮办): signed by the identity authority
KIOSK_AUDIENCE = "gov-kiosk"  # the audience every kiosk answers to unless its site says otherwise

_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
_AUDIENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_B64URL = re.compile(r"[A-Za-z0-9_-]+")
_SIGNATURE_CHARS = 86  # 64 bytes in unpadded base64url
_V1_KEYS = frozenset({"t", "i", "s", "e", "d"})
_V2_KEYS = _V1_KEYS | {"a", "k"}


class QrCodeError(ValueError):
    """A text is not a valid signed code."""


class NotACentreCode(QrCodeError):
    """The text does not start with a signed code's prefix."""


class OversizedCode(QrCodeError):
    """The text is longer than any signed code."""


class MalformedCode(QrCodeError):
    """The text has the prefix but not the shape or fields of a code."""


class ForgedCode(QrCodeError):
    """The signature does not verify against any trusted key."""


class UntrustedSigner(ForgedCode):
    """A trusted key signed the code, but that key is not trusted for the code's kind."""


class UnsupportedKind(QrCodeError):
    """The verifier trusts no key for the code's kind."""


class WrongAudience(QrCodeError):
    """The code was issued for another audience."""


class ExpiredCode(QrCodeError):
    """The code's expiry has passed."""


class NotYetValidCode(QrCodeError):
    """The code claims to be issued in the future."""


@dataclass(frozen=True)
class CentreCode:
    """A verified code; ``audience`` and ``key_id`` are empty for a version 1 code."""

    kind: str
    code_id: str
    issued_at: datetime
    expires_at: datetime
    data: Mapping[str, str] = field(default_factory=dict, repr=False)
    audience: str = ""
    key_id: str = ""
    version: int = 2


@dataclass(frozen=True)
class CodeTrust:
    """What a verifier accepts: its audience, the keys it trusts to sign each kind, and the
    kinds it still accepts in version 1 (signed by a key trusted for that kind)."""

    audience: str
    keys: Mapping[str, tuple[Ed25519PublicKey, ...]]
    v1_kinds: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not _AUDIENCE.fullmatch(self.audience):
            raise ValueError(f"audience {self.audience!r} must match {_AUDIENCE.pattern}")
        if KIND_LOGIN in self.v1_kinds:
            raise ValueError("version 1 login codes are never accepted")

    @classmethod
    def for_kiosk(
        cls,
        audience: str,
        *,
        centre_keys: Iterable[Ed25519PublicKey],
        identity_keys: Iterable[Ed25519PublicKey],
        technician_keys: Iterable[Ed25519PublicKey] = (),
    ) -> CodeTrust:
        """A kiosk's trust: login and staff codes from the identity authority (it has checked
        who the person is), technician codes from the technicians' issuer, the rest from the centre."""
        centre, identity = tuple(centre_keys), tuple(identity_keys)
        return cls(
            audience=audience,
            keys={KIND_LOGIN: identity, KIND_STAFF: identity, KIND_APPOINTMENT: centre,
                  KIND_CERTIFICATE: centre, KIND_TECHNICIAN: tuple(technician_keys)},
            v1_kinds=frozenset({KIND_APPOINTMENT, KIND_CERTIFICATE}),
        )

    def all_keys(self) -> list[Ed25519PublicKey]:
        """Every trusted key once, whatever it is trusted for."""
        seen: dict[bytes, Ed25519PublicKey] = {}
        for keys in self.keys.values():
            for key in keys:
                seen.setdefault(_raw(key), key)
        return list(seen.values())

    def trusts(self, kind: str, key: Ed25519PublicKey) -> bool:
        return any(_raw(k) == _raw(key) for k in self.keys.get(kind, ()))


def _raw(key: Ed25519PublicKey) -> bytes:
    # Imported here: the serialization package is heavy and off the kiosk's start-up path.
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """The issuer key id a code carries in ``k``: base64url of SHA-256(raw key)[:8]."""
    return _b64encode(hashlib.sha256(_raw(key)).digest()[:8])


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
    audience: str,
    data: Mapping[str, str] | None = None,
    issued_at: datetime | None = None,
) -> str:
    """Sign and return the text of a version 2 code; raise ``ValueError`` if it breaks the format."""
    data = dict(data or {})
    _check_fields(kind, code_id, data)
    if not isinstance(audience, str) or not _AUDIENCE.fullmatch(audience):
        raise ValueError(f"audience {audience!r} must match {_AUDIENCE.pattern}")
    issued = _unix(issued_at or datetime.now(UTC))
    expires = _unix(expires_at)
    if expires <= issued:
        raise ValueError("a code must expire after it is issued")
    body = json.dumps(
        {"t": kind, "i": code_id, "s": issued, "e": expires, "a": audience,
         "k": key_id(private_key.public_key()), "d": data},
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


def verify_code(text: str, trust: CodeTrust, *, now: datetime | None = None) -> CentreCode:
    """Check a scanned text against ``trust`` and return the code it carries, or raise a
    ``QrCodeError``."""
    if len(text) > MAX_CODE_CHARS:
        raise OversizedCode(f"{len(text)} characters; the limit is {MAX_CODE_CHARS}")
    if text.startswith(PREFIX):
        prefix, version = PREFIX, 2
    elif text.startswith(PREFIX_V1):
        prefix, version = PREFIX_V1, 1
    else:
        raise NotACentreCode("no signed-code prefix")
    parts = text[len(prefix) :].split(".")
    if len(parts) != 2 or not parts[0] or len(parts[1]) != _SIGNATURE_CHARS:
        raise MalformedCode("expected prefix, payload and signature")
    payload_text, signature_text = parts
    body = _b64decode(payload_text)
    signature = _b64decode(signature_text)
    if len(body) > MAX_PAYLOAD_BYTES:
        raise OversizedCode(f"payload is {len(body)} bytes; the limit is {MAX_PAYLOAD_BYTES}")
    signed = (prefix + payload_text).encode("ascii")
    for signer in trust.all_keys():
        try:
            signer.verify(signature, signed)
            break
        except InvalidSignature:
            continue
    else:
        raise ForgedCode("signature matches none of the trusted keys")
    code = _parse_body(body, version)
    if code.kind not in trust.keys:
        raise UnsupportedKind(f"no key is trusted for kind {code.kind!r}")
    if version == 2 and code.key_id != key_id(signer):
        raise MalformedCode("k does not name the signing key")
    if not trust.trusts(code.kind, signer):
        raise UntrustedSigner(f"the signing key is not trusted for kind {code.kind!r}")
    if version == 1 and code.kind not in trust.v1_kinds:
        raise UntrustedSigner(f"version 1 codes of kind {code.kind!r} are no longer accepted")
    if version == 2 and code.audience != trust.audience:
        raise WrongAudience("issued for another audience")
    moment = _unix(now or datetime.now(UTC))
    if int(code.issued_at.timestamp()) > moment + CLOCK_SKEW:
        raise NotYetValidCode("issued in the future")
    if moment >= int(code.expires_at.timestamp()) + CLOCK_SKEW:
        raise ExpiredCode("expired")
    return code


def _parse_body(body: bytes, version: int) -> CentreCode:
    try:
        obj = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise MalformedCode("payload is not UTF-8 JSON") from err
    expected = _V2_KEYS if version == 2 else _V1_KEYS
    if not isinstance(obj, dict) or set(obj) != expected:
        raise MalformedCode(f"payload must have exactly the keys {', '.join(sorted(expected))}")
    kind, code_id, issued, expires, data = obj["t"], obj["i"], obj["s"], obj["e"], obj["d"]
    audience, issuer = obj.get("a", ""), obj.get("k", "")
    if not isinstance(kind, str) or not isinstance(code_id, str) or not isinstance(data, dict):
        raise MalformedCode("t and i must be strings, d an object")
    if version == 2 and (not isinstance(audience, str) or not _AUDIENCE.fullmatch(audience)
                         or not isinstance(issuer, str)):
        raise MalformedCode("a must be an audience name, k a key id")
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
        audience=audience,
        key_id=issuer,
        version=version,
    )


def public_key_text(key: Ed25519PublicKey) -> str:
    """Return the key as base64 of its 32 raw bytes, the form site configs hold."""
    return base64.b64encode(_raw(key)).decode("ascii")


def load_public_key(text: str) -> Ed25519PublicKey:
    """Read a public key written by ``public_key_text``; raise ``ValueError`` if it is not one."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as err:
        raise ValueError("a code-signing public key must be base64 of 32 bytes") from err
    if len(raw) != 32:
        raise ValueError("a code-signing public key must be base64 of 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)
