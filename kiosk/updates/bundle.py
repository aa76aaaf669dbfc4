"""The signed update bundle: what a release makes and a kiosk checks before installing anything.

A bundle is an uncompressed tar holding exactly::

    manifest.json          what the bundle is (below), UTF-8 JSON
    manifest.sig           a detached Ed25519 signature over manifest.json's bytes (64 bytes)
    payload/<name>.whl     the gov-kiosk wheel of the new version, and any wheels it needs

The manifest::

    {"format": 1, "version": "0.2.0", "created_at": "2026-12-02T08:00:00+00:00",
     "payload": {"gov_kiosk-0.2.0-py3-none-any.whl": "<sha256 hex>", ...},
     "outbox_schema": 2,            # the outbox file version the new version writes
     "migrations": ["outbox 1->2"]} # the schema migrations it carries (none: [])

``read_bundle`` refuses, before anything is installed: a signature no configured key made; a
member that is not a plain file, whose name leaves its folder (``../``, absolute, links) or is
not one of the three kinds above; a member over ``MEMBER_MAX_BYTES`` (or all of them over
``BUNDLE_MAX_BYTES``, or more than ``MEMBERS_MAX`` of them); a payload file whose
sha256 differs from the manifest's, or one missing or extra; a version not newer than the
running one; an outbox schema older than the one on this kiosk (it would refuse the outbox).
Versions are plain dotted numbers (``0.2.0``), compared number by number.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import tarfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

# The names, versions and signature check the centre shares (it checks uploads the same way).
from contract.update_bundles import MANIFEST, MANIFEST_MAX_BYTES, PAYLOAD, SIGNATURE, signed_by, version_key
from contract.update_bundles import VERSION as VERSION  # re-exported: slots and install check versions
from kiosk.updates.errors import BundleRefused, UpdateError

FORMAT = 1
MEMBER_MAX_BYTES = 256 * 1024 * 1024
MEMBERS_MAX = 500
BUNDLE_MAX_BYTES = 1024 * 1024 * 1024  # all members together
WHEEL = re.compile(r"^[A-Za-z0-9_.+-]{1,200}\.whl$")
KIOSK_WHEEL = re.compile(r"^gov_kiosk-(?P<version>[0-9.]+)-[^/]+\.whl$")


def wheel_version(name: str) -> str | None:
    """The version in a gov-kiosk wheel's file name, or None when it is another wheel."""
    found = KIOSK_WHEEL.fullmatch(name)
    return found["version"] if found else None


@dataclass(frozen=True)
class Manifest:
    """What a bundle holds and claims, as signed."""

    version: str
    created_at: str
    payload: dict[str, str]  # wheel file name -> sha256 hex
    outbox_schema: int
    migrations: tuple[str, ...] = ()

    @property
    def kiosk_wheel(self) -> str:
        """The gov-kiosk wheel's file name."""
        return next(name for name in self.payload if wheel_version(name) is not None)

    def to_bytes(self) -> bytes:
        return json.dumps(
            {"format": FORMAT, "version": self.version, "created_at": self.created_at,
             "payload": self.payload, "outbox_schema": self.outbox_schema, "migrations": list(self.migrations)},
            indent=1, sort_keys=True,
        ).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        """Parse a (verified) manifest; ``BundleRefused`` says what is wrong with it."""
        try:
            raw = json.loads(data)
            if not isinstance(raw, dict) or raw.get("format") != FORMAT:
                raise ValueError(f"format must be {FORMAT}")
            manifest = cls(
                version=_text(raw, "version"),
                created_at=_text(raw, "created_at"),
                payload=_payload(raw.get("payload")),
                outbox_schema=_whole(raw, "outbox_schema"),
                migrations=tuple(_texts(raw, "migrations")),
            )
            version_key(manifest.version)
            versions = [v for v in map(wheel_version, manifest.payload) if v is not None]
            if versions != [manifest.version]:
                raise ValueError(f"the payload must hold one gov_kiosk-{manifest.version} wheel")
        except ValueError as err:
            raise BundleRefused(f"the bundle's manifest is not usable: {err}") from None
        return manifest


