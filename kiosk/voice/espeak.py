"""The espeak-ng engine: ``espeak-ng -v cmn-latn-pinyin --stdout`` fed tone-numbered pinyin.

Debian package ``espeak-ng`` (deploy/install-system-packages.sh). Mandarin (zh-Hans and
zh-Hant alike) goes through ``reading`` to pinyin and the ``cmn-latn-pinyin`` voice; English
through the ``en`` voice as written. The text goes in on standard input, never on the command
line (where ``ps`` would show a name), and the audio comes back on standard output, never
through a file. espeak-ng streams WAV with its sizes unset (0x7fffffff); they are fixed here so
the result is a complete WAV file.
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import wave
from functools import cached_property

from kiosk.voice.errors import EngineMissing, RenderFailed
from kiosk.voice.prompt import Kind
from kiosk.voice.reading import READING_VERSION, reading_for

PROGRAM = "espeak-ng"
TIMEOUT_S = 20.0


class EspeakEngine:
    """espeak-ng as a ``SpeechEngine``; ``speed`` in words per minute (espeak's default is 175)."""

    def __init__(self, program: str = PROGRAM, speed: int = 150) -> None:
        self.program = program
        self.speed = speed

    def check(self) -> None:
        """Raise ``EngineMissing`` unless the program is installed (at start-up, before any prompt)."""
        self._path  # noqa: B018 (the lookup is the check)

    @cached_property
    def _path(self) -> str:
        path = shutil.which(self.program)
        if path is None:
            raise EngineMissing(f"{self.program} is not installed (Debian: apt-get install espeak-ng)")
        return path

    @cached_property
    def identity(self) -> str:
        version = subprocess.run([self._path, "--version"], capture_output=True, text=True, timeout=TIMEOUT_S)
        words = version.stdout.split()
        number = words[words.index("text-to-speech:") + 1] if "text-to-speech:" in words else "?"
        return f"espeak-ng {number} speed {self.speed} reading {READING_VERSION}"

    def render(self, text: str, language: str, kind: Kind = Kind.INSTRUCTION) -> bytes:
        """A WAV file of ``text`` read aloud (22050 Hz mono 16-bit, as espeak-ng makes it)."""
        reading = reading_for(text, language, kind)
        if not reading.text.strip():
            raise RenderFailed("nothing to read aloud in this prompt")
        command = [self._path, "-v", reading.voice, "-s", str(self.speed), "--stdout"]
        try:
            done = subprocess.run(command, input=reading.text.encode(), capture_output=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired as err:
            raise RenderFailed(f"{self.program} took more than {TIMEOUT_S:.0f} s") from err
        if done.returncode != 0:
            raise RenderFailed(f"{self.program} exited with {done.returncode}: {done.stderr[:200]!r}")
        return complete_wav(done.stdout)


def complete_wav(stream: bytes) -> bytes:
    """A streamed WAV (sizes unknown) with its RIFF and data sizes set; ``RenderFailed`` if not WAV."""
    at = stream.find(b"data", 12)
    if not stream.startswith(b"RIFF") or stream[8:12] != b"WAVE" or at < 0:
        raise RenderFailed(f"{PROGRAM} gave no WAV audio ({len(stream)} bytes)")
    data = len(stream) - at - 8
    data -= data % 2
    fixed = (stream[:4] + struct.pack("<I", at + data) + stream[8:at + 4] + struct.pack("<I", data)
             + stream[at + 8:at + 8 + data])
    try:
        with wave.open(io.BytesIO(fixed)) as check:
            if check.getnframes() == 0:
                raise RenderFailed(f"{PROGRAM} gave an empty recording")
    except (wave.Error, EOFError) as err:
        raise RenderFailed(f"{PROGRAM} gave unreadable WAV audio: {err}") from err
    return fixed
