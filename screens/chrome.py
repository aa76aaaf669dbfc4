"""The frame around every screen: header, help line, countdown bar, footer, developer panel."""

from __future__ import annotations

from collections.abc import Callable

from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from screens.widgets import KButton


class Header(BoxLayout):
    title = StringProperty("")
    site_name = StringProperty("")
    clock_text = StringProperty("")
    elder_mode = BooleanProperty(False)
    elder_action = ObjectProperty(None)
    show_elder = BooleanProperty(True)  # a resident's setting: hidden in maintenance


class CountdownBar(BoxLayout):
    seconds = NumericProperty(-1)  # -1 while no countdown runs
    continue_action = ObjectProperty(None)


class Footer(BoxLayout):
    show_back = BooleanProperty(True)
    show_home = BooleanProperty(True)
    show_help = BooleanProperty(True)
    back_text = StringProperty("")  # "" says the resident's words; maintenance says its own
    home_text = StringProperty("")
    back_action = ObjectProperty(None)
    home_action = ObjectProperty(None)
    help_action = ObjectProperty(None)
    show_repeat = BooleanProperty(False)  # 再听一遍 and 音量: only where the kiosk speaks
    repeat_action = ObjectProperty(None)
    volume_action = ObjectProperty(None)
    volume_level = StringProperty("mid")  # screens.voice_guide.VOLUME_LEVELS
    compact = BooleanProperty(False)  # upright with five buttons: they fit only in their short words


class DeveloperPanel(BoxLayout):
    """A strip of buttons driving simulated devices (only when the config enables it)."""

    def build(self, controls: list[tuple[str, Callable[[], None]]]) -> None:
        self.clear_widgets()
        for label, action in controls:
            button = KButton(text=label, test_name=f"dev-{label}", factor=0.6, tall=0.5)
            button.bind(on_release=lambda _b, act=action: act())
            self.add_widget(button)
