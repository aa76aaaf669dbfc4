"""What both sides know about a signed update bundle: its names, versions, the signature check,
and the offer a heartbeat's reply carries. The bundle's format is described in
``kiosk.updates.bundle``, which makes, unpacks and installs bundles; the centre uses
``verify_bundle`` here to refuse an upload no release key signed, without unpacking anything.

- ``HeartbeatAck.update`` (``contract.wire``) is an ``UpdateOffer``: a rollout targets this
  kiosk and it runs an older version.
- ``GET /api/v1/terminals/self/updates/{version}`` → the bundle's bytes
  (``application/octet-stream``); ``404`` for a version no rollout offers this kiosk.
"""

from __future__ import annotations

import hashlib
import re
import tarfile
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field

UPDATES_PATH = "/terminals/self/updates"  # under API_PREFIX, then /{version}
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PAYLOAD = "payload"
MANIFEST_MAX_BYTES = 64 * 1024
VERSION_PATTERN = r"^\d{1,6}(\.\d{1,6}){1,3}$"
VERSION = re.compile(VERSION_PATTERN)


class BundleInvalid(ValueError):
    """The bundle is not signed by a given key, or not a readable bundle; ``str()`` says which."""


def version_key(version: str) -> tuple[int, ...]:
    """``"0.10.2"`` as ``(0, 10, 2)``, so versions compare number by number."""
    if not VERSION.fullmatch(version):
        raise ValueError(f"{version!r} is not a version like 1.2.3")
    return tuple(int(part) for part in version.split("."))


def is_newer(version: str, than: str) -> bool:
    """True when ``version`` is newer than ``than``; a ``than`` that is no version (``unknown``) is older."""
    if not VERSION.fullmatch(than):
        return True
    return version_key(version) > version_key(than)


def signed_by(keys: Iterable[Ed25519PublicKey], signature: bytes, body: bytes) -> bool:
    """True when one of ``keys`` made ``signature`` over ``body``."""
    for key in keys:
        try:
            key.verify(signature, body)
        except InvalidSignature:
            continue
        return True
    return False


def verify_bundle(path: Path, keys: Iterable[Ed25519PublicKey]) -> bytes:
    """The manifest's bytes of the bundle at ``path`` once its signature is checked.

    Reads ``manifest.json`` and ``manifest.sig`` only; the payload's hashes are the kiosk's
    check (``kiosk.updates.bundle.read_bundle``), made against this signed manifest.
    """
    body = signature = None
    try:
        with tarfile.open(path, "r:") as tar:
            for member in tar:
                if member.name in (MANIFEST, SIGNATURE) and member.isreg() \
                        and member.size <= MANIFEST_MAX_BYTES:
                    source = tar.extractfile(member)
                    assert source is not None  # a regular file
                    if member.name == MANIFEST:
                        body = source.read(MANIFEST_MAX_BYTES)
                    else:
                        signature = source.read(64)
    except (tarfile.TarError, EOFError, OSError) as err:
        raise BundleInvalid(f"not a readable bundle (tar): {type(err).__name__}") from None
    if body is None or signature is None:
        raise BundleInvalid(f"{MANIFEST} or {SIGNATURE} is missing")
    if not signed_by(list(keys), signature, body):
        raise BundleInvalid("the signature is not from a release key")
    return body


def sha256_file(path: Path) -> str:
    """The file's sha256, hex."""
    with path.open("rb") as source:
        return hashlib.file_digest(source, "sha256").hexdigest()


class UpdateOffer(BaseModel):
    """A newer version for this kiosk: fetch it from ``path``, check its size, hash and signature."""

    model_config = ConfigDict(extra="ignore", frozen=True)  # a reply the kiosk reads: newer fields pass

    version: Annotated[str, Field(pattern=VERSION_PATTERN)]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    size: Annotated[int, Field(ge=1)]
    path: str  # under API_PREFIX: UPDATES_PATH/{version}
