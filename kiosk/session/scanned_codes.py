"""What a scanned QR code means: our receipt lookup codes and signed codes.

Every text a scanner reads goes through ``QrPayloadParser.parse``. It returns a
``ReceiptLookup`` or an ``IssuedCode``, or raises ``CodeNotAccepted`` whose ``message`` tells
the resident what to do. Nothing in a code is ever executed, fetched or opened:
a receipt URL only yields its case number and lookup token.

Receipt lookup code (printed on our receipts; made by ``receipt_lookup_text``): the site's
``lookup_url_base`` followed by the case number (directly when the base ends in ``/`` or
``=``, otherwise as a ``case`` query parameter), then the lookup token as a ``token`` query
parameter::

    https://zwfw.example.gov.cn/case/202611230010042?token=3q2-7wAAAAAAAAAAAAAAAA
    https://zwfw.example.gov.cn/lookup?case=202611230010042&token=3q2-7wAAAAAAAAAAAAAAAA
    https://zwfw.example.gov.cn/lookup?site=7&case=202611230010042&token=3q2-7wAAAAAAAAAAAAAAAA

The case number is 15 digits: YYYYMMDD (a real date), terminal (3), sequence (4). The token
is 128 random bits in base64url without padding (22 characters, ``new_lookup_token``), made
by the kiosk at submit; the centre holds only its SHA-256, and answers
``GET /api/v1/lookup/{case}`` only to whoever shows the token. A phone opens the URL to see
the case status; the kiosk recognises the URL only under the site's configured
``lookup_url_base`` and looks the case up the same anonymous way. A URL with the case
number alone (receipts printed before the token) looks nothing up: it is malformed.

Signed codes (login, staff, appointment, e-certificate): the ``contract.qr_codes`` format, verified
against the site's ``CodeTrust``: login and staff codes against identity-authority keys only,
appointment and certificate codes against centre keys only, and the site's audience.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from contract import qr_codes
from contract.qr_codes import CentreCode, CodeTrust
from kiosk.errors import CodeNotAccepted
from kiosk.messages import MessageId, say

MAX_SCANNED_CHARS = qr_codes.MAX_CODE_CHARS
KNOWN_KINDS = frozenset(
    {qr_codes.KIND_LOGIN, qr_codes.KIND_APPOINTMENT, qr_codes.KIND_CERTIFICATE, qr_codes.KIND_STAFF}
)
CASE_PARAMETER = "case"
TOKEN_PARAMETER = "token"
_CASE_NUMBER = re.compile(r"[0-9]{15}")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")  # wire.LOOKUP_TOKEN_PATTERN


class RejectReason(enum.StrEnum):
    """Why a code was refused; ``MESSAGE_IDS`` names what the resident reads."""

    EMPTY = "empty"
    UNKNOWN = "unknown"
    MALFORMED = "malformed"
    FORGED = "forged"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    OVERSIZED = "oversized"
    UNSUPPORTED_KIND = "unsupported_kind"
    WRONG_AUDIENCE = "wrong_audience"


MESSAGE_IDS: dict[RejectReason, MessageId] = {
    RejectReason.EMPTY: MessageId.CODE_EMPTY,
    RejectReason.UNKNOWN: MessageId.CODE_UNKNOWN,
    RejectReason.MALFORMED: MessageId.CODE_MALFORMED,
    RejectReason.FORGED: MessageId.CODE_FORGED,
    RejectReason.EXPIRED: MessageId.CODE_EXPIRED,
    RejectReason.NOT_YET_VALID: MessageId.CODE_NOT_YET_VALID,
    RejectReason.OVERSIZED: MessageId.CODE_OVERSIZED,
    RejectReason.UNSUPPORTED_KIND: MessageId.CODE_UNSUPPORTED_KIND,
    RejectReason.WRONG_AUDIENCE: MessageId.CODE_UNSUPPORTED_KIND,  # meant for other terminals
}
MESSAGES = {reason: say(message_id) for reason, message_id in MESSAGE_IDS.items()}  # default words


# What each verification failure tells the resident (first match wins; anything else is malformed).
CODE_ERRORS: tuple[tuple[type[qr_codes.QrCodeError], RejectReason], ...] = (
    (qr_codes.OversizedCode, RejectReason.OVERSIZED),
    (qr_codes.ForgedCode, RejectReason.FORGED),
    (qr_codes.ExpiredCode, RejectReason.EXPIRED),
    (qr_codes.NotYetValidCode, RejectReason.NOT_YET_VALID),
    (qr_codes.UnsupportedKind, RejectReason.UNSUPPORTED_KIND),
    (qr_codes.WrongAudience, RejectReason.WRONG_AUDIENCE),
)


def reject(reason: RejectReason) -> CodeNotAccepted:
    """Return the error (with its resident-facing message) for ``reason``."""
    return CodeNotAccepted(MESSAGE_IDS[reason], reason=reason.value)


@dataclass(frozen=True)
class ReceiptLookup:
    """A receipt's status-lookup code: the resident wants this case's status."""

    case_number: str
    token: str = field(repr=False)  # the receipt's credential: never logged


@dataclass(frozen=True)
class IssuedCode:
    """A verified code from the centre; ``kind`` is one of ``KNOWN_KINDS``."""

    kind: str
    code: CentreCode


ScannedCode = ReceiptLookup | IssuedCode


def is_case_number(text: str) -> bool:
    """True if ``text`` is 15 digits whose first 8 are a real date."""
    if not _CASE_NUMBER.fullmatch(text):
        return False
    try:
        date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return True


def _check_base(lookup_url_base: str) -> None:
    if not re.fullmatch(r"https?://[!-~]+", lookup_url_base) or "#" in lookup_url_base:
        raise ValueError(f"lookup URL base {lookup_url_base!r} must be an http(s) URL without '#'")


def _lookup_head(lookup_url_base: str) -> str:
    """Return what precedes the case number in a receipt lookup code."""
    _check_base(lookup_url_base)
    if lookup_url_base.endswith(("/", "=")):
        return lookup_url_base
    joiner = "&" if "?" in lookup_url_base else "?"
    return f"{lookup_url_base}{joiner}{CASE_PARAMETER}="


def new_lookup_token() -> str:
    """A fresh lookup token: 128 random bits, base64url without padding (22 characters)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(16)).rstrip(b"=").decode("ascii")


