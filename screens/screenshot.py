"""What the kiosk's screen shows now, as an image: for the console's remote ``screenshot``
command, the demo's pictures and the tests' renders.

The screens paint no background of their own: the window is cleared to the theme's
background (``Theme.clear_window_to_background``). ``Widget.export_as_image`` clears its offscreen buffer to
transparent black instead, so the window's colour is laid under the root while it is drawn.
The terminal calls ``screen_png`` between residents from its pumping thread, which is the
UI's; it is encoded in memory: no file is written.
"""

from __future__ import annotations

import io
from pathlib import Path

from kivy.core.image import Image as CoreImage
from kivy.graphics import Color, InstructionGroup, Rectangle
from kivy.uix.widget import Widget


def screen_image(root: Widget) -> CoreImage:
    """``root`` as the window shows it: drawn offscreen over the window's clear colour."""
    from kivy.core.window import Window  # here: importing it makes the window, which must wait for the config

    backdrop = InstructionGroup()
    backdrop.add(Color(*Window.clearcolor))
    backdrop.add(Rectangle(pos=root.pos, size=root.size))
    root.canvas.before.insert(0, backdrop)
    try:
        return root.export_as_image()
    finally:
        root.canvas.before.remove(backdrop)


def save_screen(root: Widget, path: Path | str) -> None:
    """``root`` as the window shows it, to a PNG file at ``path``."""
    screen_image(root).save(str(path), flipped=False)


def screen_png(root: Widget) -> bytes | None:
    """The PNG bytes of ``root`` as drawn now; None when it cannot be drawn (no size yet)."""
    if root.width <= 0 or root.height <= 0:
        return None
    buffer = io.BytesIO()
    screen_image(root).save(buffer, fmt="png")
    return buffer.getvalue() or None
