"""The resident's volume button (音量): 中 → 大 → 小 → 中, each step said again at the new level
(the samples played really are louder or quieter), and the next resident starts at the site's."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kiosk.voice.cache import RenderCache
from kiosk.voice.player import NullPlayer
from kiosk.voice.voice import Outcome, Voice
from screens.voice_guide import VoiceGuide
from tests.kiosk.voice_support import CountingEngine, samples

WORDS = "请把身份证放在感应区"


def peak(audio: bytes) -> int:
    return int(np.abs(samples(audio)[1].astype(np.int32)).max())


def test_each_step_is_said_at_its_level_and_the_next_resident_hears_the_site_s(tmp_path: Path) -> None:
    player = NullPlayer()
    voice = Voice(CountingEngine(), player, RenderCache(tmp_path / "voice", 10**7), volume=60)
    guide = VoiceGuide(voice)
    try:
        assert guide.shown("attract", WORDS, "zh-Hans").wait(30) is Outcome.PLAYED  # type: ignore[union-attr]
        levels = []
        for _ in range(3):
            said = guide.step_volume()
            assert said is not None and said.wait(30) is Outcome.PLAYED
            levels.append((guide.level, voice.volume))
        assert levels == [("high", 100), ("low", 30), ("mid", 60)]
        site, high, low, mid = (peak(played.audio) for played in player.played)
        assert low < mid == site < high  # the same words, only the level changed
        guide.step_volume()
        guide.reset_volume()  # the session ended
        assert (guide.level, voice.volume) == ("mid", 60)
    finally:
        voice.close()