def make_bundle(wheels: Iterable[Path], key: Ed25519PrivateKey, out: Path, *, outbox_schema: int,
                migrations: Iterable[str] = (), now: datetime) -> Manifest:
    """Write a signed bundle of ``wheels`` (one of them gov-kiosk's) to ``out``; return its manifest."""
    wheels = list(wheels)
    versions = [v for v in (wheel_version(w.name) for w in wheels) if v is not None]
    if len(versions) != 1:
        raise UpdateError("make-bundle needs exactly one gov_kiosk-<version>-*.whl among the wheels")
    for wheel in wheels:
        if not WHEEL.fullmatch(wheel.name) or not wheel.is_file():
            raise UpdateError(f"{wheel}: not a wheel file")
    manifest = Manifest(
        version=versions[0],
        created_at=now.isoformat(timespec="seconds"),
        payload={wheel.name: _sha256_file(wheel) for wheel in wheels},
        outbox_schema=outbox_schema,
        migrations=tuple(migrations),
    )
    manifest = Manifest.from_bytes(manifest.to_bytes())  # the same checks a kiosk makes
    body = manifest.to_bytes()
    draft = out.with_name(out.name + ".part")
    with tarfile.open(draft, "w", format=tarfile.PAX_FORMAT) as tar:
        _add_bytes(tar, MANIFEST, body)
        _add_bytes(tar, SIGNATURE, key.sign(body))
        for wheel in wheels:
            tar.add(wheel, arcname=f"{PAYLOAD}/{wheel.name}", recursive=False, filter=_plain)
    draft.replace(out)
    return manifest


def read_bundle(path: Path, keys: Iterable[Ed25519PublicKey], *, running: str | None,
                outbox_schema: int, into: Path) -> Manifest:
    """Check the bundle at ``path`` and unpack its wheels into ``into`` (a new folder).

    Raises ``BundleRefused`` (and leaves no ``into``) when the bundle cannot be trusted or used.
    """
    keys = list(keys)
    if not keys:
        raise BundleRefused("no key to check updates with: set [updates] public_keys in the kiosk configuration")
    into.mkdir(mode=0o700)
    try:
        body, signature, hashes = _unpack(path, into)
        if not signed_by(keys, signature, body):
            raise BundleRefused(f"{path.name}: the signature is not from a key in [updates] public_keys")
        manifest = Manifest.from_bytes(body)
        if hashes != manifest.payload:
            wrong = sorted(set(hashes.items()) ^ set(manifest.payload.items()))
            raise BundleRefused(f"{path.name}: the payload does not match the signed manifest ({wrong[0][0]})")
        if running is not None and version_key(manifest.version) <= version_key(running):
            raise BundleRefused(f"{path.name}: version {manifest.version} is not newer than {running}, which runs now")
        if manifest.outbox_schema < outbox_schema:
            raise BundleRefused(
                f"{path.name}: version {manifest.version} writes outbox format {manifest.outbox_schema}, older "
                f"than this kiosk's {outbox_schema}: it would refuse the outbox"
            )
    except BaseException:
        shutil.rmtree(into, ignore_errors=True)
        raise
    return manifest


