"""``[voice]`` in kiosk.toml: optional and off by default, its keys read, a bad one named;
``build_voice`` makes what it says."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config.settings import load_config
from kiosk.config.voice import VoiceSettings
from kiosk.errors import ConfigError
from kiosk.voice.build import build_voice
from kiosk.voice.player import NullPlayer, ProcessPlayer
from kiosk.voice.voice import Outcome
from tests.kiosk.kiosk_support import write_config


def test_the_table_is_optional_and_voice_is_off_without_it(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path))  # the shipped file has it only as a comment
    assert config.voice == VoiceSettings() and not config.voice.enabled


def test_the_keys_are_read(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, {
        "voice.enabled": True, "voice.output": "null", "voice.device": "plughw:1,0", "voice.volume": 35,
        "voice.private_headset": True, "voice.cache_mb": 5,
    }))
    assert config.voice == VoiceSettings(enabled=True, output="null", device="plughw:1,0", volume=35,
                                         private_headset=True, cache_mb=5)


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("voice.volume", 120, "[voice] volume: 120 is out of range"),
    ("voice.output", "pulse", "[voice] output: 'pulse' is not allowed: use one of alsa, null"),
    ("voice.private_headset", "yes", "[voice] private_headset: must be true or false"),
    ("voice.speed", 150, "[voice] speed: unknown key"),
])
def test_a_bad_key_names_the_file_and_the_key(tmp_path: Path, key: str, value: object, expected: str) -> None:
    path = write_config(tmp_path, {key: value})
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in str(caught.value) and expected in str(caught.value)


def test_build_voice_uses_the_output_named(tmp_path: Path) -> None:
    alsa = build_voice(VoiceSettings(enabled=True, output="alsa", device="null"), tmp_path)
    assert isinstance(alsa.player, ProcessPlayer) and alsa.player.command[-2:] == ["null", "-"]
    assert alsa.say("请输入").wait(10) is Outcome.PLAYED  # aplay on ALSA's null device
    alsa.close()
    null = build_voice(VoiceSettings(enabled=True, output="null", volume=10), tmp_path)
    assert isinstance(null.player, NullPlayer) and null.volume == 10
    assert (tmp_path / "voice-cache").is_dir()
    null.close()
