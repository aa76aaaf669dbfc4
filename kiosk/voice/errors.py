"""Errors of voice guidance. A screen never shows them: a prompt that cannot be spoken is still
shown as text, so the kiosk logs the error (without the prompt's words) and goes on::

    KioskError
     └── VoiceError           voice guidance cannot work as configured
          ├── EngineMissing   the speech engine's program is not installed (espeak-ng)
          ├── RenderFailed    the engine ran and gave no usable audio
          └── OutputMissing   the audio output's program is not installed (aplay)
"""

from __future__ import annotations

from kiosk.errors import KioskError
from kiosk.messages import MessageId


class VoiceError(KioskError):
    """Voice guidance cannot work as configured; ``str()`` is the technician's detail."""

    default_message = MessageId.CONFIGURATION_BROKEN

    def __init__(self, detail: str) -> None:
        super().__init__(self.default_message, detail=detail)

    def __str__(self) -> str:
        return self.detail


class EngineMissing(VoiceError):
    """The speech engine's program is not on this machine."""


class RenderFailed(VoiceError):
    """The engine ran but its audio is missing or not a WAV file."""


class OutputMissing(VoiceError):
    """The audio output's program is not on this machine."""
