"""Volume 0-100, applied to the samples before playing (aplay has no volume option, and the
kiosk must not change the machine's mixer, which a technician may have set for the speaker)."""

from __future__ import annotations

import io
import wave

import numpy as np


def check_volume(volume: int) -> int:
    """``volume`` if it is a whole number 0-100, else ``ValueError``."""
    if isinstance(volume, bool) or not isinstance(volume, int) or not 0 <= volume <= 100:
        raise ValueError(f"volume {volume!r}: use a whole number from 0 to 100")
    return volume


def scaled(audio: bytes, volume: int) -> bytes:
    """A 16-bit PCM WAV with every sample times ``volume / 100`` (100: the same bytes)."""
    if check_volume(volume) == 100:
        return audio
    with wave.open(io.BytesIO(audio)) as source:
        params = source.getparams()
        frames = source.readframes(params.nframes)
    if params.sampwidth != 2:
        return audio  # espeak-ng makes 16-bit audio; another width is played as it is
    samples = np.frombuffer(frames, dtype="<i2").astype(np.int32) * volume // 100
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setparams(params)
        target.writeframes(samples.astype("<i2").tobytes())
    return out.getvalue()
