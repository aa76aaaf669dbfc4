"""Voice guidance on the screens (语音播报): what is spoken, and when.

- A screen's main instruction (``KioskScreen.instruction``) is spoken when the screen appears
  and again whenever its words change (an error, a receipt that has printed); the same words
  on the same screen are not repeated on every redraw.
- 再听一遍 (the footer's button) says the last instruction again.
- 音量 (the footer's button beside it) steps the volume 中 → 大 → 小 → 中 for this resident
  (``VOLUME_LEVELS``: half the site's volume, the site's, full) and says the instruction again
  at the new level; the next resident starts at the site's.
- Digits typed on a keypad are read back one by one; an ID number's only through a private
  headset (``kiosk.voice.prompt``: the voice withholds it otherwise).
- A card left on the reader after a session is announced again every ``CARD_LEFT_REPEAT_S``
  until it is taken (the attract screen's instruction says so while it is there).
- A technician's screens say nothing.

Every prompt is also on screen as text; with ``[voice] enabled = false`` the guide still runs
and the voice answers ``disabled``. The app owns one guide (``app.voice_guide``).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from kivy.app import App

from kiosk.voice.prompt import Kind
from kiosk.voice.voice import Utterance, Voice

CARD_LEFT_REPEAT_S = 12.0
VOLUME_LEVELS = ("low", "mid", "high")  # half the site's volume, the site's, full
SPOKEN_KEYS = frozenset("0123456789X")


class VoiceGuide:
    """Speaks the screens' instructions through ``voice``."""

    def __init__(self, voice: Voice, clock: Callable[[], float] = time.monotonic) -> None:
        self.voice = voice
        self.clock = clock
        self.site_volume = voice.volume  # the technician's setting: the 中 level
        self.level = "mid"
        self._said: tuple[str, str, str] | None = None  # (screen, words, language) last spoken
        self._said_at = 0.0

    @property
    def enabled(self) -> bool:
        return self.voice.enabled

    def shown(self, screen: str, words: str, language: str) -> Utterance | None:
        """``screen`` is on display with ``words`` as its instruction: speak them if they are new
        (a screen without words silences the one before)."""
        said = (screen, words, language)
        if said == self._said:
            return None
        self._said, self._said_at = said, self.clock()
        if not words:
            self.voice.stop()
            return None
        return self.voice.say(words, Kind.INSTRUCTION, language)

    def again_if_due(self, every_s: float = CARD_LEFT_REPEAT_S) -> Utterance | None:
        """Say the current instruction again once ``every_s`` has passed since it was said (a
        card left behind, announced until someone takes it)."""
        if self._said is None or not self._said[1] or self.clock() - self._said_at < every_s:
            return None
        self._said_at = self.clock()
        return self.voice.say(self._said[1], Kind.INSTRUCTION, self._said[2])

    def repeat(self) -> Utterance | None:
        """再听一遍: the last prompt again (a typed digit is not worth repeating: the instruction)."""
        if self._said is None or not self._said[1]:
            return None
        self._said_at = self.clock()
        return self.voice.say(self._said[1], Kind.INSTRUCTION, self._said[2])

    def step_volume(self) -> Utterance | None:
        """音量: the next level (中 → 大 → 小 → 中), then the instruction again at it."""
        self.level = VOLUME_LEVELS[(VOLUME_LEVELS.index(self.level) + 1) % len(VOLUME_LEVELS)]
        self.voice.volume = {"low": self.site_volume // 2, "mid": self.site_volume, "high": 100}[self.level]
        return self.repeat()

    def reset_volume(self) -> None:
        """The session ended: the next resident hears the site's volume."""
        self.level, self.voice.volume = "mid", self.site_volume

    def typed(self, key: str, language: str, id_number: bool = False) -> Utterance | None:
        """A key pressed on a keypad: read a digit (or X) back; an ID number's only in private."""
        if key not in SPOKEN_KEYS:
            return None
        return self.voice.say(key, Kind.ID_NUMBER if id_number else Kind.DIGITS, language)

    def close(self) -> None:
        self.voice.close()


def read_back(key: str, id_number: bool = False) -> None:
    """What a keypad calls for each key: the running app's guide reads it back (no app, no voice)."""
    app = App.get_running_app()
    guide = getattr(app, "voice_guide", None)  # a keypad drawn outside the kiosk app has none
    if guide is not None:
        guide.typed(key, app.language, id_number)
