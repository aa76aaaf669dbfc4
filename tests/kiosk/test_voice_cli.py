"""``kiosk speak``: a technician's WAV file, and a clear exit when espeak-ng is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from tests.kiosk.voice_support import samples

KIOSK = [sys.executable, "-m", "kiosk.cli.main", "speak"]


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KIOSK, *args], capture_output=True, text=True, timeout=60, env=env)


def test_speak_writes_a_wav_and_shows_the_reading(tmp_path: Path) -> None:
    out = tmp_path / "prompt.wav"
    done = _run("请到银行窗口办理", "--out", str(out))
    assert done.returncode == 0, done.stderr
    params, pcm = samples(out.read_bytes())
    assert params.framerate == 22050 and len(pcm) > 0 and np.abs(pcm.astype(np.int32)).max() > 3000
    assert "qing3 dao4 yin2 hang2 chuang1 kou3 ban4 li3" in done.stdout


def test_speak_in_english_and_a_name_whose_reading_stays_off_the_screen(tmp_path: Path) -> None:
    assert _run("Please take your card", "--lang", "en", "--out", str(tmp_path / "en.wav")).returncode == 0
    done = _run("单雄信", "--kind", "name", "--out", str(tmp_path / "name.wav"))
    assert done.returncode == 0 and "shan4" not in done.stdout and (tmp_path / "name.wav").stat().st_size > 1000


def test_speak_without_espeak_ng_exits_1_saying_what_to_install(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path)}  # a PATH with no espeak-ng on it
    done = _run("你好", "--out", str(tmp_path / "x.wav"), env=env)
    assert done.returncode == 1
    assert done.stderr.strip() == "kiosk speak: espeak-ng is not installed (Debian: apt-get install espeak-ng)"
    assert not (tmp_path / "x.wav").exists()


def test_speak_needs_somewhere_to_send_the_audio() -> None:
    done = _run("你好")
    assert done.returncode == 2 and "--out FILE.wav" in done.stderr
