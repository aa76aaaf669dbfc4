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
     ├── OutboxError            the local outbox cannot take or keep a case
     │    └── OutboxFull        the disk is (nearly) full: stop taking cases, call staff
     └── CentreError            talking to the centre failed (raised by kiosk.centre_client)
          ├── CentreUnreachable no answer: refused, reset, timed out, TLS failed (retry)
          ├── CentreUnavailable the centre answered 5xx, 408 or 429, or garbage (retry)
          ├── CentreRejected    4xx other than 409: the request is wrong (do not retry)
          └── CentreConflict    409: the key is known with another body (do not retry)

``CentreError.retryable`` says whether sending the same request again may succeed.
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


class OutboxError(KioskError):
    """The local outbox cannot take or keep a case."""


class OutboxFull(OutboxError):
    """The disk cannot take another case; nothing already stored is lost."""

    def __init__(self, message: str = "本机存储空间不足，暂停受理，请联系工作人员") -> None:
        super().__init__(message)


class CentreError(KioskError):
    """Talking to the centre failed; ``retryable`` says whether to try again later."""

    retryable: bool = True

    def __init__(
        self, message: str = "暂时无法连接服务中心，您的办件已安全保存，将自动补发",
        *, detail: str = "",
    ) -> None:
        super().__init__(message)
        self.detail = detail  # technician-facing: status code, exception text; no personal data


class CentreUnreachable(CentreError):
    """No answer from the centre: refused, reset, timed out or TLS failed."""


class CentreUnavailable(CentreError):
    """The centre answered with a server error (5xx, 408, 429) or an unreadable body."""


class CentreRejected(CentreError):
    """The centre refused the request (4xx other than 409); sending it again will not help."""

    retryable = False

    def __init__(
        self, message: str = "服务中心未接收该办件，请联系工作人员", *, detail: str = "",
        status_code: int = 400,
    ) -> None:
        super().__init__(message, detail=detail)
        self.status_code = status_code


class CentreConflict(CentreError):
    """409: the centre holds this idempotency key with a different body."""

    retryable = False

    def __init__(
        self, message: str = "服务中心已有编号相同但内容不同的办件，请联系工作人员",
        *, detail: str = "",
    ) -> None:
        super().__init__(message, detail=detail)
