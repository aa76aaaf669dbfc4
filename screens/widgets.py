"""Widgets every screen uses: text, buttons, tiles, message boxes, a keypad, a QR image.

Each carries a ``test_name`` so the UI tests find it the way a person would find it.
"""

from __future__ import annotations

import io

from kivy.core.image import Image as CoreImage
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, OptionProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image
from kivy.uix.label import Label

from kiosk.printing.qr_image import make_qr
from screens.line_breaking import BreaksLines
from screens.voice_guide import read_back


class KLabel(BreaksLines, Label):
    """A label that wraps to its width and grows to its text's height.

    Say what the text is (``role``: heading, title, body, small, number; ``factor`` to scale
    it) and the class rule picks the size, following elder mode. Never bind ``font_size`` on
    an instance: the class rule's binding would still fire and the two would fight.
    """

    test_name = StringProperty("")
    role = OptionProperty("body", options=["heading", "title", "body", "small", "number"])
    factor = NumericProperty(1.0)


class FlatButton(ButtonBehavior, Label):
    """A button that draws only its text and what its class rule draws under it.

    Kivy's ``Button`` paints a background image over its whole area on every frame, even when
    made transparent; our buttons draw their own shapes, and on a software renderer those
    invisible pixels cost as much as visible ones (``bench resident``).
    """


class KButton(BreaksLines, FlatButton):
    """A large flat button; ``kind`` is ``primary``, ``secondary`` or ``option``.

    The class rule owns size, visibility and enabled state (as for ``KLabel``): instances
    set ``shown``, ``enabled``, ``tall`` (height factor) and ``factor`` (text size factor),
    never ``height``, ``opacity`` or ``disabled``. A button grows to fit wrapped text.
    """

    test_name = StringProperty("")
    kind = StringProperty("secondary")
    selected = BooleanProperty(False)
    shown = BooleanProperty(True)
    enabled = BooleanProperty(True)
    tall = NumericProperty(1.0)
    factor = NumericProperty(1.0)


class Tile(FlatButton):
    """A catalogue item as a large tile: an icon character and the item's name."""

    test_name = StringProperty("")
    icon = StringProperty("")
    title = StringProperty("")
    subtitle = StringProperty("")


class MessageBox(BoxLayout):
    """An error summary (``kind='error'``), a notice (``'notice'``, amber: wait or act) or a
    success (``'ok'``, green: done); hidden while ``text`` is empty."""

    test_name = StringProperty("")
    text = StringProperty("")
    kind = StringProperty("error")
    heading = StringProperty("")
    markup = BooleanProperty(False)  # ``text`` is Kivy markup (escape what it quotes)


class Keypad(BoxLayout):
    """Digits for phone numbers and amounts: no system keyboard on a kiosk."""

    value = StringProperty("")
    max_length = ObjectProperty(20)

    def press(self, key: str) -> None:
        if key == "⌫":
            self.value = self.value[:-1]
        elif key == "clear":
            self.value = ""
        elif len(self.value) < int(self.max_length):
            self.value += key
            read_back(key)


class QrImage(Image):
    """A QR code drawn from text (byte mode, UTF-8, ECI, like our receipts)."""

    data = StringProperty("")

    def on_data(self, _instance: object, data: str) -> None:
        if not data:
            self.texture = None
            return
        buffer = io.BytesIO()
        make_qr(data).save(buffer, kind="png", scale=10, border=4)
        buffer.seek(0)
        texture = CoreImage(buffer, ext="png").texture
        texture.mag_filter = "nearest"
        self.texture = texture
