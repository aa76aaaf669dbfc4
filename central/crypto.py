"""Envelope encryption of the personal data the centre keeps at rest (``cases.payload``).

Each case's submission is encrypted with its own data key (AES-256-GCM, a fresh 96-bit nonce),
bound to its case number and idempotency key (associated data, so a payload cannot be moved
to another row); the data key is wrapped by a master key that never touches the database.
The stored text is::

    enc1:<master key id>:<base64 wrapped data key>:<base64 nonce || ciphertext>

The master key is a ``MasterKey``: ``KeyFileMasterKey`` keeps it in a file (32 random bytes,
mode 0600, created when missing: ``CENTRAL_DATA_KEY_FILE`` for ``kiosk central``, the
kiosk's ``data_dir`` for the embedded centre); a KMS or HSM is another implementation of the
same two methods. Rows stored before encryption (plain JSON) are still read as they are.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from typing import Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "enc1:"
KEY_BYTES = 32
NONCE_BYTES = 12
DEFAULT_KEY_FILE_NAME = "central-data.key"


class PayloadKeyError(Exception):
    """A stored payload cannot be decrypted: another master key, or a damaged row."""


class MasterKey(Protocol):
    """Wraps and unwraps data keys (a key file here; a KMS in a larger deployment)."""

    @property
    def key_id(self) -> str: ...

    def wrap(self, data_key: bytes, context: bytes) -> bytes: ...

    def unwrap(self, wrapped: bytes, context: bytes) -> bytes: ...


class KeyFileMasterKey:
    """A 256-bit AES-GCM master key kept in a file of its own (mode 0600, created if missing)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        key = load_or_create_key_file(self.path)
        self._aead = AESGCM(key)
        self._key_id = hashlib.sha256(b"central master key\x00" + key).hexdigest()[:16]

    @property
    def key_id(self) -> str:
        return self._key_id

    def wrap(self, data_key: bytes, context: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, data_key, context)

    def unwrap(self, wrapped: bytes, context: bytes) -> bytes:
        return self._aead.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], context)

    def __repr__(self) -> str:
        return f"KeyFileMasterKey({str(self.path)!r}, id={self._key_id})"


def load_or_create_key_file(path: Path) -> bytes:
    """Return the 32-byte key in ``path``; create it (0600, its folder 0700) when missing."""
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = os.urandom(KEY_BYTES)
        # Written whole under a private name, then linked into place: a process starting at
        # the same moment sees no key or the whole key, never a half-written file.
        draft = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(draft, path)
        except FileExistsError:  # another process made it first: use theirs
            return load_or_create_key_file(path)
        finally:
            draft.unlink()
        return key
    if len(key) != KEY_BYTES:
        raise ValueError(f"{path}: a key file holds exactly {KEY_BYTES} bytes")
    return key


def default_key_file(database_url_path: str | None) -> Path:
    """Where the master key lives when none is configured: beside a SQLite file, else ``var/``."""
    if database_url_path:
        return Path(database_url_path).resolve().parent / DEFAULT_KEY_FILE_NAME
    return Path("var") / DEFAULT_KEY_FILE_NAME


class PayloadCipher:
    """Seal and open ``cases.payload`` text under per-case data keys wrapped by ``master``."""

    def __init__(self, master: MasterKey) -> None:
        self.master = master

    def seal(self, plaintext: str, *, case_number: str, idempotency_key: str) -> str:
        data_key = AESGCM.generate_key(bit_length=256)
        context = _context(case_number, idempotency_key)
        nonce = os.urandom(NONCE_BYTES)
        ciphertext = nonce + AESGCM(data_key).encrypt(nonce, plaintext.encode("utf-8"), context)
        wrapped = self.master.wrap(data_key, b"data key\x00" + context)
        return f"{PREFIX}{self.master.key_id}:{_b64(wrapped)}:{_b64(ciphertext)}"

    def open(self, stored: str, *, case_number: str, idempotency_key: str) -> str:
        """The payload's plaintext; a row stored before encryption is returned as it is."""
        if not stored.startswith(PREFIX):
            return stored
        try:
            key_id, wrapped, ciphertext = stored[len(PREFIX):].split(":")
            context = _context(case_number, idempotency_key)
            data_key = self.master.unwrap(_unb64(wrapped), b"data key\x00" + context)
            blob = _unb64(ciphertext)
            plaintext = AESGCM(data_key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context)
        except Exception as err:  # noqa: BLE001 - wrong key, damaged text: one clear error
            raise PayloadKeyError(
                f"case {case_number}: the payload cannot be decrypted with master key "
                f"{self.master.key_id} ({type(err).__name__})"
            ) from None
        del key_id  # kept in the text to tell which master key a row needs (key rotation)
        return plaintext.decode("utf-8")


def is_sealed(stored: str) -> bool:
    """True when ``stored`` is an encrypted payload (not a plaintext row from before)."""
    return stored.startswith(PREFIX)


def _context(case_number: str, idempotency_key: str) -> bytes:
    return f"cases.payload\x00{case_number}\x00{idempotency_key}".encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


__all__ = [
    "KeyFileMasterKey", "MasterKey", "PayloadCipher", "PayloadKeyError", "default_key_file",
    "is_sealed", "load_or_create_key_file",
]
