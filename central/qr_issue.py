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

import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from central.db import utcnow
from contract import qr_codes
from contract.wire import IssuedQrCode, QrCodeRequest


def private_key_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def load_or_create_signing_key(path: Path) -> Ed25519PrivateKey:
    """Return the signing key in ``path`` (32 raw bytes), creating it (mode 0600) if missing."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return load_or_create_signing_key(path)
        with os.fdopen(fd, "wb") as f:
            f.write(private_key_bytes(key))
            f.flush()
            os.fsync(f.fileno())
        return key
    if len(raw) != 32:
        raise ValueError(f"{path}: an Ed25519 signing key file holds exactly 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(raw)


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
