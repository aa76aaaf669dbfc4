"""Voice guidance (语音播报): prompts spoken offline by espeak-ng, cached, played through ALSA.

A screen calls one object, ``Voice`` (``kiosk.voice.voice``), made once from ``[voice]`` by
``build.build_voice``: ``say(text, kind=..., language=...)``, ``repeat()``, ``stop()``,
``volume``, ``prewarm(texts)``. ``Kind`` (``prompt``) says what a prompt holds and so whether it
may be spoken aloud, cached or logged. Behind it, one concept a file:

    prompt.py    Prompt, Kind and the privacy rules each kind carries
    reading.py   text → tone-numbered pinyin (pypinyin, surnames.py, numbers.py) or English
    engine.py    the SpeechEngine protocol (text → WAV bytes); espeak.py implements it
    cache.py     rendered instructions on disk, size-bounded, under data_dir/voice-cache
    volume.py    volume applied to the samples
    player.py    aplay (interruptible) and the null output
    errors.py    VoiceError and its subclasses
"""
