"""Choose (选择事项): the site's items as large tiles, most used first."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.messages import MessageId
from kiosk.session.privacy import mask_name
from screens.base import KioskScreen
from screens.widgets import Tile


class ChooseScreen(KioskScreen):
    greeting = StringProperty("")

    def refresh(self) -> None:
        identity = self.session.identity
        greeting = self.say(MessageId.UI_CHOOSE_GREETING, name=mask_name(identity.name)) if identity else ""
        self.greeting = self.glyphs.markup(greeting)
        grid = self.ids.tiles
        grid.clear_widgets()
        for item in self.session.items:
            tile = Tile(icon=item.icon, title=item.name, subtitle=item.department, test_name=f"item-{item.id}")
            tile.bind(on_release=lambda _t, item_id=item.id: self.session.choose(item_id))
            grid.add_widget(tile)

    def clear(self) -> None:
        self.greeting = ""
        self.ids.tiles.clear_widgets()
