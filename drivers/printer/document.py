"""Device-neutral printed documents.

A document is a sequence of blocks. The layouts (what a receipt says) belong to ``kiosk``;
drivers turn blocks into bytes or pixels. Sizes are multipliers of the printer's base font
(1 = normal, 2 = double width and height), the way ESC/POS ``GS !`` scales.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Align(enum.StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class Text:
    """A paragraph, wrapped to the paper width by the driver.

    ``one_line`` keeps a short text (a case number) on one line: where it would wrap at
    ``size``, the driver narrows the characters (keeping their height) until it fits.
    """

    text: str
    size: int = 1
    bold: bool = False
    align: Align = Align.LEFT
    one_line: bool = False

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
class Image:
    """A 1-bit picture: ``bits`` holds ``height`` rows of ``ceil(width / 8)`` bytes, MSB
    first, a set bit printing black (the ESC/POS raster layout). Build one with
    ``from_pil``."""

    width: int
    height: int
    bits: bytes = field(repr=False)
    align: Align = Align.CENTER

    def __post_init__(self) -> None:
        expected = (self.width + 7) // 8 * self.height
        if self.width <= 0 or self.height <= 0 or len(self.bits) != expected:
            raise ValueError(f"image bits do not fit {self.width}×{self.height}")

    @classmethod
    def from_pil(cls, picture: Any, max_width: int | None = None, align: Align = Align.CENTER) -> Image:
        """Convert a Pillow image (dithered to black and white), shrunk to ``max_width``."""
        from PIL import Image as PilImage

        img = picture.convert("L")
        if max_width is not None and img.width > max_width:
            img = img.resize((max_width, max(1, img.height * max_width // img.width)))
        mono = img.point(lambda v: 255 - v).convert("1")  # white paper is 0, ink is 1
        padded = PilImage.new("1", ((mono.width + 7) // 8 * 8, mono.height), 0)
        padded.paste(mono, (0, 0))
        return cls(mono.width, mono.height, padded.tobytes(), align)


@dataclass(frozen=True)
class Feed:
    """Blank lines."""

    lines: int = 1


@dataclass(frozen=True)
class Cut:
    """Cut the paper (partial where the printer supports only that)."""

    partial: bool = False


Block = Text | Rule | QrCode | Image | Feed | Cut


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