def load_signing_key(path: Path) -> Ed25519PrivateKey:
    """The release's Ed25519 key: a PEM file, or the 32-byte raw seed."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UpdateError(f"{path}: the signing key cannot be read ({err.strerror})") from err
    try:
        if data.startswith(b"-----BEGIN"):
            key = load_pem_private_key(data, password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(data)
    except ValueError as err:
        raise UpdateError(f"{path}: not an Ed25519 private key (PEM, or the 32-byte seed)") from err
    if not isinstance(key, Ed25519PrivateKey):
        raise UpdateError(f"{path}: not an Ed25519 private key")
    return key


def _unpack(path: Path, into: Path) -> tuple[bytes, bytes, dict[str, str]]:
    """The manifest's bytes, the signature, and each payload file's sha256 (written under ``into``)."""
    body = signature = None
    hashes: dict[str, str] = {}
    total = 0
    try:
        with tarfile.open(path, "r:") as tar:
            for count, member in enumerate(tar, 1):
                if count > MEMBERS_MAX:
                    raise BundleRefused(f"{path.name}: more than {MEMBERS_MAX} members")
                name = _safe_name(path, member)
                total += member.size
                if total > BUNDLE_MAX_BYTES:
                    raise BundleRefused(f"{path.name}: over {BUNDLE_MAX_BYTES} bytes unpacked")
                source = tar.extractfile(member)
                assert source is not None  # a regular file (checked in _safe_name)
                if name == MANIFEST:
                    body = _small(path, member, source, MANIFEST_MAX_BYTES)
                elif name == SIGNATURE:
                    signature = _small(path, member, source, 64)
                else:
                    wheel = name.removeprefix(PAYLOAD + "/")
                    if wheel in hashes:
                        raise BundleRefused(f"{path.name}: {name} appears twice")
                    hashes[wheel] = _copy(source, into / wheel)
    except (tarfile.TarError, EOFError) as err:
        raise BundleRefused(f"{path.name}: not a readable bundle (tar): {err}") from None
    except OSError as err:
        raise BundleRefused(f"{path.name}: cannot be read: {err.strerror}") from None
    if body is None or signature is None:
        raise BundleRefused(f"{path.name}: {MANIFEST} or {SIGNATURE} is missing")
    return body, signature, hashes


def _safe_name(path: Path, member: tarfile.TarInfo) -> str:
    """The member's name if it is a plain file this format allows, else ``BundleRefused``."""
    name = member.name
    if not member.isreg():
        raise BundleRefused(f"{path.name}: {name!r} is not a plain file (links and devices are refused)")
    parts = name.split("/")
    if name.startswith("/") or ".." in parts or "\\" in name:
        raise BundleRefused(f"{path.name}: {name!r} points outside the bundle")
    if member.size > MEMBER_MAX_BYTES:
        raise BundleRefused(f"{path.name}: {name!r} is {member.size} bytes, over the {MEMBER_MAX_BYTES} allowed")
    if name in (MANIFEST, SIGNATURE) or (len(parts) == 2 and parts[0] == PAYLOAD and WHEEL.fullmatch(parts[1])):
        return name
    raise BundleRefused(f"{path.name}: {name!r} does not belong in a bundle")


def _small(path: Path, member: tarfile.TarInfo, source: IO[bytes], limit: int) -> bytes:
    if member.size > limit:
        raise BundleRefused(f"{path.name}: {member.name} is over {limit} bytes")
    return source.read(limit)


def _copy(source: IO[bytes], target: Path) -> str:
    digest = hashlib.sha256()
    with target.open("xb") as out:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _sha256_file(path: Path) -> str:
    with path.open("rb") as source:
        return hashlib.file_digest(source, "sha256").hexdigest()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = _plain(tarfile.TarInfo(name))
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _plain(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """No owner, no time, mode 0644: a bundle says nothing about the release machine."""
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mtime = 0
    info.mode = 0o644
    return info


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key} must be a non-empty string")
    return value


def _whole(raw: dict[str, Any], key: str) -> int:
    value = raw.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{key} must be a whole number from 1")
    return value


def _texts(raw: dict[str, Any], key: str) -> list[str]:
    value = raw.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key} must be a list of strings")
    return value


def _payload(value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise ValueError("payload must list the wheels with their sha256")
    for name, digest in value.items():
        if not isinstance(name, str) or not WHEEL.fullmatch(name) or "/" in name:
            raise ValueError(f"payload: {name!r} is not a wheel file name")
        if not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise ValueError(f"payload: {name}: the sha256 must be 64 hex digits")
    return dict(value)
