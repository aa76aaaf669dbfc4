"""The interface every receipt-printer driver implements.

``print_document`` blocks until the job is on paper or has failed, and raises
``PaperOut``, ``CoverOpen``, ``CutterError``, ``DeviceNotFound`` or ``DeviceTimeout`` when it
fails. ``status.paper`` tracks the supply (full/low/out).
"""

from __future__ import annotations

from drivers.device import Device
from drivers.printer.document import Document


class ReceiptPrinter(Device):
    """A receipt printer."""

    def print_document(self, document: Document) -> None:
        raise NotImplementedError
