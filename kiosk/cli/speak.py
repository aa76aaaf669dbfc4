"""``kiosk speak TEXT [--lang L] [--kind K] --out FILE.wav [--play]``: render one prompt as the kiosk would.

For a technician checking the voice and the speaker: the same reading rules and engine as the
kiosk (``kiosk.voice``), no cache, no configuration needed. ``--play`` sends it to the ALSA
device as well. Exits 1 with the reason when espeak-ng (or aplay, for ``--play``) is missing.
"""

from __future__ import annotations

import argparse
import io
import sys
import wave
from pathlib import Path

from kiosk.voice.prompt import LANGUAGES, Kind


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``speak`` to the ``kiosk`` command."""
    speak = sub.add_parser("speak", help="render a voice prompt to a WAV file (check the voice and the speaker)")
    speak.add_argument("text", help="the words, e.g. 请将身份证放在感应区")
    speak.add_argument("--lang", choices=LANGUAGES, default="zh-Hans")
    speak.add_argument("--kind", choices=[k.value for k in Kind], default=Kind.INSTRUCTION.value,
                       help="how to read it: digits one by one, a name with surname readings (default: instruction)")
    speak.add_argument("--out", type=Path, default=None, help="the WAV file to write")
    speak.add_argument("--play", action="store_true", help="play it on the ALSA device too")
    speak.add_argument("--device", default="default", help="ALSA device for --play (aplay -L lists them)")
    speak.set_defaults(handler=_speak)


def _speak(args: argparse.Namespace) -> int:
    from kiosk.voice.errors import VoiceError
    from kiosk.voice.espeak import EspeakEngine
    from kiosk.voice.player import aplay_player
    from kiosk.voice.reading import reading_for

    if args.out is None and not args.play:
        print("kiosk speak: say where the audio goes: --out FILE.wav, --play, or both", file=sys.stderr)
        return 2
    kind = Kind(args.kind)
    try:
        audio = EspeakEngine().render(args.text, args.lang, kind)
        if args.play:
            player = aplay_player(args.device)
            player.play(audio, "kiosk speak")
            player.wait()
    except VoiceError as err:
        print(f"kiosk speak: {err}", file=sys.stderr)
        return 1
    with wave.open(io.BytesIO(audio)) as reading:
        seconds = reading.getnframes() / reading.getframerate()
        rate = reading.getframerate()
    if args.out is not None:
        try:
            args.out.write_bytes(audio)
        except OSError as err:
            print(f"kiosk speak: {args.out}: cannot be written: {err.strerror}", file=sys.stderr)
            return 1
        print(f"{args.out}: {seconds:.1f} s at {rate} Hz")
    if kind is Kind.INSTRUCTION:  # a name or number typed here stays off the screen's scrollback
        spoken = reading_for(args.text, args.lang, kind)
        print(f"read by voice {spoken.voice} as: {spoken.text}")
    return 0
