"""What a scanned QR code means: our receipt lookup codes and codes signed by the centre.

Every text a scanner reads goes through ``QrPayloadParser.parse``. It returns a
``ReceiptLookup`` or an ``IssuedCode``, or raises ``CodeNotAccepted`` whose ``message`` tells
the resident what to do. Nothing in a code is ever executed, fetched or opened:
a receipt URL only yields its case number.

Receipt lookup code (printed on our receipts; made by ``receipt_lookup_text``): the site's
``lookup_url_base`` followed by the case number, directly when the base ends in ``/`` or
``=``, otherwise as a ``case`` query parameter::

    https://zwfw.example.gov.cn/case/202611230010042
    https://zwfw.example.gov.cn/lookup?case=202611230010042
    https://zwfw.example.gov.cn/lookup?site=7&case=202611230010042

The case number is 15 digits: YYYYMMDD (a real date), terminal (3), sequence (4). A phone
opens the URL to see the case status; the kiosk recognises the URL only under the site's
configured ``lookup_url_base`` and takes the case number from it.

Centre codes (login, appointment, e-certificate): the ``ZWQR1.`` format of
``central.qr_codes``, verified against the centre's public keys from the site config.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from contract import qr_codes
from contract.qr_codes import CentreCode
from kiosk.errors import CodeNotAccepted
from kiosk.messages import MessageId, say

MAX_SCANNED_CHARS = qr_codes.MAX_CODE_CHARS
KNOWN_KINDS = frozenset(
    {qr_codes.KIND_LOGIN, qr_codes.KIND_APPOINTMENT, qr_codes.KIND_CERTIFICATE}
)
CASE_PARAMETER = "case"
_CASE_NUMBER = re.compile(r"[0-9]{15}")


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


MESSAGE_IDS: dict[RejectReason, MessageId] = {
    RejectReason.EMPTY: MessageId.CODE_EMPTY,
    RejectReason.UNKNOWN: MessageId.CODE_UNKNOWN,
    RejectReason.MALFORMED: MessageId.CODE_MALFORMED,
    RejectReason.FORGED: MessageId.CODE_FORGED,
    RejectReason.EXPIRED: MessageId.CODE_EXPIRED,
    RejectReason.NOT_YET_VALID: MessageId.CODE_NOT_YET_VALID,
    RejectReason.OVERSIZED: MessageId.CODE_OVERSIZED,
    RejectReason.UNSUPPORTED_KIND: MessageId.CODE_UNSUPPORTED_KIND,
}
MESSAGES = {reason: say(message_id) for reason, message_id in MESSAGE_IDS.items()}  # default words


def reject(reason: RejectReason) -> CodeNotAccepted:
    """Return the error (with its resident-facing message) for ``reason``."""
    return CodeNotAccepted(MESSAGE_IDS[reason], reason=reason.value)


@dataclass(frozen=True)
class ReceiptLookup:
    """A receipt's status-lookup code: the resident wants this case's status."""

    case_number: str


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


def receipt_lookup_text(case_number: str, lookup_url_base: str) -> str:
    """Return the text of the status-lookup QR printed on the receipt for ``case_number``."""
    if not is_case_number(case_number):
        raise ValueError(f"{case_number!r} is not a case number")
    return _lookup_head(lookup_url_base) + case_number


class QrPayloadParser:
    """Classify scanned texts for one site."""

    def __init__(
        self,
        *,
        centre_public_keys: Sequence[Ed25519PublicKey],
        lookup_url_base: str,
        kinds: Iterable[str] = KNOWN_KINDS,
    ) -> None:
        self._keys = list(centre_public_keys)
        self._lookup_head = _lookup_head(lookup_url_base)
        self._kinds = frozenset(kinds)

    def parse(self, text: str, *, now: datetime | None = None) -> ScannedCode:
        """Return what ``text`` is, or raise ``CodeNotAccepted`` with the resident's message."""
        if len(text) > MAX_SCANNED_CHARS:
            raise reject(RejectReason.OVERSIZED)
        text = text.strip()
        if not text:
            raise reject(RejectReason.EMPTY)
        if text.startswith(qr_codes.PREFIX):
            return self._parse_centre(text, now)
        receipt = self._parse_receipt(text)
        if receipt is not None:
            return receipt
        raise reject(RejectReason.UNKNOWN)

    def _parse_receipt(self, text: str) -> ReceiptLookup | None:
        if not text.startswith(self._lookup_head):
            return None
        case_number = text[len(self._lookup_head) :]
        if not is_case_number(case_number):
            raise reject(RejectReason.MALFORMED)
        return ReceiptLookup(case_number)

    def _parse_centre(self, text: str, now: datetime | None) -> IssuedCode:
        if not self._keys:  # the site has no centre keys configured: not the resident's fault
            raise reject(RejectReason.UNSUPPORTED_KIND)
        try:
            code = qr_codes.verify_code(text, self._keys, now=now)
        except qr_codes.OversizedCode as err:
            raise reject(RejectReason.OVERSIZED) from err
        except qr_codes.ForgedCode as err:
            raise reject(RejectReason.FORGED) from err
        except qr_codes.ExpiredCode as err:
            raise reject(RejectReason.EXPIRED) from err
        except qr_codes.NotYetValidCode as err:
            raise reject(RejectReason.NOT_YET_VALID) from err
        except qr_codes.QrCodeError as err:
            raise reject(RejectReason.MALFORMED) from err
        if code.kind not in self._kinds:
            raise reject(RejectReason.UNSUPPORTED_KIND)
        return IssuedCode(code.kind, code)
