"""Errors raised by the kiosk core.

Every ``KioskError`` carries a ``message`` (a ``kiosk.messages.Message``: what to tell the
resident, by id, so it can be translated) and a ``detail`` for technicians (status codes,
file names; never personal data). Screens show ``say(err.message)`` in the resident's
language, never ``str(err)``; ``str(err)`` is the message's default words (for logs and
tests), except for ``ConfigError``, whose ``str()`` is its technician-facing detail.
Driver errors are caught at the boundary and re-raised as these with ``raise ... from err``::

    KioskError
     ├── ConfigError            a configuration file is missing or wrong (technician-facing)
     ├── SessionError           an action that does not fit the session's state
     ├── CardNotAccepted        the card was read but cannot be used (expired, bad number)
     ├── CodeNotAccepted        a scanned QR code is unknown, forged, expired or too long
     ├── OutboxError            the local outbox cannot take or keep a case
     │    └── OutboxFull        the disk is (nearly) full: stop taking cases, call staff
     └── CentreError            talking to the centre failed (raised by kiosk.delivery.centre_client)
          ├── CentreUnreachable no answer: refused, reset, timed out, TLS failed (retry)
          ├── CentreUnavailable the centre answered 5xx, 408 or 429, or garbage (retry)
          ├── CentreRejected    4xx other than 409: the request is wrong (do not retry)
          └── CentreConflict    409: the key is known with another body (do not retry)
               └── SlotTaken    the appointment slot filled up or began meanwhile: offer another

``CentreError.retryable`` says whether sending the same request again may succeed.
"""

from __future__ import annotations

from kiosk.messages import Message, MessageId, say


class KioskError(Exception):
    """Base of every error the kiosk core raises: a resident message and a technician detail."""

    default_message = MessageId.CONFIGURATION_BROKEN

    def __init__(self, message: Message | MessageId | None = None, *, detail: str = "") -> None:
        if message is None:
            message = self.default_message
        self.message = Message(message) if isinstance(message, MessageId) else message
        self.detail = detail  # technician-facing: status code, exception text; no personal data
        super().__init__(say(self.message))


class ConfigError(KioskError):
    """A configuration file is missing or invalid; ``str()`` names the file and key."""

    def __init__(self, detail: str) -> None:
        super().__init__(MessageId.CONFIGURATION_BROKEN, detail=detail)

    def __str__(self) -> str:
        return self.detail


class SessionError(KioskError):
    """An action that does not fit the session's current state."""

    default_message = MessageId.STEP_EXPIRED


class CardNotAccepted(KioskError):
    """The card (or a login code) was read but cannot be used for a case."""

    default_message = MessageId.CARD_INCOMPLETE


class CodeNotAccepted(KioskError):
    """A scanned QR code cannot be used; ``reason`` says why (see ``kiosk.session.scanned_codes``)."""

    def __init__(self, message: Message | MessageId, *, reason: str = "unknown") -> None:
        super().__init__(message)
        self.reason = reason


class OutboxError(KioskError):
    """The local outbox cannot take or keep a case."""

    default_message = MessageId.OUTBOX_FAULT


class OutboxFull(OutboxError):
    """The disk cannot take another case; nothing already stored is lost."""

    default_message = MessageId.OUTBOX_FULL


class CentreError(KioskError):
    """Talking to the centre failed; ``retryable`` says whether to try again later."""

    retryable: bool = True
    default_message = MessageId.CENTRE_UNREACHABLE


class CentreUnreachable(CentreError):
    """No answer from the centre: refused, reset, timed out or TLS failed."""


class CentreUnavailable(CentreError):
    """The centre answered with a server error (5xx, 408, 429) or an unreadable body."""


class CentreRejected(CentreError):
    """The centre refused the request (4xx other than 409); sending it again will not help."""

    retryable = False
    default_message = MessageId.CENTRE_REJECTED

    def __init__(self, message: Message | MessageId | None = None, *, detail: str = "", status_code: int = 400) -> None:
        super().__init__(message, detail=detail)
        self.status_code = status_code


class CentreConflict(CentreError):
    """409: the centre holds this idempotency key with a different body."""

    retryable = False
    default_message = MessageId.CENTRE_CONFLICT


class SlotTaken(CentreConflict):
    """The slot chosen for a counter appointment cannot be had any more (full, begun, or no
    longer in the counter's hours); ``reason`` is the centre's code. Offer the next slot."""

    default_message = MessageId.APPOINTMENT_SLOT_TAKEN

    def __init__(self, *, reason: str, detail: str = "") -> None:
        super().__init__(detail=detail)
        self.reason = reason
