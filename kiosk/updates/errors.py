"""Errors of signed updates; ``str()`` is a technician's sentence (a resident never sees these)::

    KioskError
     └── UpdateError          an update cannot be made, read, installed or switched to
          ├── BundleRefused   bad signature, tampered or unsafe member, too big, not newer
          └── InstallFailed   the new version could not be installed into its slot
"""

from __future__ import annotations

from kiosk.errors import KioskError
from kiosk.messages import MessageId


class UpdateError(KioskError):
    """An update cannot be used; ``str()`` says why in a technician's words."""

    def __init__(self, detail: str) -> None:
        super().__init__(MessageId.UNDER_MAINTENANCE, detail=detail)

    def __str__(self) -> str:
        return self.detail


class BundleRefused(UpdateError):
    """The bundle is not trusted or not usable; nothing was changed."""


class InstallFailed(UpdateError):
    """Installing the new version into its slot failed; the running version is untouched."""
