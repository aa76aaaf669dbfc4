"""Make the ``Voice`` that ``[voice]`` describes, failing loudly at start-up: the output is
chosen by name (``alsa`` or ``null``), never swapped for silence because aplay is missing."""

from __future__ import annotations

from pathlib import Path

from kiosk.config.voice import VoiceSettings
from kiosk.voice.cache import RenderCache
from kiosk.voice.espeak import EspeakEngine
from kiosk.voice.player import NullPlayer, Player, aplay_player
from kiosk.voice.voice import Voice

CACHE_FOLDER = "voice-cache"


def build_voice(settings: VoiceSettings, data_dir: Path) -> Voice:
    """The kiosk's voice; raises ``EngineMissing`` or ``OutputMissing`` when enabled and not installed."""
    engine = EspeakEngine()
    player: Player = NullPlayer()
    if settings.enabled:
        engine.check()
        if settings.output == "alsa":
            player = aplay_player(settings.device)
    cache = RenderCache(Path(data_dir) / CACHE_FOLDER, settings.cache_mb * 1024 * 1024)
    return Voice(engine, player, cache, volume=settings.volume, private_headset=settings.private_headset,
                 enabled=settings.enabled)
