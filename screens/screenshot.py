"""A PNG of what the kiosk's screen shows now, for the console's remote ``screenshot`` command.

The terminal calls the hook between residents (``kiosk.maintenance.remote``) from its pumping
thread, which is the UI's, so the window's root can be drawn into an offscreen buffer
(``Widget.export_as_image``) here and encoded in memory: no file is written.
"""

from __future__ import annotations

import io

from kivy.core.image import Image as CoreImage
from kivy.uix.widget import Widget


def screen_png(root: Widget) -> bytes | None:
    """The PNG bytes of ``root`` as drawn now; None when it cannot be drawn (no size yet)."""
    if root.width <= 0 or root.height <= 0:
        return None
    image: CoreImage = root.export_as_image()
    buffer = io.BytesIO()
    image.save(buffer, fmt="png")
    return buffer.getvalue() or None
