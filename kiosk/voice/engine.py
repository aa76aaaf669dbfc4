"""The speech engine interface: text in, WAV bytes out. A better engine plugs in here.

An engine renders one prompt to a complete WAV file (RIFF, PCM 16-bit) in memory. It never
plays, caches or decides what may be spoken: ``Voice`` does, so every engine gets the same
privacy rule and the same cache. ``identity`` names the engine, its version and its reading
rules: it is part of every cache key, so audio from another version is never played.
"""

from __future__ import annotations

from typing import Protocol

from kiosk.voice.prompt import Kind


class SpeechEngine(Protocol):
    """Renders text to WAV bytes; raises ``VoiceError`` (``EngineMissing``, ``RenderFailed``)."""

    @property
    def identity(self) -> str:
        """The engine, its version and reading rules, e.g. ``espeak-ng 1.51 reading 1``."""
        ...

    def render(self, text: str, language: str, kind: Kind = Kind.INSTRUCTION) -> bytes:
        """A WAV file speaking ``text`` in ``language`` (zh-Hans, zh-Hant, en), read as ``kind``."""
        ...
