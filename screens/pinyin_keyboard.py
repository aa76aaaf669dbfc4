"""An on-screen pinyin keyboard with a candidate bar: no system input method on a kiosk.

The resident types letters (shown split into syllables above the bar, ``zhang'w``); the bar
shows as many candidates as fit (``kiosk.pinyin``), with buttons for the previous and next
pages; tapping one adds it to ``value`` and keeps the letters it did not use. Backspace takes
a letter back while any are pending, else a committed character. ``123`` switches to digits
and the symbols addresses need; ``ABC`` back. Use as ``PinyinKeyboard:`` in a .kv rule and bind
to ``value``; ``names: True`` for a name field, ``allow_middle_dot: True`` for the ``·`` key.
``room``: the height its place on the screen gives it (elder landscape has less than the keys
want): the bar and the keys shrink to fit, never below the mode's smallest touch target.
"""

from __future__ import annotations

from collections.abc import Callable

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, OptionProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.messages import MessageId
from kiosk.pinyin.engine import Candidate, pinyin_engine
from kiosk.pinyin.keys import ADDRESS_KEYS, DIGIT_ROW, LETTER_ROWS, MAX_LETTERS, MIDDLE_DOT, key_name
from screens.widgets import KButton

FIRST_FETCH = 60  # candidates asked for at first; paging past them asks for twice as many
KEY_SPACING = 10
KEY_TALL, BAR_TALL = 0.85, 0.9  # key and candidate-bar heights, as parts of a button's
LETTERS_TALL = 1.4  # the typed letters' line, in title sizes
PADDING, SPACING = 12, 10  # the keyboard's own (pinyin_keyboard.kv)
SMALLEST_KEY = 0.55  # of a button's height: 66 px standard, 86 px elder (targets ≥ 44 / 60)


def key_scale(room: float, button_height: float, title: float, key_rows: int) -> float:
    """How much the bar and keys shrink (1: not at all) for the keyboard to fit in ``room``."""
    if room <= 0:
        return 1.0
    fixed = 2 * PADDING + 2 * SPACING + title * LETTERS_TALL + KEY_SPACING * (key_rows - 1)
    wanted = button_height * (BAR_TALL + KEY_TALL * key_rows)
    return max(SMALLEST_KEY / KEY_TALL, min(1.0, (room - fixed) / wanted))


class CandidateButton(KButton):
    """One candidate in the bar; ``candidate`` is its plain text (``text`` may be markup)."""

    candidate = StringProperty("")
    index = NumericProperty(0)


