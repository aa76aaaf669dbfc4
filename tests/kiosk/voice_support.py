"""Helpers for the voice tests: the real espeak-ng engine, counting its renders."""

from __future__ import annotations

import io
import wave

import numpy as np

from kiosk.voice.espeak import EspeakEngine
from kiosk.voice.prompt import Kind


class CountingEngine(EspeakEngine):
    """espeak-ng, counting how many prompts it really rendered."""

    def __init__(self, program: str = "espeak-ng") -> None:
        super().__init__(program)
        self.renders = 0

    def render(self, text: str, language: str, kind: Kind = Kind.INSTRUCTION) -> bytes:
        self.renders += 1
        return super().render(text, language, kind)


def samples(audio: bytes) -> tuple[wave._wave_params, np.ndarray]:
    """A WAV's parameters and its 16-bit samples."""
    with wave.open(io.BytesIO(audio)) as reading:
        params = reading.getparams()
        return params, np.frombuffer(reading.readframes(params.nframes), dtype="<i2")
