"""Errors raised by device drivers.

Every driver raises only these (or subclasses), never a pyserial or socket exception;
``kiosk`` translates them into its own errors at its boundary::

    DriverError
     ├── UnsupportedBackend   the configured URL names no driver we have
     ├── DeviceNotFound       the port or device cannot be opened (unplugged, wrong path)
     ├── DeviceTimeout        the device did not answer within the command's time limit
     ├── ProtocolError        bytes on the wire that break the protocol (checksum, length)
     └── DeviceFault          the device answered and reported a fault of its own
          ├── CardReadFailed  the card could not be found, selected or read
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


class PaperOut(DeviceFault):
    """The printer has run out of paper."""


class CoverOpen(DeviceFault):
    """The printer cover is open."""


class CutterError(DeviceFault):
    """The printer's auto-cutter failed."""
