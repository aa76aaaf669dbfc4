"""``Voice``: what a screen calls to speak a prompt (语音播报). The one interface screens use.

    voice.say("请将身份证放在感应区", kind=Kind.INSTRUCTION, language="zh-Hans")
    voice.say("13812345678", kind=Kind.DIGITS)      # typed digits, read back one by one
    voice.say("张三", kind=Kind.NAME)              # withheld unless private_headset
    voice.repeat()                                  # 再听一遍
    voice.volume = 60                               # 0-100
    voice.prewarm(["请将身份证放在感应区", ...])      # at start-up, in the background

``say`` never blocks the caller and never raises for a prompt that cannot be spoken (the screen
shows every prompt as text anyway): it returns an ``Utterance`` whose ``outcome`` says what
happened. One worker thread renders and plays; a new prompt stops the one playing and
supersedes one still being rendered. A public prompt is looked up in the cache first (a hit is
a file read and the player's start); a miss is rendered, played and stored.

Privacy, enforced here for every engine and player: a ``NAME`` or ``ID_NUMBER`` prompt is
withheld unless ``private_headset``; only ``INSTRUCTION`` prompts are cached on disk or named
in a log line (others appear as ``<digits, 11 characters>``).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable
from enum import StrEnum

from kiosk.voice.cache import RenderCache
from kiosk.voice.engine import SpeechEngine
from kiosk.voice.errors import VoiceError
from kiosk.voice.player import Player
from kiosk.voice.prompt import Kind, Prompt
from kiosk.voice.volume import check_volume, scaled

log = logging.getLogger(__name__)
PREWARM_NICENESS = 10  # added to the prewarm thread's niceness: start-up rendering never slows a screen


class Outcome(StrEnum):
    PENDING = "pending"
    PLAYED = "played"  # handed to the player, which started
    SUPERSEDED = "superseded"  # a newer prompt came first
    WITHHELD = "withheld"  # personal, and no private headset
    DISABLED = "disabled"  # [voice] enabled = false
    FAILED = "failed"  # the engine or player failed (logged)


class Utterance:
    """One ``say``: its prompt and, once ``done`` is set, its ``outcome``."""

    def __init__(self, prompt: Prompt, outcome: Outcome = Outcome.PENDING) -> None:
        self.prompt = prompt
        self.outcome = outcome
        self.from_cache = False
        self.done = threading.Event()
        if outcome is not Outcome.PENDING:
            self.done.set()

    def finish(self, outcome: Outcome) -> None:
        if not self.done.is_set():
            self.outcome = outcome
            self.done.set()

    def wait(self, timeout: float | None = None) -> Outcome:
        """The outcome, once known (``PENDING`` if ``timeout`` passes first)."""
        self.done.wait(timeout)
        return self.outcome


def label(prompt: Prompt) -> str:
    """How a prompt appears in a log line: its words only when it is public."""
    if prompt.kind.public:
        return f"{prompt.kind.value} {prompt.language} {prompt.text!r}"
    return f"<{prompt.kind.value}, {len(prompt.text)} characters>"


class Voice:
    """Speaks prompts through ``engine`` and ``player``, with ``cache`` for public prompts."""

    def __init__(self, engine: SpeechEngine, player: Player, cache: RenderCache | None = None, *,
                 volume: int = 80, private_headset: bool = False, enabled: bool = True) -> None:
        self.engine = engine
        self.player = player
        self.cache = cache
        self.private_headset = private_headset
        self.enabled = enabled
        self._volume = check_volume(volume)
        self._wake = threading.Condition()
        self._pending: Utterance | None = None  # said, not yet taken by the worker
        self._current: Utterance | None = None  # being rendered by the worker
        self._last: Prompt | None = None
        self._closed = False
        self._worker = threading.Thread(target=self._run, name="voice", daemon=True)
        self._worker.start()

    @property
    def volume(self) -> int:
        return self._volume

    @volume.setter
    def volume(self, value: int) -> None:
        self._volume = check_volume(value)

    def say(self, text: str, kind: Kind = Kind.INSTRUCTION, language: str = "zh-Hans") -> Utterance:
        """Speak ``text`` now, stopping any prompt playing; returns at once."""
        prompt = Prompt(text, language, kind)
        if not self.enabled:
            return Utterance(prompt, Outcome.DISABLED)
        if kind.needs_headset and not self.private_headset:
            log.info("voice: withheld %s (no private headset)", label(prompt))
            return Utterance(prompt, Outcome.WITHHELD)
        utterance = Utterance(prompt)
        with self._wake:  # the worker plays under this lock too: the old prompt cannot start after this
            self._silence()
            self._pending = utterance
            self._last = prompt
            self._wake.notify()
        return utterance

    @property
    def last(self) -> Prompt | None:
        """The last prompt given to ``say`` that was not withheld (what 再听一遍 would say)."""
        return self._last

    def repeat(self) -> Utterance | None:
        """Say the last prompt again (再听一遍); None when nothing was said yet."""
        last = self._last
        return None if last is None else self.say(last.text, last.kind, last.language)

    def stop(self) -> None:
        """Stop speaking (the screen went away)."""
        with self._wake:
            self._silence()
            self._pending = None

    def _silence(self) -> None:
        """Supersede the prompt waiting and the one being rendered, stop the one playing (locked)."""
        for utterance in (self._pending, self._current):
            if utterance is not None:
                utterance.finish(Outcome.SUPERSEDED)
        self.player.stop()

    def prewarm(self, texts: Iterable[str], language: str = "zh-Hans") -> threading.Thread:
        """Render the instructions not yet cached, in a background thread (started, returned)."""
        prompts = [Prompt(text, language) for text in texts]
        thread = threading.Thread(target=self._prewarm, args=(prompts,), name="voice-prewarm", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        """Stop speaking and end the worker thread."""
        self.stop()
        with self._wake:
            self._closed = True
            self._wake.notify()
        self._worker.join(timeout=5)

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._pending is None and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                utterance, self._pending = self._pending, None
                self._current = utterance
            assert utterance is not None
            try:
                self._speak(utterance)
            except Exception:  # the worker outlives any one prompt; the traceback names no words
                log.exception("voice: failed on %s", label(utterance.prompt))
                utterance.finish(Outcome.FAILED)
            with self._wake:
                self._current = None

    def _speak(self, utterance: Utterance) -> None:
        prompt = utterance.prompt
        try:
            audio = scaled(self._audio(utterance), self._volume)
            with self._wake:
                if utterance.done.is_set():  # a newer prompt, or stop(), came meanwhile
                    return
                self.player.play(audio, label(prompt))
                utterance.finish(Outcome.PLAYED)
        except (VoiceError, OSError) as err:
            log.warning("voice: cannot speak %s: %s", label(prompt), getattr(err, "detail", "") or type(err).__name__)
            utterance.finish(Outcome.FAILED)
            return
        log.debug("voice: played %s", label(prompt))

    def _audio(self, utterance: Utterance) -> bytes:
        prompt = utterance.prompt
        if self.cache is None or not prompt.kind.public:
            return self.engine.render(prompt.text, prompt.language, prompt.kind)
        key = RenderCache.key(self.engine.identity, prompt.language, prompt.kind, prompt.text)
        audio = self.cache.get(key)
        if audio is not None:
            utterance.from_cache = True
            return audio
        audio = self.engine.render(prompt.text, prompt.language, prompt.kind)
        self.cache.put(key, audio)
        return audio

    def _prewarm(self, prompts: list[Prompt]) -> None:
        if self.cache is None or not self.enabled:
            return
        try:  # Linux: this thread alone, and the engine processes it starts, yield to the screens
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), PREWARM_NICENESS)
        except OSError:
            pass
        for prompt in prompts:
            key = RenderCache.key(self.engine.identity, prompt.language, prompt.kind, prompt.text)
            if key in self.cache:
                continue
            try:
                self.cache.put(key, self.engine.render(prompt.text, prompt.language, prompt.kind))
            except VoiceError as err:
                log.warning("voice: cannot prewarm %s: %s", label(prompt), err.detail)