def lookup_token_digest(token: str) -> str:
    """What the centre keeps of a token: its SHA-256 in hex."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _token_joiner(head: str) -> str:
    return "&" if "?" in head else "?"


def receipt_lookup_text(case_number: str, token: str, lookup_url_base: str) -> str:
    """Return the text of the status-lookup QR printed on the receipt for ``case_number``."""
    if not is_case_number(case_number):
        raise ValueError(f"{case_number!r} is not a case number")
    if not _TOKEN.fullmatch(token):
        raise ValueError("a lookup token is 22 base64url characters")
    head = _lookup_head(lookup_url_base)
    return f"{head}{case_number}{_token_joiner(head)}{TOKEN_PARAMETER}={token}"


class QrPayloadParser:
    """Classify scanned texts for one site."""

    def __init__(
        self,
        *,
        trust: CodeTrust,
        lookup_url_base: str,
        kinds: Iterable[str] = KNOWN_KINDS,
    ) -> None:
        self._trust = trust
        self._lookup_head = _lookup_head(lookup_url_base)
        self._token_part = f"{_token_joiner(self._lookup_head)}{TOKEN_PARAMETER}="
        self._kinds = frozenset(kinds)

    def parse(self, text: str, *, now: datetime | None = None) -> ScannedCode:
        """Return what ``text`` is, or raise ``CodeNotAccepted`` with the resident's message."""
        if len(text) > MAX_SCANNED_CHARS:
            raise reject(RejectReason.OVERSIZED)
        text = text.strip()
        if not text:
            raise reject(RejectReason.EMPTY)
        if text.startswith((qr_codes.PREFIX, qr_codes.PREFIX_V1)):
            return self._parse_centre(text, now)
        receipt = self._parse_receipt(text)
        if receipt is not None:
            return receipt
        raise reject(RejectReason.UNKNOWN)

    def _parse_receipt(self, text: str) -> ReceiptLookup | None:
        if not text.startswith(self._lookup_head):
            return None
        rest = text[len(self._lookup_head) :]
        case_number, after = rest[:15], rest[15:]
        token = after.removeprefix(self._token_part)
        if not is_case_number(case_number) or token == after or not _TOKEN.fullmatch(token):
            raise reject(RejectReason.MALFORMED)  # a case number alone looks nothing up
        return ReceiptLookup(case_number, token)

    def _parse_centre(self, text: str, now: datetime | None) -> IssuedCode:
        if not self._trust.all_keys():  # the site trusts no keys at all: not the resident's fault
            raise reject(RejectReason.UNSUPPORTED_KIND)
        try:
            code = qr_codes.verify_code(text, self._trust, now=now)
        except qr_codes.QrCodeError as err:
            reason = next((r for kind, r in CODE_ERRORS if isinstance(err, kind)), RejectReason.MALFORMED)
            raise reject(reason) from err
        if code.kind not in self._kinds:
            raise reject(RejectReason.UNSUPPORTED_KIND)
        return IssuedCode(code.kind, code)
