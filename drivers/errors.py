"""Errors raised by device drivers.

Every driver raises only these (or subclasses), never a pyserial or socket exception;
``kiosk`` translates them into its own errors at its boundary::

    DriverError
     ├── UnsupportedBackend   the configured URL names no driver we have
     ├── DeviceNotFound       the port or device cannot be opened (unplugged, wrong path)
     ├── DeviceTimeout        the device did not answer within the command's time limit
     ├── ProtocolError        bytes on the wire that break the protocol (checksum, length)
     │    ├── FrameChecksumError   a frame's check byte does not match its contents
     │    └── FrameLengthError     a frame's length field is impossible or disagrees with it
     └── DeviceFault          the device answered and reported a fault of its own
          ├── CardReadFailed  the card could not be found, selected or read
          │    ├── NoCard            no card in the reader's field (or it left mid-read)
          │    └── CardDataInvalid   the card was read but its data fails validation
          ├── SamFault        the ID-card reader's security module (SAM) is faulty or not authorised
          ├── PaperOut        the printer has no paper (before or during a job)
          ├── CoverOpen       the printer cover is open
          └── CutterError     the auto-cutter failed
"""

from __future__ import annotations


class DriverError(Exception):
    """Base of every error a driver raises."""


class UnsupportedBackend(DriverError):
    """The device URL names a backend that no driver implements."""


class DeviceNotFound(DriverError):
    """The device or its port cannot be opened."""


class DeviceTimeout(DriverError):
    """The device did not answer in time."""


class ProtocolError(DriverError):
    """The device sent bytes that break its protocol."""


class DeviceFault(DriverError):
    """The device reported a fault of its own."""


class CardReadFailed(DeviceFault):
    """The ID card could not be found, selected or read."""


class FrameChecksumError(ProtocolError):
    """A frame's check byte does not match its contents."""


class FrameLengthError(ProtocolError):
    """A frame's length field is impossible, or its body disagrees with it."""


class NoCard(CardReadFailed):
    """No card is in the reader's field, or the card left it during the read."""


class CardDataInvalid(CardReadFailed):
    """The card was read, but its data fails validation (e.g. the ID number's check digit).

    ``record`` is the decoded record (its ``repr`` is masked) and ``problems`` says what
    failed, in words that carry no personal data.
    """

    def __init__(self, message: str, record: object = None, problems: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.record = record
        self.problems = problems


class SamFault(DeviceFault):
    """The ID-card reader's security module (SAM) failed its self-test or is not authorised."""


class PaperOut(DeviceFault):
    """The printer has run out of paper."""


class CoverOpen(DeviceFault):
    """The printer cover is open."""


class CutterError(DeviceFault):
    """The printer's auto-cutter failed."""
