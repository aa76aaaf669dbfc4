"""The interface every ID-card reader driver implements.

A reader polls for a card by itself once opened and reports through events:
``CardRead`` when a card has been read, ``CardRemoved`` when it leaves the field,
``DeviceErrorEvent`` when a read fails. ``status.media`` says whether a card is present.
"""

from __future__ import annotations

from drivers.device import Device


class IdCardReader(Device):
    """A second-generation ID-card reader."""
