"""Words on paper in the resident's language: the receipt, the pending notice and the slip
are printed in the language the session was in, as the screens were shown.

The catalogue's and the site's texts (an item's name, the site's name) are given as
``CatalogText`` and come out translated where the catalogue has them; a resident's name and
numbers are printed as they are (masked by the caller).
"""

from __future__ import annotations

from dataclasses import dataclass

from drivers.printer.document import Align, Text
from kiosk.messages import Message, MessageId, Param, catalog_text, message, say


@dataclass(frozen=True)
class PaperWords:
    """Printed lines in one ``language``."""

    language: str

    def __call__(self, message_id: MessageId, **params: Param) -> str:
        return say(message(message_id, **params), self.language)

    def line(self, message_id: MessageId, bold: bool = False, align: Align = Align.LEFT, **params: Param) -> Text:
        return Text(self(message_id, **params), bold=bold, align=align)

    def say(self, msg: Message) -> str:
        return say(msg, self.language)

    def catalogue(self, text: str) -> str:
        """A catalogue's or site's text (zh-Hans as written there) in this language."""
        return catalog_text(text, self.language)
