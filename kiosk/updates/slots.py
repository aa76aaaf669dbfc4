"""Versions side by side under the install root, and the two links that say which one runs::

    <root>/versions/0.1.0/   a virtual environment: bin/kiosk, bin/python, lib/...
    <root>/versions/0.2.0/
    <root>/current  -> versions/0.2.0    what the service starts (ExecStart=<root>/current/bin/kiosk)
    <root>/previous -> versions/0.1.0    what a roll back returns to

A link is replaced atomically (a new link under a temporary name, then ``os.replace``), and
the folder synced, so a power cut leaves the old link or the new one, never none. A slot counts
as installed only once its install finished (``.installed`` is written last); a half-made slot
left by a power cut is removed and made again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from kiosk.delivery.private_files import fsync_dir
from kiosk.updates.bundle import VERSION
from kiosk.updates.errors import InstallFailed, UpdateError

CURRENT = "current"
PREVIOUS = "previous"
VERSIONS = "versions"
INSTALL_TIMEOUT_S = 600
INSTALLED = ".installed"  # written last: the slot's install finished


class Slots:
    """The versions installed under ``root`` and the ``current``/``previous`` links."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.versions = self.root / VERSIONS

    def slot(self, version: str) -> Path:
        if not VERSION.fullmatch(version):
            raise UpdateError(f"{version!r} is not a version like 1.2.3")
        return self.versions / version

    @property
    def current(self) -> str | None:
        """The version the service starts, or None before the first install."""
        return self._pointed(CURRENT)

    @property
    def previous(self) -> str | None:
        """The version a roll back returns to, or None."""
        return self._pointed(PREVIOUS)

    def installed(self) -> list[str]:
        if not self.versions.is_dir():
            return []
        return sorted(p.name for p in self.versions.iterdir() if VERSION.fullmatch(p.name) and self.ready(p.name))

    def ready(self, version: str) -> bool:
        """True when ``version``'s slot finished installing."""
        return (self.slot(version) / INSTALLED).is_file()

    def runs_from(self, prefix: str = sys.prefix) -> str | None:
        """The slot's version if ``prefix`` (this interpreter's environment) is one, else None."""
        here = Path(prefix).resolve()
        if here.parent == self.versions.resolve() and VERSION.fullmatch(here.name):
            return here.name
        return None

    def install(self, version: str, wheels_dir: Path, kiosk_wheel: str) -> Path:
        """Make the slot for ``version``: a new venv with the wheels in ``wheels_dir``, no index."""
        slot = self.slot(version)
        if self.ready(version):
            raise InstallFailed(f"version {version} is already installed in {slot}")
        shutil.rmtree(slot, ignore_errors=True)  # a half-made slot from an earlier try
        self.versions.mkdir(parents=True, exist_ok=True)
        try:
            # No pip inside the slot: the running interpreter's pip installs into it (--python).
            _run([sys.executable, "-m", "venv", "--without-pip", str(slot)], "creating the virtual environment")
            _run([sys.executable, "-m", "pip", "--python", str(slot / "bin" / "python"), "install",
                  "--no-index", "--find-links", str(wheels_dir), "--no-cache-dir", "--disable-pip-version-check",
                  "--quiet", str(wheels_dir / kiosk_wheel)], "installing the wheels")
            if not (slot / "bin" / "kiosk").is_file():
                raise InstallFailed(f"version {version} installed no bin/kiosk: is it a gov-kiosk wheel?")
            (slot / INSTALLED).write_text(version + "\n")
        except BaseException:
            shutil.rmtree(slot, ignore_errors=True)
            raise
        fsync_dir(self.versions)
        return slot

    def switch_to(self, version: str) -> str | None:
        """Start ``version`` from now on; the one that was current becomes previous. Returns it."""
        if not self.ready(version):
            raise UpdateError(f"version {version} is not installed under {self.versions}")
        was = self.current
        if was is not None and was != version:
            self._point(PREVIOUS, was)
        self._point(CURRENT, version)
        return was

    def switch_back(self) -> tuple[str, str]:
        """Make ``previous`` current again and forget it as previous; return (from, to)."""
        was, to = self.current, self.previous
        if to is None or not self.ready(to):
            raise UpdateError("there is no previous version to go back to")
        self._point(CURRENT, to)
        (self.root / PREVIOUS).unlink()
        fsync_dir(self.root)
        return (was or "none", to)

    def _pointed(self, name: str) -> str | None:
        try:
            target = os.readlink(self.root / name)
        except (FileNotFoundError, OSError):
            return None
        version = Path(target).name
        return version if VERSION.fullmatch(version) else None

    def _point(self, name: str, version: str) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        draft = self.root / f".{name}.{os.getpid()}.tmp"
        draft.unlink(missing_ok=True)
        os.symlink(f"{VERSIONS}/{version}", draft)
        os.replace(draft, self.root / name)
        fsync_dir(self.root)


def _run(command: list[str], what: str) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise InstallFailed(f"{what} failed: {err}") from err
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise InstallFailed(f"{what} failed (exit {done.returncode}): {last}")

