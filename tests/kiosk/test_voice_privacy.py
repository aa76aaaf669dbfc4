"""The privacy rule and interruption: names and ID numbers only through a private headset,
nothing personal cached or logged; a new prompt stops the one playing."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

import pytest

from kiosk.voice.cache import RenderCache
from kiosk.voice.player import NullPlayer, ProcessPlayer
from kiosk.voice.prompt import Kind
from kiosk.voice.voice import Outcome, Voice
from tests.kiosk.voice_support import CountingEngine

NAME, ID_NUMBER, PHONE = "单雄信", "11010519491231002X", "13812345678"


def _voice(tmp_path: Path, **options: object) -> tuple[Voice, NullPlayer, CountingEngine, RenderCache]:
    engine, player, cache = CountingEngine(), NullPlayer(tmp_path / "played.txt"), RenderCache(tmp_path / "c", 10**7)
    return Voice(engine, player, cache, **options), player, engine, cache  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "kind"), [(NAME, Kind.NAME), (ID_NUMBER, Kind.ID_NUMBER)])
def test_personal_prompts_are_withheld_on_a_loudspeaker(tmp_path: Path, text: str, kind: Kind,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    voice, player, engine, _ = _voice(tmp_path)
    assert voice.say(text, kind).wait(10) is Outcome.WITHHELD
    assert voice.repeat() is None  # nothing was said, so 再听一遍 has nothing to repeat
    voice.close()
    assert player.played == [] and engine.renders == 0
    assert text not in caplog.text and "withheld" in caplog.text


def test_with_a_private_headset_they_are_spoken_but_never_cached_or_logged(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    voice, player, engine, cache = _voice(tmp_path, private_headset=True)
    for text, kind in ((NAME, Kind.NAME), (ID_NUMBER, Kind.ID_NUMBER), (PHONE, Kind.DIGITS)):
        assert voice.say(text, kind).wait(10) is Outcome.PLAYED
    again = voice.repeat()  # 再听一遍: the phone number again
    assert again is not None and again.prompt.kind is Kind.DIGITS and again.wait(10) is Outcome.PLAYED
    voice.close()
    assert len(player.played) == 4 and engine.renders == 4 and len(cache) == 0
    record = (tmp_path / "played.txt").read_text(encoding="utf-8")
    for secret in (NAME, ID_NUMBER, PHONE, "1381234"):
        assert secret not in caplog.text and secret not in record
        assert secret not in repr(player.played[0].label)
    assert "<name, 3 characters>" in record


def test_typed_digits_are_read_back_on_the_loudspeaker(tmp_path: Path) -> None:
    voice, player, _, cache = _voice(tmp_path)
    assert voice.say(PHONE, Kind.DIGITS).wait(10) is Outcome.PLAYED
    voice.close()
    assert len(player.played) == 1 and len(cache) == 0


def test_a_failed_render_of_a_personal_prompt_logs_no_words(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    engine = CountingEngine(program="espeak-ng-not-here")
    voice = Voice(engine, NullPlayer(), None, private_headset=True)
    assert voice.say(NAME, Kind.NAME).wait(10) is Outcome.FAILED
    voice.close()
    assert "espeak-ng-not-here is not installed" in caplog.text and NAME not in caplog.text


def test_instructions_are_logged_and_recorded_with_their_words(tmp_path: Path) -> None:
    voice, _, _, _ = _voice(tmp_path)
    voice.say("请输入手机号码").wait(10)
    voice.close()
    assert "请输入手机号码" in (tmp_path / "played.txt").read_text(encoding="utf-8")


def test_a_disabled_voice_says_nothing(tmp_path: Path) -> None:
    voice, player, engine, _ = _voice(tmp_path, enabled=False)
    assert voice.say("请输入手机号码").wait(10) is Outcome.DISABLED
    voice.close()
    assert player.played == [] and engine.renders == 0


def _slow_speaker(folder: Path) -> list[str]:
    """A real process standing in for a sound card that takes its time: reads the WAV, notes its
    process id in ``folder``, then plays for a minute."""
    script = ("import os, sys, time; sys.stdin.buffer.read(); "
              f"open(os.path.join({str(folder)!r}, str(os.getpid())), 'w').close(); time.sleep(60)")
    return [sys.executable, "-c", script]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _speakers(folder: Path, count: int) -> list[int]:
    deadline = time.monotonic() + 10
    while len(list(folder.iterdir())) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    return sorted((int(p.name) for p in folder.iterdir()), key=lambda pid: (folder / str(pid)).stat().st_mtime_ns)


def test_a_new_prompt_stops_the_one_playing(tmp_path: Path) -> None:
    started = tmp_path / "speakers"
    started.mkdir()
    player = ProcessPlayer(_slow_speaker(started))
    voice = Voice(CountingEngine(), player, RenderCache(tmp_path / "c", 10**7))
    assert voice.say("第一句").wait(10) is Outcome.PLAYED
    [first] = _speakers(started, 1)
    assert voice.say("第二句").wait(10) is Outcome.PLAYED
    first_again, second = _speakers(started, 2)
    assert first_again == first and not _alive(first) and _alive(second) and player.playing
    voice.stop()
    assert not _alive(second) and not player.playing
    voice.close()


def test_the_last_prompt_said_is_the_one_heard(tmp_path: Path) -> None:
    voice, player, _, _ = _voice(tmp_path)
    first = voice.say("这是一段很长的说明，" * 20)
    second = voice.say("请稍候")
    assert second.wait(10) is Outcome.PLAYED
    assert first.wait(10) is Outcome.SUPERSEDED or len(player.played) == 2  # taken before the second came
    voice.close()
    assert player.played[-1].label.endswith("'请稍候'")
