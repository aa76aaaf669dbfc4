"""The espeak-ng engine and the render cache: real WAV audio, and a cache hit renders nothing."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from kiosk.voice.cache import RenderCache
from kiosk.voice.errors import EngineMissing
from kiosk.voice.espeak import EspeakEngine
from kiosk.voice.player import NullPlayer
from kiosk.voice.prompt import Kind
from kiosk.voice.startup import fixed_words
from kiosk.voice.voice import Outcome, Voice
from tests.kiosk.voice_support import CountingEngine, samples


@pytest.mark.parametrize(("text", "language"), [
    ("请将身份证放在感应区", "zh-Hans"), ("請將身份證放在感應區", "zh-Hant"), ("Please place your ID card", "en"),
])
def test_the_engine_makes_a_complete_wav_that_is_not_silent(text: str, language: str) -> None:
    params, pcm = samples(EspeakEngine().render(text, language))
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, 22050)
    assert params.nframes == len(pcm) > params.framerate // 2  # over half a second of speech
    assert np.abs(pcm.astype(np.int32)).max() > 3000


def test_a_missing_engine_says_which_package_to_install() -> None:
    with pytest.raises(EngineMissing, match="apt-get install espeak-ng"):
        EspeakEngine(program="espeak-ng-not-here").render("你好", "zh-Hans")


def _voice(tmp_path: Path, engine: CountingEngine, **options: object) -> tuple[Voice, NullPlayer, RenderCache]:
    player, cache = NullPlayer(), RenderCache(tmp_path / "voice-cache", 10 * 1024 * 1024)
    return Voice(engine, player, cache, **options), player, cache  # type: ignore[arg-type]


def test_a_cache_hit_plays_without_rendering(tmp_path: Path) -> None:
    engine = CountingEngine()
    voice, player, cache = _voice(tmp_path, engine, volume=100)
    first = voice.say("请将身份证放在感应区")
    assert first.wait(10) is Outcome.PLAYED and not first.from_cache
    second = voice.say("请将身份证放在感应区")
    assert second.wait(10) is Outcome.PLAYED and second.from_cache
    assert engine.renders == 1 and len(cache) == 1
    assert player.played[0].audio == player.played[1].audio
    voice.close()


def test_a_new_voice_finds_what_an_earlier_one_rendered(tmp_path: Path) -> None:
    """The cache is on disk: a restarted kiosk plays its prompts without rendering them again."""
    voice, _, _ = _voice(tmp_path, CountingEngine())
    voice.say("请取走您的身份证").wait(10)
    voice.close()
    engine = CountingEngine()
    again, _, _ = _voice(tmp_path, engine)
    assert again.say("请取走您的身份证").wait(10) is Outcome.PLAYED and engine.renders == 0
    again.close()


def test_prewarm_renders_in_the_background_so_the_screens_only_play(tmp_path: Path) -> None:
    engine = CountingEngine()
    voice, _, cache = _voice(tmp_path, engine)
    texts = ["请将身份证放在感应区", "请输入手机号码", "办理成功，请取走回执"]
    voice.prewarm(texts).join(30)
    assert engine.renders == 3 and len(cache) == 3
    voice.prewarm(texts).join(30)
    assert engine.renders == 3  # already there
    for text in texts:
        utterance = voice.say(text)
        assert utterance.wait(10) is Outcome.PLAYED and utterance.from_cache
    assert engine.renders == 3
    voice.close()


def test_the_language_is_part_of_the_key(tmp_path: Path) -> None:
    engine = CountingEngine()
    voice, _, cache = _voice(tmp_path, engine)
    voice.say("请", language="zh-Hans").wait(10)
    voice.say("请", language="zh-Hant").wait(10)
    assert engine.renders == 2 and len(cache) == 2
    voice.close()


def test_the_cache_stays_within_its_size_dropping_the_least_recently_used(tmp_path: Path) -> None:
    engine = EspeakEngine()
    audio = {text: engine.render(text, "zh-Hans") for text in ("第一", "第二", "第三")}
    bound = max(map(len, audio.values())) * 2 + 10
    cache = RenderCache(tmp_path / "c", bound)
    keys = {text: RenderCache.key("e", "zh-Hans", Kind.INSTRUCTION, text) for text in audio}
    cache.put(keys["第一"], audio["第一"])
    cache.put(keys["第二"], audio["第二"])
    older = tmp_path / "c" / (keys["第二"] + ".wav")
    os.utime(older, ns=(1, 1))  # 第二 last used long ago
    assert cache.get(keys["第一"]) == audio["第一"]
    cache.put(keys["第三"], audio["第三"])
    assert keys["第二"] not in cache and keys["第一"] in cache and keys["第三"] in cache
    assert cache.total_bytes <= bound
    assert all(not p.name.startswith(("第", "请")) for p in (tmp_path / "c").iterdir())


def test_volume_scales_the_samples(tmp_path: Path) -> None:
    voice, player, _ = _voice(tmp_path, CountingEngine(), volume=100)
    voice.say("音量").wait(10)
    voice.volume = 50
    voice.say("音量").wait(10)
    loud, quiet = (samples(p.audio)[1].astype(np.int32) for p in player.played)
    assert np.abs(loud).max() > 3000 and np.abs(quiet - loud // 2).max() <= 1
    with pytest.raises(ValueError, match="0 to 100"):
        voice.volume = 101
    voice.close()


def test_the_fixed_words_to_prewarm_are_every_message_without_parameters() -> None:
    words = fixed_words("zh-Hans")
    assert "未能读取证件，请将身份证平放在感应区，不要移动。" in words
    assert len(words) > 100 and len(set(words)) == len(words) and not any("{" in w for w in words)
    english = fixed_words("en")  # each language's own words, prewarmed where it is spoken
    assert "Could not read your card. Please lay your ID card flat on the reader and keep it still." in english
    assert not set(english) & {"未能读取证件，请将身份证平放在感应区，不要移动。"}
