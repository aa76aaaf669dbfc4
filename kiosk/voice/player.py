"""Audio outputs: a WAV in, sound out; a new prompt stops the one playing.

``ProcessPlayer`` hands each WAV to a program on its standard input: for the kiosk's speaker
that is ``aplay -q -D DEVICE -`` (Debian package ``alsa-utils``; ALSA is there on every kiosk,
under cage with no sound server too, and where PipeWire runs its ALSA plugin routes ``default``
through it). ``NullPlayer`` is the headless output (tests, a kiosk without a speaker): it keeps
what would have played, and can append one line per prompt to a file (its log-safe label, never
a personal prompt's words). Both take a ``label`` that is already log-safe.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import threading
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from kiosk.voice.errors import OutputMissing

log = logging.getLogger(__name__)
APLAY = "aplay"


class Player(Protocol):
    def play(self, audio: bytes, label: str) -> None:
        """Start playing ``audio`` (a WAV), stopping whatever plays; return once it has started."""
        ...

    def stop(self) -> None:
        """Stop playing now (nothing happens when nothing plays)."""
        ...


class ProcessPlayer:
    """Plays through a program reading a WAV on standard input (``aplay_player`` makes the usual one)."""

    def __init__(self, command: list[str]) -> None:
        if shutil.which(command[0]) is None:
            raise OutputMissing(f"{command[0]} is not installed (Debian: apt-get install alsa-utils)")
        self.command = command
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None

    def play(self, audio: bytes, label: str) -> None:
        with self._lock:
            self._stop_locked()
            process = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE)
            self._process = process
        threading.Thread(target=self._feed, args=(process, audio, label), name="voice-player", daemon=True).start()

    def stop(self) -> None:
        with self._lock:
            self._stop_locked()

    def wait(self, timeout: float | None = None) -> None:
        """Until the prompt playing has finished (for ``kiosk speak --play``)."""
        process = self._process
        if process is not None:
            process.wait(timeout)

    @property
    def playing(self) -> bool:
        process = self._process
        return process is not None and process.poll() is None

    def _stop_locked(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    @staticmethod
    def _feed(process: subprocess.Popen[bytes], audio: bytes, label: str) -> None:
        try:
            _, errors = process.communicate(audio)
        except (BrokenPipeError, ValueError, OSError):  # stopped while the audio was being written
            return
        if process.returncode not in (0, -15):  # -15: stopped by a newer prompt (SIGTERM)
            log.warning("voice: the player exited with %s on %s: %s", process.returncode, label,
                        errors.decode(errors="replace").strip()[-200:])


def aplay_player(device: str = "default") -> ProcessPlayer:
    """The speaker through ALSA's ``aplay`` on ``device`` (``aplay -L`` lists them)."""
    return ProcessPlayer([APLAY, "-q", "-D", device, "-"])


@dataclass(frozen=True)
class Played:
    label: str
    audio: bytes

    @property
    def seconds(self) -> float:
        with wave.open(io.BytesIO(self.audio)) as reading:
            return reading.getnframes() / reading.getframerate()


class NullPlayer:
    """Plays nothing: keeps each prompt (``played``) and appends its label to ``record`` if given."""

    def __init__(self, record: Path | None = None) -> None:
        self.record = record
        self.played: list[Played] = []
        self.stops = 0
        self._lock = threading.Lock()

    def play(self, audio: bytes, label: str) -> None:
        with self._lock:
            self.played.append(Played(label, audio))
            if self.record is not None:
                with self.record.open("a", encoding="utf-8") as handle:
                    handle.write(f"{label}\t{len(audio)} bytes\n")

    def stop(self) -> None:
        with self._lock:
            self.stops += 1
