"""Errors raised by the kiosk core.

``str()`` of every ``KioskError`` is a message a resident can act on, in Chinese; screens
show it as it is. Driver errors are caught at the boundary and re-raised as these with
``raise ... from err``::

    KioskError
     ├── ConfigError            a configuration file is missing or wrong (technician-facing)
     ├── SessionError           an action that does not fit the session's state
     ├── CardNotAccepted        the card was read but cannot be used (expired, bad number)
     ├── CodeNotAccepted        a scanned QR code is unknown, forged, expired or too long
     ├── PrintFailed            the receipt could not be printed (the case is safe)
     └── (outbox and centre errors, defined beside the outbox and the centre client)
"""

from __future__ import annotations


class KioskError(Exception):
    """Base of every error the kiosk core raises; its str() is a resident-facing message."""


class ConfigError(KioskError):
    """A configuration file is missing or invalid; the message names the file and key."""


class SessionError(KioskError):
    """An action that does not fit the session's current state."""


class CardNotAccepted(KioskError):
    """The card was read but cannot be used for a case."""


class CodeNotAccepted(KioskError):
    """A scanned QR code cannot be used; ``reason`` says why (see ``kiosk.qr_payload``)."""

    def __init__(self, message: str, *, reason: str = "unknown") -> None:
        super().__init__(message)
        self.reason = reason


class PrintFailed(KioskError):
    """The receipt could not be printed; the case itself is safe in the outbox."""
