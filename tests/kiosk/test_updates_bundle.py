"""The signed bundle: made by the release tool, refused by the kiosk when it cannot be trusted.

Real tars, real signatures, real wheels; a refused bundle leaves nothing behind and changes
nothing (no slot, no staged version, ``current`` where it was), and its reason is kept.
"""

from __future__ import annotations

import io
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.config.settings import load_config
from kiosk.errors import ConfigError
from kiosk.updates import bundle as bundle_format
from kiosk.updates import state
from kiosk.updates.bundle import Manifest, make_bundle, read_bundle
from kiosk.updates.errors import BundleRefused, UpdateError
from kiosk.updates.install import apply_bundle
from kiosk.updates.slots import Slots
from tests.kiosk.kiosk_support import write_config
from tests.kiosk.updates_support import fake_wheel, first_install, kiosk_command, new_key, updates_config

NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def now() -> datetime:
    return NOW


@pytest.fixture
def signed(tmp_path: Path):  # type: ignore[no-untyped-def]
    key, public = new_key()
    wheel = fake_wheel(tmp_path / "wheels", "0.2.0")
    out = tmp_path / "gov-kiosk-0.2.0.bundle"
    make_bundle([wheel], key, out, outbox_schema=2, migrations=["outbox 1->2"], now=NOW)
    return out, key, public


def _read(path: Path, public: str, tmp_path: Path, running: str | None = "0.1.0", outbox_schema: int = 2) -> Manifest:
    from contract.qr_codes import load_public_key

    return read_bundle(path, [load_public_key(public)], running=running, outbox_schema=outbox_schema,
                       into=tmp_path / "incoming")


