"""Text to what espeak-ng reads: tone-numbered pinyin for Chinese, the words for English.

espeak-ng's Mandarin voice reading characters is unusable; its ``cmn-latn-pinyin`` voice reads
pinyin with tone digits 1-4 and 5 for the neutral tone (checked: ``ma5``, ``ma0`` and a bare
``ma`` all come out neutral; ü is written ``v``, as pypinyin's TONE3 style does). It applies
third-tone sandhi itself; pypinyin applies that of 一 and 不 (一个 yi2 ge4, 不是 bu2 shi4).

- Chinese words go through pypinyin whole, so its phrase dictionary picks the reading of a
  polyphone (银行 yin2 hang2, 重新 chong2 xin1). Names take the surname table first
  (``surnames``). Traditional characters are read character by character as well, but
  pypinyin's phrases are keyed by simplified characters, so a traditional polyphone phrase
  may be read the common way (銀行 comes out yin2 xing2); the kiosk's zh-Hant prompts should
  be checked with ``kiosk speak``.
- Numbers as ``numbers`` decides (phones one digit at a time with 幺, counts as counts).
- ASCII letters are spelled one at a time (the voice says letter names: Q is "kiu").
- Punctuation becomes a pause: ``,`` for ，、；：, ``.`` for 。！？; brackets and quotes go.
- Characters pypinyin does not know (a rare name character) are left out, never spelled as
  code points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kiosk.voice import numbers
from kiosk.voice.prompt import Kind
from kiosk.voice.surnames import surname_reading

READING_VERSION = "1"  # part of every cache key: bump when a reading rule changes
MANDARIN_VOICE = "cmn-latn-pinyin"
ENGLISH_VOICE = "en"

_SHORT_PAUSE = "，、；：,;:"
_LONG_PAUSE = "。！？.!?…"
_TOKENS = re.compile(
    r"(?P<time>\d{1,2}:\d{2})"
    r"|(?P<decimal>\d+\.\d+)"
    r"|(?P<digits>\d+)"
    r"|(?P<letters>[A-Za-z]+)"
    r"|(?P<han>[\u3400-\u9fff\U00020000-\U0003134f]+)"
    r"|(?P<other>.)",
    re.DOTALL,
)


@dataclass(frozen=True)
class Reading:
    """What to hand espeak-ng: a voice name and its input."""

    voice: str
    text: str


def reading_for(text: str, language: str, kind: Kind = Kind.INSTRUCTION) -> Reading:
    """How ``text`` in ``language`` is read aloud; names are always read as Chinese."""
    if language == "en" and kind is not Kind.NAME:
        if kind in (Kind.DIGITS, Kind.ID_NUMBER):
            return Reading(ENGLISH_VOICE, " ".join(c for c in text if c.isalnum()))
        return Reading(ENGLISH_VOICE, text)
    return Reading(MANDARIN_VOICE, to_pinyin(text, kind))


def to_pinyin(text: str, kind: Kind = Kind.INSTRUCTION) -> str:
    """Tone-numbered pinyin syllables, digits, letters and pauses, separated by spaces."""
    if kind in (Kind.DIGITS, Kind.ID_NUMBER):
        return " ".join(_spelled(text))
    if kind is Kind.NAME:
        text = text.strip()
        found = surname_reading(text)
        if found is not None:
            surname, reading = found
            return " ".join([reading, *_words(text[len(surname):])])
    return " ".join(_words(text))


def _spelled(text: str) -> list[str]:
    """Every digit (1 as 幺) and letter on its own, a pause at a space or dash (138 1234 5678)."""
    words: list[str] = []
    for c in text:
        if c.isascii() and c.isalnum():
            words.append(numbers.one_by_one(c)[0] if c.isdigit() else c.upper())
        elif c in " -" and words and words[-1] != ",":
            words.append(",")
    return words[:-1] if words[-1:] == [","] else words


def _words(text: str) -> list[str]:
    words: list[str] = []
    for match in _TOKENS.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind == "time":
            words += numbers.read_time(*token.split(":"))
        elif kind == "decimal":
            words += numbers.read_decimal(*token.split("."))
        elif kind == "digits":
            words += numbers.read_number(token, text[match.end():match.end() + 1])
        elif kind == "letters":
            words += list(token.upper())
        elif kind == "han":
            words += _han(token)
        elif token in _SHORT_PAUSE:
            _pause(words, ",")
        elif token in _LONG_PAUSE:
            _pause(words, ".")
        elif token in "-~～—至" and words and words[-1][-1:].isdigit() and _digit_follows(text, match.end()):
            words.append("zhi4")  # 8:30-17:00, 3~5: 至
    while words and words[-1] in ",.":
        words.pop()
    return words


def _pause(words: list[str], mark: str) -> None:
    if words and words[-1] in ",.":
        words[-1] = "." if "." in (mark, words[-1]) else ","
    elif words:
        words.append(mark)


def _digit_follows(text: str, at: int) -> bool:
    return at < len(text) and text[at].isdigit()


def _han(run: str) -> list[str]:
    return [s for s in _pinyin()(run) if s and s[-1].isdigit()]


@cache
def _pinyin():  # type: ignore[no-untyped-def]
    """pypinyin with 一/不 sandhi and tone 5 for the neutral tone (loaded once: about 0.3 s)."""
    from pypinyin import Style
    from pypinyin.contrib.neutral_tone import NeutralToneWith5Mixin
    from pypinyin.contrib.tone_sandhi import ToneSandhiMixin
    from pypinyin.converter import DefaultConverter
    from pypinyin.core import Pinyin

    class Converter(NeutralToneWith5Mixin, ToneSandhiMixin, DefaultConverter):
        pass

    reader = Pinyin(Converter())
    return lambda run: reader.lazy_pinyin(run, style=Style.TONE3, errors=lambda chars: [])
