"""Issuing signed codes (appointment codes) with the centre's Ed25519 key.

The code format, signing and verification live in ``contract.qr_codes``; this module holds
the centre's signing key and turns an issue request into a code. The centre never issues
login codes: those come from an identity authority, whose key kiosks trust for login alone
(``POST /api/v1/qr-codes`` refuses them with 403). The key is 32 raw bytes in
a file outside the repository (``CENTRAL_QR_KEY_FILE`` for ``kiosk central``), created with
mode 0600 when missing. Kiosks verify codes with the public key from ``GET /api/v1/qr-keys``
or from their site configuration.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from central.crypto import load_or_create_key_file
from central.db import utcnow
from contract import qr_codes
from contract.wire import IssuedQrCode, QrCodeRequest


def load_or_create_signing_key(path: Path) -> Ed25519PrivateKey:
    """Return the signing key in ``path`` (32 raw bytes, the Ed25519 seed), creating it
    (mode 0600, written whole before it appears) if missing."""
    return Ed25519PrivateKey.from_private_bytes(load_or_create_key_file(path))


def issue(key: Ed25519PrivateKey, request: QrCodeRequest, *, now: datetime | None = None
          ) -> IssuedQrCode:
    """Sign a new code for ``request``; raise ``ValueError`` if it breaks the code format."""
    issued_at = now or utcnow()
    expires_at = issued_at + timedelta(seconds=request.valid_for_s)
    code_id = uuid.uuid4().hex
    text = qr_codes.issue_code(
        key, kind=request.kind.value, code_id=code_id, expires_at=expires_at,
        audience=request.audience, data=request.data, issued_at=issued_at,
    )
    return IssuedQrCode(code=text, code_id=code_id, kind=request.kind,
                        expires_at=expires_at.replace(microsecond=0))


def public_keys(key: Ed25519PrivateKey) -> list[str]:
    return [qr_codes.public_key_text(key.public_key())]
