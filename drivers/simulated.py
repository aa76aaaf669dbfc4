"""What a simulated device offers a developer, as typed protocols.

The ``sim://`` and ``simwire://`` backends of each device satisfy these; real drivers do
not. Code that drives a simulator (the developer panel, the demo, tests) checks with
``isinstance(device, SimulatedCardReader)`` instead of ``hasattr``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from drivers.idcard.record import IdCardRecord


@runtime_checkable
class Pluggable(Protocol):
    def unplug(self) -> None:
        """Pull the cable."""

    def plug_in(self) -> None:
        """Plug the cable back in."""


@runtime_checkable
class SimulatedCardReader(Pluggable, Protocol):
    def place_card(self, record: IdCardRecord) -> None:
        """Put a card on the reader."""

    def remove_card(self) -> None:
        """Take the card away."""

    def fail_read(self, message: str = ...) -> None:
        """Put a card on the reader that cannot be read."""


@runtime_checkable
class SimulatedQrScanner(Pluggable, Protocol):
    def scan(self, text: str) -> None:
        """Present a code to the scanner."""


@runtime_checkable
class SimulatedPrinter(Pluggable, Protocol):
    def set_paper(self, receipts: int) -> None:
        """Load paper for ``receipts`` more receipts (0 empties it)."""

    def set_cover_open(self, is_open: bool) -> None:
        """Open or close the cover."""
