"""``[voice]`` in kiosk.toml: voice guidance (语音播报; ``kiosk.voice``). Optional; every key has a default.

    [voice]
    enabled = true            # speak each screen's instruction
    output = "alsa"           # "alsa": aplay on `device`; "null": nothing plays (headless, tests)
    device = "default"        # the ALSA device (aplay -L lists them)
    volume = 80               # 0..100, applied to the samples
    private_headset = false   # true only where a headset, not a loudspeaker, is attached:
                              # then names and ID numbers may be spoken
    cache_mb = 150            # rendered instructions kept under data_dir/voice-cache (1..2000);
                              # the 204 fixed zh-Hans messages take 40 MB
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.config.reader import Reader

OUTPUTS = ("alsa", "null")


@dataclass(frozen=True)
class VoiceSettings:
    enabled: bool = False
    output: str = "alsa"
    device: str = "default"
    volume: int = 80
    private_headset: bool = False
    cache_mb: int = 150


def load_voice(table: Reader) -> VoiceSettings:
    """Read ``[voice]`` (the caller refuses unknown keys with the other tables)."""
    return VoiceSettings(
        enabled=table.flag("enabled", default=VoiceSettings.enabled),
        output=table.choice("output", OUTPUTS, default=VoiceSettings.output),
        device=table.text("device", default=VoiceSettings.device, pattern=r"^[A-Za-z0-9_:,=.-]{1,64}$"),
        volume=table.whole("volume", 0, 100, default=VoiceSettings.volume),
        private_headset=table.flag("private_headset", default=VoiceSettings.private_headset),
        cache_mb=table.whole("cache_mb", 1, 2000, default=VoiceSettings.cache_mb),
    )