def _rewrite(source: Path, target: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """Copy the tar at ``source`` to ``target``, passing each (info, data) through ``change``."""
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for info in old:
            data = old.extractfile(info).read()  # type: ignore[union-attr]
            for out_info, out_data in change(info, data):
                out_info.size = len(out_data)
                new.addfile(out_info, io.BytesIO(out_data))
    return target


def test_a_signed_bundle_reads_back_with_its_manifest_and_wheels(signed, tmp_path: Path) -> None:
    path, _key, public = signed
    manifest = _read(path, public, tmp_path)
    assert manifest.version == "0.2.0" and manifest.migrations == ("outbox 1->2",)
    assert manifest.kiosk_wheel == "gov_kiosk-0.2.0-py3-none-any.whl"
    assert sorted(p.name for p in (tmp_path / "incoming").iterdir()) == [manifest.kiosk_wheel]
    with tarfile.open(path) as tar:
        assert tar.getnames() == ["manifest.json", "manifest.sig", f"payload/{manifest.kiosk_wheel}"]
        assert {info.uname for info in tar} == {""}  # nothing about the release machine


def test_make_bundle_on_the_command_line(tmp_path: Path) -> None:
    key, _public = new_key()
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    key_file = tmp_path / "release.pem"
    key_file.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    wheel = fake_wheel(tmp_path / "wheels", "0.3.1")
    done = kiosk_command("update", "make-bundle", str(wheel), "--key", str(key_file), "--out", str(tmp_path / "b"))
    assert done.returncode == 0, done.stderr
    assert "gov-kiosk 0.3.1, 1 wheel(s), signed" in done.stdout
    no_kiosk = kiosk_command("update", "make-bundle", str(key_file), "--key", str(key_file),
                             "--out", str(tmp_path / "c"))
    assert no_kiosk.returncode == 1 and "exactly one gov_kiosk-<version>-*.whl" in no_kiosk.stderr


def test_a_signature_from_another_key_is_refused(signed, tmp_path: Path) -> None:
    path, _key, _public = signed
    _other, other_public = new_key()
    with pytest.raises(BundleRefused, match="signature is not from a key in \\[updates\\] public_keys"):
        _read(path, other_public, tmp_path)
    assert not (tmp_path / "incoming").exists()


def test_a_tampered_wheel_is_refused(signed, tmp_path: Path) -> None:
    path, _key, public = signed

    def tamper(info, data):  # type: ignore[no-untyped-def]
        yield info, (data + b"\0" if info.name.startswith("payload/") else data)

    with pytest.raises(BundleRefused, match="payload does not match the signed manifest"):
        _read(_rewrite(path, tmp_path / "tampered", tamper), public, tmp_path)
    assert not (tmp_path / "incoming").exists()


def test_a_changed_manifest_breaks_the_signature(signed, tmp_path: Path) -> None:
    path, _key, public = signed

    def newer(info, data):  # type: ignore[no-untyped-def]
        yield info, (data.replace(b'"0.2.0"', b'"9.0.0"') if info.name == "manifest.json" else data)

    with pytest.raises(BundleRefused, match="signature"):
        _read(_rewrite(path, tmp_path / "forged", newer), public, tmp_path)


@pytest.mark.parametrize("name", ["../evil.whl", "payload/../../evil.whl", "/etc/evil.whl", "payload/sub/x.whl",
                                  "notes.txt"])
def test_members_that_leave_the_bundle_or_do_not_belong_are_refused(signed, tmp_path: Path, name: str) -> None:
    path, key, public = signed

    def add(info, data):  # type: ignore[no-untyped-def]
        yield info, data
        if info.name == "manifest.sig":
            yield tarfile.TarInfo(name), b"x"

    with pytest.raises(BundleRefused, match="points outside the bundle|does not belong in a bundle"):
        _read(_rewrite(path, tmp_path / "evil", add), public, tmp_path)
    assert not (tmp_path / "incoming").exists() and not (tmp_path.parent / "evil.whl").exists()


def test_links_are_refused(signed, tmp_path: Path) -> None:
    path, _key, public = signed

    def link(info, data):  # type: ignore[no-untyped-def]
        yield info, data
        if info.name == "manifest.sig":
            symlink = tarfile.TarInfo("payload/link.whl")
            symlink.type, symlink.linkname = tarfile.SYMTYPE, "/etc/shadow"
            yield symlink, b""

    with pytest.raises(BundleRefused, match="not a plain file"):
        _read(_rewrite(path, tmp_path / "linked", link), public, tmp_path)


def test_an_oversize_member_is_refused(signed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _key, public = signed
    monkeypatch.setattr(bundle_format, "MEMBER_MAX_BYTES", 100)  # the real limit is 256 MB; the check is the same
    with pytest.raises(BundleRefused, match="over the 100 allowed"):
        _read(path, public, tmp_path)


def test_a_version_not_newer_than_the_running_one_is_refused(signed, tmp_path: Path) -> None:
    path, _key, public = signed
    for running in ("0.2.0", "0.10.0"):
        with pytest.raises(BundleRefused, match=f"not newer than {running}"):
            _read(path, public, tmp_path, running=running)


def test_a_version_writing_an_older_outbox_is_refused(signed, tmp_path: Path) -> None:
    path, _key, public = signed
    with pytest.raises(BundleRefused, match="writes outbox format 2, older than this kiosk's 3"):
        _read(path, public, tmp_path, outbox_schema=3)


def test_a_file_that_is_not_a_tar_is_refused(tmp_path: Path) -> None:
    _key, public = new_key()
    junk = tmp_path / "junk"
    junk.write_bytes(b"not a tar at all" * 100)
    with pytest.raises(BundleRefused, match="not a readable bundle"):
        _read(junk, public, tmp_path)


def test_a_refused_apply_changes_nothing_and_keeps_the_reason(signed, tmp_path: Path) -> None:
    path, _key, _public = signed
    _other, other_public = new_key()
    config = load_config(updates_config(tmp_path, other_public))
    root = config.updates.root
    first_install(root, "0.1.0", tmp_path)
    with pytest.raises(UpdateError, match="signature"):
        apply_bundle(path, config.updates, now)
    slots = Slots(root)
    assert (slots.current, slots.previous, slots.installed()) == ("0.1.0", None, ["0.1.0"])
    after = state.read(root)
    assert after.staged is None and after.trial is None
    assert [r["action"] for r in after.reports] == ["update.refused"]
    assert "signature" in after.reports[0]["detail"]
    assert sorted(p.name for p in root.iterdir() if not p.name.startswith(".update")) == [
        "current", "update-state.json", "versions"]


def test_updates_keys_are_checked_with_file_and_key_named(tmp_path: Path) -> None:
    path = write_config(tmp_path, {"updates.public_keys": ["not-a-key"]})
    with pytest.raises(ConfigError, match=r"kiosk.toml: \[updates\] public_keys: 'not-a-key' is not a base64"):
        load_config(path)
    path = write_config(tmp_path, {"updates.public_keys": [], "updates.colour": "red"})
    with pytest.raises(ConfigError, match=r"\[updates\] colour: unknown key"):
        load_config(path)


def test_no_configured_key_refuses_every_bundle(signed, tmp_path: Path) -> None:
    path, _key, _public = signed
    config = load_config(write_config(tmp_path, {"updates.root": str(tmp_path / "opt")}))
    assert config.updates.public_keys == ()
    with pytest.raises(BundleRefused, match="no key to check updates with"):
        apply_bundle(path, config.updates, now)