class PinyinKeyboard(BoxLayout):
    value = StringProperty("")
    letters = StringProperty("")
    segmented = StringProperty("")  # the letters as split for display
    max_length = NumericProperty(40)
    allow_middle_dot = BooleanProperty(False)
    names = BooleanProperty(False)
    layer = OptionProperty("letters", options=["letters", "digits"])
    has_previous = BooleanProperty(False)
    has_next = BooleanProperty(False)
    room = NumericProperty(0)  # the height it may take; 0: as tall as its keys want
    scale = NumericProperty(1.0)  # of the bar's and keys' heights (``key_scale``)

    def __init__(self, **kwargs: object) -> None:
        self._candidates: list[Candidate] = []
        self._fetched = FIRST_FETCH
        self._page_starts = [0]
        self._page_end = 0
        self._lay_out_soon = Clock.create_trigger(lambda _dt: self._lay_out_page(), 0)
        super().__init__(**kwargs)

    def on_kv_post(self, _base_widget: Widget) -> None:
        self._build_keys()
        self.ids.bar.bind(size=lambda *_: self._lay_out_soon())
        app = App.get_running_app()
        app.theme.bind(scale=lambda *_: self._lay_out_soon())
        app.theme.bind(button_height=lambda *_: self._fit())
        if hasattr(app, "language"):
            app.bind(language=lambda *_: self._build_keys())

    # What the keys do --------------------------------------------------------------------

    def type_letter(self, letter: str) -> None:
        if len(self.letters) < MAX_LETTERS:
            self.letters += letter

    def type_text(self, text: str) -> None:
        """A digit or symbol: commits the pending letters (first candidates) first."""
        while self.letters and self._candidates:
            self.choose(0)
        self._commit(text)

    def backspace(self) -> None:
        if self.letters:
            self.letters = self.letters[:-1]
        else:
            self.value = self.value[:-1]

    def clear(self) -> None:
        self.letters = ""
        self.value = ""

    def toggle_layer(self) -> None:
        self.layer = "digits" if self.layer == "letters" else "letters"

    def choose(self, index: int) -> None:
        """Commit candidate ``index`` and keep the letters it did not use."""
        if index >= len(self._candidates):
            return
        chosen = self._candidates[index]
        remaining = self.letters[chosen.consumed :]
        self._commit(chosen.text)
        self.letters = remaining

    def next_page(self) -> None:
        if self.has_next:
            self._page_starts.append(self._page_end)
            self._lay_out_page()

    def previous_page(self) -> None:
        if len(self._page_starts) > 1:
            self._page_starts.pop()
            self._lay_out_page()

    def _commit(self, text: str) -> None:
        room = int(self.max_length) - len(self.value)
        if room > 0:
            self.value += text[:room]

    # Candidates --------------------------------------------------------------------------

    def on_letters(self, _instance: object, letters: str) -> None:
        engine = pinyin_engine(names=self.names)
        self.segmented = "'".join(engine.segment(letters))
        self._fetched = FIRST_FETCH
        self._candidates = engine.candidates(letters, limit=self._fetched) if letters else []
        self._page_starts = [0]
        self._lay_out_page()

    def on_names(self, _instance: object, _names: bool) -> None:
        self.on_letters(self, self.letters)

    def _candidate_width(self, text: str) -> float:
        theme = App.get_running_app().theme
        return float(max(theme.button_height * 0.9, len(text) * theme.title * 1.05 + 48))

    def _lay_out_page(self) -> None:
        """Fill the bar from the current page's first candidate with as many as fit."""
        bar = self.ids.bar
        bar.clear_widgets()
        start = self._page_starts[-1]
        room = bar.width
        index = start
        glyphs = getattr(App.get_running_app(), "glyphs", None)
        while True:
            if index >= len(self._candidates) and len(self._candidates) == self._fetched:
                self._fetched *= 2  # every character of a syllable is reachable by paging
                self._candidates = pinyin_engine(names=self.names).candidates(self.letters, limit=self._fetched)
            if index >= len(self._candidates):
                break
            text = self._candidates[index].text
            width = self._candidate_width(text)
            if index > start and width > room:
                break
            button = CandidateButton(
                candidate=text, index=index, text=glyphs.markup(text) if glyphs else text,
                markup=glyphs is not None, test_name=f"candidate-{index - start}",
                size_hint_x=None, width=min(width, bar.width), tall=BAR_TALL * self.scale,
            )
            button.bind(on_release=lambda b: self.choose(b.index))
            bar.add_widget(button)
            room -= width + KEY_SPACING
            index += 1
        self._page_end = index
        self.has_previous = len(self._page_starts) > 1
        self.has_next = index < len(self._candidates)

    # Keys --------------------------------------------------------------------------------

    def on_room(self, _instance: object, _room: float) -> None:
        self._fit()

    def on_scale(self, _instance: object, _scale: float) -> None:
        self._build_keys()
        self._lay_out_soon()

    def _key_rows(self) -> int:
        return len(LETTER_ROWS) + 1 if self.layer == "letters" else 3  # the bottom row too

    def _fit(self) -> None:
        theme = App.get_running_app().theme
        self.scale = key_scale(self.room, theme.button_height, theme.title, self._key_rows())

    def on_layer(self, _instance: object, _layer: str) -> None:
        self._fit()
        self._build_keys()

    def on_allow_middle_dot(self, _instance: object, _allow: bool) -> None:
        self._build_keys()

    def _build_keys(self) -> None:
        if "key_rows" not in self.ids:
            return
        keys = self.ids.key_rows
        keys.clear_widgets()
        rows: list[list[tuple[str, Callable[[str], None]]]]
        if self.layer == "letters":
            rows = [[(c, self.type_letter) for c in row] for row in LETTER_ROWS]
        else:
            rows = [[(c, self.type_text) for c in DIGIT_ROW], [(k, self.type_text) for k in ADDRESS_KEYS]]
        for number, row in enumerate(rows):
            line = BoxLayout(spacing=KEY_SPACING, size_hint_y=None)
            line.bind(minimum_height=line.setter("height"))
            indent = (len(rows[0]) - len(row)) / 2 if self.layer == "letters" and number == 1 else 0
            if indent:
                line.add_widget(Widget(size_hint_x=indent))
            for key, action in row:
                line.add_widget(self._key(key, f"key-{key_name(key)}", action, factor=max(1.0, len(key) * 0.75)))
            if number == len(rows) - 1:
                delete = App.get_running_app().say(MessageId.UI_KEYPAD_DELETE)  # wide: "Delete" on one line
                line.add_widget(self._key(delete, "key-back", lambda _k: self.backspace(), factor=2.5))
            elif indent:
                line.add_widget(Widget(size_hint_x=indent))
            keys.add_widget(line)
        bottom = BoxLayout(spacing=KEY_SPACING, size_hint_y=None)
        bottom.bind(minimum_height=bottom.setter("height"))
        toggle = "123" if self.layer == "letters" else "ABC"
        bottom.add_widget(self._key(toggle, "key-layer", lambda _k: self.toggle_layer(), factor=2))
        if self.allow_middle_dot:
            bottom.add_widget(self._key(MIDDLE_DOT, "key-dot", self.type_text, factor=1.5))
        app = App.get_running_app()
        bottom.add_widget(self._key(app.say(MessageId.UI_KEYPAD_CLEAR), "key-clear", lambda _k: self.clear(), factor=2))
        keys.add_widget(bottom)

    def _key(self, label: str, test_name: str, action: Callable[[str], None], factor: float = 1.0) -> KButton:
        button = KButton(text=label, test_name=test_name, size_hint_x=factor, tall=KEY_TALL * self.scale, factor=1.15)
        button.bind(on_release=lambda _b: action(label))
        return button
