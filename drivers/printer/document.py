"""Device-neutral printed documents.

A document is a sequence of blocks. The layouts (what a receipt says) belong to ``kiosk``;
drivers turn blocks into bytes or pixels. Sizes are multipliers of the printer's base font
(1 = normal, 2 = double width and height), the way ESC/POS ``GS !`` scales.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Align(enum.StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class Text:
    """A paragraph, wrapped to the paper width by the driver."""

    text: str
    size: int = 1
    bold: bool = False
    align: Align = Align.LEFT

    def __post_init__(self) -> None:
        if not 1 <= self.size <= 8:
            raise ValueError(f"text size must be 1..8, not {self.size}")


@dataclass(frozen=True)
class Rule:
    """A horizontal line across the paper."""


@dataclass(frozen=True)
class QrCode:
    """A QR code; ``module`` is the size of one module in dots."""

    data: str
    module: int = 6
    align: Align = Align.CENTER


@dataclass(frozen=True)
class Feed:
    """Blank lines."""

    lines: int = 1


@dataclass(frozen=True)
class Cut:
    """Cut the paper (partial where the printer supports only that)."""

    partial: bool = False


Block = Text | Rule | QrCode | Feed | Cut


@dataclass(frozen=True)
class Document:
    """A printable document; ``kind`` names it for logs and files (e.g. ``"receipt"``)."""

    kind: str
    blocks: tuple[Block, ...]

    def plain_text(self) -> str:
        """The document's text, one block a line; what a reader of the paper would see."""
        lines = []
        for block in self.blocks:
            if isinstance(block, Text):
                lines.append(block.text)
            elif isinstance(block, QrCode):
                lines.append(f"[QR {block.data}]")
        return "\n".join(lines)
